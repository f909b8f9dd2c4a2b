// A plain WASI 0.2 command: `jco new --wasi-command` adapts this preview1 program (stdout,
// arguments and the environment go through the wasi:cli interfaces).
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  printf("hello from a component\n");
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  const char* greeting = getenv("GREETING");
  printf("GREETING=%s\n", greeting ? greeting : "(unset)");
  return 0;
}
