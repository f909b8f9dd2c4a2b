/* sieve: sieve of Eratosthenes over a byte array, repeated. Measures tight byte loads/stores
 * with strided access and a linear count pass.
 * Sized: primes up to 8,000,000, 30 rounds (8 MB array). argv[1] overrides the rounds. Own code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 8000000u

static uint32_t sieve(uint8_t *flags, uint32_t limit, uint32_t *sum_out) {
    memset(flags, 1, limit + 1);
    flags[0] = flags[1] = 0;
    for (uint32_t i = 2; i * i <= limit; i++) {
        if (!flags[i]) continue;
        for (uint32_t j = i * i; j <= limit; j += i) flags[j] = 0;
    }
    uint32_t count = 0, sum = 0;
    for (uint32_t i = 2; i <= limit; i++) {
        if (flags[i]) {
            count++;
            sum += i; /* wraps mod 2^32: a checksum, not the true sum */
        }
    }
    *sum_out = sum;
    return count;
}

int main(int argc, char **argv) {
    volatile uint32_t rounds = 30;
    if (argc > 1) rounds = (uint32_t)atoi(argv[1]);
    uint8_t *flags = malloc(LIMIT + 1);
    if (!flags) return 1;
    uint32_t count = 0, sum = 0, acc = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        /* vary the limit a little per round so no round is a copy of the previous one */
        count = sieve(flags, LIMIT - r * 1000u, &sum);
        acc = acc * 31u + count + sum;
    }
    printf("sieve: %u primes <= %u, sum mod 2^32 = %u, acc = %u\n", (unsigned)count,
           (unsigned)(LIMIT - (rounds - 1) * 1000u), (unsigned)sum, (unsigned)acc);
    free(flags);
    return 0;
}
