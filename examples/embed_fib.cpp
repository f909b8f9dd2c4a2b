// embed_fib: the embedding API end to end. Compile a module (embed_fib.wat, embedded as bytes),
// link typed host functions, instantiate, call exports, read linear memory and report a trap.
// Usage: embed_fib [N]   (default N = 20)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fib_wasm.h"
#include "rill/rill.h"

int main(int argc, char** argv) {
  const int32_t n = argc > 1 ? static_cast<int32_t>(std::strtol(argv[1], nullptr, 10)) : 20;

  rill::Engine engine;
  auto module = rill::Module::compile(engine, rill::examples::kFibWasm);
  if (!module) {
    std::fprintf(stderr, "compile: %s\n", module.error().to_string().c_str());
    return 1;
  }

  // Host functions: the wasm signature is deduced from the C++ one.
  uint64_t adds = 0;
  rill::Linker linker;
  linker.func("env", "add", [&adds](int32_t a, int32_t b) -> int32_t {
    ++adds;
    return a + b;
  });
  // A leading rill::Caller& gives access to the calling instance's memory.
  linker.func(
      "env", "log", [](rill::Caller& caller, int32_t ptr, int32_t len) -> rill::TrapOr<void> {
        auto memory = caller.memory();
        if (!memory)
          return rill::Trap::host("log: no memory");
        auto text = memory->read_string(static_cast<uint32_t>(ptr), static_cast<uint32_t>(len));
        if (!text)
          return rill::Trap::host("log: " + text.error().message);
        std::printf("guest says: %s\n", text->c_str());
        return {};
      });

  rill::Store store(engine);
  auto instance = linker.instantiate(store, *module);
  if (!instance) {
    std::fprintf(stderr, "instantiate: %s\n", instance.error().to_string().c_str());
    return 1;
  }

  // Typed export calls return TrapOr<R>.
  auto fib = instance->func<int32_t(int32_t)>("fib");
  auto fill = instance->func<int32_t(int32_t)>("fill");
  if (!fib || !fill) {
    std::fprintf(stderr, "exports: %s\n", (!fib ? fib : fill).error().message.c_str());
    return 1;
  }
  auto r = (*fib)(n);
  if (!r) {
    std::fprintf(stderr, "fib trapped: %s\n", r.trap().to_string().c_str());
    return 1;
  }
  std::printf("fib(%d) = %d (%llu host adds)\n", n, *r, static_cast<unsigned long long>(adds));

  // fill(k) writes fib(0..k-1) from address 64; read them back, bounds-checked.
  const int32_t k = 10;
  auto filled = (*fill)(k);
  if (!filled) {
    std::fprintf(stderr, "fill trapped: %s\n", filled.trap().to_string().c_str());
    return 1;
  }
  auto memory = instance->memory("memory");
  std::printf("memory: %llu pages; fib table:", static_cast<unsigned long long>(memory->pages()));
  for (int32_t i = 0; i < k; ++i) {
    auto v = memory->load<int32_t>(64 + 4 * static_cast<uint64_t>(i));
    std::printf(" %d", v ? *v : -1);
  }
  std::printf("\n");
  auto oob = memory->load<int32_t>(memory->size() - 2);
  std::printf("reading past the end: %s\n", oob ? "allowed?!" : oob.error().message.c_str());

  // A trap is a value with a kind, the spec's message and a backtrace.
  auto div = instance->func<int32_t(int32_t, int32_t)>("div");
  auto q = (*div)(1, 0);
  if (!q)
    std::printf("div(1, 0): %s\n", q.trap().to_string().c_str());
  return 0;
}
