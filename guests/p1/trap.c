// Traps (unreachable) two calls below main, so the backtrace has names to show.
#include <stdio.h>

__attribute__((noinline)) void deliberately_trap(int x) {
  if (x > 0)
    __builtin_trap();
}

__attribute__((noinline)) void call_it(int x) {
  deliberately_trap(x);
  puts("not reached");
}

int main(int argc, char** argv) {
  (void)argv;
  puts("about to trap");
  fflush(stdout);
  call_it(argc);
  return 0;
}
