// Spec-script value parsing (arguments, expectations), matching with NaN classes, and printing.
// The JSON format is documented in shared/testsuite/SOURCES.md ("Values").
#include "rill/cli/wast_values.h"

#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "rill/cli/json_util.h"

namespace rill::cli {
namespace {

using nlohmann::json;

constexpr uint32_t lane_bits(LaneType t) {
  switch (t) {
    case LaneType::I8: return 8;
    case LaneType::I16: return 16;
    case LaneType::I32:
    case LaneType::F32: return 32;
    case LaneType::I64:
    case LaneType::F64: return 64;
  }
  return 32;
}

constexpr bool is_float_lane(LaneType t) { return t == LaneType::F32 || t == LaneType::F64; }

const char* lane_name(LaneType t) {
  switch (t) {
    case LaneType::I8: return "i8x16";
    case LaneType::I16: return "i16x8";
    case LaneType::I32: return "i32x4";
    case LaneType::I64: return "i64x2";
    case LaneType::F32: return "f32x4";
    case LaneType::F64: return "f64x2";
  }
  return "?";
}

Result<LaneType> parse_lane_type(std::string_view s) {
  if (s == "i8") return LaneType::I8;
  if (s == "i16") return LaneType::I16;
  if (s == "i32") return LaneType::I32;
  if (s == "i64") return LaneType::I64;
  if (s == "f32") return LaneType::F32;
  if (s == "f64") return LaneType::F64;
  return unexpected("unknown v128 lane_type \"" + std::string(s) + "\"");
}

uint64_t get_lane(const wasm::V128& v, LaneType t, uint32_t i) {
  uint32_t width = lane_bits(t) / 8;
  uint64_t bits = 0;
  std::memcpy(&bits, v.bytes + i * width, width);  // little-endian host, as the engine assumes
  return bits;
}

void set_lane(wasm::V128& v, LaneType t, uint32_t i, uint64_t bits) {
  uint32_t width = lane_bits(t) / 8;
  std::memcpy(v.bytes + i * width, &bits, width);
}

// "[+-]nan:0xHEX" (underscores allowed): the converter leaves some v128 float lanes in this
// text form instead of bits (e.g. simd_f32x4_pmin_pmax.json). Returns the NaN's bit pattern.
std::optional<uint64_t> parse_nan_literal(std::string_view s, uint32_t bits) {
  bool negative = !s.empty() && s.front() == '-';
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  if (!s.starts_with("nan:0x") || s.size() == 6) return std::nullopt;
  uint32_t mantissa_bits = bits == 32 ? 23 : 52;
  uint64_t payload = 0;
  for (char c : s.substr(6)) {
    if (c == '_') continue;
    uint64_t digit;
    if (c >= '0' && c <= '9') digit = static_cast<uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f') digit = static_cast<uint64_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') digit = static_cast<uint64_t>(c - 'A' + 10);
    else return std::nullopt;
    payload = payload << 4 | digit;
    if (payload >> mantissa_bits) return std::nullopt;
  }
  if (payload == 0) return std::nullopt;  // that would be infinity
  uint64_t exponent = bits == 32 ? 0x7f80'0000u : 0x7ff0'0000'0000'0000u;
  uint64_t sign = negative ? uint64_t{1} << (bits - 1) : 0;
  return sign | exponent | payload;
}

// A scalar or lane value: the bit pattern, or (when {allow_nan}) a NaN class. Float values
// ({is_float}) may also be NaN literals with a payload.
Result<LaneExpect> parse_lane_value(const json& j, uint32_t bits, bool allow_nan, bool is_float = false) {
  const auto* s = j.get_ptr<const std::string*>();
  if (!s) return unexpected("value must be a string");
  if (allow_nan && *s == "nan:canonical") return LaneExpect{0, NanKind::Canonical};
  if (allow_nan && *s == "nan:arithmetic") return LaneExpect{0, NanKind::Arithmetic};
  if (is_float) {
    if (auto nan = parse_nan_literal(*s, bits)) return LaneExpect{*nan, NanKind::None};
  }
  auto v = parse_bits(*s, bits);
  if (!v) return v.error();
  return LaneExpect{*v, NanKind::None};
}

Result<LaneExpect> parse_scalar(const json& j, uint32_t bits, bool allow_nan, bool is_float = false) {
  const json* value = member(j, "value");
  if (!value) return unexpected("value is missing");
  return parse_lane_value(*value, bits, allow_nan, is_float);
}

// v128: {"lane_type": ..., "value": [lane...]}; NaN classes allowed for float lanes in {allow_nan}.
Result<void> parse_v128(const json& j, bool allow_nan, LaneType& type, std::vector<LaneExpect>& lanes) {
  auto lt = string_member(j, "lane_type");
  if (!lt) return unexpected("v128 value without lane_type");
  auto parsed = parse_lane_type(*lt);
  if (!parsed) return parsed.error();
  type = *parsed;
  const json* value = member(j, "value");
  if (!value || !value->is_array()) return unexpected("v128 value must be an array of lanes");
  if (value->size() != lane_count(type)) {
    return unexpected("v128 " + std::string(lane_name(type)) + " needs " + std::to_string(lane_count(type)) +
                      " lanes, got " + std::to_string(value->size()));
  }
  for (const json& lane : *value) {
    auto l = parse_lane_value(lane, lane_bits(type), allow_nan && is_float_lane(type), is_float_lane(type));
    if (!l) return l.error();
    lanes.push_back(*l);
  }
  return {};
}

bool float_matches(uint64_t bits, const LaneExpect& e, uint32_t width) {
  uint64_t sign = width == 32 ? 0x8000'0000u : 0x8000'0000'0000'0000u;
  uint64_t canonical = width == 32 ? 0x7fc0'0000u : 0x7ff8'0000'0000'0000u;
  switch (e.nan) {
    case NanKind::None: return bits == e.bits;
    case NanKind::Canonical: return (bits & ~sign) == canonical;
    case NanKind::Arithmetic: return (bits & canonical) == canonical;
  }
  return false;
}

bool lane_matches(uint64_t bits, const LaneExpect& e, LaneType t) {
  if (is_float_lane(t)) return float_matches(bits, e, lane_bits(t));
  return bits == e.bits;
}

std::string format_float_bits(uint64_t bits, uint32_t width) {
  char buf[64];
  double d;
  if (width == 32) {
    float f;
    uint32_t b = static_cast<uint32_t>(bits);
    std::memcpy(&f, &b, 4);
    d = f;
    std::snprintf(buf, sizeof buf, "0x%08" PRIx32 " (%.9g)", b, d);
  } else {
    std::memcpy(&d, &bits, 8);
    std::snprintf(buf, sizeof buf, "0x%016" PRIx64 " (%.17g)", bits, d);
  }
  return buf;
}

std::string format_lane_expect(const LaneExpect& e, uint32_t width, bool is_float) {
  if (e.nan == NanKind::Canonical) return "nan:canonical";
  if (e.nan == NanKind::Arithmetic) return "nan:arithmetic";
  if (is_float) return format_float_bits(e.bits, width);
  return std::to_string(e.bits);
}

std::string format_ref(wasm::ValType type, engine::Ref ref) {
  bool func = type == wasm::kFuncRef;
  if (!ref) return func ? "ref.null func" : "ref.null extern";
  if (func) return "ref.func";
  return "ref.extern " + std::to_string(reinterpret_cast<uintptr_t>(ref) - 1);
}

}  // namespace

