// Passes out-of-bounds pointers and lengths to preview1 functions; each must fail with
// ERRNO_FAULT (21) or INVAL (28), never crash the host. Prints "name errno" lines.
#include <stdint.h>
#include <stdio.h>
#include <wasi/api.h>

#define FAR ((uint8_t*)(uintptr_t)0xfffffff0u)

int main(void) {
  __wasi_ciovec_t iov = {FAR, 64};
  __wasi_size_t n = 0;
  printf("fd_write_buf %d\n", __wasi_fd_write(1, &iov, 1, &n));
  printf("fd_write_iovs %d\n", __wasi_fd_write(1, (const __wasi_ciovec_t*)FAR, 4, &n));
  __wasi_ciovec_t ok = {(const uint8_t*)"x", 1};
  printf("fd_write_nwritten %d\n", __wasi_fd_write(1, &ok, 1, (__wasi_size_t*)FAR));
  printf("fd_write_too_many %d\n", __wasi_fd_write(1, &ok, 100000, &n));
  printf("random_get %d\n", __wasi_random_get(FAR, 64));
  printf("args_sizes_get %d\n", __wasi_args_sizes_get((__wasi_size_t*)FAR, &n));
  printf("clock_time_get %d\n", __wasi_clock_time_get(0, 0, (__wasi_timestamp_t*)FAR));
  __wasi_event_t ev;
  printf("poll_oneoff %d\n", __wasi_poll_oneoff((const __wasi_subscription_t*)FAR, &ev, 1, &n));
  __wasi_fdstat_t st;
  printf("fd_fdstat_get_badf %d\n", __wasi_fd_fdstat_get(999, &st));
  return 0;
}
