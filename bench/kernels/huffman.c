/* huffman: a block Huffman coder roundtrip (own code, deflate-like in spirit but not deflate):
 * per 64 KiB block it counts symbol frequencies, builds a Huffman code with the two-queue
 * method, limits code lengths to 15 bits (by flattening the counts and rebuilding), assigns
 * canonical codes, writes the 256 lengths and the MSB-first bit stream; the decoder rebuilds a
 * 32768-entry lookup table per block and decodes. The roundtrip is verified and the output
 * gets a table-driven CRC-32. Measures bit manipulation, table lookups, small sorts.
 * Input: 4 MiB from a skewed PRNG source (a geometric symbol rank over an alphabet permutation
 * that changes every 256 KiB), about 5 bits of entropy per byte.
 * Sized: 4 MiB, 5 rounds. argv[1] overrides the rounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 65536u
#define MAXLEN 15

static uint32_t rng = 0x2545f491u;
static uint32_t rnd(void) {
    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
    return rng;
}

static void gen(uint8_t *out, uint32_t n) {
    uint8_t perm[256];
    for (uint32_t i = 0; i < n; i++) {
        if ((i & 0x3ffff) == 0) { /* new alphabet permutation */
            for (int k = 0; k < 256; k++) perm[k] = (uint8_t)k;
            for (int k = 255; k > 0; k--) {
                int j = (int)(rnd() % (uint32_t)(k + 1));
                uint8_t t = perm[k]; perm[k] = perm[j]; perm[j] = t;
            }
        }
        uint32_t v = rnd();
        uint32_t rank = (uint32_t)__builtin_ctz(v | 0x80000000u) * 8u + (v >> 29);
        out[i] = perm[rank & 255];
    }
}

/* code lengths for 256 symbols from counts; returns the longest */
static int build_lengths(const uint32_t *count_in, uint8_t *len) {
    uint32_t count[256];
    memcpy(count, count_in, sizeof count);
    for (;;) {
        int sym[256], n = 0;
        for (int s = 0; s < 256; s++) { len[s] = 0; if (count[s]) sym[n++] = s; }
        if (n == 0) return 0;
        if (n == 1) { len[sym[0]] = 1; return 1; }
        for (int i = 1; i < n; i++) { /* insertion sort by (count, symbol) */
            int s = sym[i], j = i - 1;
            while (j >= 0 && (count[sym[j]] > count[s] || (count[sym[j]] == count[s] && sym[j] > s))) {
                sym[j + 1] = sym[j];
                j--;
            }
            sym[j + 1] = s;
        }
        uint32_t weight[511];
        int parent[511];
        for (int i = 0; i < n; i++) weight[i] = count[sym[i]];
        int leaf = 0, inner = n, next = n;
        for (int m = 0; m < n - 1; m++) { /* two queues: sorted leaves, inner nodes in order */
            int pick[2];
            for (int t = 0; t < 2; t++) {
                if (leaf < n && (inner >= next || weight[leaf] <= weight[inner])) pick[t] = leaf++;
                else pick[t] = inner++;
            }
            weight[next] = weight[pick[0]] + weight[pick[1]];
            parent[pick[0]] = parent[pick[1]] = next;
            next++;
        }
        int depth[511], root = next - 1, maxlen = 0;
        depth[root] = 0;
        for (int i = root - 1; i >= 0; i--) depth[i] = depth[parent[i]] + 1;
        for (int i = 0; i < n; i++) {
            len[sym[i]] = (uint8_t)depth[i];
            if (depth[i] > maxlen) maxlen = depth[i];
        }
        if (maxlen <= MAXLEN) return maxlen;
        for (int s = 0; s < 256; s++) if (count[s]) count[s] = (count[s] >> 1) | 1;
    }
}

static void canonical(const uint8_t *len, uint16_t *code) {
    uint32_t bl_count[MAXLEN + 1] = {0}, next_code[MAXLEN + 2];
    for (int s = 0; s < 256; s++) bl_count[len[s]]++;
    bl_count[0] = 0;
    uint32_t c = 0;
    for (int b = 1; b <= MAXLEN; b++) { c = (c + bl_count[b - 1]) << 1; next_code[b] = c; }
    for (int s = 0; s < 256; s++) if (len[s]) code[s] = (uint16_t)next_code[len[s]]++;
}

