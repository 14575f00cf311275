# Entry point of a static RV32 Linux program: the kernel (or qemu-riscv32, or the workbench's user mode) has put
# argc, argv[], NULL, envp[], NULL and the auxiliary vector on the stack, with sp pointing at argc.
    .section .text.start
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    lw a0, 0(sp)            # argc
    addi a1, sp, 4          # argv
    slli t0, a0, 2
    add a2, a1, t0
    addi a2, a2, 4          # envp: after argv's NULL
    andi sp, sp, -16
    call __linux_start      # sets up TLS from the auxiliary vector, calls main, exits with its result
1:  j 1b
