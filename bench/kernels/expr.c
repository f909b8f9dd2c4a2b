/* expr: an expression parser and evaluator (own code). Generates random infix expressions as
 * text (numbers, variables x y z, unary minus, + - * / % & | ^ << >>, parentheses, nesting up
 * to depth 7), parses each with a recursive-descent precedence parser into an AST in a node
 * pool, then evaluates the tree by recursive walking for several variable bindings.
 * Arithmetic is wrapping 32-bit unsigned; x/0 and x%0 give 0; shifts use the low 5 bits.
 * Measures character scanning, recursion, pointer chasing and a switch per node.
 * Sized: 120,000 expressions, each evaluated for 16 bindings. argv[1] overrides the count. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t rng = 0xdeadbeefu;
static uint32_t rnd(void) {
    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
    return rng;
}

/* ---- generation ---- */
static char text[1 << 16];
static int tlen;
static void put(char c) { text[tlen++] = c; }
static void put_str(const char *s) { while (*s) put(*s++); }
static void put_num(uint32_t v) {
    char tmp[12];
    int n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) put(tmp[--n]);
}

static const char *binops[] = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "+", "-", "*"};

static void gen(int depth) {
    uint32_t r = rnd();
    if (depth == 0 || r % 5 == 0) {
        if (r & 0x100) put_num((r >> 9) % 1000);
        else put((char)('x' + (r >> 9) % 3));
        return;
    }
    switch ((r >> 3) % 8) {
    case 0: put('-'); gen(depth - 1); return;
    case 1: put('('); gen(depth - 1); put(')'); return;
    default:
        gen(depth - 1);
        if (r & 0x40) put(' ');
        put_str(binops[(r >> 12) % 13]);
        if (r & 0x80) put(' ');
        gen(depth - 1);
    }
}

/* ---- AST and parser ---- */
enum { N_NUM, N_VAR, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV, N_MOD, N_AND, N_OR, N_XOR, N_SHL, N_SHR };
typedef struct Node { int kind; uint32_t value; struct Node *l, *r; } Node;
static Node pool[1 << 15];
static int npool;
static const char *p;

static Node *mk(int kind, uint32_t v, Node *l, Node *r) {
    Node *n = &pool[npool++];
    n->kind = kind; n->value = v; n->l = l; n->r = r;
    return n;
}
static void skip(void) { while (*p == ' ') p++; }
static Node *parse_or(void);

static Node *parse_primary(void) {
    skip();
    if (*p == '(') { p++; Node *n = parse_or(); skip(); if (*p == ')') p++; return n; }
    if (*p == '-') { p++; return mk(N_NEG, 0, parse_primary(), NULL); }
    if (*p >= 'x' && *p <= 'z') return mk(N_VAR, (uint32_t)(*p++ - 'x'), NULL, NULL);
    uint32_t v = 0;
    while (*p >= '0' && *p <= '9') v = v * 10 + (uint32_t)(*p++ - '0');
    return mk(N_NUM, v, NULL, NULL);
}
static Node *parse_mul(void) {
    Node *l = parse_primary();
    for (;;) {
        skip();
        int k = *p == '*' ? N_MUL : *p == '/' ? N_DIV : *p == '%' ? N_MOD : -1;
        if (k < 0) return l;
        p++;
        l = mk(k, 0, l, parse_primary());
    }
}
static Node *parse_add(void) {
    Node *l = parse_mul();
    for (;;) {
        skip();
        int k = *p == '+' ? N_ADD : *p == '-' ? N_SUB : -1;
        if (k < 0) return l;
        p++;
        l = mk(k, 0, l, parse_mul());
    }
}
static Node *parse_shift(void) {
    Node *l = parse_add();
    for (;;) {
        skip();
        int k = (p[0] == '<' && p[1] == '<') ? N_SHL : (p[0] == '>' && p[1] == '>') ? N_SHR : -1;
        if (k < 0) return l;
        p += 2;
        l = mk(k, 0, l, parse_add());
    }
}
static Node *parse_and(void) {
    Node *l = parse_shift();
    for (skip(); *p == '&'; skip()) { p++; l = mk(N_AND, 0, l, parse_shift()); }
    return l;
}
static Node *parse_xor(void) {
    Node *l = parse_and();
    for (skip(); *p == '^'; skip()) { p++; l = mk(N_XOR, 0, l, parse_and()); }
    return l;
}
static Node *parse_or(void) {
    Node *l = parse_xor();
    for (skip(); *p == '|'; skip()) { p++; l = mk(N_OR, 0, l, parse_xor()); }
    return l;
}

static uint32_t eval(const Node *n, const uint32_t *vars) {
    switch (n->kind) {
    case N_NUM: return n->value;
    case N_VAR: return vars[n->value];
    case N_NEG: return 0u - eval(n->l, vars);
    default: break;
    }
    uint32_t a = eval(n->l, vars), b = eval(n->r, vars);
    switch (n->kind) {
    case N_ADD: return a + b;
    case N_SUB: return a - b;
    case N_MUL: return a * b;
    case N_DIV: return b ? a / b : 0;
    case N_MOD: return b ? a % b : 0;
    case N_AND: return a & b;
    case N_OR: return a | b;
    case N_XOR: return a ^ b;
    case N_SHL: return a << (b & 31);
    default: return a >> (b & 31);
    }
}

int main(int argc, char **argv) {
    volatile int count = 120000;
    if (argc > 1) count = atoi(argv[1]);
    uint32_t hash = 2166136261u, chars = 0, nodes = 0;
    for (int e = 0; e < count; e++) {
        tlen = 0;
        gen(7);
        put('\0');
        chars += (uint32_t)tlen - 1;
        npool = 0;
        p = text;
        Node *root = parse_or();
        skip();
        if (*p != '\0') { printf("expr: PARSE ERROR in expression %d at offset %d\n", e, (int)(p - text)); return 1; }
        nodes += (uint32_t)npool;
        for (uint32_t b = 0; b < 16; b++) {
            uint32_t vars[3] = {b * 2654435761u, b + 7, (b ^ 0x55u) * 40503u};
            hash = (hash ^ eval(root, vars)) * 16777619u;
        }
    }
    printf("expr: %d expressions, %u chars, %u nodes, hash=%08x\n", (int)count, (unsigned)chars,
           (unsigned)nodes, (unsigned)hash);
    return 0;
}
