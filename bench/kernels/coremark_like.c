/* coremark_like: a mixed integer workload in the spirit of EEMBC CoreMark. THIS IS NOT THE
 * OFFICIAL EEMBC COREMARK and its numbers are not CoreMark scores: no CoreMark sources were
 * available from a package registry here, so this is own code written after CoreMark's published
 * description. Per iteration, on a small (L1-resident) working set:
 *   - list:   a 256-node singly linked list in a fixed arena: find by value, reverse, merge sort
 *             by a derived key, merge sort back by index, CRC of the visited values;
 *   - matrix: 24x24 int16 matrices: add a constant, multiply by a constant into int32, matrix x
 *             vector, matrix x matrix, matrix x matrix with bit-field extraction, CRC of sums;
 *   - state:  a DFA scanning a 480-byte buffer of comma-separated numbers (int / float /
 *             scientific / invalid), counting final states and transitions, then corrupting and
 *             restoring some bytes;
 *   - crc16:  a bitwise CRC-16 (poly 0xA001, reflected) chained over all results.
 * Measures the branchy, pointer-chasing, small-integer mix of embedded control code.
 * Sized: 7,000 iterations. argv[1] overrides the iterations. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint16_t crc_u8(uint8_t data, uint16_t crc) {
    for (int i = 0; i < 8; i++) {
        uint8_t x16 = (uint8_t)((data & 1) ^ (crc & 1));
        data >>= 1;
        if (x16) crc = (uint16_t)(((crc ^ 0x4002) >> 1) | 0x8000);
        else crc = (uint16_t)(crc >> 1);
    }
    return crc;
}
static uint16_t crc_u16(uint16_t v, uint16_t crc) { return crc_u8((uint8_t)(v >> 8), crc_u8((uint8_t)v, crc)); }
static uint16_t crc_u32(uint32_t v, uint16_t crc) { return crc_u16((uint16_t)(v >> 16), crc_u16((uint16_t)v, crc)); }

/* ---------------- list ---------------- */
typedef struct Item { struct Item *next; int16_t value; int16_t idx; } Item;
#define LIST_N 256
static Item arena[LIST_N];

