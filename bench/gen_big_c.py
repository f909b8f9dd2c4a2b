#!/usr/bin/env python3
# Generates big.c: ~1500 functions of random but deterministic C (loops, switches, calls, table
# calls, libm, memcpy, i64/f64 arithmetic) that clang-19 compiles to a ~1.8 MB wasm32-wasi module,
# the "big" input of bench/compile_bench.cpp. The same --seed and --functions give the same bytes.
#
# Usage: bench/gen_big_c.py [--seed 42] [--functions 1500] OUT.c
#   clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -w OUT.c -o big.wasm -lm
import argparse
import random

rng = random.Random()

INT_OPS = ['+', '-', '*', '^', '&', '|', '<<', '>>']


def expr_i(d=0):
    """An int32_t expression of depth <= 4."""
    if d > 3:
        return rng.choice(['a', 'b', 'i', 'gi[(a+i)&4095]', str(rng.randint(-1000, 100000))])
    c = rng.randint(0, 9)
    if c < 5:
        return '(%s %s %s)' % (expr_i(d + 1), rng.choice(INT_OPS), expr_i(d + 1))
    if c == 5:
        return '(int32_t)(%s)' % expr_d(d + 1)
    if c == 6:
        return '((%s) ? %s : %s)' % (expr_i(d + 1), expr_i(d + 1), expr_i(d + 1))
    if c == 7:
        return 'gs[(%s)&255].a' % expr_i(d + 1)
    if c == 8:
        return '(int32_t)(gl[(%s)&2047] >> 3)' % expr_i(d + 1)
    return rng.choice(['a', 'b', 'i', 'gi[(b^i)&4095]'])


def expr_d(d=0):
    """A double expression of depth <= 4."""
    if d > 3:
        return rng.choice(['x', 'y', '(double)a', 'gd[i&4095]', '%.3f' % rng.uniform(-10, 10)])
    c = rng.randint(0, 6)
    if c < 3:
        return '(%s %s %s)' % (expr_d(d + 1), rng.choice('+-*/'), expr_d(d + 1))
    if c == 3:
        return rng.choice(['sqrt', 'fabs', 'floor', 'ceil', 'trunc']) + '(%s)' % expr_d(d + 1)
    if c == 4:
        return '(double)gf[(%s)&1023]' % expr_i(d + 1)
    if c == 5:
        return 'gs[(%s)&255].c' % expr_i(d + 1)
    return rng.choice(['x', 'y'])


def stmt(d, fi):
    """A statement at nesting depth d inside function fi (which may call f0..f{fi-1})."""
    c = rng.randint(0, 11)
    if d > 2:
        c = rng.randint(0, 3)
    if c == 0:
        return 'a = %s;' % expr_i()
    if c == 1:
        return 'x = %s;' % expr_d()
    if c == 2:
        return 'gi[(%s)&4095] = %s;' % (expr_i(2), expr_i(2))
    if c == 3:
        return 'gd[(%s)&4095] += %s;' % (expr_i(2), expr_d(2))
    if c == 4:
        bound = rng.choice(['n', '16', 'b & 63'])
        return 'for (int i = 0; i < %s; i++) { %s %s }' % (bound, stmt(d + 1, fi), stmt(d + 1, fi))
    if c == 5:
        return 'if (%s) { %s } else { %s }' % (expr_i(2), stmt(d + 1, fi), stmt(d + 1, fi))
    if c == 6:
        cases = ' '.join('case %d: %s break;' % (k, stmt(d + 1, fi))
                         for k in range(rng.randint(3, 12)))
        return 'switch ((%s) & 15) { %s default: a++; }' % (expr_i(2), cases)
    if c == 7 and fi > 0:
        return 'a += f%d(%s, %s, x, n);' % (rng.randint(0, fi - 1), expr_i(2), expr_i(2))
    if c == 8:
        return 'while (b > 0 && n-- > 0) { b = b / 2 + %s; %s }' % (expr_i(3), stmt(d + 1, fi))
    if c == 9:
        return ('memcpy(gs[a&255].e, gs[b&255].e, 16); gs[(a^b)&255].b += (int64_t)%s * %s;'
                % (expr_i(2), expr_i(2)))
    if c == 10:
        return ('gl[(a+b)&2047] = gl[b&2047] * %dLL + (int64_t)%s;'
                % (rng.randint(1, 999999), expr_d(2)))
    return 'y = y * %s + x;' % expr_d(2)


def generate(seed, functions):
    """The whole translation unit as one string."""
    rng.seed(seed)
    out = ['#include <stdint.h>', '#include <string.h>', '#include <math.h>', '#include <stdio.h>',
           '#include <stdlib.h>',
           'static int32_t gi[4096]; static double gd[4096]; static float gf[1024]; '
           'static int64_t gl[2048];',
           'typedef struct { int32_t a; int64_t b; double c; float d; uint8_t e[16]; } S;',
           'static S gs[256];', 'typedef int32_t (*fp)(int32_t, int32_t);']
    for f in range(functions):
        out.append('__attribute__((noinline)) int32_t f%d(int32_t a, int32_t b, double x, int n) {'
                   % f)
        out.append('  int32_t i = 0; double y = %s;' % expr_d(2))
        for _ in range(rng.randint(3, 9)):
            out.append('  ' + stmt(0, f))
        out.append('  return a + (int32_t)y + i;')
        out.append('}')
    out.append('typedef int32_t (*fp4)(int32_t, int32_t, double, int);')
    out.append('fp4 table[] = {' + ','.join('f%d' % k for k in range(functions)) + '};')
    out.append('int main(int argc, char** argv) { int32_t s = 0; for (int k = 0; k < %d; k++) '
               's += table[(k * 7 + argc) %% %d](k, argc, 1.5, 10); printf("%%d\\n", s); return 0; }'
               % (functions, functions))
    return '\n'.join(out) + '\n'


def main():
    p = argparse.ArgumentParser(description='Generate big.c for the decode/compile benchmarks.')
    p.add_argument('out', help='path of the C file to write')
    p.add_argument('--seed', type=int, default=42, help='random seed (default 42)')
    p.add_argument('--functions', type=int, default=1500, help='number of functions (default 1500)')
    args = p.parse_args()
    if args.functions < 1:
        p.error('--functions must be >= 1')
    with open(args.out, 'w') as f:
        f.write(generate(args.seed, args.functions))


if __name__ == '__main__':
    main()
