// write_file PATH TEXT: creates PATH (truncating) with TEXT and a newline, then reads it back.
#include <stdio.h>
#include <string.h>
#include <errno.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: write_file PATH TEXT\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "w");
  if (!f) {
    fprintf(stderr, "write_file: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  fprintf(f, "%s\n", argv[2]);
  fclose(f);
  f = fopen(argv[1], "r");
  char buf[256] = {0};
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  printf("wrote %zu bytes: %s", n, buf);
  return 0;
}
