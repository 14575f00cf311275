; minikernel.s — the guest kernel every virtualization lab boots.
;
; Boots in ring 0 with paging off, installs its interrupt table and an identity-mapped page table, starts the
; timer, and runs two user tasks in ring 3 with preemptive round-robin switching. System calls (int 0x80):
;   r0 = 1 write(r1 = buffer, r2 = length) -> bytes written, or -1 if the buffer is not the task's
;   r0 = 2 yield()
;   r0 = 3 getpid() -> 1 or 2
;   r0 = 4 exit(r1 = code)
; Every privileged operation sits in a small routine of its own (load_idt, load_page_table, console_putc,
; start_timer, halt_machine) so that a paravirtualized build can replace each body with a hypercall
; under `.ifdef PARAVIRT` without touching the rest.
;
; Add -D SPLIT_CONSOLE (with PARAVIRT) for a console that is a split-driver front-end to Dom0's back-end
; (labs/guests/dom0-console.s). Build with -D PARAVIRT for the paravirtualized kernel (hypercalls instead of privileged instructions, for
; the paravirtual hypervisor of lab 06). Build with -D FAULTY_TASK to make task 2 execute a privileged instruction in ring 3, and with
; -D TRAP_FRIENDLY to avoid the two sensitive-but-unprivileged idioms (getcpl, popf) that defeat a
; trap-and-emulate monitor.
;
; Register conventions: arguments in r1-r3, result in r0; r0-r7 may be clobbered by a call, r8-r13 are kept.

.equ CONSOLE,        0x3F8
.equ TIMER_PERIOD,   0x40
.equ TIMER_CONTROL,  0x41
.equ TIMER_CYCLES,   20000           ; a time slice, in virtual cycles
.equ TIMER_PERIODIC, 3               ; enable | periodic

.equ PAGE_DIR,       0x100000        ; page directory (4 KiB)
.equ PAGE_TABLE,     0x101000        ; one page table: identity map of 0-4 MiB
.equ USER_BASE,      0x200000        ; pages 0x200000-0x20FFFF are the only ones ring 3 may touch
.equ USER_END,       0x210000
.equ BOOT_STACK_TOP, 0x0D0000        ; the stack the kernel boots on; never a task's
.equ KSTACK0_TOP,    0x0F0000        ; one kernel stack per task: the stack ksp points at while it runs
.equ KSTACK1_TOP,    0x0E0000
.equ USTACK0_TOP,    USER_BASE + 0x8000
.equ USTACK1_TOP,    USER_BASE + 0xC000
.equ NTASKS,         2

.equ PTE_KERNEL,     3               ; present | writable
.equ PTE_USER,       7               ; present | writable | user
.equ GATE_KERNEL,    3               ; present | interrupt gate, usable with int only from ring 0
.equ GATE_USER,      15              ; present | interrupt gate | may be called from ring 3
.equ USER_FLAGS,     0x3200          ; IF | ring 3

.include "hypercalls.s"
.equ PTE_READ_ONLY,  1               ; present, not writable: how a paravirtual kernel maps its page tables
.equ RING_SIZE,      256             ; bytes of console data in the shared ring

.equ SYS_WRITE,      1
.equ SYS_YIELD,      2
.equ SYS_GETPID,     3
.equ SYS_EXIT,       4

; The saved context on a task's kernel stack, from sp: r14 ... r1, r0, then the CPU's frame.
.equ FRAME_R0,       56
.equ FRAME_ERROR,    60
.equ FRAME_PC,       64
.equ FRAME_FLAGS,    68
.equ FRAME_SIZE,     76              ; 15 registers + 4 words pushed by the CPU

    .org 0x1000
start:
    li sp, BOOT_STACK_TOP
.ifdef SPLIT_CONSOLE
    li r1, console_ring              ; share the console ring with the back-end in Dom0
    li r0, HC_GRANT
    vmcall
.endif
    li r1, msg_boot
    call kputs
    call current_ring                ; a kernel that checks where it runs (sensitive: getcpl)
    mov r1, r0
    call kputdec
    li r1, msg_newline
    call kputs
    call setup_idt
    call setup_paging
    li r1, msg_paging
    call kputs
    call setup_tasks
    li r1, TIMER_CYCLES
    call start_timer
    call wait_for_tick
    li r1, msg_timer
    call kputs
    li r1, 1
    li r2, scheduler_on
    st [r2], r1
    li r1, msg_start
    call kputs
    li r1, 0                         ; run task 0 first
    jmp switch_to

