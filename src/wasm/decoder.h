// Binary decoder for core modules: sections, types, imports, exports, segments, names.
// Function bodies are split out (locals decoded) but their instructions are read later by
// CodeReader under the validator. Errors carry the byte offset of the offending item.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "rill/base/result.h"
#include "rill/wasm/module.h"

namespace rill::wasm {

/// Named limits on guest-controlled sizes (the same as V8's/wasmtime's, so real modules pass).
struct DecodeLimits {
  uint32_t max_types = 1'000'000;
  uint32_t max_functions = 1'000'000;
  uint32_t max_imports = 100'000;
  uint32_t max_exports = 100'000;
  uint32_t max_globals = 1'000'000;
  uint32_t max_data_segments = 100'000;
  uint32_t max_elem_segments = 10'000'000;
  uint32_t max_table_init = 10'000'000;
  uint32_t max_locals = 50'000;        ///< per function, params + locals
  /// Declared locals (params excluded) of all the module's functions together. Without it the
  /// per-function limit times max_functions let a module of a few hundred KB cost minutes of
  /// validation and translation. The largest real module we know (SpiderMonkey in
  /// StarlingMonkey, 12 MB) declares about 113,000.
  uint64_t max_module_locals = 10'000'000;
  uint32_t max_params = 1'000;
  uint32_t max_results = 1'000;
  uint32_t max_br_table = 65'520;
  uint32_t max_function_size = 7'654'321;
};

/// Decode {bytes} (copied into the Module). Unsupported proposals are refused with an error whose
/// message starts with "unsupported feature: ".
Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes,
                                                    const DecodeLimits& limits = {});

/// Prefix of every error message about a recognised but unsupported proposal.
inline constexpr const char* kUnsupportedPrefix = "unsupported feature: ";

}  // namespace rill::wasm
