/* The first program of lab 03: prints its arguments and a sum, and exits with a code of its own. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("hello from RV32IM, %d argument(s)\n", argc - 1);
    for (int i = 1; i < argc; i++) printf("  argv[%d] = %s\n", i, argv[i]);
    int sum = 0;
    for (int i = 1; i <= 100; i++) sum += i;
    printf("1 + 2 + ... + 100 = %d\n", sum);
    return 7;
}
