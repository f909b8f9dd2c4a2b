// A WASI 0.2 command exercising wasi:filesystem through the preview1 adapter: writes argv[1]
// into /data/out.txt, reads it back, lists /data, tries to leave the preopen (by path and by symlinks), sleeps (a
// monotonic-clock pollable) and exits with argv[2] (through the adapter: exit(err), status 1).
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* text = argc > 1 ? argv[1] : "none";
  FILE* f = fopen("/data/out.txt", "w");
  if (!f) {
    printf("open for write: %s\n", strerror(errno));
    return 2;
  }
  fprintf(f, "%s\n", text);
  fclose(f);
  char buf[256] = {0};
  f = fopen("/data/out.txt", "r");
  if (!f || !fgets(buf, sizeof buf, f)) {
    printf("read back failed: %s\n", strerror(errno));
    return 2;
  }
  fclose(f);
  printf("read back: %s", buf);
  DIR* d = opendir("/data");
  int entries = 0;
  for (struct dirent* e = d ? readdir(d) : NULL; e; e = readdir(d))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      ++entries;
  if (d)
    closedir(d);
  printf("entries: %d\n", entries);
  FILE* out = fopen("/data/../outside.txt", "r");
  printf("escape: %s\n", out ? "opened!" : strerror(errno));
  // Symlinks: an absolute target is refused; a relative one leading out can be made but not
  // followed out of the preopen.
  printf("symlink absolute: %s\n", symlink("/etc/passwd", "/data/abs") == 0 ? "made!" : strerror(errno));
  int made = symlink("../outside.txt", "/data/out-link") == 0;
  out = fopen("/data/out-link", "r");
  printf("symlink out: %s, open: %s\n", made ? "made" : strerror(errno), out ? "opened!" : strerror(errno));
  unlink("/data/out-link");
  struct timespec ts = {0, 20 * 1000 * 1000};
  nanosleep(&ts, NULL);
  printf("slept\n");
  return argc > 2 ? atoi(argv[2]) : 0;
}
