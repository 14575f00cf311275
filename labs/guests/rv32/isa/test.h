/* The ISA test convention of riscv-tests, written for this project: every case loads its operands, runs one
 * instruction and compares the result; gp holds the number of the case. In system mode the verdict goes to
 * tohost (1: pass, (n << 1) | 1: case n failed); built with -DUSER_MODE it is the exit code (0 or n), so the
 * same file runs under qemu-riscv32, which checks the expected values themselves. */
#ifdef USER_MODE
#define TEST_BEGIN .text; .globl _start; _start:
#define TEST_PASS li a0, 0; li a7, 93; ecall
#define TEST_FAIL mv a0, gp; li a7, 93; ecall
#else
#define TEST_BEGIN .section .text.start; .globl _start; _start: la t0, trap_stop; csrw mtvec, t0; j tests; \
    trap_stop: csrr t0, mcause; addi gp, t0, 1000; j fail; tests:
#define TEST_PASS li t0, 1; la t1, tohost; sw t0, 0(t1); 1: j 1b
#define TEST_FAIL slli t0, gp, 1; ori t0, t0, 1; la t1, tohost; sw t0, 0(t1); 1: j 1b
#endif

#define TEST_END \
    li gp, 0; \
pass: TEST_PASS; \
fail: TEST_FAIL; \
    .data; .align 4; \
    TEST_DATA_TOHOST

#ifdef USER_MODE
#define TEST_DATA_TOHOST
#else
#define TEST_DATA_TOHOST .section .tohost, "aw"; .align 6; .globl tohost; tohost: .word 0; .word 0; .globl fromhost; fromhost: .word 0; .word 0
#endif

#define TEST_RR(n, inst, expect, a, b) \
    li gp, n; li x1, a; li x2, b; inst x14, x1, x2; li x7, expect; bne x14, x7, fail

#define TEST_IMM(n, inst, expect, a, imm) \
    li gp, n; li x1, a; inst x14, x1, imm; li x7, expect; bne x14, x7, fail

/* Same register as source and destination, and x0 as a destination: x0 stays zero. */
#define TEST_RR_SRC1_EQ_DEST(n, inst, expect, a, b) \
    li gp, n; li x1, a; li x2, b; inst x1, x1, x2; li x7, expect; bne x1, x7, fail
#define TEST_RR_ZERODEST(n, inst, a, b) \
    li gp, n; li x1, a; li x2, b; inst x0, x1, x2; bne x0, zero, fail

#define TEST_BR_TAKEN(n, inst, a, b) \
    li gp, n; li x1, a; li x2, b; inst x1, x2, 2f; j fail; 2:
#define TEST_BR_NOT_TAKEN(n, inst, a, b) \
    li gp, n; li x1, a; li x2, b; inst x1, x2, fail
