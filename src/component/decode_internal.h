// Private to the component decoder (decoder.cpp, decode_types.cpp, decode_canon.cpp): named
// limits, error messages and the shared readers. Not part of the component layer's API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rill/base/reader.h"
#include "rill/base/result.h"
#include "rill/component/component.h"
#include "rill/component/types.h"

namespace rill::component::detail {

// Named limits on guest-controlled sizes. Counts are also bounded by the bytes left (every item
// takes at least one), so these only keep a large but well-formed-looking input from costing
// far more memory than its size.
/// Items in one section's vector: wasm-tools' MAX_WASM_* bounds are of this order.
inline constexpr uint32_t kMaxSectionItems = 1'000'000;
/// Declarations in one component, instance or module type.
inline constexpr uint32_t kMaxTypeDecls = 100'000;
/// Record fields, variant cases, tuple members, flag and enum labels.
inline constexpr uint32_t kMaxTypeMembers = 10'000;
/// Parameters of one component function type.
inline constexpr uint32_t kMaxFuncParams = 1'000;
/// Parameters or results of one core function type (as wasm::DecodeLimits).
inline constexpr uint32_t kMaxCoreFuncValues = 1'000;
/// Canonical options of one definition (duplicates are a validation error, but stay bounded).
inline constexpr uint32_t kMaxCanonOpts = 1'000;
/// Attributes of one name, instantiate args, inline exports, start args.
inline constexpr uint32_t kMaxListItems = 100'000;
/// Definitions and type declarations in one binary, nested components included: each costs
/// 60-170 bytes of model for as little as one input byte, so this caps the model near 170 MB.
inline constexpr uint32_t kMaxDefinitions = 1'000'000;
/// Nesting of components and of component/instance/module types: each level is a native stack
/// frame of the recursive decoder, so bound it well below any stack limit.
inline constexpr uint32_t kMaxNestingDepth = 100;

/// Section ids of Binary.md "Component Definitions".
enum SectionId : uint8_t {
  kCustomSection = 0,
  kCoreModuleSection = 1,
  kCoreInstanceSection = 2,
  kCoreTypeSection = 3,
  kComponentSection = 4,
  kInstanceSection = 5,
  kAliasSection = 6,
  kTypeSection = 7,
  kCanonSection = 8,
  kStartSection = 9,
  kImportSection = 10,
  kExportSection = 11,
  kValueSection = 12,
};

// Messages, in the reference implementation's words where it has them.
/// "invalid leading byte (0x2a) for {what}": an opcode that this position does not allow.
Error invalid_leading_byte(uint8_t byte, const char* what, uint64_t offset);
/// "too many {what}": a count past its named limit.
Error too_many(const char* what, uint64_t offset);
/// "nesting too deep": past kMaxNestingDepth.
Error nesting_too_deep(uint64_t offset);

/// Decoder state shared by the section readers of one binary.
struct DecodeContext {
  uint32_t depth = 0;        ///< components and component/instance/module types entered
  uint32_t definitions = 0;  ///< definitions and declarations so far (against kMaxDefinitions)
};

/// Counts one more definition or declaration at {offset}: "too many definitions" past the cap.
Result<void> count_definition(DecodeContext& ctx, uint64_t offset);

/// A vector length: at most {limit} and at most the bytes left in {r}.
Result<uint32_t> read_count(Reader& r, uint32_t limit, const char* what);
/// Runs {fn} {n} times for a vec(...) of at most {limit} items, collecting the results.
template <class T, class F>
Result<std::vector<T>> read_vec(Reader& r, uint32_t limit, const char* what, F&& fn) {
  RILL_TRY(const uint32_t n, read_count(r, limit, what));
  std::vector<T> out;
  for (uint32_t i = 0; i < n; ++i) {
    auto item = fn(r);
    if (!item) return std::move(item).error();
    out.push_back(std::move(*item));
  }
  return out;
}

/// A byte that must be 0x00 or 0x01 ("invalid boolean value" otherwise).
Result<bool> read_bool(Reader& r);
/// `<T>?`: 0x00 (absent) or 0x01 followed by T; {what} names the position in errors.
Result<bool> read_option_flag(Reader& r, const char* what);
/// A length-prefixed UTF-8 string, copied.
Result<std::string> read_string(Reader& r);

Result<Sort> read_sort(Reader& r);
Result<CoreSort> read_core_sort(Reader& r);
Result<SortIdx> read_sort_idx(Reader& r);
Result<ValType> read_val_type(Reader& r);
Result<ExternName> read_extern_name(Reader& r);
Result<ExternType> read_extern_type(Reader& r);
Result<Alias> read_alias(Reader& r);

/// Decodes a "component-name" section's payload (after the section's name) into {out}; leaves
/// {out} empty when it is malformed.
void decode_name_section(Reader r, ComponentNames& out);

Result<CoreType> read_core_type(Reader& r, DecodeContext& ctx);
Result<Type> read_type(Reader& r, DecodeContext& ctx);
/// resultlist: 0x00 valtype, or 0x01 0x00 for none (functype and task.return).
Result<std::optional<ValType>> read_result_list(Reader& r);
Result<Canon> read_canon(Reader& r);

}  // namespace rill::component::detail
