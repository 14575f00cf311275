; spin.s — burns CPU forever and never makes a system call: only preemption (and cpu.max) stops it.
.org 0x1000
start:
    li r1, 0
loop:
    addi r1, r1, 1
    jmp loop
