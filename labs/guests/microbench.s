; microbench.s — the workloads of the overhead experiment (workbench experiment overhead).
;
; Adams and Agesen's microbenchmarks (ASPLOS 2006), one per build, each a loop of `iterations` operations:
;   -D SYSCALL  a system call from ring 3 and back      -D IN       port input
;   -D CR8WR    a write to the task-priority register   -D CALLRET  call and return
;   -D PGFAULT  a page fault the kernel resolves        -D DIVZERO  a divide-by-zero the kernel skips
;   -D PTEMOD   a write to a page-table entry
; and two macro workloads, run in ring 3 with the timer ticking:
;   -D COMPUTE  integer work with almost no system calls
;   -D MIXED    a build-like mix: system calls that map and unmap a page, touching it, some computing
; Add -D PARAVIRT for the paravirtualized build (hypercalls instead of privileged instructions).
; The host writes the iteration count into `iterations` after loading.

.equ PAGE_DIR,       0x100000
.equ PAGE_TABLE,     0x101000
.equ USER_BASE,      0x200000
.equ USER_END,       0x210000
.equ TEST_PAGE,      0x300000        ; the page PGFAULT, PTEMOD and MIXED map and unmap
.equ TEST_PTE,       PAGE_TABLE + (TEST_PAGE >> 12) * 4
.equ KSTACK_TOP,     0x0F0000
.equ USTACK_TOP,     USER_BASE + 0x8000
.equ TICK,           1000000         ; timer period for the macro workloads, in cycles

.include "hypercalls.s"

    .org 0x1000
start:
    li sp, 0x0E0000
    call setup_idt
    call setup_paging
    li r1, KSTACK_TOP
    call set_kernel_stack
    li r7, TEST_PTE
    li r6, TEST_PAGE
    li r1, iterations
    ld r2, [r1]

; ---------------------------------------------------------------- the benchmarks

.ifdef SYSCALL
    li r1, user_syscall
    jmp enter_user
.endif

.ifdef IN
bench_in:
.ifdef PARAVIRT
    li r1, 0x70
    li r0, HC_PORT_IN
    vmcall
.else
    in r1, 0x70
.endif
    subi r2, r2, 1
    jne bench_in
    jmp finish
.endif

.ifdef CR8WR
    li r3, 0
bench_cr8:
.ifdef PARAVIRT
    mov r1, r3
    li r0, HC_SET_PRIORITY
    vmcall
.else
    mov cr8, r3
.endif
    subi r2, r2, 1
    jne bench_cr8
    jmp finish
.endif

.ifdef CALLRET
bench_call:
    call leaf
    subi r2, r2, 1
    jne bench_call
    jmp finish
leaf:
    ret
.endif

.ifdef PGFAULT
bench_pgfault:
    ld r5, [r6]                      ; not present: the handler maps it, the load runs again
    li r1, 0
    call set_test_pte                ; unmap it for the next round
.ifdef PARAVIRT
    mov r1, r6
    li r0, HC_INVLPG
    vmcall
.else
    invlpg r6
.endif
    subi r2, r2, 1
    jne bench_pgfault
    jmp finish
.endif

.ifdef DIVZERO
    li r0, 0
bench_div:
    div r3, r2, r0                   ; the handler skips it
    subi r2, r2, 1
    jne bench_div
    jmp finish
.endif

.ifdef PTEMOD
    li r9, TEST_PAGE | 3
bench_pte:
.ifdef PARAVIRT
    mov r1, r9
    call set_test_pte
.else
    st [r7], r9
.endif
    subi r2, r2, 1
    jne bench_pte
    jmp finish
.endif

.ifdef COMPUTE
    call start_timer
    li r1, user_compute
    jmp enter_user
.endif

.ifdef MIXED
    call start_timer
    li r1, user_mixed
    jmp enter_user
.endif

finish:
.ifdef PARAVIRT
    li r0, HC_SHUTDOWN
    vmcall
.else
    cli
    hlt
.endif

; ---------------------------------------------------------------- kernel services

; Drops to ring 3 at r1 with the user stack, interrupts on.
enter_user:
    li r3, USTACK_TOP
    push r3
    li r3, 0x3200
    push r3
    push r1
    li r3, 0
    push r3
    jmp kernel_return

kernel_return:                       ; pops the four-word frame at sp
.ifdef PARAVIRT
    push r0
    li r0, HC_IRET
    vmcall
.else
    iret
.endif

set_test_pte:                        ; r1 = the new value of TEST_PAGE's entry
.ifdef PARAVIRT
    li r3, pte_batch
    li r4, TEST_PTE
    st [r3], r4
    st [r3 + 4], r1
    mov r1, r3
    mov r3, r2
    li r2, 1
    li r0, HC_MMU_UPDATE
    vmcall
    mov r2, r3
.else
    li r3, TEST_PTE
    st [r3], r1
.endif
    ret

start_timer:
.ifdef PARAVIRT
    li r1, TICK
    li r0, HC_SET_TIMER
    vmcall
.else
    li r1, TICK
    out 0x40, r1
    li r1, 3
    out 0x41, r1
.endif
    ret

set_kernel_stack:                    ; r1 = ksp
.ifdef PARAVIRT
    li r0, HC_STACK_SWITCH
    vmcall
.else
    mov ksp, r1
.endif
    ret

