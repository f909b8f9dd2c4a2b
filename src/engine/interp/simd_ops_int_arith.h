// SIMD integer arithmetic ops, one wrapper per opcode over the templates in simd_ops_int.h:
// neg/abs, add/sub/mul (wrapping and saturating), min/max, avgr_u, shifts, popcnt, all_true,
// bitmask, narrow, extend, extmul, extadd_pairwise, dot and q15mulr_sat. Included by simd_ops.h.
#pragma once

#include <algorithm>
#include <cstdint>

#include "rill/engine/interp/simd_ops_int.h"

namespace rill::engine::simd {

namespace detail {

/// i32x4.dot_i16x8_s lane: a[2i]*b[2i] + a[2i+1]*b[2i+1], wrapped to 32 bits (the only overflow
/// is 2 * (-32768)^2 = 2^31, which wraps to INT32_MIN as i32.add would).
inline V128 dot_i16x8_s(const V128& a, const V128& b) {
  Lanes<int16_t> x = lanes<int16_t>(a);
  Lanes<int16_t> y = lanes<int16_t>(b);
  Lanes<uint32_t> r;
  for (size_t i = 0; i < 4; ++i) {
    int64_t sum = int64_t{x.v[2 * i]} * y.v[2 * i] + int64_t{x.v[2 * i + 1]} * y.v[2 * i + 1];
    r.v[i] = static_cast<uint32_t>(sum);
  }
  return join(r);
}

/// i16x8.q15mulr_sat_s lane: (x*y + 2^14) >> 15, saturated; only (-32768)^2 can overflow.
inline V128 q15mulr_sat_s(const V128& a, const V128& b) {
  return map2<int16_t>(a, b, [](int16_t x, int16_t y) {
    int32_t r = (int32_t{x} * int32_t{y} + 0x4000) >> 15;
    return static_cast<int16_t>(std::min<int32_t>(r, INT16_MAX));
  });
}

}  // namespace detail


// i8x16

/// i8x16.neg (wrapping).
inline V128 I8x16Neg(const V128& a) { return detail::neg<uint8_t>(a); }
/// i8x16.abs (the minimum value stays itself).
inline V128 I8x16Abs(const V128& a) { return detail::abs<int8_t>(a); }
/// i8x16.add.
inline V128 I8x16Add(const V128& a, const V128& b) { return detail::add<uint8_t>(a, b); }
/// i8x16.sub.
inline V128 I8x16Sub(const V128& a, const V128& b) { return detail::sub<uint8_t>(a, b); }
/// i8x16.add_sat_s.
inline V128 I8x16AddSatS(const V128& a, const V128& b) { return detail::add_sat_s<int8_t>(a, b); }
/// i8x16.add_sat_u.
inline V128 I8x16AddSatU(const V128& a, const V128& b) { return detail::add_sat_u<uint8_t>(a, b); }
/// i8x16.sub_sat_s.
inline V128 I8x16SubSatS(const V128& a, const V128& b) { return detail::sub_sat_s<int8_t>(a, b); }
/// i8x16.sub_sat_u.
inline V128 I8x16SubSatU(const V128& a, const V128& b) { return detail::sub_sat_u<uint8_t>(a, b); }
/// i8x16.min_s.
inline V128 I8x16MinS(const V128& a, const V128& b) { return detail::min<int8_t>(a, b); }
/// i8x16.min_u.
inline V128 I8x16MinU(const V128& a, const V128& b) { return detail::min<uint8_t>(a, b); }
/// i8x16.max_s.
inline V128 I8x16MaxS(const V128& a, const V128& b) { return detail::max<int8_t>(a, b); }
/// i8x16.max_u.
inline V128 I8x16MaxU(const V128& a, const V128& b) { return detail::max<uint8_t>(a, b); }
/// i8x16.avgr_u (rounding up).
inline V128 I8x16AvgrU(const V128& a, const V128& b) { return detail::avgr_u<uint8_t>(a, b); }
/// i8x16.shl (count modulo lane width).
inline V128 I8x16Shl(const V128& a, uint32_t n) { return detail::shl<uint8_t>(a, n); }
/// i8x16.shr_s (arithmetic; count modulo lane width).
inline V128 I8x16ShrS(const V128& a, uint32_t n) { return detail::shr<int8_t>(a, n); }
/// i8x16.shr_u (logical; count modulo lane width).
inline V128 I8x16ShrU(const V128& a, uint32_t n) { return detail::shr<uint8_t>(a, n); }
/// i8x16.all_true: 1 iff no lane is zero.
inline uint32_t I8x16AllTrue(const V128& a) { return detail::all_true<uint8_t>(a); }
/// i8x16.bitmask: bit i = top bit of lane i.
inline uint32_t I8x16Bitmask(const V128& a) { return detail::bitmask<uint8_t>(a); }
/// i8x16.popcnt: set bits per byte.
inline V128 I8x16Popcnt(const V128& a) { return detail::popcnt8(a); }
/// i8x16.narrow_i16x8_s (signed saturation).
inline V128 I8x16NarrowI16x8S(const V128& a, const V128& b) {
  return detail::narrow<int16_t, int8_t>(a, b);
}
/// i8x16.narrow_i16x8_u (unsigned saturation of signed input).
inline V128 I8x16NarrowI16x8U(const V128& a, const V128& b) {
  return detail::narrow<int16_t, uint8_t>(a, b);
}

// i16x8

/// i16x8.neg (wrapping).
inline V128 I16x8Neg(const V128& a) { return detail::neg<uint16_t>(a); }
/// i16x8.abs (the minimum value stays itself).
inline V128 I16x8Abs(const V128& a) { return detail::abs<int16_t>(a); }
/// i16x8.add.
inline V128 I16x8Add(const V128& a, const V128& b) { return detail::add<uint16_t>(a, b); }
/// i16x8.sub.
inline V128 I16x8Sub(const V128& a, const V128& b) { return detail::sub<uint16_t>(a, b); }
/// i16x8.add_sat_s.
inline V128 I16x8AddSatS(const V128& a, const V128& b) { return detail::add_sat_s<int16_t>(a, b); }
/// i16x8.add_sat_u.
inline V128 I16x8AddSatU(const V128& a, const V128& b) { return detail::add_sat_u<uint16_t>(a, b); }
/// i16x8.sub_sat_s.
inline V128 I16x8SubSatS(const V128& a, const V128& b) { return detail::sub_sat_s<int16_t>(a, b); }
/// i16x8.sub_sat_u.
inline V128 I16x8SubSatU(const V128& a, const V128& b) { return detail::sub_sat_u<uint16_t>(a, b); }
/// i16x8.mul (low half of the product).
inline V128 I16x8Mul(const V128& a, const V128& b) { return detail::mul<uint16_t>(a, b); }
/// i16x8.min_s.
inline V128 I16x8MinS(const V128& a, const V128& b) { return detail::min<int16_t>(a, b); }
/// i16x8.min_u.
inline V128 I16x8MinU(const V128& a, const V128& b) { return detail::min<uint16_t>(a, b); }
/// i16x8.max_s.
inline V128 I16x8MaxS(const V128& a, const V128& b) { return detail::max<int16_t>(a, b); }
/// i16x8.max_u.
inline V128 I16x8MaxU(const V128& a, const V128& b) { return detail::max<uint16_t>(a, b); }
/// i16x8.avgr_u (rounding up).
inline V128 I16x8AvgrU(const V128& a, const V128& b) { return detail::avgr_u<uint16_t>(a, b); }
/// i16x8.shl (count modulo lane width).
inline V128 I16x8Shl(const V128& a, uint32_t n) { return detail::shl<uint16_t>(a, n); }
/// i16x8.shr_s (arithmetic; count modulo lane width).
inline V128 I16x8ShrS(const V128& a, uint32_t n) { return detail::shr<int16_t>(a, n); }
/// i16x8.shr_u (logical; count modulo lane width).
inline V128 I16x8ShrU(const V128& a, uint32_t n) { return detail::shr<uint16_t>(a, n); }
/// i16x8.all_true: 1 iff no lane is zero.
inline uint32_t I16x8AllTrue(const V128& a) { return detail::all_true<uint16_t>(a); }
/// i16x8.bitmask: bit i = top bit of lane i.
inline uint32_t I16x8Bitmask(const V128& a) { return detail::bitmask<uint16_t>(a); }
/// i16x8.narrow_i32x4_s (signed saturation).
inline V128 I16x8NarrowI32x4S(const V128& a, const V128& b) {
  return detail::narrow<int32_t, int16_t>(a, b);
}
/// i16x8.narrow_i32x4_u (unsigned saturation of signed input).
inline V128 I16x8NarrowI32x4U(const V128& a, const V128& b) {
  return detail::narrow<int32_t, uint16_t>(a, b);
}
/// i16x8.extend_low_i8x16_s.
inline V128 I16x8ExtendLowI8x16S(const V128& a) { return detail::extend<int8_t, int16_t, 0>(a); }
/// i16x8.extend_low_i8x16_u.
inline V128 I16x8ExtendLowI8x16U(const V128& a) { return detail::extend<uint8_t, uint16_t, 0>(a); }
/// i16x8.extend_high_i8x16_s.
inline V128 I16x8ExtendHighI8x16S(const V128& a) { return detail::extend<int8_t, int16_t, 8>(a); }
/// i16x8.extend_high_i8x16_u.
inline V128 I16x8ExtendHighI8x16U(const V128& a) { return detail::extend<uint8_t, uint16_t, 8>(a); }
/// i16x8.extmul_low_i8x16_s.
inline V128 I16x8ExtmulLowI8x16S(const V128& a, const V128& b) {
  return detail::extmul<int8_t, int16_t, 0>(a, b);
}
/// i16x8.extmul_low_i8x16_u.
inline V128 I16x8ExtmulLowI8x16U(const V128& a, const V128& b) {
  return detail::extmul<uint8_t, uint16_t, 0>(a, b);
}
/// i16x8.extmul_high_i8x16_s.
inline V128 I16x8ExtmulHighI8x16S(const V128& a, const V128& b) {
  return detail::extmul<int8_t, int16_t, 8>(a, b);
}
/// i16x8.extmul_high_i8x16_u.
inline V128 I16x8ExtmulHighI8x16U(const V128& a, const V128& b) {
  return detail::extmul<uint8_t, uint16_t, 8>(a, b);
}
/// i16x8.extadd_pairwise_i8x16_s.
inline V128 I16x8ExtaddPairwiseI8x16S(const V128& a) {
  return detail::extadd_pairwise<int8_t, int16_t>(a);
}
/// i16x8.extadd_pairwise_i8x16_u.
inline V128 I16x8ExtaddPairwiseI8x16U(const V128& a) {
  return detail::extadd_pairwise<uint8_t, uint16_t>(a);
}
/// i16x8.q15mulr_sat_s: rounding Q15 multiply, saturated.
inline V128 I16x8Q15mulrSatS(const V128& a, const V128& b) { return detail::q15mulr_sat_s(a, b); }

// i32x4

/// i32x4.neg (wrapping).
inline V128 I32x4Neg(const V128& a) { return detail::neg<uint32_t>(a); }
/// i32x4.abs (the minimum value stays itself).
inline V128 I32x4Abs(const V128& a) { return detail::abs<int32_t>(a); }
/// i32x4.add.
inline V128 I32x4Add(const V128& a, const V128& b) { return detail::add<uint32_t>(a, b); }
/// i32x4.sub.
inline V128 I32x4Sub(const V128& a, const V128& b) { return detail::sub<uint32_t>(a, b); }
/// i32x4.mul (low half of the product).
inline V128 I32x4Mul(const V128& a, const V128& b) { return detail::mul<uint32_t>(a, b); }
/// i32x4.min_s.
inline V128 I32x4MinS(const V128& a, const V128& b) { return detail::min<int32_t>(a, b); }
/// i32x4.min_u.
inline V128 I32x4MinU(const V128& a, const V128& b) { return detail::min<uint32_t>(a, b); }
/// i32x4.max_s.
inline V128 I32x4MaxS(const V128& a, const V128& b) { return detail::max<int32_t>(a, b); }
/// i32x4.max_u.
inline V128 I32x4MaxU(const V128& a, const V128& b) { return detail::max<uint32_t>(a, b); }
/// i32x4.shl (count modulo lane width).
inline V128 I32x4Shl(const V128& a, uint32_t n) { return detail::shl<uint32_t>(a, n); }
/// i32x4.shr_s (arithmetic; count modulo lane width).
inline V128 I32x4ShrS(const V128& a, uint32_t n) { return detail::shr<int32_t>(a, n); }
/// i32x4.shr_u (logical; count modulo lane width).
inline V128 I32x4ShrU(const V128& a, uint32_t n) { return detail::shr<uint32_t>(a, n); }
/// i32x4.all_true: 1 iff no lane is zero.
inline uint32_t I32x4AllTrue(const V128& a) { return detail::all_true<uint32_t>(a); }
/// i32x4.bitmask: bit i = top bit of lane i.
inline uint32_t I32x4Bitmask(const V128& a) { return detail::bitmask<uint32_t>(a); }
/// i32x4.extend_low_i16x8_s.
inline V128 I32x4ExtendLowI16x8S(const V128& a) { return detail::extend<int16_t, int32_t, 0>(a); }
/// i32x4.extend_low_i16x8_u.
inline V128 I32x4ExtendLowI16x8U(const V128& a) { return detail::extend<uint16_t, uint32_t, 0>(a); }
/// i32x4.extend_high_i16x8_s.
inline V128 I32x4ExtendHighI16x8S(const V128& a) { return detail::extend<int16_t, int32_t, 4>(a); }
/// i32x4.extend_high_i16x8_u.
inline V128 I32x4ExtendHighI16x8U(const V128& a) {
  return detail::extend<uint16_t, uint32_t, 4>(a);
}
/// i32x4.extmul_low_i16x8_s.
inline V128 I32x4ExtmulLowI16x8S(const V128& a, const V128& b) {
  return detail::extmul<int16_t, int32_t, 0>(a, b);
}
/// i32x4.extmul_low_i16x8_u.
inline V128 I32x4ExtmulLowI16x8U(const V128& a, const V128& b) {
  return detail::extmul<uint16_t, uint32_t, 0>(a, b);
}
/// i32x4.extmul_high_i16x8_s.
inline V128 I32x4ExtmulHighI16x8S(const V128& a, const V128& b) {
  return detail::extmul<int16_t, int32_t, 4>(a, b);
}
/// i32x4.extmul_high_i16x8_u.
inline V128 I32x4ExtmulHighI16x8U(const V128& a, const V128& b) {
  return detail::extmul<uint16_t, uint32_t, 4>(a, b);
}
/// i32x4.extadd_pairwise_i16x8_s.
inline V128 I32x4ExtaddPairwiseI16x8S(const V128& a) {
  return detail::extadd_pairwise<int16_t, int32_t>(a);
}
/// i32x4.extadd_pairwise_i16x8_u.
inline V128 I32x4ExtaddPairwiseI16x8U(const V128& a) {
  return detail::extadd_pairwise<uint16_t, uint32_t>(a);
}
/// i32x4.dot_i16x8_s: sums of adjacent signed products.
inline V128 I32x4DotI16x8S(const V128& a, const V128& b) { return detail::dot_i16x8_s(a, b); }

// i64x2

/// i64x2.neg (wrapping).
inline V128 I64x2Neg(const V128& a) { return detail::neg<uint64_t>(a); }
/// i64x2.abs (the minimum value stays itself).
inline V128 I64x2Abs(const V128& a) { return detail::abs<int64_t>(a); }
/// i64x2.add.
inline V128 I64x2Add(const V128& a, const V128& b) { return detail::add<uint64_t>(a, b); }
/// i64x2.sub.
inline V128 I64x2Sub(const V128& a, const V128& b) { return detail::sub<uint64_t>(a, b); }
/// i64x2.mul (low half of the product).
inline V128 I64x2Mul(const V128& a, const V128& b) { return detail::mul<uint64_t>(a, b); }
/// i64x2.shl (count modulo lane width).
inline V128 I64x2Shl(const V128& a, uint32_t n) { return detail::shl<uint64_t>(a, n); }
/// i64x2.shr_s (arithmetic; count modulo lane width).
inline V128 I64x2ShrS(const V128& a, uint32_t n) { return detail::shr<int64_t>(a, n); }
/// i64x2.shr_u (logical; count modulo lane width).
inline V128 I64x2ShrU(const V128& a, uint32_t n) { return detail::shr<uint64_t>(a, n); }
/// i64x2.all_true: 1 iff no lane is zero.
inline uint32_t I64x2AllTrue(const V128& a) { return detail::all_true<uint64_t>(a); }
/// i64x2.bitmask: bit i = top bit of lane i.
inline uint32_t I64x2Bitmask(const V128& a) { return detail::bitmask<uint64_t>(a); }
/// i64x2.extend_low_i32x4_s.
inline V128 I64x2ExtendLowI32x4S(const V128& a) { return detail::extend<int32_t, int64_t, 0>(a); }
/// i64x2.extend_low_i32x4_u.
inline V128 I64x2ExtendLowI32x4U(const V128& a) { return detail::extend<uint32_t, uint64_t, 0>(a); }
/// i64x2.extend_high_i32x4_s.
inline V128 I64x2ExtendHighI32x4S(const V128& a) { return detail::extend<int32_t, int64_t, 2>(a); }
/// i64x2.extend_high_i32x4_u.
inline V128 I64x2ExtendHighI32x4U(const V128& a) {
  return detail::extend<uint32_t, uint64_t, 2>(a);
}
/// i64x2.extmul_low_i32x4_s.
inline V128 I64x2ExtmulLowI32x4S(const V128& a, const V128& b) {
  return detail::extmul<int32_t, int64_t, 0>(a, b);
}
/// i64x2.extmul_low_i32x4_u.
inline V128 I64x2ExtmulLowI32x4U(const V128& a, const V128& b) {
  return detail::extmul<uint32_t, uint64_t, 0>(a, b);
}
/// i64x2.extmul_high_i32x4_s.
inline V128 I64x2ExtmulHighI32x4S(const V128& a, const V128& b) {
  return detail::extmul<int32_t, int64_t, 2>(a, b);
}
/// i64x2.extmul_high_i32x4_u.
inline V128 I64x2ExtmulHighI32x4U(const V128& a, const V128& b) {
  return detail::extmul<uint32_t, uint64_t, 2>(a, b);
}

}  // namespace rill::engine::simd
