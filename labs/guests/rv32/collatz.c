/* Lab 03's first program: the Collatz sequence from n (argv[1], default 27) until it reaches 1. Prints the
 * number of steps and the highest value reached; the exit code is the number of steps modulo 256. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 27;
    if (n == 0) { printf("n must be at least 1\n"); return 255; }
    unsigned long steps = 0, highest = n;
    while (n != 1) {
        n = n % 2 ? 3 * n + 1 : n / 2;
        if (n > highest) highest = n;
        steps++;
    }
    printf("%lu steps, highest %lu\n", steps, highest);
    return (int)(steps % 256);
}