engine::Ref host_ref(uint64_t n) {
  return reinterpret_cast<engine::Ref>(static_cast<uintptr_t>(n + 1));  // NOLINT(performance-no-int-to-ptr)
}

uint32_t lane_count(LaneType t) { return 128 / lane_bits(t); }

Result<uint64_t> parse_bits(std::string_view s, uint32_t bits) {
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 10);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    return unexpected("\"" + std::string(s) + "\" is not an unsigned decimal number");
  }
  if (bits < 64 && v >> bits != 0) {
    return unexpected("\"" + std::string(s) + "\" does not fit in " + std::to_string(bits) + " bits");
  }
  return v;
}

Result<engine::Value> parse_arg(const json& j) {
  auto type = string_member(j, "type");
  if (!type) return unexpected("value without a type");
  if (*type == "i32" || *type == "f32") {
    auto v = parse_scalar(j, 32, false, *type == "f32");
    if (!v) return v.error();
    auto b = static_cast<uint32_t>(v->bits);
    return *type == "i32" ? engine::Value::from_i32(b) : engine::Value::from_f32_bits(b);
  }
  if (*type == "i64" || *type == "f64") {
    auto v = parse_scalar(j, 64, false, *type == "f64");
    if (!v) return v.error();
    return *type == "i64" ? engine::Value::from_i64(v->bits) : engine::Value::from_f64_bits(v->bits);
  }
  if (*type == "v128") {
    LaneType lt;
    std::vector<LaneExpect> lanes;
    RILL_CHECK_OK(parse_v128(j, false, lt, lanes));
    wasm::V128 v{};
    for (uint32_t i = 0; i < lanes.size(); ++i) set_lane(v, lt, i, lanes[i].bits);
    return engine::Value::from_v128(v);
  }
  if (*type == "ref.null") {
    auto heap = string_member(j, "heap");
    if (heap && (*heap == "func" || *heap == "nofunc")) return engine::Value::from_ref(wasm::kFuncRef, nullptr);
    if (heap && (*heap == "extern" || *heap == "noextern")) {
      return engine::Value::from_ref(wasm::kExternRef, nullptr);
    }
    return unexpected("unsupported argument: ref.null " + std::string(heap ? *heap : "(no heap type)"));
  }
  if (*type == "ref.extern") {
    auto v = parse_scalar(j, 64, false);
    if (!v) return v.error();
    if (v->bits == UINT64_MAX) return unexpected("ref.extern identity too large");
    return engine::Value::from_ref(wasm::kExternRef, host_ref(v->bits));
  }
  return unexpected("unsupported argument type \"" + std::string(*type) + "\"");
}

