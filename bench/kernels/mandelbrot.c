/* mandelbrot: escape-time Mandelbrot set over [-2.0, 0.6] x [-1.3, 1.3], double precision,
 * up to 500 iterations per point. Measures dependent f64 multiply/add chains and a
 * data-dependent loop exit.
 * Sized: 1280 x 960 points. argv[1] overrides the iteration cap. Own code.
 * Checksum: the total iteration count and an FNV-1a hash of the per-point counts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    volatile int maxit_v = 500;
    if (argc > 1) maxit_v = atoi(argv[1]);
    const int maxit = maxit_v, w = 1280, h = 960;
    uint64_t total = 0;
    uint32_t hash = 2166136261u, inside = 0;
    for (int py = 0; py < h; py++) {
        double ci = -1.3 + 2.6 * (double)py / (double)h;
        for (int px = 0; px < w; px++) {
            double cr = -2.0 + 2.6 * (double)px / (double)w;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int it = 0;
            while (it < maxit && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                it++;
            }
            if (it == maxit) inside++;
            total += (uint64_t)it;
            hash = (hash ^ (uint32_t)it) * 16777619u;
        }
    }
    printf("mandelbrot: %dx%d maxit=%d inside=%u iterations=%llu hash=%08x\n", w, h, maxit,
           (unsigned)inside, (unsigned long long)total, (unsigned)hash);
    return 0;
}