typedef struct { uint8_t *out; uint32_t pos; uint64_t acc; int nbits; } BitWriter;
static inline void put_bits(BitWriter *w, uint32_t v, int n) {
    w->acc = (w->acc << n) | v;
    w->nbits += n;
    while (w->nbits >= 8) { w->nbits -= 8; w->out[w->pos++] = (uint8_t)(w->acc >> w->nbits); }
}

typedef struct { const uint8_t *in; uint32_t pos, size; uint64_t acc; int nbits; } BitReader;
static inline void refill(BitReader *r) {
    while (r->nbits <= 56) {
        r->acc = (r->acc << 8) | (r->pos < r->size ? r->in[r->pos] : 0);
        r->pos++;
        r->nbits += 8;
    }
}
static inline uint32_t get_bits(BitReader *r, int n) {
    refill(r);
    r->nbits -= n;
    return (uint32_t)(r->acc >> r->nbits) & ((1u << n) - 1);
}

static uint32_t encode(const uint8_t *in, uint32_t n, uint8_t *out) {
    BitWriter w = {out, 0, 0, 0};
    for (uint32_t base = 0; base < n; base += BLOCK) {
        uint32_t bn = n - base < BLOCK ? n - base : BLOCK;
        uint32_t count[256] = {0};
        for (uint32_t i = 0; i < bn; i++) count[in[base + i]]++;
        uint8_t len[256];
        uint16_t code[256];
        build_lengths(count, len);
        canonical(len, code);
        for (int s = 0; s < 256; s++) put_bits(&w, len[s], 4);
        for (uint32_t i = 0; i < bn; i++) {
            uint8_t s = in[base + i];
            put_bits(&w, code[s], len[s]);
        }
    }
    if (w.nbits) put_bits(&w, 0, 8 - w.nbits);
    return w.pos;
}

static uint16_t table[1 << MAXLEN];

static void decode(const uint8_t *in, uint32_t size, uint8_t *out, uint32_t n) {
    BitReader r = {in, 0, size, 0, 0};
    for (uint32_t base = 0; base < n; base += BLOCK) {
        uint32_t bn = n - base < BLOCK ? n - base : BLOCK;
        uint8_t len[256];
        uint16_t code[256];
        for (int s = 0; s < 256; s++) len[s] = (uint8_t)get_bits(&r, 4);
        canonical(len, code);
        for (int s = 0; s < 256; s++) {
            if (!len[s]) continue;
            uint32_t first = (uint32_t)code[s] << (MAXLEN - len[s]), cnt = 1u << (MAXLEN - len[s]);
            for (uint32_t k = 0; k < cnt; k++) table[first + k] = (uint16_t)(s | len[s] << 8);
        }
        for (uint32_t i = 0; i < bn; i++) {
            refill(&r);
            uint16_t e = table[(r.acc >> (r.nbits - MAXLEN)) & ((1u << MAXLEN) - 1)];
            r.nbits -= e >> 8;
            out[base + i] = (uint8_t)e;
        }
    }
}

static uint32_t crc_table[256];
static uint32_t crc32(const uint8_t *p, uint32_t n, uint32_t crc) {
    crc = ~crc;
    for (uint32_t i = 0; i < n; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(int argc, char **argv) {
    volatile int rounds = 5;
    if (argc > 1) rounds = atoi(argv[1]);
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    const uint32_t n = 4u << 20;
    uint8_t *in = malloc(n), *comp = malloc(2 * n + 4096), *back = malloc(n);
    if (!in || !comp || !back) return 1;
    uint32_t total = 0, crc = 0;
    for (int r = 0; r < rounds; r++) {
        gen(in, n);
        uint32_t c = encode(in, n, comp);
        decode(comp, c, back, n);
        if (memcmp(in, back, n) != 0) { printf("huffman: ROUNDTRIP FAILED in round %d\n", r); return 1; }
        total += c;
        crc = crc32(back, n, crc);
        crc = crc32(comp, c, crc);
    }
    printf("huffman: %d rounds x %u bytes -> %u bytes (%.4f bits/byte), roundtrip ok, crc32=%08x\n",
           (int)rounds, (unsigned)n, (unsigned)total, 8.0 * total / ((double)n * rounds),
           (unsigned)crc);
    free(in); free(comp); free(back);
    return 0;
}
