; cat.s — `cat PATH`: prints the file PATH as this process's root and mount namespace name it (up to 255
; bytes), or what the kernel answered: -2 (ENOENT) when there is no such file here.
.org 0x1000
start:
    cmpi r1, 0
    je usage
    mov r8, r1                       ; the path
    li r0, SYS_READFILE
    mov r1, r8
    li r2, buffer
    li r3, 255
    int 0x80
    cmpi r0, 0
    jl refused
    mov r2, r0
    li r0, SYS_WRITE
    li r1, buffer
    int 0x80
    li r0, SYS_EXIT
    li r1, 0
    int 0x80
refused:
    mov r9, r0
    li r1, msg_cat
    call puts
    mov r1, r8
    call puts
    li r1, msg_returned
    call puts
    mov r1, r9
    call putdec
    li r1, msg_newline
    call puts
    li r0, SYS_EXIT
    li r1, 1
    int 0x80
usage:
    li r1, msg_usage
    call puts
    li r0, SYS_EXIT
    li r1, 2
    int 0x80

.include "lib.s"
msg_cat:      .asciz "cat: "
msg_returned: .asciz ": returned "
msg_usage:    .asciz "cat: usage: cat PATH\n"
msg_newline:  .asciz "\n"
buffer:       .space 256
