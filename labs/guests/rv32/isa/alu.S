#include "test.h"
/* RV32I register-register and register-immediate arithmetic, LUI and AUIPC. */
TEST_BEGIN
    TEST_RR(2, add, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR(3, add, 0x0000000a, 0x00000003, 0x00000007)
    TEST_RR(4, add, 0x7fff8000, 0x80000000, 0xffff8000)
    TEST_RR(5, add, 0x80000000, 0x7fffffff, 0x00000001)
    TEST_RR(6, add, 0x00000000, 0xffffffff, 0x00000001)
    TEST_RR(7, sub, 0x00000000, 0x00000000, 0x00000000)
    TEST_RR(8, sub, 0xfffffffc, 0x00000003, 0x00000007)
    TEST_RR(9, sub, 0x80000001, 0x00000000, 0x7fffffff)
    TEST_RR(10, sub, 0x7fffffff, 0x80000000, 0x00000001)
    TEST_RR(11, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(12, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(13, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
    TEST_RR(14, sll, 0x80000000, 0x00000001, 31)
    TEST_RR(15, sll, 0x00000002, 0x00000001, 33)
    TEST_RR(16, sll, 0x42424242, 0x21212121, 1)
    TEST_RR(17, srl, 0x00000001, 0x80000000, 31)
    TEST_RR(18, srl, 0x40000000, 0x80000000, 33)
    TEST_RR(19, srl, 0x01ffffff, 0xffffffff, 7)
    TEST_RR(20, sra, 0xffffffff, 0x80000000, 31)
    TEST_RR(21, sra, 0xc0000000, 0x80000000, 33)
    TEST_RR(22, sra, 0x00ffffff, 0x7fffffff, 7)
    TEST_RR(23, slt, 1, 0x80000000, 0x00000000)
    TEST_RR(24, slt, 0, 0x00000000, 0x80000000)
    TEST_RR(25, slt, 0, 0x00000005, 0x00000005)
    TEST_RR(26, sltu, 0, 0x80000000, 0x00000000)
    TEST_RR(27, sltu, 1, 0x00000000, 0x80000000)
    TEST_RR(28, sltu, 1, 0x00000000, 0xffffffff)
    TEST_IMM(29, addi, 0x00000000, 0x00000000, 0)
    TEST_IMM(30, addi, 0xfffff800, 0x00000000, -2048)
    TEST_IMM(31, addi, 0x800007fe, 0x7fffffff, 2047)
    TEST_IMM(32, addi, 0xfffffffe, 0xffffffff, -1)
    TEST_IMM(33, andi, 0x00000700, 0xff00ff00, 0x70f)
    TEST_IMM(34, andi, 0xff00ff00, 0xff00ff00, -1)
    TEST_IMM(35, ori, 0xffffff0f, 0xff00ff00, -241)
    TEST_IMM(36, ori, 0xff00ffff, 0xff00ff00, 0x0ff)
    TEST_IMM(37, xori, 0x00ff000f, 0xff00ff00, -241)
    TEST_IMM(38, xori, 0xff00f80f, 0xff00ff00, 0x70f)
    TEST_IMM(39, slli, 0x80000000, 0x00000001, 31)
    TEST_IMM(40, slli, 0x42424242, 0x21212121, 1)
    TEST_IMM(41, srli, 0x00000001, 0x80000000, 31)
    TEST_IMM(42, srli, 0x00ffffff, 0xffffffff, 8)
    TEST_IMM(43, srai, 0xffffffff, 0x80000000, 31)
    TEST_IMM(44, srai, 0xff000000, 0x80000000, 7)
    TEST_IMM(45, srai, 0x00ffffff, 0x7fffffff, 7)
    TEST_IMM(46, slti, 1, 0xffffffff, 0)
    TEST_IMM(47, slti, 0, 0x00000000, -1)
    TEST_IMM(48, slti, 1, 0x00000000, 2047)
    TEST_IMM(49, sltiu, 1, 0x00000000, -1)
    TEST_IMM(50, sltiu, 0, 0xffffffff, 1)
    TEST_IMM(51, sltiu, 1, 0x00000005, 6)
    TEST_RR_SRC1_EQ_DEST(52, add, 24, 13, 11)
    TEST_RR_ZERODEST(53, add, 13, 11)
    li gp, 54; lui x14, 0x80000; li x7, 0x80000000; bne x14, x7, fail
    li gp, 55; lui x14, 0xfffff; srai x14, x14, 12; li x7, -1; bne x14, x7, fail
    li gp, 56; lui x0, 0x12345; bne x0, zero, fail
    li gp, 57
1:  auipc x14, 0x1
    la x7, 1b
    sub x14, x14, x7
    li x7, 0x1000
    bne x14, x7, fail
    li gp, 58
1:  auipc x14, 0xfffff
    la x7, 1b
    sub x14, x7, x14
    li x7, 0x1000
    bne x14, x7, fail
TEST_END
