// SIMD integer lane templates (detail::) for all integer ops, plus the integer comparison ops.
// The remaining integer ops are thin wrappers in simd_ops_int_arith.h. Wrapping arithmetic runs on
// unsigned vectors so no lane overflows a signed type (UB); widening math uses wide-enough types.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "rill/engine/interp/simd_ops_detail.h"

namespace rill::engine::simd {

namespace detail {

template <class T>
using VecU = Vec<std::make_unsigned_t<T>>;

// Wrapping arithmetic (modulo 2^N).
template <class T>
inline V128 add(const V128& a, const V128& b) { return to_v128(vec<VecU<T>>(a) + vec<VecU<T>>(b)); }
template <class T>
inline V128 sub(const V128& a, const V128& b) { return to_v128(vec<VecU<T>>(a) - vec<VecU<T>>(b)); }
template <class T>
inline V128 mul(const V128& a, const V128& b) { return to_v128(vec<VecU<T>>(a) * vec<VecU<T>>(b)); }
template <class T>
inline V128 neg(const V128& a) { return to_v128(VecU<T>{} - vec<VecU<T>>(a)); }

/// abs: (x ^ m) - m with m = all-ones for negative lanes; INT_MIN maps to itself.
template <class T>
inline V128 abs(const V128& a) {
  using VS = Vec<std::make_signed_t<T>>;
  VS s = vec<VS>(a);
  auto m = std::bit_cast<VecU<T>>(s < VS{});
  return to_v128((std::bit_cast<VecU<T>>(s) ^ m) - m);
}

/// min/max over lanes of {T} (signedness picks _s vs _u).
template <class T>
inline V128 min(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> y = vec<Vec<T>>(b);
  return to_v128(y < x ? y : x);
}
template <class T>
inline V128 max(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> y = vec<Vec<T>>(b);
  return to_v128(x < y ? y : x);
}

/// add_sat_u: the wrapped sum, or all-ones where it wrapped (sum < x).
template <class T>
inline V128 add_sat_u(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> s = x + vec<Vec<T>>(b);
  return to_v128(s | std::bit_cast<Vec<T>>(s < x));
}
/// sub_sat_u: x - y where x >= y, else 0.
template <class T>
inline V128 sub_sat_u(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> y = vec<Vec<T>>(b);
  return to_v128((x - y) & std::bit_cast<Vec<T>>(x >= y));
}

/// Signed saturation value for lanes whose exact result overflowed in the direction of {x}'s
/// sign: MIN when {x} < 0, MAX otherwise.
template <class T>
inline Vec<T> sat_toward(const Vec<T>& x) {
  return (x >> (sizeof(T) * 8 - 1)) ^ std::numeric_limits<T>::max();
}
/// add_sat_s: overflow iff both inputs have the same sign and the wrapped sum's differs.
template <class T>
inline V128 add_sat_s(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> y = vec<Vec<T>>(b);
  auto r = std::bit_cast<Vec<T>>(std::bit_cast<VecU<T>>(x) + std::bit_cast<VecU<T>>(y));
  return to_v128(((r ^ x) & (r ^ y)) < Vec<T>{} ? sat_toward<T>(x) : r);
}
/// sub_sat_s: overflow iff the inputs have different signs and the wrapped difference's sign
/// differs from {x}'s.
template <class T>
inline V128 sub_sat_s(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> y = vec<Vec<T>>(b);
  auto r = std::bit_cast<Vec<T>>(std::bit_cast<VecU<T>>(x) - std::bit_cast<VecU<T>>(y));
  return to_v128(((x ^ y) & (x ^ r)) < Vec<T>{} ? sat_toward<T>(x) : r);
}

/// avgr_u: (x + y + 1) / 2 without widening, via (x | y) - ((x ^ y) >> 1).
template <class T>
inline V128 avgr_u(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> y = vec<Vec<T>>(b);
  return to_v128((x | y) - ((x ^ y) >> 1));
}

// Shifts: the count is taken modulo the lane width. {T}'s signedness picks shr_s vs shr_u.
template <class T>
inline V128 shl(const V128& a, uint32_t n) {
  return to_v128(vec<VecU<T>>(a) << static_cast<int>(n & (sizeof(T) * 8 - 1)));
}
template <class T>
inline V128 shr(const V128& a, uint32_t n) {
  return to_v128(vec<Vec<T>>(a) >> static_cast<int>(n & (sizeof(T) * 8 - 1)));
}

/// all_true: 1 iff every lane is non-zero.
template <class T>
inline uint32_t all_true(const V128& a) {
  Lanes<T> l = lanes<T>(a);
  uint32_t all = 1;
  for (T lane : l.v) all &= lane != 0 ? 1u : 0u;
  return all;
}
/// bitmask: bit i of the result is the top bit of lane i.
template <class T>
inline uint32_t bitmask(const V128& a) {
  using U = std::make_unsigned_t<T>;
  Lanes<U> l = lanes<U>(a);
  uint32_t mask = 0;
  for (size_t i = 0; i < Lanes<U>::kCount; ++i) {
    mask |= static_cast<uint32_t>(l.v[i] >> (sizeof(U) * 8 - 1)) << i;
  }
  return mask;
}

/// narrow: signed {From} lanes of a then b, saturated into {To} (signed or unsigned).
template <class From, class To>
inline V128 narrow(const V128& a, const V128& b) {
  constexpr size_t kHalf = Lanes<From>::kCount;
  Lanes<From> x = lanes<From>(a);
  Lanes<From> y = lanes<From>(b);
  Lanes<To> r;
  auto sat = [](From v) {
    constexpr From kLo = std::numeric_limits<To>::min();
    constexpr From kHi = std::numeric_limits<To>::max();
    return static_cast<To>(std::clamp<From>(v, kLo, kHi));
  };
  for (size_t i = 0; i < kHalf; ++i) {
    r.v[i] = sat(x.v[i]);
    r.v[i + kHalf] = sat(y.v[i]);
  }
  return join(r);
}

/// extend_low/high: lanes {kFirst}.. of {From}, each widened to {To} (sign or zero by {From}).
template <class From, class To, size_t kFirst>
inline V128 extend(const V128& a) {
  Lanes<From> x = lanes<From>(a);
  Lanes<To> r;
  for (size_t i = 0; i < Lanes<To>::kCount; ++i) r.v[i] = static_cast<To>(x.v[i + kFirst]);
  return join(r);
}

/// extmul_low/high: widened products of lanes {kFirst}..; every product fits in {To}.
template <class From, class To, size_t kFirst>
inline V128 extmul(const V128& a, const V128& b) {
  Lanes<From> x = lanes<From>(a);
  Lanes<From> y = lanes<From>(b);
  Lanes<To> r;
  // Multiply in at least 32 bits of {To}'s signedness, so u16 * u16 never becomes a (possibly
  // overflowing) promoted signed int.
  using Wide32 = std::conditional_t<std::is_signed_v<To>, int32_t, uint32_t>;
  using Wide = std::conditional_t<(sizeof(To) > 4), To, Wide32>;
  for (size_t i = 0; i < Lanes<To>::kCount; ++i) {
    Wide product = static_cast<Wide>(x.v[i + kFirst]) * static_cast<Wide>(y.v[i + kFirst]);
    r.v[i] = static_cast<To>(product);
  }
  return join(r);
}

/// extadd_pairwise: r[i] = a[2i] + a[2i+1], widened; the sum always fits in {To}.
template <class From, class To>
inline V128 extadd_pairwise(const V128& a) {
  Lanes<From> x = lanes<From>(a);
  Lanes<To> r;
  for (size_t i = 0; i < Lanes<To>::kCount; ++i) {
    r.v[i] = static_cast<To>(static_cast<To>(x.v[2 * i]) + static_cast<To>(x.v[2 * i + 1]));
  }
  return join(r);
}

/// popcnt on bytes: the classic SWAR bit count, lane-parallel.
inline V128 popcnt8(const V128& a) {
  VU8 v = vec<VU8>(a);
  v = v - ((v >> 1) & 0x55);
  v = (v & 0x33) + ((v >> 2) & 0x33);
  return to_v128((v + (v >> 4)) & 0x0F);
}

}  // namespace detail

// Comparisons (all-ones lane for true, zero for false).

/// i8x16.eq.
inline V128 I8x16Eq(const V128& a, const V128& b) { return detail::eq<uint8_t>(a, b); }
/// i8x16.ne.
inline V128 I8x16Ne(const V128& a, const V128& b) { return detail::ne<uint8_t>(a, b); }
/// i8x16.lt_s.
inline V128 I8x16LtS(const V128& a, const V128& b) { return detail::lt<int8_t>(a, b); }
/// i8x16.lt_u.
inline V128 I8x16LtU(const V128& a, const V128& b) { return detail::lt<uint8_t>(a, b); }
/// i8x16.gt_s.
inline V128 I8x16GtS(const V128& a, const V128& b) { return detail::gt<int8_t>(a, b); }
/// i8x16.gt_u.
inline V128 I8x16GtU(const V128& a, const V128& b) { return detail::gt<uint8_t>(a, b); }
/// i8x16.le_s.
inline V128 I8x16LeS(const V128& a, const V128& b) { return detail::le<int8_t>(a, b); }
/// i8x16.le_u.
inline V128 I8x16LeU(const V128& a, const V128& b) { return detail::le<uint8_t>(a, b); }
/// i8x16.ge_s.
inline V128 I8x16GeS(const V128& a, const V128& b) { return detail::ge<int8_t>(a, b); }
/// i8x16.ge_u.
inline V128 I8x16GeU(const V128& a, const V128& b) { return detail::ge<uint8_t>(a, b); }
/// i16x8.eq.
inline V128 I16x8Eq(const V128& a, const V128& b) { return detail::eq<uint16_t>(a, b); }
/// i16x8.ne.
inline V128 I16x8Ne(const V128& a, const V128& b) { return detail::ne<uint16_t>(a, b); }
/// i16x8.lt_s.
inline V128 I16x8LtS(const V128& a, const V128& b) { return detail::lt<int16_t>(a, b); }
/// i16x8.lt_u.
inline V128 I16x8LtU(const V128& a, const V128& b) { return detail::lt<uint16_t>(a, b); }
/// i16x8.gt_s.
inline V128 I16x8GtS(const V128& a, const V128& b) { return detail::gt<int16_t>(a, b); }
/// i16x8.gt_u.
inline V128 I16x8GtU(const V128& a, const V128& b) { return detail::gt<uint16_t>(a, b); }
/// i16x8.le_s.
inline V128 I16x8LeS(const V128& a, const V128& b) { return detail::le<int16_t>(a, b); }
/// i16x8.le_u.
inline V128 I16x8LeU(const V128& a, const V128& b) { return detail::le<uint16_t>(a, b); }
/// i16x8.ge_s.
inline V128 I16x8GeS(const V128& a, const V128& b) { return detail::ge<int16_t>(a, b); }
/// i16x8.ge_u.
inline V128 I16x8GeU(const V128& a, const V128& b) { return detail::ge<uint16_t>(a, b); }
/// i32x4.eq.
inline V128 I32x4Eq(const V128& a, const V128& b) { return detail::eq<uint32_t>(a, b); }
/// i32x4.ne.
inline V128 I32x4Ne(const V128& a, const V128& b) { return detail::ne<uint32_t>(a, b); }
/// i32x4.lt_s.
inline V128 I32x4LtS(const V128& a, const V128& b) { return detail::lt<int32_t>(a, b); }
/// i32x4.lt_u.
inline V128 I32x4LtU(const V128& a, const V128& b) { return detail::lt<uint32_t>(a, b); }
/// i32x4.gt_s.
inline V128 I32x4GtS(const V128& a, const V128& b) { return detail::gt<int32_t>(a, b); }
/// i32x4.gt_u.
inline V128 I32x4GtU(const V128& a, const V128& b) { return detail::gt<uint32_t>(a, b); }
/// i32x4.le_s.
inline V128 I32x4LeS(const V128& a, const V128& b) { return detail::le<int32_t>(a, b); }
/// i32x4.le_u.
inline V128 I32x4LeU(const V128& a, const V128& b) { return detail::le<uint32_t>(a, b); }
/// i32x4.ge_s.
inline V128 I32x4GeS(const V128& a, const V128& b) { return detail::ge<int32_t>(a, b); }
/// i32x4.ge_u.
inline V128 I32x4GeU(const V128& a, const V128& b) { return detail::ge<uint32_t>(a, b); }
/// i64x2.eq.
inline V128 I64x2Eq(const V128& a, const V128& b) { return detail::eq<uint64_t>(a, b); }
/// i64x2.ne.
inline V128 I64x2Ne(const V128& a, const V128& b) { return detail::ne<uint64_t>(a, b); }
/// i64x2.lt_s.
inline V128 I64x2LtS(const V128& a, const V128& b) { return detail::lt<int64_t>(a, b); }
/// i64x2.gt_s.
inline V128 I64x2GtS(const V128& a, const V128& b) { return detail::gt<int64_t>(a, b); }
/// i64x2.le_s.
inline V128 I64x2LeS(const V128& a, const V128& b) { return detail::le<int64_t>(a, b); }
/// i64x2.ge_s.
inline V128 I64x2GeS(const V128& a, const V128& b) { return detail::ge<int64_t>(a, b); }

}  // namespace rill::engine::simd
