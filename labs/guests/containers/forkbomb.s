; forkbomb.s — forks until the kernel says no. Every child yields forever (it keeps its pid); the parent
; counts its children, reports the first failure and the errno, then yields forever too. Inside a container
; with pids.max, the failure is EAGAIN (-11) and nothing outside the container notices.
.org 0x1000
start:
    li r8, 0                         ; children made
again:
    li r0, SYS_FORK
    int 0x80
    cmpi r0, 0
    je child
    jl refused
    addi r8, r8, 1
    jmp again
refused:
    mov r9, r0
    li r1, msg_made
    call puts
    mov r1, r8
    call putdec
    li r1, msg_refused
    call puts
    mov r1, r9
    call putdec
    li r1, msg_newline
    call puts
child:
    li r0, SYS_YIELD
    int 0x80
    jmp child

.include "lib.s"
msg_made:    .asciz "forkbomb: "
msg_refused: .asciz " children, then fork returned "
msg_newline: .asciz "\n"
