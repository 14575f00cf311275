/* The emulation experiment's algorithm, the same as the workbench's own "integer" benchmark (src/Experiments,
 * CoreWorkloads): xorshift mixing summed over N iterations (argv[1], default 20000000). Prints the sum. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000000;
    uint32_t x = 0x12345678u, sum = 0;
    for (int i = n; i != 0; i--) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        sum += x;
    }
    printf("%lu\n", (unsigned long)sum);
    return 0;
}