static Item *list_init(uint16_t seed) {
    Item *head = NULL;
    for (int i = LIST_N - 1; i >= 0; i--) {
        uint16_t v = (uint16_t)(seed ^ (uint16_t)(i * 0x9e37u));
        v = (uint16_t)((v & 0x7f00) | ((v >> 3) & 0x00ff)); /* keep it non-negative */
        arena[i].value = (int16_t)v;
        arena[i].idx = (int16_t)i;
        arena[i].next = head;
        head = &arena[i];
    }
    return head;
}
static Item *list_reverse(Item *l) {
    Item *prev = NULL;
    while (l) { Item *n = l->next; l->next = prev; prev = l; l = n; }
    return prev;
}
static Item *list_find(Item *l, int16_t value, int16_t idx) {
    for (; l; l = l->next)
        if ((idx >= 0 && l->idx == idx) || (idx < 0 && (l->value & 0xff) == value)) return l;
    return NULL;
}
typedef int (*cmp_fn)(const Item *, const Item *, uint16_t);
static int cmp_idx(const Item *a, const Item *b, uint16_t salt) { (void)salt; return a->idx - b->idx; }
static int cmp_derived(const Item *a, const Item *b, uint16_t salt) {
    /* key computed on the fly: a small "calc" in the comparison, like CoreMark's */
    int ka = ((a->value ^ salt) & 0x3ff) * 3 + (a->value >> 10);
    int kb = ((b->value ^ salt) & 0x3ff) * 3 + (b->value >> 10);
    return ka != kb ? ka - kb : a->idx - b->idx;
}
static Item *list_mergesort(Item *list, cmp_fn cmp, uint16_t salt) { /* bottom-up, in place */
    int insize = 1;
    for (;;) {
        Item *p = list, *tail = NULL;
        list = NULL;
        int merges = 0;
        while (p) {
            merges++;
            Item *q = p;
            int psize = 0;
            for (int i = 0; i < insize && q; i++) { psize++; q = q->next; }
            int qsize = insize;
            while (psize > 0 || (qsize > 0 && q)) {
                Item *e;
                if (psize == 0) { e = q; q = q->next; qsize--; }
                else if (qsize == 0 || !q) { e = p; p = p->next; psize--; }
                else if (cmp(p, q, salt) <= 0) { e = p; p = p->next; psize--; }
                else { e = q; q = q->next; qsize--; }
                if (tail) tail->next = e; else list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (merges <= 1) return list;
        insize *= 2;
    }
}
static uint16_t bench_list(uint16_t seed, uint16_t crc) {
    Item *l = list_init(seed);
    int found = 0, missed = 0;
    for (int i = 0; i < 32; i++) {
        Item *f = list_find(l, (int16_t)((seed + i * 37) & 0xff), (int16_t)(i & 1 ? -1 : i * 7));
        if (f) { found++; crc = crc_u16((uint16_t)f->value, crc); } else missed++;
        l = list_reverse(l);
    }
    l = list_mergesort(l, cmp_derived, seed);
    for (Item *it = l; it; it = it->next) crc = crc_u16((uint16_t)it->value, crc);
    l = list_mergesort(l, cmp_idx, 0);
    int16_t expect = 0;
    for (Item *it = l; it; it = it->next, expect++)
        if (it->idx != expect) { printf("coremark_like: list order broken\n"); exit(1); }
    return crc_u16((uint16_t)(found * 256 + missed), crc);
}

/* ---------------- matrix ---------------- */
#define MN 24
static int16_t ma[MN][MN], mb[MN][MN];
static int32_t mc[MN][MN];

static int16_t matrix_sum(uint16_t clip) { /* CoreMark-like "sum with clipping" digest */
    int32_t tmp = 0, prev = 0;
    int16_t ret = 0;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int32_t cur = mc[i][j];
            tmp += cur;
            if (tmp > clip) { ret = (int16_t)(ret + 10); tmp = 0; }
            else ret = (int16_t)(ret + (cur > prev ? 1 : 0));
            prev = cur;
        }
    return ret;
}
static uint16_t bench_matrix(uint16_t seed, uint16_t crc) {
    uint32_t s = seed | 1u;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            s = s * 1103515245u + 12345u;
            ma[i][j] = (int16_t)((s >> 16) & 0xff);
            mb[i][j] = (int16_t)(((s >> 8) & 0xff) - 128);
        }
    int16_t val = (int16_t)(seed & 0x3f);
    for (int i = 0; i < MN; i++) for (int j = 0; j < MN; j++) ma[i][j] = (int16_t)(ma[i][j] + val);
    for (int i = 0; i < MN; i++) for (int j = 0; j < MN; j++) mc[i][j] = (int32_t)ma[i][j] * val;
    crc = crc_u16((uint16_t)matrix_sum((uint16_t)(val * 100)), crc);
    for (int i = 0; i < MN; i++) { /* matrix x vector (first column of B) */
        int32_t acc = 0;
        for (int j = 0; j < MN; j++) acc += (int32_t)ma[i][j] * mb[j][0];
        mc[i][0] = acc;
        for (int j = 1; j < MN; j++) mc[i][j] = 0;
    }
    crc = crc_u16((uint16_t)matrix_sum((uint16_t)(val * 1000)), crc);
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int32_t acc = 0;
            for (int k = 0; k < MN; k++) acc += (int32_t)ma[i][k] * mb[k][j];
            mc[i][j] = acc;
        }
    crc = crc_u16((uint16_t)matrix_sum((uint16_t)(val * 3000)), crc);
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int32_t acc = 0;
            for (int k = 0; k < MN; k++) {
                int32_t t = (int32_t)ma[i][k] * mb[k][j];
                acc += ((t >> 2) & 0xf) * ((t >> 5) & 0x7f);
            }
            mc[i][j] = acc;
        }
    crc = crc_u16((uint16_t)matrix_sum((uint16_t)(val * 5000)), crc);
    return crc;
}

/* ---------------- state machine ---------------- */
enum { S_START, S_INVALID, S_S1, S_INT, S_FLOAT, S_S2, S_EXP, S_SCI, NSTATES };
#define SBUF 480
static char sbuf[SBUF + 1];

