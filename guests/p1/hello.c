// Prints a greeting, its arguments and two environment variables: `rill run` args/env plumbing.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  printf("hello, world\n");
  for (int i = 0; i < argc; ++i)
    printf("argv[%d]=%s\n", i, argv[i]);
  const char* greeting = getenv("GREETING");
  printf("GREETING=%s\n", greeting ? greeting : "(unset)");
  const char* home = getenv("HOME");
  printf("HOME=%s\n", home ? home : "(unset)");
  return 0;
}
