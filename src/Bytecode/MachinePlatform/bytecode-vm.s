; The bytecode VM of the machine platform: an interpreter of the course's stack bytecode (.vbc), written in VW32
; assembly and running as a guest program on the machine core. The host copies the .vbc file, byte for byte, to
; MODULE and the step limit to max_steps, and starts it; the VM reads the file's own function table and code.
; The file was verified on the host first (the class loader and verifier are host code on both platforms), so
; this VM checks only what the bytecode leaves to run time: division by zero, array bounds, the heap, the call
; depth and the step limit. Every value is a 32-bit word; an array reference is the address of the array's
; length word, its elements follow.
;
; Registers while it runs:
;   r0  zero                    r1  bytecode pc (address)     r2  operand stack top (next free word)
;   r3  locals of this frame    r4  this function's index     r5  MODULE
;   r6  this function's code    r7-r11 scratch                r12 heap: next free word
;   r13 steps left (stops when it goes negative)              r14 call depth
; A frame, from r3 up: the locals, then a 4-word record (return pc, caller's r3, r4, r6), then its operand stack.
; When it halts: r0 = 0 and r5 = the entry function's result, or r0 = the error (RuntimeErrorKind), r1 = the
; function, r2 = the code offset, r3 = the value, r4 = the array length; r13 = steps left.

.equ CONSOLE, 0x3F8
.equ MODULE, 0x00100000          ; the .vbc file, at most 2 MiB
.equ VMSTACK, 0x00300000         ; frames and operand stacks, up to 512 x (255 + 4 + 1024) words
.equ HEAP, 0x00600000            ; arrays, 2^20 words (VmLimits.HeapWords)
.equ HEAP_END, 0x00A00000
.equ CALL_DEPTH, 512             ; VmLimits.CallDepth
.equ JIT_THRESHOLD, 50           ; calls that make a function hot (built with -D JIT)

.org 0x1000
start:
    li r0, 0
    li r5, MODULE
    li r12, HEAP
    la r7, max_steps
    ld r13, [r7]
    ld r4, [r5 + 8]
    andi r4, r4, 0xFFFF          ; the entry function
    li r3, VMSTACK
    shli r8, r4, 4
    add r8, r8, r5               ; its table entry is at MODULE + 16 + 16 * index
    ldb r10, [r8 + 17]
    shli r10, r10, 2
    add r2, r3, r10
    addi r2, r2, 16              ; an unused record: the entry frame looks like every other
    ld r6, [r8 + 24]
    add r6, r6, r5
    mov r1, r6
    li r14, 1

; The dispatch loop: count the step, fetch the opcode, jump through the table.
next:
    dec r13
    js step_limit
    ldb r7, [r1]
    inc r1
    shli r7, r7, 2
    ld r7, [r7 + dispatch]
    jmpr r7

op_push:
    ld r7, [r1]
    addi r1, r1, 4
    st [r2], r7
    addi r2, r2, 4
    jmp next

op_pop:
    subi r2, r2, 4
    jmp next

op_dup:
    ld r7, [r2 - 4]
    st [r2], r7
    addi r2, r2, 4
    jmp next

op_iload:                        ; iload and aload: the verifier keeps the types apart
    ldb r7, [r1]
    inc r1
    shli r7, r7, 2
    add r7, r7, r3
    ld r7, [r7]
    st [r2], r7
    addi r2, r2, 4
    jmp next

op_istore:                       ; istore and astore
    ldb r7, [r1]
    inc r1
    shli r7, r7, 2
    add r7, r7, r3
    subi r2, r2, 4
    ld r8, [r2]
    st [r7], r8
    jmp next

op_add:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    add r7, r7, r8
    st [r2 - 4], r7
    jmp next

op_sub:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    sub r7, r7, r8
    st [r2 - 4], r7
    jmp next

op_mul:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    mul r7, r7, r8
    st [r2 - 4], r7
    jmp next

op_div:
    subi r2, r2, 4
    ld r8, [r2]
    cmpi r8, 0
    je division_by_zero
    ld r7, [r2 - 4]
    cmpi r8, -1
    je div_minus_one             ; MinValue / -1 would raise #DE: the bytecode wraps instead
    div r7, r7, r8
    st [r2 - 4], r7
    jmp next
div_minus_one:
    neg r7, r7
    st [r2 - 4], r7
    jmp next

op_rem:
    subi r2, r2, 4
    ld r8, [r2]
    cmpi r8, 0
    je division_by_zero
    ld r7, [r2 - 4]
    cmpi r8, -1
    je rem_minus_one
    rem r7, r7, r8
    st [r2 - 4], r7
    jmp next
rem_minus_one:
    st [r2 - 4], r0
    jmp next

op_neg:
    ld r7, [r2 - 4]
    neg r7, r7
    st [r2 - 4], r7
    jmp next

; Comparisons: 1 or 0 (li leaves the flags alone).
op_eq:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    li r9, 1
    cmp r7, r8
    je eq_done
    li r9, 0
eq_done:
    st [r2 - 4], r9
    jmp next

op_ne:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    li r9, 1
    cmp r7, r8
    jne ne_done
    li r9, 0
ne_done:
    st [r2 - 4], r9
    jmp next

op_lt:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    li r9, 1
    cmp r7, r8
    jl lt_done
    li r9, 0
lt_done:
    st [r2 - 4], r9
    jmp next

op_le:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    li r9, 1
    cmp r7, r8
    jle le_done
    li r9, 0
le_done:
    st [r2 - 4], r9
    jmp next

op_gt:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    li r9, 1
    cmp r7, r8
    jg gt_done
    li r9, 0
gt_done:
    st [r2 - 4], r9
    jmp next

op_ge:
    subi r2, r2, 4
    ld r8, [r2]
    ld r7, [r2 - 4]
    li r9, 1
    cmp r7, r8
    jge ge_done
    li r9, 0
ge_done:
    st [r2 - 4], r9
    jmp next

; Jumps: a 16-bit offset from the start of the function's code.
op_jmp:
    ld r7, [r1]
    andi r7, r7, 0xFFFF
    add r1, r6, r7
    jmp next

op_jz:
    subi r2, r2, 4
    ld r8, [r2]
    cmpi r8, 0
    jne not_taken
    ld r7, [r1]
    andi r7, r7, 0xFFFF
    add r1, r6, r7
    jmp next
not_taken:
    addi r1, r1, 2
    jmp next

op_jnz:
    subi r2, r2, 4
    ld r8, [r2]
    cmpi r8, 0
    je not_taken
    ld r7, [r1]
    andi r7, r7, 0xFFFF
    add r1, r6, r7
    jmp next

op_call:
    li r7, CALL_DEPTH
    cmp r14, r7
    jge stack_overflow
    ldb r7, [r1]                 ; the callee
    inc r1
.ifdef JIT
    shli r9, r7, 2
    ld r10, [r9 + compiled]      ; compiled already? then run its VW32 code
    cmpi r10, 0
    jne call_native
    ld r8, [r9 + invocations]    ; count the calls: at JIT_THRESHOLD the function is hot
    inc r8
    st [r9 + invocations], r8
    cmpi r8, JIT_THRESHOLD
    je request_jit
.endif
    shli r8, r7, 4
    add r8, r8, r5               ; its table entry, less 16
    ldb r9, [r8 + 16]            ; parameters: already on the operand stack, they become its first locals
    ldb r10, [r8 + 17]           ; locals
    shli r9, r9, 2
    sub r11, r2, r9              ; the new frame's locals
    shli r10, r10, 2
    add r10, r11, r10            ; where its record goes
zero_locals:
    cmp r2, r10
    jae locals_done
    st [r2], r0
    addi r2, r2, 4
    jmp zero_locals
locals_done:
    st [r10], r1
    st [r10 + 4], r3
    st [r10 + 8], r4
    st [r10 + 12], r6
    addi r2, r10, 16
    mov r3, r11
    mov r4, r7
    ld r6, [r8 + 24]
    add r6, r6, r5
    mov r1, r6
    inc r14
    jmp next

op_ret:
    ld r7, [r2 - 4]              ; the result
    dec r14
    je finished
    shli r8, r4, 4
    add r8, r8, r5
    ldb r9, [r8 + 17]
    shli r9, r9, 2
    add r9, r9, r3               ; this frame's record
    mov r2, r3                   ; drop the frame
    ld r1, [r9]
    ld r3, [r9 + 4]
    ld r4, [r9 + 8]
    ld r6, [r9 + 12]
    st [r2], r7
    addi r2, r2, 4
    jmp next

op_newarray:
    ld r7, [r2 - 4]              ; the length
    cmpi r7, 0
    jl negative_size
    li r8, HEAP_END
    sub r8, r8, r12
    shri r8, r8, 2               ; words left
    addi r9, r7, 1               ; words needed: the length word and the elements
    cmp r8, r9
    jb out_of_memory
    st [r12], r7
    st [r2 - 4], r12
    shli r9, r9, 2
    add r12, r12, r9             ; fresh RAM is zero and the heap is never reused: the elements are 0
    jmp next

op_iaload:
    subi r2, r2, 4
    ld r8, [r2]                  ; the index
    ld r7, [r2 - 4]              ; the array
    ld r9, [r7]
    cmp r8, r9
    jae out_of_bounds            ; unsigned: a negative index is out too
    shli r10, r8, 2
    add r10, r10, r7
    ld r10, [r10 + 4]
    st [r2 - 4], r10
    jmp next

op_iastore:
    subi r2, r2, 12
    ld r7, [r2]                  ; the array
    ld r8, [r2 + 4]              ; the index
    ld r10, [r2 + 8]             ; the value
    ld r9, [r7]
    cmp r8, r9
    jae out_of_bounds
    shli r8, r8, 2
    add r8, r8, r7
    st [r8 + 4], r10
    jmp next

op_arraylength:
    ld r7, [r2 - 4]
    ld r7, [r7]
    st [r2 - 4], r7
    jmp next

op_print:                        ; decimal and a newline
    subi r2, r2, 4
    ld r7, [r2]
    cmpi r7, 0
    jge print_digits
    li r8, '-'
    out CONSOLE, r8
    neg r7, r7                   ; MinValue stays itself, and divu reads it as 2^31
print_digits:
    la r9, digits_end
    li r10, 10
print_divide:
    remu r8, r7, r10
    addi r8, r8, '0'
    dec r9
    stb [r9], r8
    divu r7, r7, r10
    cmpi r7, 0
    jne print_divide
    la r10, digits_end
print_out:
    ldb r8, [r9]
    out CONSOLE, r8
    inc r9
    cmp r9, r10
    jne print_out
    li r8, 10
    out CONSOLE, r8
    jmp next

op_putchar:
    subi r2, r2, 4
    ld r7, [r2]
    andi r7, r7, 0xFF
    out CONSOLE, r7
    jmp next

finished:
    mov r5, r7
    li r0, 0
    hlt

; Errors: r7 = the kind, r11 = the failing instruction's address, r9 = the value, r10 = the length.
division_by_zero:
    li r7, 1
    subi r11, r1, 1
    jmp fail
out_of_bounds:
    mov r10, r9
    mov r9, r8
    li r7, 2
    subi r11, r1, 1
    jmp fail
negative_size:
    mov r9, r7
    li r7, 3
    subi r11, r1, 1
    jmp fail
out_of_memory:
    mov r9, r7
    li r7, 4
    subi r11, r1, 1
    jmp fail
stack_overflow:
    li r7, 5
    subi r11, r1, 1
    jmp fail
step_limit:
    li r7, 6
    mov r11, r1
    jmp fail
op_invalid:                      ; never reached by verified code
    li r7, 7
    subi r11, r1, 1
fail:
    mov r0, r7
    sub r2, r11, r6
    mov r1, r4
    mov r3, r9
    mov r4, r10
    hlt

.ifdef JIT
; The JIT. A hot function is compiled by the host (hypercall 1, r1 = the function), with every function it can
; reach, into VW32 code in the code cache; `compiled` then holds its address. Compiled code keeps the frame
; layout above, with the operand stack's first slots in r7-r11 (MachinePlatform/TemplateJit.cs).
request_jit:
    push r1
    push r2
    push r3
    li r0, 1
    mov r1, r7
    vmcall
    pop r3
    pop r2
    pop r1
    li r0, 0
    shli r9, r7, 2
    ld r10, [r9 + compiled]
call_native:                     ; r10 = the code, the arguments on the operand stack
    push r1
    push r4
    push r6
    callr r10
    pop r6
    pop r4
    pop r1
    st [r2], r7                  ; compiled code returns its result in r7, with r2 at its frame's start
    addi r2, r2, 4
    jmp next

; print for compiled code: the value in r6; uses r1, r2, r4, r6 only.
jit_print:
    cmpi r6, 0
    jge jit_print_digits
    li r1, '-'
    out CONSOLE, r1
    neg r6, r6
jit_print_digits:
    la r2, digits_end
    li r4, 10
jit_print_divide:
    remu r1, r6, r4
    addi r1, r1, '0'
    dec r2
    stb [r2], r1
    divu r6, r6, r4
    cmpi r6, 0
    jne jit_print_divide
    la r4, digits_end
jit_print_out:
    ldb r1, [r2]
    out CONSOLE, r1
    inc r2
    cmp r2, r4
    jne jit_print_out
    li r1, 10
    out CONSOLE, r1
    ret

; An error in compiled code: r7 = the kind, r11 = the code offset, r4 = the function, r9 = the value, r10 = the length.
jit_fail:
    mov r0, r7
    mov r2, r11
    mov r1, r4
    mov r3, r9
    mov r4, r10
    hlt

.align 4
compiled: .space 1020            ; per function: the address of its VW32 code, or 0
invocations: .space 1020         ; per function: calls so far
.endif

max_steps: .word 0               ; written by the host before it starts the VM
digits: .space 12
digits_end:
.align 4
dispatch:
    .word op_invalid, op_push, op_pop, op_dup, op_invalid, op_invalid, op_invalid, op_invalid    ; 0x00
    .word op_invalid, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid    ; 0x08
    .word op_iload, op_istore, op_iload, op_istore, op_invalid, op_invalid, op_invalid, op_invalid    ; 0x10
    .word op_invalid, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid    ; 0x18
    .word op_add, op_sub, op_mul, op_div, op_rem, op_neg, op_invalid, op_invalid    ; 0x20
    .word op_eq, op_ne, op_lt, op_le, op_gt, op_ge, op_invalid, op_invalid    ; 0x28
    .word op_jmp, op_jz, op_jnz, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid    ; 0x30
    .word op_call, op_ret, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid, op_invalid    ; 0x38
    .word op_newarray, op_iaload, op_iastore, op_arraylength, op_invalid, op_invalid, op_invalid, op_invalid    ; 0x40
    .word op_print, op_putchar    ; 0x48
