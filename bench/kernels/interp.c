/* interp: a small stack-machine bytecode interpreter (own code): a switch-dispatched loop over
 * 32-bit code words with an operand stack, a locals frame per call, CALL/RET and a word-addressed
 * heap. The bytecode, built by a tiny assembler with label fixups, runs two guest programs:
 *   1. collatz: for n in 1..N-1 call a guest function that counts Collatz steps; sum and max;
 *   2. sieve:   a sieve of Eratosthenes in the guest heap, then a count of the primes.
 * Measures an interpreter's own dispatch: indirect branches, small loads/stores, calls.
 * Sized: N = 100,000 and a 1,000,000-entry guest sieve (~240M guest ops). argv[1] overrides N. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    PUSH, LOAD, STORE, ADD, SUB, MUL, DIVU, AND, SHR, LTU, EQ, JMP, JZ, JNZ, CALL, RET, DUP,
    POP, LDM, STM, INC, HALT
};

#define MAXCODE 1024
static int32_t code[MAXCODE];
static int ncode;
static int32_t labels[64];
static struct { int at, label; } fixups[128];
static int nfix;

static void op(int32_t o) { code[ncode++] = o; }
static void op1(int32_t o, int32_t a) { op(o); op(a); }
static void label(int l) { labels[l] = ncode; }
static void jump(int32_t o, int l) { op(o); fixups[nfix].at = ncode; fixups[nfix++].label = l; op(0); }
static void call(int l, int32_t nargs) { jump(CALL, l); op(nargs); }
static void link(void) {
    for (int i = 0; i < nfix; i++) code[fixups[i].at] = labels[fixups[i].label];
}

#define STACK 256
#define FRAMES 64
#define LOCALS 8

static uint32_t run(int32_t entry, uint32_t *heap, uint32_t *out, int nout) {
    uint32_t stack[STACK];
    uint32_t locals[FRAMES * LOCALS];
    int32_t rets[FRAMES];
    int sp = 0, fp = 0, depth = 0;
    int32_t pc = entry;
    uint32_t ops = 0;
    for (;;) {
        ops++;
        switch (code[pc++]) {
        case PUSH: stack[sp++] = (uint32_t)code[pc++]; break;
        case LOAD: stack[sp++] = locals[fp + code[pc++]]; break;
        case STORE: locals[fp + code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case DIVU: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] : 0; break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case SHR: sp--; stack[sp - 1] >>= (stack[sp] & 31); break;
        case LTU: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case JMP: pc = code[pc]; break;
        case JZ: if (stack[--sp] == 0) pc = code[pc]; else pc++; break;
        case JNZ: if (stack[--sp] != 0) pc = code[pc]; else pc++; break;
        case CALL: {
            int32_t target = code[pc], nargs = code[pc + 1];
            rets[depth++] = pc + 2;
            fp += LOCALS;
            for (int i = nargs - 1; i >= 0; i--) locals[fp + i] = stack[--sp];
            pc = target;
            break;
        }
        case RET: fp -= LOCALS; pc = rets[--depth]; break; /* result stays on the stack */
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case POP: sp--; break;
        case LDM: stack[sp - 1] = heap[stack[sp - 1]]; break;
        case STM: sp -= 2; heap[stack[sp]] = stack[sp + 1]; break; /* addr value STM */
        case INC: locals[fp + code[pc]] += (uint32_t)code[pc + 1]; pc += 2; break;
        case HALT:
            for (int i = 0; i < nout && sp > 0; i++) out[i] = stack[--sp];
            return ops;
        default: return 0;
        }
    }
}

enum { L_MAIN, L_LOOP, L_END, L_COLLATZ, L_CLOOP, L_CDONE, L_ODD, L_CNEXT, L_NOMAX,
       L_SIEVE, L_SFILL, L_SOUTER_INIT, L_SOUTER, L_SINNER, L_SNEXT, L_SDONE, L_SCNEXT, L_SEND };

