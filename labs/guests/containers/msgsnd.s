; msgsnd.s — `msgsnd KEY VALUE`: puts VALUE on the System V style message queue KEY of this process's IPC
; namespace. The same key in another container names another queue.
.org 0x1000
start:
    call nextnum
    cmpi r2, 0
    je usage
    mov r8, r0                       ; the key
    call nextnum
    cmpi r2, 0
    je usage
    mov r9, r0                       ; the value
    li r0, SYS_MSGSND
    mov r1, r8
    mov r2, r9
    int 0x80
    mov r10, r0
    li r1, msg_queue
    call puts
    mov r1, r8
    call putdec
    li r1, msg_value
    call puts
    mov r1, r9
    call putdec
    li r1, msg_returned
    call puts
    mov r1, r10
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
msg_queue:    .asciz "msgsnd: queue "
msg_value:    .asciz ", value "
msg_returned: .asciz ": returned "
msg_usage:    .asciz "msgsnd: usage: msgsnd KEY VALUE\n"
msg_newline:  .asciz "\n"
