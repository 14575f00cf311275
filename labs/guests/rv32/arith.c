/* Prints products, quotients and remainders of edge-case operands (signed and unsigned, 32 and 64 bits):
 * every RV32M instruction and libgcc's 64-bit division run, and qemu-riscv32 must print the same. */
#include <stdio.h>
#include <stdint.h>

static const int32_t values[] = { 0, 1, -1, 2, -2, 7, -7, 0x7fffffff, (int32_t)0x80000000, 12345, -99999, 65536 };
#define N (int)(sizeof values / sizeof values[0])

int main(void)
{
    uint32_t hash = 0;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            int32_t a = values[i], b = values[j];
            int64_t wide = (int64_t)a * b;
            uint64_t uwide = (uint64_t)(uint32_t)a * (uint32_t)b;
            int32_t q = b == 0 ? 0 : (a == (int32_t)0x80000000 && b == -1) ? a : a / b;
            int32_t r = b == 0 ? 0 : (a == (int32_t)0x80000000 && b == -1) ? 0 : a % b;
            uint32_t uq = b == 0 ? 0 : (uint32_t)a / (uint32_t)b;
            int64_t q64 = b == 0 ? 0 : (wide + 3) / b;
            hash = hash * 31 + (uint32_t)wide + (uint32_t)(wide >> 32) + (uint32_t)(uwide >> 32) + (uint32_t)q + (uint32_t)r + uq + (uint32_t)q64;
            if (j == i) printf("%ld * %ld = %lld, / = %ld, %% = %ld, u/ = %lu\n", (long)a, (long)b, (long long)wide, (long)q, (long)r, (unsigned long)uq);
        }
    }
    printf("hash %08lx\n", (unsigned long)hash);
    return 0;
}
