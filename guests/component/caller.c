// The `caller` world of wit/peer.wit: a command that prints what its own WASI context shows
// (NAME, argv[1], /data/id.txt), calls the imported `describe` (another component with another
// context, which prints its view on its own stdout) twice, and prints its own view again, which
// must not have changed.
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

__attribute__((import_module("$root"), import_name("describe"))) extern uint32_t describe(
    const char* tag, uint32_t len);

static void own_view(const char* when, const char* arg) {
  const char* name = getenv("NAME");
  char id[64] = "(none)";
  FILE* f = fopen("/data/id.txt", "r");
  if (f && fgets(id, sizeof id, f)) id[strcspn(id, "\n")] = 0;
  if (f) fclose(f);
  printf("caller %s: NAME=%s arg=%s id=%s\n", when, name ? name : "(unset)", arg, id);
}

int main(int argc, char** argv) {
  const char* arg = argc > 1 ? argv[1] : "(none)";
  own_view("before", arg);
  for (int i = 0; i < 2; i++) {
    const char* tag = i == 0 ? "one" : "two";
    printf("caller got: %u\n", (unsigned)describe(tag, (uint32_t)strlen(tag)));
  }
  own_view("after", arg);
  return 0;
}
