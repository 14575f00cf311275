; kernelbug.s — calls system call 99, which in this model stands for a bug in the one shared kernel (a driver
; that dereferences a bad pointer, a CVE in a system call): the kernel panics, and every container on it stops.
; The same bug in a virtual machine's guest kernel stops that one machine only.
.org 0x1000
start:
    li r1, msg
    call puts
    li r0, 99
    int 0x80
    li r0, SYS_EXIT
    li r1, 0
    int 0x80

.include "lib.s"
msg:         .asciz "kernelbug: calling the buggy system call\n"
