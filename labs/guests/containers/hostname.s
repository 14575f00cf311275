; hostname.s — `hostname [NAME]`: with a name, sethostname(NAME), which renames only this process's UTS
; namespace; then prints the hostname as this process sees it.
.org 0x1000
start:
    cmpi r1, 0
    je show
    mov r8, r1                       ; the new name
    mov r2, r1
length:
    ldb r3, [r2]
    cmpi r3, 0
    je set
    addi r2, r2, 1
    jmp length
set:
    sub r2, r2, r8
    li r0, SYS_SETHOSTNAME
    mov r1, r8
    int 0x80
    cmpi r0, 0
    jl refused
show:
    li r0, SYS_GETHOSTNAME
    li r1, name
    li r2, 65
    int 0x80
    li r1, msg_name
    call puts
    li r1, name
    call puts
    li r1, msg_newline
    call puts
    li r0, SYS_EXIT
    li r1, 0
    int 0x80
refused:
    mov r8, r0
    li r1, msg_refused
    call puts
    mov r1, r8
    call putdec
    li r1, msg_newline
    call puts
    li r0, SYS_EXIT
    li r1, 1
    int 0x80

.include "lib.s"
msg_name:    .asciz "hostname: "
msg_refused: .asciz "hostname: sethostname returned "
msg_newline: .asciz "\n"
name:        .space 68
