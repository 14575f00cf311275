/* Sorts pseudo-random numbers with qsort and a hand-written merge sort on the heap (brk), and checks they agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t state = 12345;
static uint32_t next(void) { state = state * 1103515245u + 12345u; return state >> 8; }

static int compare(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static void merge_sort(int32_t *a, int32_t *scratch, int n)
{
    if (n < 2) return;
    int h = n / 2;
    merge_sort(a, scratch, h);
    merge_sort(a + h, scratch, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n) scratch[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < h) scratch[k++] = a[i++];
    while (j < n) scratch[k++] = a[j++];
    memcpy(a, scratch, (size_t)n * sizeof *a);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    int32_t *a = malloc((size_t)n * 4), *b = malloc((size_t)n * 4), *scratch = malloc((size_t)n * 4);
    if (!a || !b || !scratch) { printf("out of memory\n"); return 3; }
    for (int i = 0; i < n; i++) a[i] = b[i] = (int32_t)(next() % 1000000) - 500000;
    qsort(a, (size_t)n, 4, compare);
    merge_sort(b, scratch, n);
    int same = memcmp(a, b, (size_t)n * 4) == 0;
    long long checksum = 0;
    for (int i = 0; i < n; i++) checksum = checksum * 31 + a[i];
    printf("sorted %d numbers: min %ld, median %ld, max %ld, checksum %lld, sorts agree: %s\n",
           n, (long)a[0], (long)a[n / 2], (long)a[n - 1], checksum, same ? "yes" : "no");
    return same ? 0 : 1;
}
