// A reactor component guest written against the canonical ABI by hand (no wit-bindgen): the
// exports of wit/strings.wit under the core names `jco new` expects (CanonicalABI.md "lift",
// wit-component's naming: `cabi_realloc`, `cabi_post_<name>`, `<iface>#[method]res.name`).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// CanonicalABI.md: a string or list is (ptr, len) in linear memory; results that flatten to
// more than one core value are returned through a pointer to this area.
struct RetArea {
  uint32_t ptr;
  uint32_t len;
};
static struct RetArea ret_area;

__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size,
                                                                  size_t align, size_t new_size) {
  (void)old_size;
  (void)align;  // malloc's alignment (16) covers every canonical ABI type
  if (new_size == 0) return (void*)align;
  void* p = realloc(old, new_size);
  if (!p) abort();
  return p;
}

// Results that own memory are freed by the post-return functions, after the host copied them.
static void post_free(struct RetArea* r) {
  free((void*)(uintptr_t)r->ptr);
}

static struct RetArea* ret(void* ptr, uint32_t len) {
  ret_area.ptr = (uint32_t)(uintptr_t)ptr;
  ret_area.len = len;
  return &ret_area;
}

__attribute__((export_name("upper"))) struct RetArea* upper(char* s, uint32_t len) {
  for (uint32_t i = 0; i < len; i++) {
    if (s[i] >= 'a' && s[i] <= 'z') s[i] = (char)(s[i] - 'a' + 'A');
  }
  return ret(s, len);  // the argument buffer was allocated with cabi_realloc; now ours
}
__attribute__((export_name("cabi_post_upper"))) void post_upper(struct RetArea* r) {
  post_free(r);
}

__attribute__((export_name("sum"))) uint32_t sum(uint32_t* xs, uint32_t len) {
  uint32_t total = 0;
  for (uint32_t i = 0; i < len; i++) total += xs[i];
  free(xs);
  return total;
}

__attribute__((export_name("reverse"))) struct RetArea* reverse(uint32_t* xs, uint32_t len) {
  for (uint32_t i = 0; i < len / 2; i++) {
    const uint32_t t = xs[i];
    xs[i] = xs[len - 1 - i];
    xs[len - 1 - i] = t;
  }
  return ret(xs, len);
}
__attribute__((export_name("cabi_post_reverse"))) void post_reverse(struct RetArea* r) {
  post_free(r);
}

// The imported `host-prefix: func() -> string`: lowered with a return pointer, the string's
// bytes allocated in our memory through cabi_realloc.
__attribute__((import_module("$root"), import_name("host-prefix"))) extern void host_prefix(
    struct RetArea* out);

__attribute__((export_name("greet"))) struct RetArea* greet(char* name, uint32_t len) {
  struct RetArea prefix;
  host_prefix(&prefix);
  char* out = malloc(prefix.len + len + 1);
  if (!out) abort();
  memcpy(out, (void*)(uintptr_t)prefix.ptr, prefix.len);
  memcpy(out + prefix.len, name, len);
  out[prefix.len + len] = '!';
  free((void*)(uintptr_t)prefix.ptr);
  free(name);
  return ret(out, prefix.len + len + 1);
}
__attribute__((export_name("cabi_post_greet"))) void post_greet(struct RetArea* r) {
  post_free(r);
}

// The exported resource `rill:test/counters.counter`: its representation is a pointer to this
// struct; handles come from the canonical resource.new built-in.
struct Counter {
  uint32_t value;
};

__attribute__((import_module("[export]rill:test/counters"),
               import_name("[resource-new]counter"))) extern int32_t counter_new(int32_t rep);

__attribute__((export_name("rill:test/counters#[constructor]counter"))) int32_t counter_ctor(
    uint32_t start) {
  struct Counter* c = malloc(sizeof *c);
  if (!c) abort();
  c->value = start;
  return counter_new((int32_t)(uintptr_t)c);
}

// Methods get `self: borrow<counter>` as the representation, since the resource is ours.
__attribute__((export_name("rill:test/counters#[method]counter.increment"))) uint32_t
counter_increment(struct Counter* self, uint32_t by) {
  self->value += by;
  return self->value;
}

__attribute__((export_name("rill:test/counters#[method]counter.value"))) uint32_t counter_value(
    struct Counter* self) {
  return self->value;
}

__attribute__((export_name("rill:test/counters#[dtor]counter"))) void counter_dtor(
    struct Counter* self) {
  free(self);
}
