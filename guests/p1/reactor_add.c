// A reactor (built with -mexec-model=reactor): `rill run --invoke` runs _initialize, then the
// named export. {initialized} proves the constructor ran first.
static int initialized;

__attribute__((constructor)) static void init(void) {
  initialized = 42;
}

__attribute__((export_name("add"))) int add(int a, int b) {
  return a + b;
}

__attribute__((export_name("initialized"))) int get_initialized(void) {
  return initialized;
}