; Handlers. r2 (the loop counter), r6 and r7 belong to the benchmark and are kept.
h_syscall:                           ; r2 = 0 ends the run; r1 = 1 maps TEST_PAGE, r1 = 2 unmaps it
    cmpi r2, 0
    je finish
    cmpi r1, 1
    jne hs_unmap
    push r2
    li r1, TEST_PAGE | 7
    call set_test_pte
    pop r2
    jmp kernel_return
hs_unmap:
    cmpi r1, 2
    jne kernel_return
    push r2
    li r1, 0
    call set_test_pte
    pop r2
.ifdef PARAVIRT
    li r1, TEST_PAGE
    li r0, HC_INVLPG
    vmcall
.else
    li r1, TEST_PAGE
    invlpg r1
.endif
    jmp kernel_return

h_divide:                            ; skip the faulting div
    push r9
    ld r9, [sp + 8]
    addi r9, r9, 4
    st [sp + 8], r9
    pop r9
    jmp kernel_return

h_pgfault:                           ; map TEST_PAGE and let the access run again
    push r1
    push r2
    push r3
    push r4
    li r1, TEST_PAGE | 7
    call set_test_pte
    pop r4
    pop r3
    pop r2
    pop r1
    jmp kernel_return

h_timer:
    push r1
    push r2
    li r1, ticks
    ld r2, [r1]
    addi r2, r2, 1
    st [r1], r2
    pop r2
    pop r1
    jmp kernel_return

; ---------------------------------------------------------------- setup

setup_idt:
    li r1, idt
    li r2, 0
    li r3, h_divide
    li r4, 3
    call gate
    li r2, 14
    li r3, h_pgfault
    call gate
    li r2, 32
    li r3, h_timer
    call gate
    li r2, 0x80
    li r3, h_syscall
    li r4, 15
    call gate
.ifdef PARAVIRT
    li r0, HC_SET_TRAP_TABLE
    vmcall
.else
    lidt r1
.endif
    ret

gate:                                ; r1 = table, r2 = vector, r3 = handler, r4 = attributes
    shli r5, r2, 3
    add r5, r1, r5
    st [r5], r3
    st [r5 + 4], r4
    ret

; Identity map of 0-4 MiB; TEST_PAGE starts unmapped; ring 3 may use the user region and TEST_PAGE.
setup_paging:
.ifdef PARAVIRT
    li r1, PAGE_TABLE
    li r2, 1
    li r0, HC_PIN_TABLE
    vmcall
    li r1, PAGE_DIR
    li r2, 2
    li r0, HC_PIN_TABLE
    vmcall
.endif
    li r8, 0
pg_loop:
    shli r3, r8, 12
    li r4, USER_BASE
    cmp r3, r4
    jb pg_kernel
    li r4, USER_END
    cmp r3, r4
    jae pg_kernel
    ori r4, r3, 7
    jmp pg_special
pg_kernel:
    ori r4, r3, 3
pg_special:
    li r5, PAGE_DIR
    cmp r3, r5
    je pg_table_page
    li r5, PAGE_TABLE
    cmp r3, r5
    jne pg_test
pg_table_page:
.ifdef PARAVIRT
    ori r4, r3, 1                    ; page tables read-only for a paravirtual kernel
.endif
pg_test:
    li r5, TEST_PAGE
    cmp r3, r5
    jne pg_null
    li r4, 0
pg_null:
    cmpi r8, 0
    jne pg_store
    li r4, 0
pg_store:
    shli r5, r8, 2
    li r1, PAGE_TABLE
    add r1, r1, r5
.ifdef PARAVIRT
    li r5, pte_batch
    st [r5], r1
    st [r5 + 4], r4
    mov r1, r5
    li r2, 1
    li r0, HC_MMU_UPDATE
    vmcall
.else
    st [r1], r4
.endif
    addi r8, r8, 1
    cmpi r8, 1024
    jne pg_loop
    li r1, PAGE_DIR
    li r4, PAGE_TABLE | 7
.ifdef PARAVIRT
    li r5, pte_batch
    st [r5], r1
    st [r5 + 4], r4
    mov r1, r5
    li r2, 1
    li r0, HC_MMU_UPDATE
    vmcall
    li r1, PAGE_DIR
    li r0, HC_NEW_BASEPTR
    vmcall
.else
    st [r1], r4
    mov cr3, r1
    li r1, 1
    mov cr0, r1
.endif
    ret

    .align 4096
iterations:  .word 1000
ticks:       .word 0
pte_batch:   .space 8
    .align 8
idt:         .space 2048

; ================================================================ user space

    .org USER_BASE
user_syscall:
    int 0x80
    subi r2, r2, 1
    jne user_syscall
    int 0x80                         ; r2 = 0: done

user_compute:                        ; xorshift, as the core benchmark's integer workload
    li r1, 0x12345678
ucomp_loop:
    shli r4, r1, 13
    xor r1, r1, r4
    shri r4, r1, 17
    xor r1, r1, r4
    shli r4, r1, 5
    xor r1, r1, r4
    subi r2, r2, 1
    jne ucomp_loop
    int 0x80

user_mixed:                          ; per round: map a page, use it, unmap it, compute a little
    li r1, 1
    int 0x80                         ; map TEST_PAGE
    li r5, TEST_PAGE
    st [r5], r2
    ld r8, [r5]
    li r1, 2
    int 0x80                         ; unmap it
    li r9, 40
umix_work:
    shli r4, r8, 3
    xor r8, r8, r4
    subi r9, r9, 1
    jne umix_work
    subi r2, r2, 1
    jne user_mixed
    int 0x80
