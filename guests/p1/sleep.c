// Sleeps with poll_oneoff (through nanosleep) and reports how long it took, in milliseconds:
// 200 ms, or argv[1] seconds when given (the --timeout tests sleep for an hour).
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char** argv) {
  struct timespec a, b, d = {0, 200 * 1000 * 1000};
  if (argc > 1) {
    d.tv_sec = atol(argv[1]);
    d.tv_nsec = 0;
  }
  clock_gettime(CLOCK_MONOTONIC, &a);
  nanosleep(&d, NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long ms = (long)((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000);
  printf("slept %s\n", ms >= 190 && ms < 5000 ? "ok" : "wrong");
  return 0;
}
