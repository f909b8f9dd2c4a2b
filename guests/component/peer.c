// The `peer` world of wit/peer.wit: `describe(tag)` prints on its own stdout what this
// component's own WASI context shows — its NAME environment variable and the first line of
// /data/id.txt in its preopen — and returns the length of that line. Canonical ABI glue written
// by hand, as in strings.c.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size,
                                                                  size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void*)align;
  void* p = realloc(old, new_size);
  if (!p) abort();
  return p;
}

static void first_line(const char* path, char* out, size_t n) {
  FILE* f = fopen(path, "r");
  if (!f || !fgets(out, (int)n, f)) {
    snprintf(out, n, "(none)");
  } else {
    out[strcspn(out, "\n")] = 0;
  }
  if (f) fclose(f);
}

__attribute__((export_name("describe"))) uint32_t describe(char* tag, uint32_t len) {
  const char* name = getenv("NAME");
  char id[64];
  first_line("/data/id.txt", id, sizeof id);
  int n = printf("peer(%.*s): NAME=%s id=%s\n", (int)len, tag, name ? name : "(unset)", id);
  fflush(stdout);
  free(tag);
  return (uint32_t)n;
}
