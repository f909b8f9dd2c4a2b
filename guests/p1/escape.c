// Tries to leave preopen fd 3 with raw preview1 calls (no libc path mapping in between) and prints
// the errno of each attempt, one "name errno" line, for the test to compare.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static void try_open(const char* label, const char* path, __wasi_lookupflags_t follow) {
  __wasi_fd_t fd = 0;
  __wasi_errno_t e = __wasi_path_open(3, follow, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  printf("%s %d\n", label, e);
  if (e == 0)
    (void)!__wasi_fd_close(fd);
}

int main(void) {
  try_open("dotdot", "../outside.txt", 0);
  try_open("nested_dotdot", "sub/../../outside.txt", 0);
  try_open("absolute", "/etc/passwd", 0);
  try_open("symlink_out", "etc_link/passwd", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  try_open("symlink_abs", "passwd_link", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  try_open("symlink_loop", "loop", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
  try_open("inside", "sub/../inside.txt", 0);
  printf("mkdir_dotdot %d\n", __wasi_path_create_directory(3, "../made_outside"));
  printf("unlink_dotdot %d\n", __wasi_path_unlink_file(3, "../outside.txt"));
  printf("rename_out %d\n", __wasi_path_rename(3, "inside.txt", 3, "../moved.txt"));
  printf("symlink_abs_create %d\n", __wasi_path_symlink("/etc/passwd", 3, "new_link"));
  __wasi_filestat_t st;
  printf("stat_dotdot %d\n", __wasi_path_filestat_get(3, 0, "..", &st));
  printf("set_times_trailing_slash %d\n",
         __wasi_path_filestat_set_times(3, 0, "etc_link/", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  return 0;
}
