// CodeReader: decodes one instruction (opcode + immediates) at a time from a function body or a
// constant expression. It checks encoding only (malformed input); typing is the validator's job.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "rill/base/reader.h"
#include "rill/base/result.h"
#include "rill/wasm/instr.h"

namespace rill::wasm {

/// Reads a value type byte; unsupported proposals' types give an "unsupported feature" error.
Result<ValType> read_val_type(Reader& r);

class CodeReader {
 public:
  /// {code} starts at file offset {base}.
  CodeReader(std::span<const uint8_t> code, uint64_t base, uint32_t max_br_table = 65'520)
      : r_(code, base), max_br_table_(max_br_table) {}

  bool at_end() const { return r_.at_end(); }
  uint64_t offset() const { return r_.offset(); }
  /// Decode the next instruction into {out}. {out.br_table} stays valid until the next call.
  /// Only the fields the opcode's immediates use are written (plus op, offset, index, index2).
  Result<void> next(Instr& out) {
    if (try_next(out)) return {};
    return next_slow(out);
  }
  /// Hot loops: decodes the common encodings (known opcodes, immediates in bounds and as
  /// Reader accepts them) without building a Result. False leaves the position unchanged: call
  /// next(), which decodes the instruction in full and reports any error.
  bool try_next(Instr& out);

 private:
  Result<void> next_slow(Instr& out);

  Reader r_;
  uint32_t max_br_table_;
  std::vector<uint32_t> br_targets_;
};

}  // namespace rill::wasm
