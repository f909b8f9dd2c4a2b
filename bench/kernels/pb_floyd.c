/* pb_floyd: "floyd-warshall" in the style of PolyBench/C 4.2 (own code after the published
 * kernel description, NOT the PolyBench sources): all-pairs shortest paths over an int32
 * distance matrix with PolyBench's initialisation (weights i*j%7+1, "no edge" = 999 on a
 * pattern of (i+j) residues).
 * Measures int32 add/compare/select over rows (natively auto-vectorized with SSE2).
 * Sized: N = 780 (2.4 MB, 475M relaxations). argv[1] overrides N.
 * Checksum: the sum of the matrix and an FNV-1a hash of it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    volatile int nv = 780;
    if (argc > 1) nv = atoi(argv[1]);
    const int n = nv;
    int32_t *path = malloc(sizeof(int32_t) * n * n);
    if (!path) return 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int32_t v = i * j % 7 + 1;
            if ((i + j) % 13 == 0 || (i + j) % 7 == 0 || (i + j) % 11 == 0) v = 999;
            path[i * n + j] = v;
        }
    for (int k = 0; k < n; k++)
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                int32_t via = path[i * n + k] + path[k * n + j];
                path[i * n + j] = path[i * n + j] < via ? path[i * n + j] : via;
            }
    uint64_t sum = 0;
    uint32_t h = 2166136261u;
    for (int i = 0; i < n * n; i++) {
        sum += (uint32_t)path[i];
        h = (h ^ (uint32_t)path[i]) * 16777619u;
    }
    printf("pb_floyd: n=%d sum=%llu hash=%08x\n", n, (unsigned long long)sum, (unsigned)h);
    free(path);
    return 0;
}
