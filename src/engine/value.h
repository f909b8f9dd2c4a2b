// Runtime values: the tagged Value used at API boundaries and the untagged 8-byte Slot used inside
// interpreter frames (v128 takes two consecutive slots).
#pragma once

#include <cstdint>
#include <cstring>

#include "rill/wasm/instr.h"
#include "rill/wasm/types.h"

namespace rill::engine {

struct Function;

/// A reference value: Function* for funcref, an opaque host word for externref. nullptr is null.
using Ref = void*;

/// A typed value crossing the engine boundary.
struct Value {
  wasm::ValType type = wasm::kI32;
  union {
    uint32_t i32;
    uint64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    Ref ref;
    wasm::V128 v128;
  };
  Value() : v128{} {}
  static Value from_i32(uint32_t v) { Value x; x.type = wasm::kI32; x.i64 = 0; x.i32 = v; return x; }
  static Value from_i64(uint64_t v) { Value x; x.type = wasm::kI64; x.i64 = v; return x; }
  static Value from_f32_bits(uint32_t v) { Value x; x.type = wasm::kF32; x.i64 = 0; x.f32_bits = v; return x; }
  static Value from_f64_bits(uint64_t v) { Value x; x.type = wasm::kF64; x.f64_bits = v; return x; }
  static Value from_v128(const wasm::V128& v) { Value x; x.type = wasm::kV128; x.v128 = v; return x; }
  static Value from_ref(wasm::ValType t, Ref r) { Value x; x.type = t; x.ref = r; return x; }
  float f32() const { float f; std::memcpy(&f, &f32_bits, 4); return f; }
  double f64() const { double d; std::memcpy(&d, &f64_bits, 8); return d; }
};

/// An 8-byte interpreter slot. Layout contract with Value: i32/f32 live in the low 4 bytes.
using Slot = uint64_t;

/// Writes {v} into {slots} (1 slot, or 2 for v128).
inline void store_value(Slot* slots, const Value& v) {
  if (v.type.is_vec()) { std::memcpy(slots, v.v128.bytes, 16); return; }
  std::memcpy(slots, &v.i64, 8);
}
/// Reads a value of type {t} from {slots}.
inline Value load_value(const Slot* slots, wasm::ValType t) {
  Value v;
  v.type = t;
  if (t.is_vec()) std::memcpy(v.v128.bytes, slots, 16);
  else std::memcpy(&v.i64, slots, 8);
  return v;
}

}  // namespace rill::engine