Result<Expected> parse_expected(const json& j) {
  auto type = string_member(j, "type");
  if (!type) return unexpected("value without a type");
  Expected e;
  e.name = std::string(*type);
  if (*type == "i32" || *type == "i64" || *type == "f32" || *type == "f64") {
    bool is64 = (*type)[1] == '6';
    bool is_float = (*type)[0] == 'f';
    auto v = parse_scalar(j, is64 ? 64 : 32, is_float, is_float);
    if (!v) return v.error();
    e.scalar = *v;
    e.kind = is_float ? (is64 ? Expected::Kind::F64 : Expected::Kind::F32)
                      : (is64 ? Expected::Kind::I64 : Expected::Kind::I32);
    return e;
  }
  if (*type == "v128") {
    e.kind = Expected::Kind::V128;
    RILL_CHECK_OK(parse_v128(j, true, e.lane_type, e.lanes));
    return e;
  }
  if (*type == "ref.null") {
    e.kind = Expected::Kind::RefNull;
    const json* heap = member(j, "heap");
    const auto* name = heap ? heap->get_ptr<const std::string*>() : nullptr;
    if (!heap || heap->is_null()) e.heap = NullHeap::Any;
    else if (!name) return unexpected("ref.null heap must be a string or null");
    else if (*name == "func" || *name == "nofunc") e.heap = NullHeap::Func;
    else if (*name == "extern" || *name == "noextern") e.heap = NullHeap::Extern;
    else e.heap = NullHeap::Other;
    e.name = "ref.null " + (name ? *name : std::string("(any)"));
    return e;
  }
  if (*type == "ref.extern") {
    e.kind = Expected::Kind::RefExtern;
    if (member(j, "value")) {
      auto v = parse_scalar(j, 64, false);
      if (!v) return v.error();
      if (v->bits == UINT64_MAX) return unexpected("ref.extern identity too large");
      e.host_id = v->bits;
    }
    return e;
  }
  if (*type == "ref.func") {
    e.kind = Expected::Kind::RefFunc;
    return e;
  }
  if (*type == "either") {
    e.kind = Expected::Kind::Either;
    const json* values = member(j, "values");
    if (!values || !values->is_array() || values->empty()) return unexpected("either needs a values array");
    for (const json& alt : *values) {
      auto a = parse_expected(alt);
      if (!a) return a.error();
      e.alternatives.push_back(std::move(*a));
    }
    return e;
  }
  if (type->starts_with("ref.")) {
    e.kind = Expected::Kind::RefOther;  // ref.host, ref.array, ref.struct, ...: GC proposal values
    return e;
  }
  return unexpected("unsupported expected value type \"" + std::string(*type) + "\"");
}