; ---------------------------------------------------------------- interrupt table

setup_idt:
    push r8
    li r3, GATE_KERNEL
    li r1, 0
    li r2, vector_divide
    call set_gate
    li r1, 6
    li r2, vector_invalid
    call set_gate
    li r1, 8
    li r2, vector_double
    call set_gate
    li r1, 13
    li r2, vector_protection
    call set_gate
    li r1, 14
    li r2, vector_page_fault
    call set_gate
    li r1, 32
    li r2, vector_timer
    call set_gate
    li r3, GATE_USER
    li r1, 0x80
    li r2, vector_syscall
    call set_gate
    li r1, idt
    call load_idt
    pop r8
    ret

; r1 = vector, r2 = handler, r3 = attributes
set_gate:
    li r4, idt
    shli r5, r1, 3
    add r4, r4, r5
    st [r4], r2
    st [r4 + 4], r3
    ret

load_idt:                            ; r1 = table address
.ifdef PARAVIRT
    li r0, HC_SET_TRAP_TABLE
    vmcall
.else
    lidt r1
.endif
    ret

; ---------------------------------------------------------------- paging

; Identity-maps 0-4 MiB. Page 0 stays unmapped so null pointers fault; only the user region is reachable
; from ring 3.
.ifdef PARAVIRT
; The paravirtual kernel may not write its page tables itself: it pins them (empty) with the hypervisor, then
; sends the entries in batches of 64 through one hypercall each, which the hypervisor validates. Its tables
; are mapped read-only, as the hypervisor demands.
.equ BATCH_ENTRIES, 64
setup_paging:
    push r8
    push r9
    push r10
    li r1, PAGE_TABLE
    li r2, 1
    li r0, HC_PIN_TABLE
    vmcall
    li r1, PAGE_DIR
    li r2, 2
    li r0, HC_PIN_TABLE
    vmcall
    li r8, 0                         ; page number
    li r9, 0                         ; entries in the batch
    li r6, USER_BASE
    li r7, USER_END
pvpt_loop:
    shli r3, r8, 12
    cmp r3, r6
    jb pvpt_kernel
    cmp r3, r7
    jae pvpt_kernel
    ori r4, r3, PTE_USER
    jmp pvpt_table
pvpt_kernel:
    ori r4, r3, PTE_KERNEL
pvpt_table:
    li r5, PAGE_DIR
    cmp r3, r5
    je pvpt_readonly
    li r5, PAGE_TABLE
    cmp r3, r5
    jne pvpt_null
pvpt_readonly:
    ori r4, r3, PTE_READ_ONLY
pvpt_null:
    cmpi r8, 0
    jne pvpt_add
    li r4, 0
pvpt_add:
    li r5, mmu_batch                 ; batch[r9] = (address of the entry, new value)
    shli r10, r9, 3
    add r5, r5, r10
    shli r10, r8, 2
    li r1, PAGE_TABLE
    add r10, r10, r1
    st [r5], r10
    st [r5 + 4], r4
    addi r9, r9, 1
    cmpi r9, BATCH_ENTRIES
    jne pvpt_next
    call flush_batch
    li r9, 0
pvpt_next:
    addi r8, r8, 1
    cmpi r8, 1024
    jne pvpt_loop
    li r5, mmu_batch                 ; and the directory entry for the first 4 MiB
    shli r10, r9, 3
    add r5, r5, r10
    li r10, PAGE_DIR
    st [r5], r10
    li r4, PAGE_TABLE | PTE_USER
    st [r5 + 4], r4
    addi r9, r9, 1
    call flush_batch
    li r1, PAGE_DIR
    call load_page_table
    pop r10
    pop r9
    pop r8
    ret

flush_batch:                         ; r9 = entries in mmu_batch
    li r1, mmu_batch
    mov r2, r9
    li r0, HC_MMU_UPDATE
    vmcall
    ret
