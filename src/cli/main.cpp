// rill: command-line entry point.
#include <cstdio>

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::puts("rill 0.1.0");
  return 0;
}
