; service.s — the small service every container of lab 08 runs (and the experiment starts N times): it says
; where it runs (hostname, pid), binds port 80 of its network namespace and reports every value sent to it.
; It never ends by itself: it waits for requests.
.org 0x1000
start:
    li r1, msg_hello
    call puts
    li r0, SYS_GETHOSTNAME
    li r1, name
    li r2, 31
    int 0x80
    li r1, name
    call puts
    li r1, msg_pid
    call puts
    li r0, SYS_GETPID
    int 0x80
    mov r1, r0
    call putdec
    li r1, msg_newline
    call puts
    li r0, SYS_BIND
    li r1, 80
    int 0x80
serve:
    li r0, SYS_RECV
    int 0x80
    mov r8, r0
    li r1, msg_got
    call puts
    mov r1, r8
    call putdec
    li r1, msg_newline
    call puts
    jmp serve

.include "lib.s"
msg_hello:   .asciz "service: ready on "
msg_pid:     .asciz " as pid "
msg_got:     .asciz "service: request "
msg_newline: .asciz "\n"
name:        .space 32
