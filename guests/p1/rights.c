// Rights on preopen fd 3 with raw preview1 calls: what an fd may do is what it was opened for,
// rights can be dropped but not regained, and unknown rights bits are ignored. "name errno" lines.
#include <stdio.h>
#include <wasi/api.h>

int main(void) {
  __wasi_fd_t rw = 0;
  __wasi_errno_t e = __wasi_path_open(3, 0, "f.txt", __WASI_OFLAGS_CREAT,
                                      __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &rw);
  printf("open_rw %d\n", e);
  __wasi_ciovec_t iov = {(const uint8_t*)"data", 4};
  __wasi_size_t n = 0;
  printf("write_rw %d\n", __wasi_fd_write(rw, &iov, 1, &n));
  printf("drop_write %d\n", __wasi_fd_fdstat_set_rights(rw, __WASI_RIGHTS_FD_READ, 0));
  printf("write_dropped %d\n", __wasi_fd_write(rw, &iov, 1, &n));
  printf("regain_write %d\n",
         __wasi_fd_fdstat_set_rights(rw, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0));
  __wasi_fd_t ro = 0;
  printf("open_ro %d\n", __wasi_path_open(3, 0, "f.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &ro));
  printf("write_ro %d\n", __wasi_fd_write(ro, &iov, 1, &n));
  printf("seek_ro %d\n", __wasi_fd_seek(ro, 0, __WASI_WHENCE_SET, &(__wasi_filesize_t){0}));
  __wasi_fd_t all = 0;
  printf("open_all_bits %d\n", __wasi_path_open(3, 0, "f.txt", 0, ~(__wasi_rights_t)0,
                                                ~(__wasi_rights_t)0, 0, &all));
  __wasi_fdstat_t st;
  printf("fdstat_all %d\n", __wasi_fd_fdstat_get(all, &st));
  printf("all_has_seek %d\n", (st.fs_rights_base & __WASI_RIGHTS_FD_SEEK) != 0);
  printf("all_has_readdir %d\n", (st.fs_rights_base & __WASI_RIGHTS_FD_READDIR) != 0);
  printf("readdir_file %d\n", __wasi_fd_readdir(all, (uint8_t*)&st, sizeof st, 0, &n));
  printf("path_open_on_file %d\n", __wasi_path_open(all, 0, "x", 0, 0, 0, 0, &ro));
  return 0;
}
