// Lane plumbing for the SIMD ops (simd_ops.h): GCC/clang vector types, V128 <-> vector and
// V128 <-> lane-array conversions, and per-lane map helpers. No wasm semantics live here.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "rill/wasm/instr.h"

namespace rill::engine::simd {

/// The operand type of every op (16 bytes, little-endian lanes).
using wasm::V128;

}  // namespace rill::engine::simd

namespace rill::engine::simd::detail {

// V128 stores lanes little-endian and every helper below moves lanes with memcpy.
static_assert(std::endian::native == std::endian::little,
              "SIMD lane access assumes a little-endian host");

// 16-byte vector types (GCC vector extensions, also understood by clang). Element-wise operators
// on them compile to SSE/NEON. Unsigned types are used wherever wrap-around is wanted, since
// signed lane overflow would be UB just like scalar signed overflow.
using VI8 = int8_t __attribute__((vector_size(16)));
using VU8 = uint8_t __attribute__((vector_size(16)));
using VI16 = int16_t __attribute__((vector_size(16)));
using VU16 = uint16_t __attribute__((vector_size(16)));
using VI32 = int32_t __attribute__((vector_size(16)));
using VU32 = uint32_t __attribute__((vector_size(16)));
using VI64 = int64_t __attribute__((vector_size(16)));
using VU64 = uint64_t __attribute__((vector_size(16)));
using VF32 = float __attribute__((vector_size(16)));
using VF64 = double __attribute__((vector_size(16)));

/// The vector type whose lanes are {T}: VecOf<int8_t> is VI8, VecOf<double> is VF64, ...
template <class T>
struct VecOf;
template <> struct VecOf<int8_t> { using type = VI8; };
template <> struct VecOf<uint8_t> { using type = VU8; };
template <> struct VecOf<int16_t> { using type = VI16; };
template <> struct VecOf<uint16_t> { using type = VU16; };
template <> struct VecOf<int32_t> { using type = VI32; };
template <> struct VecOf<uint32_t> { using type = VU32; };
template <> struct VecOf<int64_t> { using type = VI64; };
template <> struct VecOf<uint64_t> { using type = VU64; };
template <> struct VecOf<float> { using type = VF32; };
template <> struct VecOf<double> { using type = VF64; };
template <class T>
using Vec = typename VecOf<T>::type;

/// Reinterprets {a} as vector type {V}.
template <class V>
inline V vec(const V128& a) {
  V v;
  std::memcpy(&v, a.bytes, 16);
  return v;
}

/// Reinterprets any 16-byte vector (including comparison masks) as a V128.
template <class V>
inline V128 to_v128(const V& v) {
  static_assert(sizeof(V) == 16);
  V128 r;
  std::memcpy(r.bytes, &v, 16);
  return r;
}

/// The lanes of a V128 as a plain array of {T}, for lane-by-lane scalar code.
template <class T>
struct Lanes {
  static constexpr size_t kCount = 16 / sizeof(T);
  T v[kCount];
};

/// Splits {a} into lanes of type {T}.
template <class T>
inline Lanes<T> lanes(const V128& a) {
  Lanes<T> l;
  std::memcpy(l.v, a.bytes, 16);
  return l;
}

/// Joins lanes back into a V128.
template <class T>
inline V128 join(const Lanes<T>& l) {
  V128 r;
  std::memcpy(r.bytes, l.v, 16);
  return r;
}

/// r[i] = f(a[i]) over lanes of {T}; {f} returns something convertible to {T}.
template <class T, class F>
inline V128 map1(const V128& a, F f) {
  Lanes<T> x = lanes<T>(a);
  Lanes<T> r;
  for (size_t i = 0; i < Lanes<T>::kCount; ++i) r.v[i] = static_cast<T>(f(x.v[i]));
  return join(r);
}

/// r[i] = f(a[i], b[i]) over lanes of {T}.
template <class T, class F>
inline V128 map2(const V128& a, const V128& b, F f) {
  Lanes<T> x = lanes<T>(a);
  Lanes<T> y = lanes<T>(b);
  Lanes<T> r;
  for (size_t i = 0; i < Lanes<T>::kCount; ++i) r.v[i] = static_cast<T>(f(x.v[i], y.v[i]));
  return join(r);
}

// Lane-wise comparisons over lanes of {T} (integer signedness picks lt_s vs lt_u; float lanes
// compare per IEEE, false on NaN except ne). Vector compares yield all-ones/all-zeros lanes.
template <class T>
inline V128 eq(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) == vec<Vec<T>>(b)); }
template <class T>
inline V128 ne(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) != vec<Vec<T>>(b)); }
template <class T>
inline V128 lt(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) < vec<Vec<T>>(b)); }
template <class T>
inline V128 gt(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) > vec<Vec<T>>(b)); }
template <class T>
inline V128 le(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) <= vec<Vec<T>>(b)); }
template <class T>
inline V128 ge(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) >= vec<Vec<T>>(b)); }

/// Float/double bits helpers (lanes are moved as raw bits so NaN payloads survive untouched).
inline float f32_from_bits(uint32_t b) { return std::bit_cast<float>(b); }
inline uint32_t f32_bits(float f) { return std::bit_cast<uint32_t>(f); }
inline double f64_from_bits(uint64_t b) { return std::bit_cast<double>(b); }
inline uint64_t f64_bits(double d) { return std::bit_cast<uint64_t>(d); }

}  // namespace rill::engine::simd::detail
