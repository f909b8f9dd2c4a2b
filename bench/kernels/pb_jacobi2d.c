/* pb_jacobi2d: "jacobi-2d" in the style of PolyBench/C 4.2 (own code after the published kernel
 * description, NOT the PolyBench sources): a 5-point Jacobi stencil alternating between A and B
 * for TSTEPS time steps, with PolyBench's initialisation formulas.
 * Measures streaming f64 loads/adds/multiplies over two arrays (natively auto-vectorized with
 * SSE2; the wasm build is scalar).
 * Sized: N = 1000 (2 x 8 MB), TSTEPS = 260. argv[1] overrides TSTEPS.
 * Checksum: the sum of A (fixed order) and an FNV-1a hash of A's bit patterns. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 1000
static double A[N][N], B[N][N];

static void init_array(int n) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            A[i][j] = ((double)i * (j + 2) + 2) / n;
            B[i][j] = ((double)i * (j + 3) + 3) / n;
        }
}

static void kernel_jacobi_2d(int tsteps, int n) {
    for (int t = 0; t < tsteps; t++) {
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++)
                B[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][1 + j] + A[1 + i][j] + A[i - 1][j]);
        for (int i = 1; i < n - 1; i++)
            for (int j = 1; j < n - 1; j++)
                A[i][j] = 0.2 * (B[i][j] + B[i][j - 1] + B[i][1 + j] + B[1 + i][j] + B[i - 1][j]);
    }
}

int main(int argc, char **argv) {
    volatile int tsteps = 260;
    if (argc > 1) tsteps = atoi(argv[1]);
    init_array(N);
    kernel_jacobi_2d(tsteps, N);
    double sum = 0;
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            uint64_t bits;
            memcpy(&bits, &A[i][j], 8);
            sum += A[i][j];
            for (int b = 0; b < 8; b++) h = (h ^ ((bits >> (8 * b)) & 0xff)) * 1099511628211ull;
        }
    printf("pb_jacobi2d: n=%d tsteps=%d sum=%.6f hash=%016llx\n", N, (int)tsteps, sum,
           (unsigned long long)h);
    return 0;
}
