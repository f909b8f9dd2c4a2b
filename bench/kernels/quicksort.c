/* quicksort: sorts arrays of 32-bit xorshift PRNG values with a hand-written quicksort
 * (median-of-three pivot, Hoare partition, recursion on the smaller side, insertion sort below 16
 * elements), then verifies order. Measures unpredictable branches, compares and swaps.
 * Sized: 6 arrays of 1,000,000 elements (4 MB). argv[1] overrides the number of arrays. Own code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void insertion(uint32_t *a, int32_t lo, int32_t hi) {
    for (int32_t i = lo + 1; i <= hi; i++) {
        uint32_t v = a[i];
        int32_t j = i - 1;
        while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static inline void swap(uint32_t *a, int32_t i, int32_t j) {
    uint32_t t = a[i]; a[i] = a[j]; a[j] = t;
}

static void quicksort(uint32_t *a, int32_t lo, int32_t hi) {
    while (hi - lo >= 16) {
        int32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(a, mid, lo);
        if (a[hi] < a[lo]) swap(a, hi, lo);
        if (a[hi] < a[mid]) swap(a, hi, mid);
        uint32_t pivot = a[mid];
        int32_t i = lo - 1, j = hi + 1;
        for (;;) {
            do i++; while (a[i] < pivot);
            do j--; while (a[j] > pivot);
            if (i >= j) break;
            swap(a, i, j);
        }
        if (j - lo < hi - j) { quicksort(a, lo, j); lo = j + 1; }
        else { quicksort(a, j + 1, hi); hi = j; }
    }
    insertion(a, lo, hi);
}

int main(int argc, char **argv) {
    volatile int arrays = 6;
    if (argc > 1) arrays = atoi(argv[1]);
    const int32_t n = 1000000;
    uint32_t *a = malloc(sizeof(uint32_t) * n);
    if (!a) return 1;
    uint32_t x = 2463534242u, check = 0;
    for (int r = 0; r < arrays; r++) {
        /* every other array has a small value range, so there are many equal keys */
        uint32_t mask = (r & 1) ? 0xffffu : 0xffffffffu;
        for (int32_t i = 0; i < n; i++) {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            a[i] = x & mask;
        }
        quicksort(a, 0, n - 1);
        for (int32_t i = 1; i < n; i++)
            if (a[i - 1] > a[i]) { printf("quicksort: NOT SORTED at %d\n", (int)i); return 1; }
        for (int32_t i = 0; i < n; i += 997) check = check * 31u + a[i];
    }
    printf("quicksort: %d x %d sorted, min=%u max=%u check=%u\n", (int)arrays, (int)n,
           (unsigned)a[0], (unsigned)a[n - 1], (unsigned)check);
    free(a);
    return 0;
}