static void assemble(uint32_t n_collatz, uint32_t n_sieve) {
    /* main: locals 0=n 1=total 2=max 3=steps */
    label(L_MAIN);
    op1(PUSH, 1); op1(STORE, 0);
    op1(PUSH, 0); op1(STORE, 1);
    op1(PUSH, 0); op1(STORE, 2);
    label(L_LOOP);
    op1(LOAD, 0); op1(PUSH, (int32_t)n_collatz); op(LTU); jump(JZ, L_END);
    op1(LOAD, 0); call(L_COLLATZ, 1); op(DUP); op1(STORE, 3);
    op1(LOAD, 1); op(ADD); op1(STORE, 1);
    op1(LOAD, 2); op1(LOAD, 3); op(LTU); jump(JZ, L_NOMAX);
    op1(LOAD, 3); op1(STORE, 2);
    label(L_NOMAX);
    op(INC); op(0); op(1);
    jump(JMP, L_LOOP);
    label(L_END);
    op1(LOAD, 1); op1(LOAD, 2);
    op1(PUSH, (int32_t)n_sieve); call(L_SIEVE, 1);
    op(HALT);

    /* collatz(n): locals 0=n 1=steps */
    label(L_COLLATZ);
    op1(PUSH, 0); op1(STORE, 1);
    label(L_CLOOP);
    op1(LOAD, 0); op1(PUSH, 1); op(EQ); jump(JNZ, L_CDONE);
    op1(LOAD, 0); op1(PUSH, 1); op(AND); jump(JNZ, L_ODD);
    op1(LOAD, 0); op1(PUSH, 1); op(SHR); op1(STORE, 0); jump(JMP, L_CNEXT);
    label(L_ODD);
    op1(LOAD, 0); op1(PUSH, 3); op(MUL); op1(PUSH, 1); op(ADD); op1(STORE, 0);
    label(L_CNEXT);
    op(INC); op(1); op(1);
    jump(JMP, L_CLOOP);
    label(L_CDONE);
    op1(LOAD, 1); op(RET);

    /* sieve(limit): locals 0=limit 1=i 2=j 3=count; heap[k] = 1 while k may be prime */
    label(L_SIEVE);
    op1(PUSH, 2); op1(STORE, 1);
    label(L_SFILL);
    op1(LOAD, 1); op1(LOAD, 0); op(LTU); jump(JZ, L_SOUTER_INIT);
    op1(LOAD, 1); op1(PUSH, 1); op(STM);
    op(INC); op(1); op(1);
    jump(JMP, L_SFILL);
    label(L_SOUTER_INIT);
    op1(PUSH, 2); op1(STORE, 1);
    label(L_SOUTER); /* while i * i < limit */
    op1(LOAD, 1); op1(LOAD, 1); op(MUL); op1(LOAD, 0); op(LTU); jump(JZ, L_SDONE);
    op1(LOAD, 1); op(LDM); jump(JZ, L_SNEXT);
    op1(LOAD, 1); op1(LOAD, 1); op(MUL); op1(STORE, 2);
    label(L_SINNER); /* while j < limit: heap[j] = 0; j += i */
    op1(LOAD, 2); op1(LOAD, 0); op(LTU); jump(JZ, L_SNEXT);
    op1(LOAD, 2); op1(PUSH, 0); op(STM);
    op1(LOAD, 2); op1(LOAD, 1); op(ADD); op1(STORE, 2);
    jump(JMP, L_SINNER);
    label(L_SNEXT);
    op(INC); op(1); op(1);
    jump(JMP, L_SOUTER);
    label(L_SDONE); /* count heap[2..limit) */
    op1(PUSH, 0); op1(STORE, 3);
    op1(PUSH, 2); op1(STORE, 1);
    label(L_SCNEXT);
    op1(LOAD, 1); op1(LOAD, 0); op(LTU); jump(JZ, L_SEND);
    op1(LOAD, 1); op(LDM); op1(LOAD, 3); op(ADD); op1(STORE, 3);
    op(INC); op(1); op(1);
    jump(JMP, L_SCNEXT);
    label(L_SEND);
    op1(LOAD, 3); op(RET);
    link();
}

int main(int argc, char **argv) {
    volatile uint32_t n_collatz = 100000;
    if (argc > 1) n_collatz = (uint32_t)atoi(argv[1]);
    const uint32_t n_sieve = 1000000;
    assemble(n_collatz, n_sieve);
    uint32_t *heap = calloc(n_sieve, sizeof(uint32_t));
    if (!heap) return 1;
    uint32_t out[3] = {0, 0, 0};
    uint64_t ops = 0;
    ops = run(labels[L_MAIN], heap, out, 3);
    /* HALT pops: primes (top), max steps, total steps */
    printf("interp: collatz(1..%u) total=%u max=%u, primes<%u = %u, %llu ops\n",
           (unsigned)(n_collatz - 1), (unsigned)out[2], (unsigned)out[1], (unsigned)n_sieve,
           (unsigned)out[0], (unsigned long long)ops);
    free(heap);
    return 0;
}
