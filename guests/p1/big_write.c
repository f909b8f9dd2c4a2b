// big_write PATH BYTES: writes BYTES bytes of 'x' to PATH with one pwrite at offset 0 and prints
// how many were written. Run as a component (through the preview1 adapter) one pwrite becomes
// one wasi:filesystem descriptor.write whose list<u8> the host lifts whole. The buffer is static
// (zero pages until written): a malloc'd one of this size grows memory over the page the
// preview1 adapter took for its state, which trips the adapter's own assertion under any host
// (jco's included).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: big_write PATH BYTES\n");
    return 2;
  }
  static char buf[128 << 20];
  size_t n = strtoul(argv[2], NULL, 10);
  if (n > sizeof buf) {
    fprintf(stderr, "big_write: at most %zu bytes\n", sizeof buf);
    return 2;
  }
  memset(buf, 'x', n);
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    fprintf(stderr, "big_write: %s: %s\n", argv[1], strerror(errno));
    return 1;
  }
  ssize_t w = pwrite(fd, buf, n, 0);
  if (w < 0) {
    fprintf(stderr, "big_write: pwrite: %s\n", strerror(errno));
    return 1;
  }
  printf("wrote %zd\n", w);
  return 0;
}