.else
setup_paging:
    li r1, PAGE_TABLE
    li r2, 0                         ; page number
    li r6, USER_BASE
    li r7, USER_END
pt_loop:
    shli r3, r2, 12                  ; the page's address
    cmp r3, r6
    jb pt_kernel
    cmp r3, r7
    jae pt_kernel
    ori r4, r3, PTE_USER
    jmp pt_store
pt_kernel:
    ori r4, r3, PTE_KERNEL
pt_store:
    cmpi r2, 0
    jne pt_write
    li r4, 0
pt_write:
    shli r5, r2, 2
    add r5, r1, r5
    st [r5], r4
    addi r2, r2, 1
    cmpi r2, 1024
    jne pt_loop

    li r1, PAGE_DIR                  ; an empty directory but for the first 4 MiB
    li r2, 0
    li r4, 0
pd_clear:
    shli r5, r2, 2
    add r5, r1, r5
    st [r5], r4
    addi r2, r2, 1
    cmpi r2, 1024
    jne pd_clear
    li r4, PAGE_TABLE | PTE_USER
    st [r1], r4
    call load_page_table
    ret
.endif

load_page_table:                     ; r1 = page directory; turns paging on
.ifdef PARAVIRT
    li r0, HC_NEW_BASEPTR
    vmcall
.else
    mov cr3, r1
    li r2, 1
    mov cr0, r2
.endif
    ret

; ---------------------------------------------------------------- tasks

; Builds each task's first context on its kernel stack, as if it had been interrupted just before its first
; instruction: the CPU's frame (error 0, pc, user flags, user stack) and fifteen zero registers.
setup_tasks:
    li r8, 0                         ; task index
st_loop:
    shli r9, r8, 2
    li r1, kstack_tops
    add r1, r1, r9
    ld r10, [r1]                     ; r10 = this task's kernel stack top
    li r1, ustack_tops
    add r1, r1, r9
    ld r2, [r1]
    st [r10 - 4], r2                 ; old sp
    li r2, USER_FLAGS
    st [r10 - 8], r2                 ; flags
    li r2, user_main
    st [r10 - 12], r2                ; pc
    li r2, 0
    st [r10 - 16], r2                ; error code
    li r3, 15
    mov r4, r10
    subi r4, r4, 16
st_zero:
    subi r4, r4, 4
    st [r4], r2
    subi r3, r3, 1
    jne st_zero
    li r1, task_sp
    add r1, r1, r9
    st [r1], r4                      ; saved sp = the bottom of that context
    li r1, task_alive
    add r1, r1, r9
    li r2, 1
    st [r1], r2
    addi r8, r8, 1
    cmpi r8, NTASKS
    jne st_loop
    ret

start_timer:                         ; r1 = period in cycles
.ifdef PARAVIRT
    li r0, HC_SET_TIMER
    vmcall
.else
    out TIMER_PERIOD, r1
    li r1, TIMER_PERIODIC
    out TIMER_CONTROL, r1
.endif
    ret

; Turns interrupts on with the flags-restore idiom (pushf; set IF; popf) and waits for the first timer tick,
; then turns them off again. popf is sensitive but not privileged: outside ring 0 it silently keeps IF, so a
; monitor that deprivileges this kernel never learns that it asked for interrupts.
wait_for_tick:
    li r4, ticks
    ld r5, [r4]
.ifdef PARAVIRT
    li r1, 1
    li r0, HC_EVENTS                 ; ask the hypervisor to deliver events (Xen clears a mask bit)
    vmcall
.else
.ifdef TRAP_FRIENDLY
    sti                              ; privileged: a trap-and-emulate monitor sees it
.else
    pushf
    pop r2
    ori r2, r2, 0x200
    push r2
    popf
.endif
.endif
wft_spin:
    ld r3, [r4]
    cmp r3, r5
    je wft_spin
.ifdef PARAVIRT
    li r1, 0
    li r0, HC_EVENTS
    vmcall
.else
    cli
.endif
    ret

current_ring:                        ; r0 = the ring this code runs in
.ifdef PARAVIRT
    li r0, 0                         ; a paravirtual kernel knows it is its domain's kernel: virtual ring 0
.else
.ifdef TRAP_FRIENDLY
    li r0, 0                         ; trusts that it is the kernel instead of asking the hardware
