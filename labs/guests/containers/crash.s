; crash.s — divides by zero: the kernel kills the process (and, as it is a container's pid 1, the container).
.org 0x1000
start:
    li r1, msg
    call puts
    li r1, 0
    li r2, 7
    div r3, r2, r1
    li r0, SYS_EXIT
    li r1, 0
    int 0x80

.include "lib.s"
msg:         .asciz "crash: dividing by zero\n"
