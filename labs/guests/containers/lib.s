; lib.s — system-call numbers and two print routines for the programs that run as processes on the
; container kernel of lab 08 (src/Containers). The kernel is host code: every `int 0x80` leaves the machine
; core and is served in C#. ABI: number in r0, arguments in r1-r3, result in r0 (a negative errno on failure).
; Routines clobber r0-r7 and keep r8-r13. A program starts with r1 pointing at its arguments, the words after its
; path on the command line (`/bin/kill 3`: "3"), NUL-terminated at the top of its stack; r1 is 0 without any.

.equ SYS_WRITE,       1     ; write(buffer, length) -> length
.equ SYS_YIELD,       2
.equ SYS_GETPID,      3     ; -> pid as this process's pid namespace numbers it
.equ SYS_EXIT,        4     ; exit(code)
.equ SYS_FORK,        5     ; -> child's pid in the parent, 0 in the child, -11 (EAGAIN) at pids.max
.equ SYS_EXEC,        6     ; exec(command line: path and arguments)
.equ SYS_WAIT,        7     ; wait() -> a finished child's pid (its exit code in r1), -10 (ECHILD) if none
.equ SYS_GETPPID,     8
.equ SYS_KILL,        9     ; kill(pid) -> 0, or -3 (ESRCH) if no such pid is visible
.equ SYS_SBRK,        10    ; sbrk(bytes) -> the old end of the heap
.equ SYS_GETHOSTNAME, 11    ; gethostname(buffer, length) -> length
.equ SYS_SETHOSTNAME, 12    ; sethostname(buffer, length)
.equ SYS_MKDIR,       13    ; mkdir(path)
.equ SYS_CHDIR,       14    ; chdir(path)
.equ SYS_CHROOT,      15    ; chroot(path)
.equ SYS_READFILE,    16    ; readfile(path, buffer, length) -> bytes read, -2 (ENOENT)
.equ SYS_WRITEFILE,   17    ; writefile(path, buffer, length) -> length
.equ SYS_GETCWD,      18    ; getcwd(buffer, length) -> length
.equ SYS_LISTPIDS,    19    ; listpids(buffer, max words) -> how many pids this process can see
.equ SYS_BIND,        20    ; bind(port)
.equ SYS_SENDTO,      21    ; sendto(address, port, value)
.equ SYS_RECV,        22    ; recv() -> the next value sent to a port this process bound (blocks)
.equ SYS_MSGSND,      23    ; msgsnd(key, value): System V style queue of this IPC namespace
.equ SYS_MSGRCV,      24    ; msgrcv(key) -> value (blocks)

; puts(r1 = NUL-terminated string)
puts:
    mov r2, r1
puts_len:
    ldb r3, [r2]
    cmpi r3, 0
    je puts_write
    addi r2, r2, 1
    jmp puts_len
puts_write:
    sub r2, r2, r1
    li r0, SYS_WRITE
    int 0x80
    ret

; putdec(r1 = value, printed in decimal; negative values with a minus sign)
putdec:
    li r4, putdec_buffer + 15
    li r5, 0
    stb [r4], r5                     ; the terminating NUL
    li r6, 0                         ; 1 if negative
    cmpi r1, 0
    jge putdec_digits
    li r6, 1
    neg r1, r1
putdec_digits:
    li r7, 10
    remu r3, r1, r7
    divu r1, r1, r7
    addi r3, r3, 48
    subi r4, r4, 1
    stb [r4], r3
    cmpi r1, 0
    jne putdec_digits
    cmpi r6, 0
    je putdec_out
    subi r4, r4, 1
    li r3, 45
    stb [r4], r3
putdec_out:
    mov r1, r4
    jmp puts

; nextnum(r1 = text, or 0) -> r0 = the next decimal number in the text, anything before it skipped; r1 = just
; past it; r2 = 1 if there was one, 0 at the end of the text (or when r1 is 0: a program started without
; arguments). Programs read their arguments with it: the kernel puts them at the top of the stack, r1 at them.
nextnum:
    li r0, 0
    li r2, 0
    cmpi r1, 0
    je nextnum_out
nextnum_skip:
    ldb r3, [r1]
    cmpi r3, 0
    je nextnum_out
    cmpi r3, 48                      ; '0'
    jl nextnum_next
    cmpi r3, 57                      ; '9'
    jle nextnum_digits
nextnum_next:
    addi r1, r1, 1
    jmp nextnum_skip
nextnum_digits:
    ldb r3, [r1]
    cmpi r3, 48
    jl nextnum_out
    cmpi r3, 57
    jg nextnum_out
    muli r0, r0, 10
    subi r3, r3, 48
    add r0, r0, r3
    li r2, 1
    addi r1, r1, 1
    jmp nextnum_digits
nextnum_out:
    ret

putdec_buffer: .space 16
    .align 4
