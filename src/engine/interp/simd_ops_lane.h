// SIMD lane movement and whole-vector bit ops: splat, extract/replace_lane, shuffle, swizzle,
// v128.not/and/andnot/or/xor/bitselect/any_true, and the widening half of v128.loadNxM_s/u.
// Included by simd_ops.h; the memory access itself is the interpreter's job.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "rill/engine/interp/simd_ops_detail.h"

namespace rill::engine::simd {

namespace detail {

/// Every lane of type {T} set to {x}.
template <class T>
inline V128 splat(T x) {
  Lanes<T> l;
  for (T& lane : l.v) lane = x;
  return join(l);
}

/// Lane {lane} of {a} as {T}; the index is masked so a bad immediate cannot read out of bounds.
template <class T>
inline T extract(const V128& a, uint8_t lane) {
  return lanes<T>(a).v[lane & (Lanes<T>::kCount - 1)];
}

/// {a} with lane {lane} replaced by {x}.
template <class T>
inline V128 replace(const V128& a, T x, uint8_t lane) {
  Lanes<T> l = lanes<T>(a);
  l.v[lane & (Lanes<T>::kCount - 1)] = x;
  return join(l);
}

/// v128.loadNxM_s/u: widens the {kCount} little-endian lanes of type {From} packed in {raw}.
template <class From, class To>
inline V128 widen_raw(uint64_t raw) {
  constexpr unsigned kBits = sizeof(From) * 8;
  Lanes<To> r;
  for (size_t i = 0; i < Lanes<To>::kCount; ++i) {
    auto bits = static_cast<std::make_unsigned_t<From>>(raw >> (i * kBits));
    r.v[i] = static_cast<To>(static_cast<From>(bits));
  }
  return join(r);
}

}  // namespace detail

// Splats. Floats arrive as raw bits.

/// i8x16.splat: the low 8 bits of {x} in every lane.
inline V128 I8x16Splat(uint32_t x) { return detail::splat(static_cast<uint8_t>(x)); }
/// i16x8.splat: the low 16 bits of {x} in every lane.
inline V128 I16x8Splat(uint32_t x) { return detail::splat(static_cast<uint16_t>(x)); }
/// i32x4.splat.
inline V128 I32x4Splat(uint32_t x) { return detail::splat(x); }
/// i64x2.splat.
inline V128 I64x2Splat(uint64_t x) { return detail::splat(x); }
/// f32x4.splat ({bits} is the f32 bit pattern).
inline V128 F32x4Splat(uint32_t bits) { return detail::splat(bits); }
/// f64x2.splat ({bits} is the f64 bit pattern).
inline V128 F64x2Splat(uint64_t bits) { return detail::splat(bits); }

// extract_lane: _s sign-extends to 32 bits, _u zero-extends; floats come back as raw bits.

/// i8x16.extract_lane_s.
inline uint32_t I8x16ExtractLaneS(const V128& a, uint8_t lane) {
  return static_cast<uint32_t>(static_cast<int32_t>(detail::extract<int8_t>(a, lane)));
}
/// i8x16.extract_lane_u.
inline uint32_t I8x16ExtractLaneU(const V128& a, uint8_t lane) {
  return detail::extract<uint8_t>(a, lane);
}
/// i16x8.extract_lane_s.
inline uint32_t I16x8ExtractLaneS(const V128& a, uint8_t lane) {
  return static_cast<uint32_t>(static_cast<int32_t>(detail::extract<int16_t>(a, lane)));
}
/// i16x8.extract_lane_u.
inline uint32_t I16x8ExtractLaneU(const V128& a, uint8_t lane) {
  return detail::extract<uint16_t>(a, lane);
}
/// i32x4.extract_lane.
inline uint32_t I32x4ExtractLane(const V128& a, uint8_t lane) {
  return detail::extract<uint32_t>(a, lane);
}
/// i64x2.extract_lane.
inline uint64_t I64x2ExtractLane(const V128& a, uint8_t lane) {
  return detail::extract<uint64_t>(a, lane);
}
/// f32x4.extract_lane (bit pattern).
inline uint32_t F32x4ExtractLane(const V128& a, uint8_t lane) {
  return detail::extract<uint32_t>(a, lane);
}
/// f64x2.extract_lane (bit pattern).
inline uint64_t F64x2ExtractLane(const V128& a, uint8_t lane) {
  return detail::extract<uint64_t>(a, lane);
}

// replace_lane: narrow lanes take the low bits of {x}.

/// i8x16.replace_lane.
inline V128 I8x16ReplaceLane(const V128& a, uint32_t x, uint8_t lane) {
  return detail::replace(a, static_cast<uint8_t>(x), lane);
}
/// i16x8.replace_lane.
inline V128 I16x8ReplaceLane(const V128& a, uint32_t x, uint8_t lane) {
  return detail::replace(a, static_cast<uint16_t>(x), lane);
}
/// i32x4.replace_lane.
inline V128 I32x4ReplaceLane(const V128& a, uint32_t x, uint8_t lane) {
  return detail::replace(a, x, lane);
}
/// i64x2.replace_lane.
inline V128 I64x2ReplaceLane(const V128& a, uint64_t x, uint8_t lane) {
  return detail::replace(a, x, lane);
}
/// f32x4.replace_lane ({bits} is the f32 bit pattern).
inline V128 F32x4ReplaceLane(const V128& a, uint32_t bits, uint8_t lane) {
  return detail::replace(a, bits, lane);
}
/// f64x2.replace_lane ({bits} is the f64 bit pattern).
inline V128 F64x2ReplaceLane(const V128& a, uint64_t bits, uint8_t lane) {
  return detail::replace(a, bits, lane);
}

// Byte permutations.

/// i8x16.shuffle: r[i] = concat(a, b)[lanes[i]]. The validator guarantees lanes[i] < 32; the
/// index is masked anyway so an unvalidated immediate cannot read out of bounds.
inline V128 I8x16Shuffle(const V128& a, const V128& b, const V128& lanes) {
  uint8_t both[32];
  std::memcpy(both, a.bytes, 16);
  std::memcpy(both + 16, b.bytes, 16);
  V128 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = both[lanes.bytes[i] & 31];
  return r;
}

/// i8x16.swizzle: r[i] = s[i] < 16 ? a[s[i]] : 0.
inline V128 I8x16Swizzle(const V128& a, const V128& s) {
  V128 r;
  for (int i = 0; i < 16; ++i) {
    uint8_t idx = s.bytes[i];
    r.bytes[i] = idx < 16 ? a.bytes[idx] : uint8_t{0};
  }
  return r;
}

// Whole-vector bit ops.

/// v128.not.
inline V128 V128Not(const V128& a) { return detail::to_v128(~detail::vec<detail::VU64>(a)); }
/// v128.and.
inline V128 V128And(const V128& a, const V128& b) {
  return detail::to_v128(detail::vec<detail::VU64>(a) & detail::vec<detail::VU64>(b));
}
/// v128.andnot: a & ~b.
inline V128 V128AndNot(const V128& a, const V128& b) {
  return detail::to_v128(detail::vec<detail::VU64>(a) & ~detail::vec<detail::VU64>(b));
}
/// v128.or.
inline V128 V128Or(const V128& a, const V128& b) {
  return detail::to_v128(detail::vec<detail::VU64>(a) | detail::vec<detail::VU64>(b));
}
/// v128.xor.
inline V128 V128Xor(const V128& a, const V128& b) {
  return detail::to_v128(detail::vec<detail::VU64>(a) ^ detail::vec<detail::VU64>(b));
}
/// v128.bitselect: bits of {a} where mask {c} is 1, bits of {b} where it is 0.
inline V128 V128Bitselect(const V128& a, const V128& b, const V128& c) {
  auto m = detail::vec<detail::VU64>(c);
  return detail::to_v128((detail::vec<detail::VU64>(a) & m) | (detail::vec<detail::VU64>(b) & ~m));
}
/// v128.any_true: 1 if any bit is set.
inline uint32_t V128AnyTrue(const V128& a) {
  auto l = detail::lanes<uint64_t>(a);
  return (l.v[0] | l.v[1]) != 0 ? 1 : 0;
}

// Widening for v128.load8x8_s ... v128.load32x2_u: {raw} is the 8 loaded bytes read as a
// little-endian u64 (byte k of memory is bits 8k..8k+7).

/// v128.load8x8_s lane math: 8 signed bytes -> 8 x i16.
inline V128 V128Load8x8S(uint64_t raw) { return detail::widen_raw<int8_t, int16_t>(raw); }
/// v128.load8x8_u lane math: 8 unsigned bytes -> 8 x i16.
inline V128 V128Load8x8U(uint64_t raw) { return detail::widen_raw<uint8_t, uint16_t>(raw); }
/// v128.load16x4_s lane math: 4 x s16 -> 4 x i32.
inline V128 V128Load16x4S(uint64_t raw) { return detail::widen_raw<int16_t, int32_t>(raw); }
/// v128.load16x4_u lane math: 4 x u16 -> 4 x i32.
inline V128 V128Load16x4U(uint64_t raw) { return detail::widen_raw<uint16_t, uint32_t>(raw); }
/// v128.load32x2_s lane math: 2 x s32 -> 2 x i64.
inline V128 V128Load32x2S(uint64_t raw) { return detail::widen_raw<int32_t, int64_t>(raw); }
/// v128.load32x2_u lane math: 2 x u32 -> 2 x i64.
inline V128 V128Load32x2U(uint64_t raw) { return detail::widen_raw<uint32_t, uint64_t>(raw); }

}  // namespace rill::engine::simd