static void state_init(uint16_t seed) {
    static const char *ints[] = {"5012", "1234", "-874", "+122"};
    static const char *floats[] = {"35.54400", ".1234500", "-110.700", "+0.64400"};
    static const char *scis[] = {"5.500e+3", "-.123e-2", "-87e+832", "+0.6e-12"};
    static const char *bad[] = {"T0.3e-1F", "-T.T++Tq", "1T3.4e4z", "34.0e-T^"};
    int pos = 0;
    uint32_t s = seed;
    while (pos + 10 < SBUF) {
        s = s * 1664525u + 1013904223u;
        const char *t;
        switch ((s >> 20) & 3) {
        case 0: t = ints[(s >> 24) & 3]; break;
        case 1: t = floats[(s >> 24) & 3]; break;
        case 2: t = scis[(s >> 24) & 3]; break;
        default: t = bad[(s >> 24) & 3]; break;
        }
        size_t n = strlen(t);
        memcpy(sbuf + pos, t, n);
        pos += (int)n;
        sbuf[pos++] = ',';
    }
    while (pos < SBUF) sbuf[pos++] = ' ';
    sbuf[SBUF] = '\0';
}
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int next_state(const char **pp, uint32_t *transitions) {
    const char *p = *pp;
    int state = S_START;
    for (; *p && state != S_INVALID; p++) {
        char c = *p;
        if (c == ',') break;
        switch (state) {
        case S_START:
            if (is_digit(c)) state = S_INT;
            else if (c == '+' || c == '-') state = S_S1;
            else if (c == '.') state = S_FLOAT;
            else { state = S_INVALID; transitions[S_INVALID]++; }
            transitions[S_START]++;
            break;
        case S_S1:
            if (is_digit(c)) { state = S_INT; transitions[S_S1]++; }
            else if (c == '.') { state = S_FLOAT; transitions[S_S1]++; }
            else { state = S_INVALID; transitions[S_S1]++; }
            break;
        case S_INT:
            if (c == '.') { state = S_FLOAT; transitions[S_INT]++; }
            else if (!is_digit(c)) { state = S_INVALID; transitions[S_INT]++; }
            break;
        case S_FLOAT:
            if (c == 'E' || c == 'e') { state = S_S2; transitions[S_FLOAT]++; }
            else if (!is_digit(c)) { state = S_INVALID; transitions[S_FLOAT]++; }
            break;
        case S_S2:
            if (c == '+' || c == '-') { state = S_EXP; transitions[S_S2]++; }
            else { state = S_INVALID; transitions[S_S2]++; }
            break;
        case S_EXP:
            if (is_digit(c)) { state = S_SCI; transitions[S_EXP]++; }
            else { state = S_INVALID; transitions[S_EXP]++; }
            break;
        case S_SCI:
            if (!is_digit(c)) { state = S_INVALID; transitions[S_INVALID]++; }
            break;
        default: break;
        }
    }
    if (state == S_INVALID) /* skip the rest of an invalid token */
        while (*p && *p != ',') p++;
    if (*p == ',') p++;
    *pp = p;
    return state;
}
static uint16_t bench_state(uint16_t seed, uint16_t crc) {
    uint32_t finals[NSTATES] = {0}, transitions[NSTATES] = {0};
    state_init(seed);
    for (int pass = 0; pass < 2; pass++) {
        const char *p = sbuf;
        while (*p) finals[next_state(&p, transitions)]++;
        /* corrupt every 7th byte (pass 0) and scan again, then restore it */
        for (int i = (seed & 7); i < SBUF; i += 7) sbuf[i] = (char)(sbuf[i] ^ (pass ? 0 : (seed & 0x7f) | 1));
    }
    for (int i = 0; i < NSTATES; i++) {
        crc = crc_u32(finals[i], crc);
        crc = crc_u32(transitions[i], crc);
    }
    return crc;
}

int main(int argc, char **argv) {
    volatile int iterations = 7000;
    if (argc > 1) iterations = atoi(argv[1]);
    uint16_t crc = 0, crc_list = 0, crc_matrix = 0, crc_state = 0;
    for (int it = 0; it < iterations; it++) {
        uint16_t seed = (uint16_t)(it * 0x3415u + 0x66u);
        crc_list = bench_list(seed, crc_list);
        crc_matrix = bench_matrix(seed, crc_matrix);
        crc_state = bench_state(seed, crc_state);
        crc = crc_u16(crc_list, crc_u16(crc_matrix, crc_u16(crc_state, crc)));
    }
    printf("coremark_like (NOT EEMBC CoreMark): %d iterations, crc list=%04x matrix=%04x "
           "state=%04x final=%04x\n",
           (int)iterations, crc_list, crc_matrix, crc_state, crc);
    return 0;
}
