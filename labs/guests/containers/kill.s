; kill.s — `kill PID`: kills the process this process's pid namespace calls PID, and says what the kernel
; answered: 0, or -3 (ESRCH) when that number names no process here — another container's processes have no
; number at all in this namespace. Exit code 0 if the call succeeded, 1 if not, 2 without a pid.
.org 0x1000
start:
    call nextnum
    cmpi r2, 0
    je usage
    mov r8, r0                       ; the pid
    li r0, SYS_KILL
    mov r1, r8
    int 0x80
    mov r9, r0                       ; the answer
    li r1, msg_kill
    call puts
    mov r1, r8
    call putdec
    li r1, msg_returned
    call puts
    mov r1, r9
    call putdec
    li r1, msg_newline
    call puts
    li r1, 0
    cmpi r9, 0
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
msg_kill:     .asciz "kill: kill("
msg_returned: .asciz ") returned "
msg_usage:    .asciz "kill: usage: kill PID\n"
msg_newline:  .asciz "\n"
