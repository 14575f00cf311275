/* The sieve of Eratosthenes: counts the primes below a limit (argv[1], default 100000) and prints the last few. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int limit = argc > 1 ? atoi(argv[1]) : 100000;
    if (limit < 2 || limit > 10000000) { printf("limit must be 2..10000000\n"); return 2; }
    char *composite = calloc((size_t)limit, 1);
    if (!composite) { printf("out of memory\n"); return 3; }
    int count = 0, last[5] = {0};
    for (int i = 2; i < limit; i++) {
        if (composite[i]) continue;
        count++;
        last[count % 5] = i;
        for (long long j = (long long)i * i; j < limit; j += i) composite[j] = 1;
    }
    printf("%d primes below %d; the last: %d %d %d %d %d\n", count, limit,
           last[(count + 1) % 5], last[(count + 2) % 5], last[(count + 3) % 5], last[(count + 4) % 5], last[count % 5]);
    free(composite);
    return 0;
}
