// fuzz_decode_validate: decode + full validation of arbitrary bytes, then cross-checks the
// engine's single-pass validate+translate (Engine::compile) against the validator's verdict.
// Any disagreement, out-of-range error offset or refusal without a message aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "rill/engine/engine.h"
#include "rill/wasm/decoder.h"
#include "rill/wasm/validator.h"

namespace {

[[noreturn]] void fail(const char* what, const rill::Error& e) {
  std::fprintf(stderr, "fuzz_decode_validate: %s: %s\n", what, e.to_string().c_str());
  std::abort();
}

void check_error(const rill::Error& e, size_t size) {
  if (e.message.empty())
    fail("empty error message", e);
  if (e.offset != rill::kNoOffset && e.offset > size)
    fail("error offset past the input", e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static rill::engine::Engine engine;
  std::span<const uint8_t> bytes(data, size);
  auto decoded = rill::wasm::decode_module(bytes);
  if (!decoded) {
    check_error(decoded.error(), size);
    return 0;
  }
  auto valid = rill::wasm::validate_module(**decoded);
  if (!valid)
    check_error(valid.error(), size);
  auto compiled = engine.compile(*decoded);
  if (valid && !compiled)
    fail("valid module failed to compile", compiled.error());
  if (!valid && compiled)
    fail("invalid module compiled", valid.error());
  if (!compiled)
    check_error(compiled.error(), size);
  return 0;
}
