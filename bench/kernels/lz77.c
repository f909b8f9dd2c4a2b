/* lz77: an LZ77 compressor + decompressor roundtrip in an LZ4-like byte format (own code, not
 * the LZ4 reference): 4-byte hashing into hash chains over a 64 KiB window (chain depth 24),
 * greedy parsing, sequences of (token, literal run, 16-bit offset, match length). Decompresses
 * and compares with the input. Measures byte loads, hashing, unpredictable branches, memcpy-like
 * copies.
 * Input: generated text (a 600-word PRNG vocabulary with a skewed word choice, punctuation,
 * numbers, line breaks) so the ratio is text-like.
 * Sized: 10 rounds over 1.5 MiB each (each round generates new text). argv[1] overrides the rounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINMATCH 4
#define HASH_BITS 15
#define WINDOW 65536
#define MAX_CHAIN 24

static uint32_t rng;
static uint32_t rnd(void) {
    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
    return rng;
}

static uint32_t gen_text(uint8_t *out, uint32_t size) {
    static char words[600][12];
    static uint8_t lens[600];
    for (int w = 0; w < 600; w++) {
        int len = 2 + (int)(rnd() % 9);
        for (int i = 0; i < len; i++) words[w][i] = (char)('a' + rnd() % 26);
        lens[w] = (uint8_t)len;
    }
    uint32_t pos = 0, col = 0;
    while (pos + 16 < size) {
        uint32_t r = rnd();
        if ((r & 63) == 0) { /* a number */
            pos += (uint32_t)sprintf((char *)out + pos, "%u", (unsigned)(rnd() % 100000));
        } else {
            uint32_t w = ((r >> 8) % 600) * ((r >> 20) % 600) / 600; /* skewed to low indices */
            memcpy(out + pos, words[w], lens[w]);
            if ((r & 0xff) == 1) out[pos] = (uint8_t)(out[pos] - 'a' + 'A');
            pos += lens[w];
        }
        uint32_t p = rnd() % 32;
        if (p == 0) out[pos++] = ',';
        else if (p == 1) out[pos++] = '.';
        col += 8;
        if (col > 70) { out[pos++] = '\n'; col = 0; }
        else out[pos++] = ' ';
    }
    return pos;
}

static inline uint32_t read32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint32_t hash4(const uint8_t *p) { return (read32(p) * 2654435761u) >> (32 - HASH_BITS); }

static uint8_t *put_len(uint8_t *op, uint32_t len) { /* the 255-run length extension */
    while (len >= 255) { *op++ = 255; len -= 255; }
    *op++ = (uint8_t)len;
    return op;
}

static uint8_t *emit(uint8_t *op, const uint8_t *lit, uint32_t litlen, uint32_t off, uint32_t mlen) {
    uint32_t ml = mlen ? mlen - MINMATCH : 0;
    uint8_t *token = op++;
    *token = (uint8_t)((litlen < 15 ? litlen : 15) << 4 | (ml < 15 ? ml : 15));
    if (litlen >= 15) op = put_len(op, litlen - 15);
    memcpy(op, lit, litlen);
    op += litlen;
    if (mlen) {
        *op++ = (uint8_t)off;
        *op++ = (uint8_t)(off >> 8);
        if (ml >= 15) op = put_len(op, ml - 15);
    }
    return op;
}

static int32_t head[1 << HASH_BITS];
static int32_t prev_[WINDOW];

static uint32_t compress(const uint8_t *in, uint32_t n, uint8_t *out) {
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
    uint8_t *op = out;
    uint32_t pos = 0, anchor = 0;
    while (pos + MINMATCH <= n) {
        uint32_t h = hash4(in + pos);
        int32_t cand = head[h];
        uint32_t best_len = 0, best_off = 0;
        uint32_t maxlen = n - pos;
        for (int depth = 0; cand >= 0 && depth < MAX_CHAIN; depth++) {
            uint32_t off = pos - (uint32_t)cand;
            if (off >= WINDOW) break;
            if (in[cand + best_len] == in[pos + best_len]) {
                uint32_t len = 0;
                while (len < maxlen && in[cand + len] == in[pos + len]) len++;
                if (len > best_len) { best_len = len; best_off = off; }
            }
            cand = prev_[cand & (WINDOW - 1)];
        }
        prev_[pos & (WINDOW - 1)] = head[h];
        head[h] = (int32_t)pos;
        if (best_len >= MINMATCH) {
            op = emit(op, in + anchor, pos - anchor, best_off, best_len);
            uint32_t end = pos + best_len;
            for (pos++; pos < end; pos++) { /* insert the matched positions too */
                if (pos + MINMATCH <= n) {
                    uint32_t h2 = hash4(in + pos);
                    prev_[pos & (WINDOW - 1)] = head[h2];
                    head[h2] = (int32_t)pos;
                }
            }
            anchor = pos;
        } else {
            pos++;
        }
    }
    op = emit(op, in + anchor, n - anchor, 0, 0);
    return (uint32_t)(op - out);
}

static uint32_t get_len(const uint8_t **ip) {
    uint32_t len = 0, b;
    do { b = *(*ip)++; len += b; } while (b == 255);
    return len;
}

static int32_t decompress(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap) {
    const uint8_t *ip = in, *iend = in + n;
    uint8_t *op = out, *oend = out + cap;
    while (ip < iend) {
        uint32_t token = *ip++;
        uint32_t litlen = token >> 4;
        if (litlen == 15) litlen += get_len(&ip);
        if (litlen > (uint32_t)(oend - op) || litlen > (uint32_t)(iend - ip)) return -1;
        memcpy(op, ip, litlen);
        op += litlen;
        ip += litlen;
        if (ip >= iend) break; /* the last sequence has literals only */
        uint32_t off = (uint32_t)ip[0] | (uint32_t)ip[1] << 8;
        ip += 2;
        uint32_t mlen = token & 15;
        if (mlen == 15) mlen += get_len(&ip);
        mlen += MINMATCH;
        if (off == 0 || off > (uint32_t)(op - out) || mlen > (uint32_t)(oend - op)) return -1;
        const uint8_t *m = op - off;
        for (uint32_t i = 0; i < mlen; i++) op[i] = m[i]; /* may overlap: byte by byte */
        op += mlen;
    }
    return (int32_t)(op - out);
}

int main(int argc, char **argv) {
    volatile int rounds = 10;
    if (argc > 1) rounds = atoi(argv[1]);
    const uint32_t size = 1536u * 1024u;
    uint8_t *in = malloc(size), *comp = malloc(size + size / 16 + 64), *back = malloc(size);
    if (!in || !comp || !back) return 1;
    uint32_t total_in = 0, total_out = 0, hash = 2166136261u;
    rng = 0x9e3779b9u;
    for (int r = 0; r < rounds; r++) {
        uint32_t n = gen_text(in, size);
        uint32_t c = compress(in, n, comp);
        int32_t d = decompress(comp, c, back, size);
        if (d != (int32_t)n || memcmp(in, back, n) != 0) {
            printf("lz77: ROUNDTRIP FAILED in round %d (%d vs %u)\n", r, (int)d, (unsigned)n);
            return 1;
        }
        for (uint32_t i = 0; i < c; i++) hash = (hash ^ comp[i]) * 16777619u;
        total_in += n;
        total_out += c;
    }
    printf("lz77: %d rounds, %u -> %u bytes (%.3f), roundtrip ok, hash=%08x\n", (int)rounds,
           (unsigned)total_in, (unsigned)total_out, (double)total_out / (double)total_in,
           (unsigned)hash);
    free(in); free(comp); free(back);
    return 0;
}
