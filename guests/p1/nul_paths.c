// nul_paths: every path function given a path with an embedded NUL, through the raw preview1
// imports (wasi-libc's wrappers take C strings and would stop at the NUL). Prints each errno;
// a host that cut the path at the NUL would succeed on "made" and create it. Preopen at fd 3.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
IMPORT("path_symlink") int32_t raw_symlink(int32_t, int32_t, int32_t, int32_t, int32_t);
IMPORT("path_create_directory") int32_t raw_mkdir(int32_t, int32_t, int32_t);
IMPORT("path_open")
int32_t raw_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t, int32_t);
IMPORT("path_rename") int32_t raw_rename(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);

static const char kNul[] = "made\0../../escape";  // 17 bytes, a NUL after "made"
#define P(s) (int32_t)(uintptr_t)(s), (int32_t)(sizeof(s) - 1)

int main(void) {
  const int32_t dir = 3;
  int32_t fd = 0;
  printf("symlink target: %d\n", raw_symlink(P(kNul), dir, P("link")));
  printf("symlink name: %d\n", raw_symlink(P("target"), dir, P(kNul)));
  printf("mkdir: %d\n", raw_mkdir(dir, P(kNul)));
  printf("open: %d\n", raw_open(dir, 0, P(kNul), __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0,
                                (int32_t)(uintptr_t)&fd));
  printf("rename: %d\n", raw_rename(dir, P("link"), dir, P(kNul)));
  return 0;
}
