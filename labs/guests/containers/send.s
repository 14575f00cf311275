; send.s — `send A.B.C.D PORT VALUE`: sends VALUE to ADDRESS:PORT through this process's network namespace
; and prints the answer: 0, -113 (EHOSTUNREACH) when the address is not reachable from this namespace (no
; bridge, or not on it), -111 (ECONNREFUSED) when nothing listens there.
.org 0x1000
start:
    li r9, 0                         ; the address, built byte by byte
    li r10, 4
octet:
    call nextnum
    cmpi r2, 0
    je usage
    shli r9, r9, 8
    or r9, r9, r0
    subi r10, r10, 1
    cmpi r10, 0
    jne octet
    call nextnum
    cmpi r2, 0
    je usage
    mov r10, r0                      ; the port
    call nextnum
    cmpi r2, 0
    je usage
    mov r11, r0                      ; the value
    li r0, SYS_SENDTO
    mov r1, r9
    mov r2, r10
    mov r3, r11
    int 0x80
    mov r12, r0
    li r1, msg_send
    call puts
    mov r1, r11
    call putdec
    li r1, msg_port
    call puts
    mov r1, r10
    call putdec
    li r1, msg_returned
    call puts
    mov r1, r12
    call putdec
    li r1, msg_newline
    call puts
    li r1, 0
    cmpi r12, 0
    je done
    li r1, 1
done:
    li r0, SYS_EXIT
    int 0x80
usage:
    li r1, msg_usage
    call puts
    li r0, SYS_EXIT
    li r1, 2
    int 0x80

.include "lib.s"
msg_send:     .asciz "send: "
msg_port:     .asciz " to port "
msg_returned: .asciz ": returned "
msg_usage:    .asciz "send: usage: send A.B.C.D PORT VALUE\n"
msg_newline:  .asciz "\n"
