#include "test.h"
/* Machine mode (system mode only): CSR instructions, ecall/ebreak/illegal-instruction/access-fault traps with
 * mepc, mcause and mtval, mret, FENCE, and the machine timer's interrupt. The handler checks the cause the test
 * expects (in s0) and returns past the instruction. */
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME    0x0200bff8
TEST_BEGIN
    la t0, handler
    csrw mtvec, t0
    li gp, 2; csrr x14, misa; li x7, 0x40001100; bne x14, x7, fail
    li gp, 3; li x1, 0x1234; csrw mscratch, x1; csrr x14, mscratch; bne x14, x1, fail
    li gp, 4; li x1, 0xf0; csrrs x14, mscratch, x1; li x7, 0x1234; bne x14, x7, fail
    li gp, 5; csrr x14, mscratch; li x7, 0x12f4; bne x14, x7, fail
    li gp, 6; li x1, 0x1004; csrrc x14, mscratch, x1; csrr x14, mscratch; li x7, 0x02f0; bne x14, x7, fail
    li gp, 7; csrrwi x14, mscratch, 21; li x7, 0x02f0; bne x14, x7, fail
    li gp, 8; csrrsi x14, mscratch, 10; csrr x14, mscratch; li x7, 31; bne x14, x7, fail
    li gp, 9; csrrci x14, mscratch, 3; csrr x14, mscratch; li x7, 28; bne x14, x7, fail
    li gp, 10; csrr x14, mhartid; bnez x14, fail
    /* ecall from machine mode: cause 11, mepc at the ecall. */
    li gp, 11; li s0, 11; la s1, 1f
1:  ecall
    bne s2, s1, fail
    /* ebreak: cause 3. */
    li gp, 12; li s0, 3; la s1, 1f
1:  ebreak
    bne s2, s1, fail
    /* An illegal instruction: cause 2, mtval the word. */
    li gp, 13; li s0, 2; la s1, 1f
1:  .word 0xffffffff
    bne s2, s1, fail
    li x7, 0xffffffff; bne s3, x7, fail
    /* A load from nowhere: cause 5, mtval the address. */
    li gp, 14; li s0, 5; la s1, 1f; li t3, 0x40000000
1:  lw x14, 8(t3)
    bne s2, s1, fail
    li x7, 0x40000008; bne s3, x7, fail
    /* A store to nowhere: cause 7. */
    li gp, 15; li s0, 7; la s1, 1f
1:  sw x14, 0(t3)
    bne s2, s1, fail
    /* A CSR that does not exist is illegal. */
    li gp, 16; li s0, 2; la s1, 1f
1:  csrr x14, 0x7c0
    bne s2, s1, fail
    li gp, 17; fence; fence.i
    /* The machine timer: mtimecmp 200 instructions ahead, interrupts on, wait for the handler's flag. */
    li gp, 18; li s0, 0x80000007; li s4, 0
    li t0, CLINT_MTIME; lw t1, 0(t0); addi t1, t1, 200
    li t0, CLINT_MTIMECMP; sw t1, 0(t0); sw zero, 4(t0)
    li t0, 0x80; csrw mie, t0
    csrsi mstatus, 8
    li t2, 100000
1:  bnez s4, 2f
    addi t2, t2, -1
    bnez t2, 1b
    j fail
2:  csrr t0, mstatus; andi t0, t0, 8; beqz t0, fail      /* mret restored MIE */
    csrci mstatus, 8
TEST_END

    .text
    .align 2
/* Checks mcause against s0; for exceptions s2 = mepc, s3 = mtval, and returns past the instruction; the timer
 * interrupt pushes mtimecmp far away, sets s4, and returns to where it interrupted. */
handler:
    csrr t0, mcause
    bne t0, s0, wrong
    bltz t0, timer
    csrr s2, mepc
    csrr s3, mtval
    addi t0, s2, 4
    csrw mepc, t0
    mret
timer:
    li t0, CLINT_MTIMECMP; li t1, -1; sw t1, 0(t0); sw t1, 4(t0)
    li s4, 1
    mret
wrong:
    li gp, 99
    j fail
