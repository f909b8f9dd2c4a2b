/* fib: naive doubly-recursive Fibonacci. Measures call/return overhead and a tiny amount of
 * integer arithmetic; stack depth stays at n.
 * Sized: fib(41) (~535M calls in the source; clang -O2 turns one of the two
 * recursive calls into a loop, natively and in wasm alike). Optional argv[1] overrides n. Own code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t fib(uint32_t n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
    volatile uint32_t n = 41; /* volatile: keep the compiler from folding the whole call */
    if (argc > 1) n = (uint32_t)atoi(argv[1]);
    uint32_t r = fib(n);
    printf("fib(%u) = %u\n", (unsigned)n, (unsigned)r);
    return 0;
}
