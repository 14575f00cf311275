/* The experiment's workload: the same integer loop as the workbench's own guest benchmark, a multiply-xor-shift
 * hash over N iterations (argv[1], default 10000000). The result is printed and is the exit code's low byte. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)atoi(argv[1]) : 10000000u;
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++) {
        h ^= i;
        h *= 16777619u;
        h += h >> 13;
    }
    printf("loop %lu: %08lx\n", (unsigned long)n, (unsigned long)h);
    return (int)(h & 0x7f);
}
