// stdio_flags: tries to set O_NONBLOCK|O_APPEND on stdout through fd_fdstat_set_flags (directly
// and after fd_renumber moved stdout to fd 0), which would change the caller's pipe or
// terminal; then sets the flags it already has (a no-op, allowed). Results go to stderr.
#include <stdio.h>
#include <wasi/api.h>

int main(void) {
  const __wasi_fdflags_t flags = __WASI_FDFLAGS_NONBLOCK | __WASI_FDFLAGS_APPEND;
  int set = __wasi_fd_fdstat_set_flags(1, flags);
  __wasi_fdstat_t st;
  int get = __wasi_fd_fdstat_get(1, &st);
  int same = __wasi_fd_fdstat_set_flags(1, st.fs_flags);
  int renumber = __wasi_fd_renumber(1, 0);
  int moved = __wasi_fd_fdstat_set_flags(0, flags);
  fprintf(stderr, "set: %d, get: %d, same: %d, renumber: %d, moved: %d\n", set, get, same,
          renumber, moved);
  const char line[] = "written\n";
  __wasi_ciovec_t iov = {(const uint8_t*)line, sizeof line - 1};
  __wasi_size_t n = 0;
  return __wasi_fd_write(0, &iov, 1, &n) == 0 ? 0 : 1;  // fd 0 is stdout now
}
