// Private to the module decoder (decoder.cpp, decode_segments.cpp, names.cpp): the per-module
// decoding state, shared readers and the section decoders. Not part of the wasm layer's API.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "rill/base/reader.h"
#include "rill/base/result.h"
#include "rill/wasm/decoder.h"
#include "rill/wasm/module.h"

namespace rill::wasm::detail {

// Messages in the spec suite's words (assert_malformed "text" fields).
inline constexpr const char* kUnexpectedEnd = "unexpected end";
inline constexpr const char* kUnexpectedEndOfSection = "unexpected end of section or function";

/// Named limits the public DecodeLimits does not carry (V8 uses the same orders of magnitude).
/// Tables and memories: every one costs a runtime object, so keep the count small.
inline constexpr uint32_t kMaxTables = 100'000;
inline constexpr uint32_t kMaxMemories = 100'000;
/// Instructions in one constant expression: each is a ~100-byte Instr, so bound the memory.
inline constexpr uint32_t kMaxConstExprLength = 100'000;

/// State shared by the section decoders of one module.
struct DecodeState {
  DecodeState(const DecodeLimits& l, Module& mod) : limits(l), m(mod) {}
  const DecodeLimits& limits;
  Module& m;
  uint32_t declared_funcs = 0;  ///< entries in the function section
  std::optional<uint32_t> code_count;  ///< entries in the code section, when present
  uint64_t code_count_offset = 0;      ///< where that count is
  uint64_t table_init_entries = 0;     ///< element items so far (against max_table_init)
  uint64_t module_locals = 0;          ///< declared locals so far (against max_module_locals)
  bool has_data = false;        ///< a data section was seen
};

/// An error naming an unsupported proposal ("unsupported feature: NAME").
Error unsupported_feature(const char* proposal, uint64_t offset);

/// Reads a vector length: at most {limit} (else "too many {what}") and, since every item takes
/// at least one byte, at most the bytes left in {r} (else an unexpected end).
Result<uint32_t> read_count(Reader& r, uint64_t limit, const char* what);

/// A table's element type: funcref or externref ("malformed reference type" otherwise).
Result<ValType> read_ref_type(Reader& r);

/// A constant expression up to and including its final `end` (not type-checked).
Result<ConstExpr> read_const_expr(Reader& r);

// Section decoders: each reads the whole payload of one section from {r}.
Result<void> decode_element_section(Reader& r, DecodeState& s);
Result<void> decode_data_count_section(Reader& r, DecodeState& s);
Result<void> decode_code_section(Reader& r, DecodeState& s);
Result<void> decode_data_section(Reader& r, DecodeState& s);

/// Decodes the "name" custom section's payload into {out}; leaves {out} empty when malformed.
void decode_name_section(std::span<const uint8_t> payload, uint64_t base,
                         const DecodeLimits& limits, Names& out);

}  // namespace rill::wasm::detail
