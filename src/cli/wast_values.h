// Spec-script values: parsing the JSON value objects of converted .wast scripts into engine
// Values (arguments) and expectations (results), matching and printing them. No engine calls here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "rill/base/result.h"
#include "rill/engine/value.h"
#include "rill/wasm/types.h"

namespace rill::cli {

/// The host reference that stands for the script's `(ref.extern N)`: non-null and unique per N.
engine::Ref host_ref(uint64_t n);

/// What an expected float (or float lane) must be.
enum class NanKind : uint8_t {
  None,        ///< exact bit pattern
  Canonical,   ///< "nan:canonical": sign ignored, quiet bit only
  Arithmetic,  ///< "nan:arithmetic": sign ignored, quiet bit set, any payload
};

/// Lane shapes of a v128 value in a script.
enum class LaneType : uint8_t { I8, I16, I32, I64, F32, F64 };

/// Number of lanes of {t} in 128 bits.
uint32_t lane_count(LaneType t);

/// One expected lane (or scalar): bits, or a NaN class for float lanes.
struct LaneExpect {
  uint64_t bits = 0;
  NanKind nan = NanKind::None;
};

/// The reference families a `ref.null` expectation can name.
enum class NullHeap : uint8_t {
  Any,     ///< heap was null: any null reference matches
  Func,    ///< func / nofunc
  Extern,  ///< extern / noextern
  Other,   ///< GC or exception heaps: no value of ours has them
};

/// An expected result value.
struct Expected {
  /// Which kind of expectation this is.
  enum class Kind : uint8_t { I32, I64, F32, F64, V128, RefNull, RefExtern, RefFunc, RefOther, Either };
  Kind kind = Kind::I32;
  LaneExpect scalar;                  ///< I32/I64/F32/F64
  LaneType lane_type = LaneType::I32;  ///< V128
  std::vector<LaneExpect> lanes;      ///< V128, lane 0 first
  NullHeap heap = NullHeap::Any;      ///< RefNull
  std::optional<uint64_t> host_id;    ///< RefExtern; absent = any non-null externref
  std::string name;                   ///< RefOther/RefNull: the script's keyword, for messages
  std::vector<Expected> alternatives;  ///< Either
};

/// Parse an argument value ({"type": "i32", "value": "42"}, v128, ref.null, ref.extern).
Result<engine::Value> parse_arg(const nlohmann::json& j);
/// Parse an expected value (adds NaN classes, ref.func, either).
Result<Expected> parse_expected(const nlohmann::json& j);

/// True when {v}, whose declared type is {type}, satisfies {e}.
bool matches(const Expected& e, wasm::ValType type, const engine::Value& v);

/// Printable forms, e.g. "i32:42", "f32:0x7fc00000 (nan)", "v128:i32x4[1 2 3 4]".
std::string format_value(wasm::ValType type, const engine::Value& v);
/// As format_value, showing v128 lanes in {lanes}' shape.
std::string format_value(wasm::ValType type, const engine::Value& v, LaneType lanes);
std::string format_expected(const Expected& e);

/// Parses an unsigned decimal that must fit in {bits} bits.
Result<uint64_t> parse_bits(std::string_view s, uint32_t bits);

}  // namespace rill::cli