bool matches(const Expected& e, wasm::ValType type, const engine::Value& v) {
  switch (e.kind) {
    case Expected::Kind::I32: return type == wasm::kI32 && v.i32 == e.scalar.bits;
    case Expected::Kind::I64: return type == wasm::kI64 && v.i64 == e.scalar.bits;
    case Expected::Kind::F32: return type == wasm::kF32 && float_matches(v.f32_bits, e.scalar, 32);
    case Expected::Kind::F64: return type == wasm::kF64 && float_matches(v.f64_bits, e.scalar, 64);
    case Expected::Kind::V128:
      if (type != wasm::kV128 || e.lanes.size() != lane_count(e.lane_type)) return false;
      for (uint32_t i = 0; i < e.lanes.size(); ++i) {
        if (!lane_matches(get_lane(v.v128, e.lane_type, i), e.lanes[i], e.lane_type)) return false;
      }
      return true;
    case Expected::Kind::RefNull:
      if (!type.is_ref() || v.ref != nullptr) return false;
      return e.heap == NullHeap::Any || (e.heap == NullHeap::Func && type == wasm::kFuncRef) ||
             (e.heap == NullHeap::Extern && type == wasm::kExternRef);
    case Expected::Kind::RefExtern:
      return type == wasm::kExternRef && v.ref != nullptr && (!e.host_id || v.ref == host_ref(*e.host_id));
    case Expected::Kind::RefFunc: return type == wasm::kFuncRef && v.ref != nullptr;
    case Expected::Kind::RefOther: return false;
    case Expected::Kind::Either:
      for (const Expected& alt : e.alternatives) {
        if (matches(alt, type, v)) return true;
      }
      return false;
  }
  return false;
}

std::string format_value(wasm::ValType type, const engine::Value& v) {
  return format_value(type, v, LaneType::I32);
}

std::string format_value(wasm::ValType type, const engine::Value& v, LaneType lanes) {
  switch (type.kind()) {
    case wasm::ValKind::I32: return "i32:" + std::to_string(v.i32);
    case wasm::ValKind::I64: return "i64:" + std::to_string(v.i64);
    case wasm::ValKind::F32: return "f32:" + format_float_bits(v.f32_bits, 32);
    case wasm::ValKind::F64: return "f64:" + format_float_bits(v.f64_bits, 64);
    case wasm::ValKind::V128: {
      std::string s = std::string("v128:") + lane_name(lanes) + "[";
      for (uint32_t i = 0; i < lane_count(lanes); ++i) {
        if (i) s += ' ';
        uint64_t bits = get_lane(v.v128, lanes, i);
        s += is_float_lane(lanes) ? format_float_bits(bits, lane_bits(lanes)) : std::to_string(bits);
      }
      return s + "]";
    }
    case wasm::ValKind::FuncRef:
    case wasm::ValKind::ExternRef: return format_ref(type, v.ref);
    case wasm::ValKind::Bot: break;
  }
  return "<no value>";
}

std::string format_expected(const Expected& e) {
  switch (e.kind) {
    case Expected::Kind::I32: return "i32:" + std::to_string(e.scalar.bits);
    case Expected::Kind::I64: return "i64:" + std::to_string(e.scalar.bits);
    case Expected::Kind::F32: return "f32:" + format_lane_expect(e.scalar, 32, true);
    case Expected::Kind::F64: return "f64:" + format_lane_expect(e.scalar, 64, true);
    case Expected::Kind::V128: {
      std::string s = std::string("v128:") + lane_name(e.lane_type) + "[";
      for (size_t i = 0; i < e.lanes.size(); ++i) {
        if (i) s += ' ';
        s += format_lane_expect(e.lanes[i], lane_bits(e.lane_type), is_float_lane(e.lane_type));
      }
      return s + "]";
    }
    case Expected::Kind::RefNull: return e.name;
    case Expected::Kind::RefExtern: return e.host_id ? "ref.extern " + std::to_string(*e.host_id) : "ref.extern";
    case Expected::Kind::RefFunc: return "ref.func";
    case Expected::Kind::RefOther: return e.name;
    case Expected::Kind::Either: {
      std::string s = "either(";
      for (size_t i = 0; i < e.alternatives.size(); ++i) {
        if (i) s += " | ";
        s += format_expected(e.alternatives[i]);
      }
      return s + ")";
    }
  }
  return "?";
}

}  // namespace rill::cli
