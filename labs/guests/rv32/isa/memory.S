#include "test.h"
/* RV32I loads and stores: sign and zero extension, offsets either side of the base, sub-word stores. */
TEST_BEGIN
    la x5, data
    li gp, 2; lb x14, 0(x5); li x7, 0xffffffff; bne x14, x7, fail
    li gp, 3; lb x14, 1(x5); li x7, 0x00000000; bne x14, x7, fail
    li gp, 4; lb x14, 2(x5); li x7, 0xfffffff0; bne x14, x7, fail
    li gp, 5; lb x14, 3(x5); li x7, 0x0000000f; bne x14, x7, fail
    li gp, 6; lbu x14, 0(x5); li x7, 0x000000ff; bne x14, x7, fail
    li gp, 7; lbu x14, 2(x5); li x7, 0x000000f0; bne x14, x7, fail
    li gp, 8; lh x14, 0(x5); li x7, 0x000000ff; bne x14, x7, fail
    li gp, 9; lh x14, 2(x5); li x7, 0x00000ff0; bne x14, x7, fail
    li gp, 10; lh x14, 4(x5); li x7, 0xfffff00f; bne x14, x7, fail
    li gp, 11; lhu x14, 4(x5); li x7, 0x0000f00f; bne x14, x7, fail
    li gp, 12; lhu x14, 6(x5); li x7, 0x0000ff00; bne x14, x7, fail
    li gp, 13; lw x14, 0(x5); li x7, 0x0ff000ff; bne x14, x7, fail
    li gp, 14; lw x14, 4(x5); li x7, 0xff00f00f; bne x14, x7, fail
    li gp, 15; addi x6, x5, 8; lw x14, -4(x6); li x7, 0xff00f00f; bne x14, x7, fail
    li gp, 16; lb x14, -1(x6); li x7, 0xffffffff; bne x14, x7, fail
    la x5, scratch
    li gp, 17; li x1, 0xaabbccdd; sw x1, 0(x5); lw x14, 0(x5); bne x14, x1, fail
    li gp, 18; li x1, 0x12345678; sb x1, 1(x5); lw x14, 0(x5); li x7, 0xaabb78dd; bne x14, x7, fail
    li gp, 19; li x1, 0xffff9876; sh x1, 2(x5); lw x14, 0(x5); li x7, 0x987678dd; bne x14, x7, fail
    li gp, 20; lhu x14, 2(x5); li x7, 0x00009876; bne x14, x7, fail
    li gp, 21; li x1, -1; addi x6, x5, 8; sw x1, -4(x6); lw x14, 4(x5); bne x14, x1, fail
    li gp, 22; sb x0, 4(x5); lbu x14, 4(x5); bne x14, zero, fail
    li gp, 23; lw x14, 4(x5); li x7, 0xffffff00; bne x14, x7, fail
    /* A load into x0 still reads (and changes nothing). */
    li gp, 24; lw x0, 0(x5); bne x0, zero, fail
TEST_END
    .data
    .align 4
data:
    .byte 0xff, 0x00, 0xf0, 0x0f, 0x0f, 0xf0, 0x00, 0xff
scratch:
    .word 0, 0, 0, 0
