/* pb_2mm: "2mm" in the style of PolyBench/C 4.2 (own code written after the published kernel
 * description, NOT the PolyBench sources, which no package registry here ships):
 *     tmp = alpha * A * B;   D = beta * D + tmp * C
 * with PolyBench's initialisation formulas and its plain i-j-k loop nests (the inner loop is a
 * dot product with a strided column walk, so it does not vectorize without reassociation).
 * Measures f64 multiply-add chains and cache behaviour of a column walk.
 * Sized: NI = NJ = NK = NL = 600 (2 x 216M multiply-adds). argv[1] overrides the size.
 * Checksum: the sum of D (fixed order) and an FNV-1a hash of D's bit patterns. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDX(a, i, j, w) (a)[(size_t)(i) * (size_t)(w) + (size_t)(j)]

static void init_array(int ni, int nj, int nk, int nl, double *alpha, double *beta, double *A,
                       double *B, double *C, double *D) {
    *alpha = 1.5;
    *beta = 1.2;
    for (int i = 0; i < ni; i++)
        for (int j = 0; j < nk; j++) IDX(A, i, j, nk) = (double)((i * j + 1) % ni) / ni;
    for (int i = 0; i < nk; i++)
        for (int j = 0; j < nj; j++) IDX(B, i, j, nj) = (double)(i * (j + 1) % nj) / nj;
    for (int i = 0; i < nj; i++)
        for (int j = 0; j < nl; j++) IDX(C, i, j, nl) = (double)((i * (j + 3) + 1) % nl) / nl;
    for (int i = 0; i < ni; i++)
        for (int j = 0; j < nl; j++) IDX(D, i, j, nl) = (double)(i * (j + 2) % nk) / nk;
}

static void kernel_2mm(int ni, int nj, int nk, int nl, double alpha, double beta, double *tmp,
                       const double *A, const double *B, const double *C, double *D) {
    for (int i = 0; i < ni; i++)
        for (int j = 0; j < nj; j++) {
            IDX(tmp, i, j, nj) = 0.0;
            for (int k = 0; k < nk; k++)
                IDX(tmp, i, j, nj) += alpha * IDX(A, i, k, nk) * IDX(B, k, j, nj);
        }
    for (int i = 0; i < ni; i++)
        for (int j = 0; j < nl; j++) {
            IDX(D, i, j, nl) *= beta;
            for (int k = 0; k < nj; k++) IDX(D, i, j, nl) += IDX(tmp, i, k, nj) * IDX(C, k, j, nl);
        }
}

int main(int argc, char **argv) {
    volatile int nv = 600;
    if (argc > 1) nv = atoi(argv[1]);
    const int n = nv, ni = n, nj = n, nk = n, nl = n;
    double alpha, beta;
    double *tmp = malloc(sizeof(double) * ni * nj), *A = malloc(sizeof(double) * ni * nk),
           *B = malloc(sizeof(double) * nk * nj), *C = malloc(sizeof(double) * nj * nl),
           *D = malloc(sizeof(double) * ni * nl);
    if (!tmp || !A || !B || !C || !D) return 1;
    init_array(ni, nj, nk, nl, &alpha, &beta, A, B, C, D);
    kernel_2mm(ni, nj, nk, nl, alpha, beta, tmp, A, B, C, D);
    double sum = 0;
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < ni * nl; i++) {
        uint64_t bits;
        memcpy(&bits, &D[i], 8);
        sum += D[i];
        for (int b = 0; b < 8; b++) h = (h ^ ((bits >> (8 * b)) & 0xff)) * 1099511628211ull;
    }
    printf("pb_2mm: n=%d sum=%.6f hash=%016llx\n", n, sum, (unsigned long long)h);
    free(tmp); free(A); free(B); free(C); free(D);
    return 0;
}
