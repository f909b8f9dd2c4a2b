/* matmul: dense double-precision C = A * B, i-k-j loop order (row-major, unit stride inner loop).
 * Measures f64 multiply-add throughput and sequential loads/stores. Natively clang auto-vectorizes
 * the inner loop with SSE2; the wasm build is scalar (no -msimd128), which is part of what the
 * ratio shows.
 * Sized: N = 1100 (3 x 9.7 MB matrices, 1.33G multiply-adds). argv[1] overrides N. Own code.
 * Checksum: the sum of C (fixed order) and an FNV-1a hash of C's bit patterns. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv_double(uint64_t h, double d) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; i++) {
        h ^= (bits >> (8 * i)) & 0xff;
        h *= 1099511628211ull;
    }
    return h;
}

int main(int argc, char **argv) {
    volatile int nv = 1100;
    if (argc > 1) nv = atoi(argv[1]);
    const int n = nv;
    double *a = malloc(sizeof(double) * n * n);
    double *b = malloc(sizeof(double) * n * n);
    double *c = malloc(sizeof(double) * n * n);
    if (!a || !b || !c) return 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * j + 1) % n) / n;
            b[i * n + j] = (double)((i * (j + 1) + 2) % n) / n - 0.5;
            c[i * n + j] = 0.0;
        }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            const double aik = a[i * n + k];
            const double *brow = &b[k * n];
            double *crow = &c[i * n];
            for (int j = 0; j < n; j++) crow[j] += aik * brow[j];
        }
    double sum = 0;
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < n * n; i++) {
        sum += c[i];
        h = fnv_double(h, c[i]);
    }
    printf("matmul: n=%d sum=%.6f hash=%016llx\n", n, sum, (unsigned long long)h);
    free(a);
    free(b);
    free(c);
    return 0;
}
