#include "test.h"
/* RV32I branches (taken and not taken, signed and unsigned), JAL and JALR with their link registers. */
TEST_BEGIN
    TEST_BR_TAKEN(2, beq, 0, 0)
    TEST_BR_TAKEN(3, beq, -1, -1)
    TEST_BR_NOT_TAKEN(4, beq, 0, 1)
    TEST_BR_TAKEN(5, bne, 0, 1)
    TEST_BR_NOT_TAKEN(6, bne, -1, -1)
    TEST_BR_TAKEN(7, blt, -1, 1)
    TEST_BR_TAKEN(8, blt, 0x80000000, 0x7fffffff)
    TEST_BR_NOT_TAKEN(9, blt, 1, -1)
    TEST_BR_NOT_TAKEN(10, blt, 5, 5)
    TEST_BR_TAKEN(11, bge, 5, 5)
    TEST_BR_TAKEN(12, bge, 1, -1)
    TEST_BR_NOT_TAKEN(13, bge, -1, 1)
    TEST_BR_TAKEN(14, bltu, 1, -1)
    TEST_BR_NOT_TAKEN(15, bltu, -1, 1)
    TEST_BR_NOT_TAKEN(16, bltu, 7, 7)
    TEST_BR_TAKEN(17, bgeu, -1, 1)
    TEST_BR_TAKEN(18, bgeu, 7, 7)
    TEST_BR_NOT_TAKEN(19, bgeu, 0, 0x80000000)
    /* A backward branch: a loop that runs 10 times. */
    li gp, 20; li x1, 10; li x14, 0
1:  addi x14, x14, 3; addi x1, x1, -1; bnez x1, 1b
    li x7, 30; bne x14, x7, fail
    /* JAL links the next address. */
    li gp, 21
    jal x1, 2f
3:  j fail
2:  la x7, 3b; bne x1, x7, fail
    /* JAL with x0 does not link. */
    li gp, 22; jal x0, 2f; j fail
2:  bne x0, zero, fail
    /* JALR: to a register plus an offset, with bit 0 cleared, linking even when rd = rs1. */
    li gp, 23
    la x5, 4f
    addi x5, x5, -3
    jalr x6, 3(x5)
5:  j fail
4:  la x7, 5b; bne x6, x7, fail
    li gp, 24
    la x5, 6f
    jalr x5, 0(x5)
7:  j fail
6:  la x7, 7b; bne x5, x7, fail
    /* A call and a return. */
    li gp, 25; li a0, 5; call twice; li x7, 10; bne a0, x7, fail
    j done
twice:
    add a0, a0, a0
    ret
done:
TEST_END
