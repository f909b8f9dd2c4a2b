// A generator of large, valid, deterministic modules for decode/validate/compile benchmarks:
// many functions of compiler-like code (locals, nested blocks/loops/ifs, loads/stores, calls,
// call_indirect, br_table, i64/f64 arithmetic).
#pragma once

#include <cstdint>
#include <vector>

namespace rill::bench {

struct SynthOptions {
  uint32_t functions = 3000;  ///< defined functions
  uint32_t statements = 24;   ///< top-level statements per function body (nesting adds more)
  uint64_t seed = 42;
};

/// The module's bytes; the same options always give the same bytes.
std::vector<uint8_t> synth_module(const SynthOptions& options = {});

}  // namespace rill::bench
