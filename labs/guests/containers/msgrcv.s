; msgrcv.s — `msgrcv KEY`: takes the next value from the message queue KEY of this process's IPC namespace,
; waiting until one is there. It waits for ever if only another container sends on that key.
.org 0x1000
start:
    call nextnum
    cmpi r2, 0
    je usage
    mov r8, r0                       ; the key
    li r0, SYS_MSGRCV
    mov r1, r8
    int 0x80
    mov r9, r0
    li r1, msg_queue
    call puts
    mov r1, r8
    call putdec
    li r1, msg_gave
    call puts
    mov r1, r9
    call putdec
    li r1, msg_newline
    call puts
    li r0, SYS_EXIT
    li r1, 0
    int 0x80
usage:
    li r1, msg_usage
    call puts
    li r0, SYS_EXIT
    li r1, 2
    int 0x80

.include "lib.s"
msg_queue:   .asciz "msgrcv: queue "
msg_gave:    .asciz " gave "
msg_usage:   .asciz "msgrcv: usage: msgrcv KEY\n"
msg_newline: .asciz "\n"