.else
    getcpl r0
.endif
.endif
    ret

; ---------------------------------------------------------------- trap entry and exit

vector_divide:
    push r0
    li r0, 0
    jmp trap_common
vector_invalid:
    push r0
    li r0, 6
    jmp trap_common
vector_double:
    push r0
    li r0, 8
    jmp trap_common
vector_protection:
    push r0
    li r0, 13
    jmp trap_common
vector_page_fault:
    push r0
    li r0, 14
    jmp trap_common
vector_timer:
    push r0
    li r0, 32
    jmp trap_common
vector_syscall:
    push r0
    li r0, 0x80
    jmp trap_common

; Saves r1-r14 under r0 (already pushed); r0 holds the vector.
trap_common:
    push r1
    push r2
    push r3
    push r4
    push r5
    push r6
    push r7
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    cmpi r0, 0x80
    je handle_syscall
    cmpi r0, 32
    je handle_timer
    jmp handle_fault

trap_return:
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop r7
    pop r6
    pop r5
    pop r4
    pop r3
    pop r2
    pop r1
.ifdef PARAVIRT
    li r0, HC_IRET                   ; the hypervisor pops r0 and the frame (Xen's iret hypercall)
    vmcall
.else
    pop r0
    iret
.endif

; ---------------------------------------------------------------- scheduling

handle_timer:
    li r1, ticks
    ld r2, [r1]
    addi r2, r2, 1
    st [r1], r2
    li r1, scheduler_on
    ld r2, [r1]
    cmpi r2, 0
    je trap_return                   ; a tick while booting: counted, nothing to switch
    jmp reschedule

; Saves the current task's context and runs the next live task after it (round-robin).
reschedule:
    call save_current
    ld r1, [r1]                      ; save_current leaves &current in r1
    jmp pick_next

save_current:
    li r1, current
    ld r2, [r1]
    shli r2, r2, 2
    li r3, task_sp
    add r3, r3, r2
    addi r4, sp, 4                   ; the context starts above our own return address
    st [r3], r4
    ret

; r1 = the task to start searching after
pick_next:
    mov r2, r1                       ; where the search started
pn_loop:
    addi r1, r1, 1
    cmpi r1, NTASKS
    jne pn_check
    li r1, 0
pn_check:
    shli r3, r1, 2
    li r4, task_alive
    add r4, r4, r3
    ld r5, [r4]
    cmpi r5, 0
    jne switch_to
    cmp r1, r2
    jne pn_loop
    jmp all_done

; r1 = the task to run: load its saved context and return to it.
switch_to:
    li r2, current
    st [r2], r1
    shli r3, r1, 2
    li r4, kstack_tops
    add r4, r4, r3
    ld r5, [r4]
.ifdef PARAVIRT
    mov r1, r5
    li r0, HC_STACK_SWITCH
    vmcall
.else
    mov ksp, r5                      ; its next trap lands on its own kernel stack
.endif
    li r4, task_sp
    add r4, r4, r3
    ld sp, [r4]
    jmp trap_return

all_done:
    li r1, msg_done
    call kputs
    call halt_machine

halt_machine:
.ifdef PARAVIRT
    li r0, HC_SHUTDOWN
    vmcall
.else
    cli
    hlt
.endif
    jmp halt_machine

; ---------------------------------------------------------------- system calls

; Dispatch through a table, with a fallback for numbers it does not know (as xv6's syscalls[]).
handle_syscall:
    ld r0, [sp + FRAME_R0]           ; the caller's r0: the call number
    cmpi r0, 1
    jl sys_unknown
    cmpi r0, 4
    jg sys_unknown
    shli r0, r0, 2
    li r5, syscall_table - 4
    add r5, r5, r0
    ld r5, [r5]
    ld r1, [sp + 52]                 ; the caller's r1
    ld r2, [sp + 48]                 ; the caller's r2
    callr r5
    st [sp + FRAME_R0], r0           ; the result goes back in the caller's r0
    jmp trap_return
sys_unknown:
    li r0, -1
    st [sp + FRAME_R0], r0
    jmp trap_return

; write(r1 = buffer, r2 = length): only the task's own memory may be named.
sys_write:
    li r3, USER_BASE
    cmp r1, r3
    jb sys_write_bad
    cmpi r2, 4096
    ja sys_write_bad
    add r4, r1, r2
    jb sys_write_bad                 ; the sum wrapped around
    li r3, USER_END
    cmp r4, r3
    ja sys_write_bad
    mov r8, r2
    mov r6, r1
sw_loop:
    cmp r6, r4
    jae sw_done
    ldb r1, [r6]
    push r4
    call console_putc
    pop r4
    addi r6, r6, 1
    jmp sw_loop
sw_done:
    mov r0, r8
    ret
sys_write_bad:
    li r0, -1
    ret

sys_yield:
    addi sp, sp, 4                   ; drop the return address into handle_syscall: we switch instead
    li r0, 0
    st [sp + FRAME_R0], r0
    jmp reschedule

sys_getpid:
    li r1, current
    ld r0, [r1]
    addi r0, r0, 1
    ret

sys_exit:
    mov r9, r1                       ; exit code
    addi sp, sp, 4
    li r1, msg_task
    call kputs
    li r1, current
    ld r1, [r1]
    addi r1, r1, 1
    call kputdec
    li r1, msg_exited
    call kputs
    mov r1, r9
    call kputdec
    li r1, msg_close
    call kputs
    jmp kill_current

kill_current:
    li r1, current
    ld r1, [r1]
    shli r2, r1, 2
    li r3, task_alive
    add r3, r3, r2
    li r4, 0
    st [r3], r4
    jmp pick_next

; ---------------------------------------------------------------- faults

; A fault in a task kills the task; a fault in the kernel stops the machine.
handle_fault:
    mov r9, r0                       ; vector
    ld r10, [sp + FRAME_PC]
    ld r11, [sp + FRAME_FLAGS]
    shri r11, r11, 12
    andi r11, r11, 3                 ; the ring the fault came from
    cmpi r11, 0
    je kernel_panic
    li r1, msg_task
    call kputs
    li r1, current
    ld r1, [r1]
    addi r1, r1, 1
    call kputdec
    li r1, msg_killed
    call kputs
    mov r1, r9
    call kputdec
    li r1, msg_at
    call kputs
    mov r1, r10
    call kputhex
    li r1, msg_newline
    call kputs
    jmp kill_current

kernel_panic:
    li r1, msg_panic
    call kputs
    mov r1, r9
    call kputdec
    li r1, msg_at
    call kputs
    mov r1, r10
    call kputhex
    li r1, msg_newline
    call kputs
    call halt_machine

; ---------------------------------------------------------------- console

console_putc:                        ; r1 = byte
.ifdef SPLIT_CONSOLE
; The front-end driver: put the byte in the shared ring (producer index at +0, consumer at +4, data at +8);
; notify Dom0 at each newline (one event per line, not per byte); when the ring is full, notify and sleep
; until Dom0 has made room.
cp_wait:
    li r2, console_ring
    ld r3, [r2]
    ld r4, [r2 + 4]
    sub r5, r3, r4
    cmpi r5, RING_SIZE
    jb cp_room
    li r0, HC_EVENT_SEND
    vmcall
    li r0, HC_BLOCK
    vmcall
    jmp cp_wait
cp_room:
    andi r5, r3, RING_SIZE - 1
    add r5, r2, r5
    stb [r5 + 8], r1
    addi r3, r3, 1
    st [r2], r3
    cmpi r1, 10
    jne cp_done
    li r0, HC_EVENT_SEND
    vmcall
cp_done:
.else
.ifdef PARAVIRT
    li r0, HC_CONSOLE_WRITE
    vmcall
.else
    out CONSOLE, r1
.endif
.endif
    ret

kputs:                               ; r1 = zero-terminated string
    push r8
    mov r8, r1
kputs_loop:
    ldb r1, [r8]
    cmpi r1, 0
    je kputs_done
    call console_putc
    addi r8, r8, 1
    jmp kputs_loop
kputs_done:
    pop r8
    ret

kputdec:                             ; r1 = unsigned number, printed in decimal
    push r8
    push r9
    mov r8, sp
    li r9, 10
kd_digit:
    remu r2, r1, r9
    divu r1, r1, r9
    addi r2, r2, '0'
    push r2
    cmpi r1, 0
    jne kd_digit
kd_print:
    pop r1
    call console_putc
    cmp sp, r8
    jne kd_print
    pop r9
    pop r8
    ret

kputhex:                             ; r1 = number, printed as 0x and eight hex digits
    push r8
    push r9
    mov r8, r1
    li r1, '0'
    call console_putc
    li r1, 'x'
    call console_putc
    li r9, 28
kh_loop:
    shr r1, r8, r9
    andi r1, r1, 15
    cmpi r1, 10
    jl kh_decimal
    addi r1, r1, 'a' - 10
    jmp kh_put
kh_decimal:
    addi r1, r1, '0'
kh_put:
    call console_putc
    subi r9, r9, 4
    jns kh_loop
    pop r9
    pop r8
    ret

; ---------------------------------------------------------------- kernel data

kernel_code_end:
    .align 4096                      ; data on pages of its own, apart from code (as a kernel's .data)
syscall_table:
    .word sys_write, sys_yield, sys_getpid, sys_exit
current:     .word 0
ticks:       .word 0
scheduler_on: .word 0
.ifdef PARAVIRT
mmu_batch:   .space 8 * 65
.endif
.ifdef SPLIT_CONSOLE
    .align 4096
console_ring: .space 8 + RING_SIZE     ; the page granted to Dom0
.endif
task_sp:     .word 0, 0
task_alive:  .word 0, 0
kstack_tops: .word KSTACK0_TOP, KSTACK1_TOP
ustack_tops: .word USTACK0_TOP, USTACK1_TOP

msg_boot:    .asciz "minikernel: booting in ring "
msg_paging:  .asciz "minikernel: interrupt table and paging on\n"
msg_timer:   .asciz "minikernel: timer running\n"
msg_start:   .asciz "minikernel: starting 2 tasks\n"
msg_done:    .asciz "minikernel: all tasks finished\n"
msg_task:    .asciz "minikernel: task "
msg_exited:  .asciz " exited with code "
msg_killed:  .asciz " killed by exception "
msg_at:      .asciz " at pc "
msg_panic:   .asciz "minikernel: PANIC: exception "
msg_close:   .asciz "\n"
msg_newline: .asciz "\n"

    .align 8
idt:
    .space 256 * 8

; ================================================================ user space (ring 3)

    .org USER_BASE
; Both tasks run this code. Task 1 yields after every line; task 2 computes between lines and is preempted
; by the timer instead.
user_main:
    li r0, SYS_GETPID
    int 0x80
    mov r8, r0                       ; pid
    li r9, 1                         ; step
    li r10, line_buffers
    shli r1, r8, 4
    add r10, r10, r1                 ; this task's line buffer
um_loop:
    li r1, text_line                 ; copy "task ?: step ?\n", then fill in the digits
    mov r2, r10
    li r3, LINE_LENGTH
um_copy:
    ldb r4, [r1]
    stb [r2], r4
    addi r1, r1, 1
    addi r2, r2, 1
    subi r3, r3, 1
    jne um_copy
    addi r1, r8, '0'
    stb [r10 + 5], r1
    addi r1, r9, '0'
    stb [r10 + 13], r1
    mov r1, r10                      ; one write per line, so lines never interleave
    li r2, LINE_LENGTH
    li r0, SYS_WRITE
    int 0x80
    cmpi r8, 1
    jne um_work
    li r0, SYS_YIELD
    int 0x80
    jmp um_next
um_work:
.ifdef FAULTY_TASK
    cli                              ; privileged in ring 3: the kernel must kill this task, not crash
.endif
.ifdef SNOOPING_TASK
    li r1, 0x1000
    ld r1, [r1]                      ; read the kernel's code: a page fault, and the kernel kills the task
.endif
    li r2, 4000                      ; longer than a time slice
um_spin:
    subi r2, r2, 1
    jne um_spin
um_next:
    addi r9, r9, 1
    cmpi r9, 4
    jne um_loop
    li r0, SYS_EXIT
    mov r1, r8
    addi r1, r1, 40                  ; exit codes 41 and 42
    int 0x80

.equ LINE_LENGTH, 15
text_line:    .ascii "task ?: step ?\n"
line_buffers: .space 48

