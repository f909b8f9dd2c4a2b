// SIMD float lane ops (f32x4, f64x2): comparisons, abs/neg, arithmetic, sqrt, min/max, pmin/pmax,
// ceil/floor/trunc/nearest, and every conversion between float and integer shapes (trunc_sat,
// convert, demote, promote). Included by simd_ops.h.
// NaN results come from the hardware operation (a quiet, hence arithmetic, NaN; canonical when the
// inputs are); abs/neg only touch the sign bit, as the spec requires.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "rill/engine/interp/simd_ops_detail.h"

namespace rill::engine::simd {

namespace detail {

/// The unsigned integer with the same width as float type {T}.
template <class T>
using FBits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;

/// The sign bit of float type {T}.
template <class T>
inline constexpr FBits<T> kSignBit = FBits<T>{1} << (sizeof(T) * 8 - 1);

template <class T>
inline V128 fabs(const V128& a) { return to_v128(vec<Vec<FBits<T>>>(a) & ~kSignBit<T>); }
template <class T>
inline V128 fneg(const V128& a) { return to_v128(vec<Vec<FBits<T>>>(a) ^ kSignBit<T>); }
template <class T>
inline V128 fadd(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) + vec<Vec<T>>(b)); }
template <class T>
inline V128 fsub(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) - vec<Vec<T>>(b)); }
template <class T>
inline V128 fmul(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) * vec<Vec<T>>(b)); }
template <class T>
inline V128 fdiv(const V128& a, const V128& b) { return to_v128(vec<Vec<T>>(a) / vec<Vec<T>>(b)); }
template <class T>
inline V128 fsqrt(const V128& a) {
  return map1<T>(a, [](T x) { return std::sqrt(x); });
}

/// min: NaN if either is NaN (x + y yields an arithmetic NaN), and -0 < +0 (OR of the sign bits).
template <class T>
inline T fmin_lane(T x, T y) {
  if (std::isnan(x) || std::isnan(y)) return x + y;
  if (x == y) return std::bit_cast<T>(std::bit_cast<FBits<T>>(x) | std::bit_cast<FBits<T>>(y));
  return x < y ? x : y;
}
/// max: NaN if either is NaN, and +0 > -0 (AND of the sign bits).
template <class T>
inline T fmax_lane(T x, T y) {
  if (std::isnan(x) || std::isnan(y)) return x + y;
  if (x == y) return std::bit_cast<T>(std::bit_cast<FBits<T>>(x) & std::bit_cast<FBits<T>>(y));
  return x > y ? x : y;
}
template <class T>
inline V128 fmin(const V128& a, const V128& b) { return map2<T>(a, b, fmin_lane<T>); }
template <class T>
inline V128 fmax(const V128& a, const V128& b) { return map2<T>(a, b, fmax_lane<T>); }

/// pmin: b < a ? b : a, plain IEEE compare (a NaN in either position yields {a}).
template <class T>
inline V128 pmin(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> y = vec<Vec<T>>(b);
  return to_v128(y < x ? y : x);
}
/// pmax: a < b ? b : a.
template <class T>
inline V128 pmax(const V128& a, const V128& b) {
  Vec<T> x = vec<Vec<T>>(a);
  Vec<T> y = vec<Vec<T>>(b);
  return to_v128(x < y ? y : x);
}

/// Applies rounding function {f} per lane; NaN lanes are quieted explicitly (x + x) rather than
/// trusting every libm to quiet a signalling NaN.
template <class T, class F>
inline V128 round_lanes(const V128& a, F f) {
  return map1<T>(a, [f](T x) { return std::isnan(x) ? x + x : f(x); });
}
template <class T>
inline V128 fceil(const V128& a) { return round_lanes<T>(a, [](T x) { return std::ceil(x); }); }
template <class T>
inline V128 ffloor(const V128& a) { return round_lanes<T>(a, [](T x) { return std::floor(x); }); }
template <class T>
inline V128 ftrunc(const V128& a) { return round_lanes<T>(a, [](T x) { return std::trunc(x); }); }
/// nearest: ties to even. nearbyint uses the current rounding mode, which wasm code cannot change
/// from round-to-nearest-even.
template <class T>
inline V128 fnearest(const V128& a) {
  return round_lanes<T>(a, [](T x) { return std::nearbyint(x); });
}

/// Saturating truncation: NaN -> 0, below range -> MIN, above range -> MAX, else toward zero.
/// The bounds are powers of two, exact in both float and double, and the in-range cast is then
/// always representable (no UB).
template <class To, class From>
inline To trunc_sat(From x) {
  constexpr unsigned kValueBits = sizeof(To) * 8 - (std::is_signed_v<To> ? 1 : 0);
  constexpr From kHi = static_cast<From>(uint64_t{1} << kValueBits);
  constexpr From kLo = std::is_signed_v<To> ? -kHi : From{0};
  if (std::isnan(x)) return 0;
  if (x <= kLo) return std::numeric_limits<To>::min();
  if (x >= kHi) return std::numeric_limits<To>::max();
  return static_cast<To>(x);
}

/// Lane-shape conversion: r[i] = f(a[i]) for the lanes both shapes have; extra result lanes are
/// zero (the _zero variants) and extra input lanes are ignored (the _low variants).
template <class From, class To, class F>
inline V128 convert(const V128& a, F f) {
  Lanes<From> x = lanes<From>(a);
  Lanes<To> r{};
  constexpr size_t kN = std::min(Lanes<From>::kCount, Lanes<To>::kCount);
  for (size_t i = 0; i < kN; ++i) r.v[i] = f(x.v[i]);
  return join(r);
}

/// Value conversion usable with {convert}: a plain static_cast.
template <class To>
struct Cast {
  template <class From>
  To operator()(From x) const { return static_cast<To>(x); }
};

}  // namespace detail

// Comparisons (all-ones lane for true; false whenever a NaN is involved, except ne).

/// f32x4.eq.
inline V128 F32x4Eq(const V128& a, const V128& b) { return detail::eq<float>(a, b); }
/// f32x4.ne.
inline V128 F32x4Ne(const V128& a, const V128& b) { return detail::ne<float>(a, b); }
/// f32x4.lt.
inline V128 F32x4Lt(const V128& a, const V128& b) { return detail::lt<float>(a, b); }
/// f32x4.gt.
inline V128 F32x4Gt(const V128& a, const V128& b) { return detail::gt<float>(a, b); }
/// f32x4.le.
inline V128 F32x4Le(const V128& a, const V128& b) { return detail::le<float>(a, b); }
/// f32x4.ge.
inline V128 F32x4Ge(const V128& a, const V128& b) { return detail::ge<float>(a, b); }
/// f64x2.eq.
inline V128 F64x2Eq(const V128& a, const V128& b) { return detail::eq<double>(a, b); }
/// f64x2.ne.
inline V128 F64x2Ne(const V128& a, const V128& b) { return detail::ne<double>(a, b); }
/// f64x2.lt.
inline V128 F64x2Lt(const V128& a, const V128& b) { return detail::lt<double>(a, b); }
/// f64x2.gt.
inline V128 F64x2Gt(const V128& a, const V128& b) { return detail::gt<double>(a, b); }
/// f64x2.le.
inline V128 F64x2Le(const V128& a, const V128& b) { return detail::le<double>(a, b); }
/// f64x2.ge.
inline V128 F64x2Ge(const V128& a, const V128& b) { return detail::ge<double>(a, b); }

// f32x4 arithmetic.

/// f32x4.abs (clears the sign bit, NaNs included).
inline V128 F32x4Abs(const V128& a) { return detail::fabs<float>(a); }
/// f32x4.neg (flips the sign bit, NaNs included).
inline V128 F32x4Neg(const V128& a) { return detail::fneg<float>(a); }
/// f32x4.sqrt.
inline V128 F32x4Sqrt(const V128& a) { return detail::fsqrt<float>(a); }
/// f32x4.add.
inline V128 F32x4Add(const V128& a, const V128& b) { return detail::fadd<float>(a, b); }
/// f32x4.sub.
inline V128 F32x4Sub(const V128& a, const V128& b) { return detail::fsub<float>(a, b); }
/// f32x4.mul.
inline V128 F32x4Mul(const V128& a, const V128& b) { return detail::fmul<float>(a, b); }
/// f32x4.div.
inline V128 F32x4Div(const V128& a, const V128& b) { return detail::fdiv<float>(a, b); }
/// f32x4.min (NaN-propagating; -0 < +0).
inline V128 F32x4Min(const V128& a, const V128& b) { return detail::fmin<float>(a, b); }
/// f32x4.max (NaN-propagating; -0 < +0).
inline V128 F32x4Max(const V128& a, const V128& b) { return detail::fmax<float>(a, b); }
/// f32x4.pmin: b < a ? b : a.
inline V128 F32x4Pmin(const V128& a, const V128& b) { return detail::pmin<float>(a, b); }
/// f32x4.pmax: a < b ? b : a.
inline V128 F32x4Pmax(const V128& a, const V128& b) { return detail::pmax<float>(a, b); }
/// f32x4.ceil.
inline V128 F32x4Ceil(const V128& a) { return detail::fceil<float>(a); }
/// f32x4.floor.
inline V128 F32x4Floor(const V128& a) { return detail::ffloor<float>(a); }
/// f32x4.trunc.
inline V128 F32x4Trunc(const V128& a) { return detail::ftrunc<float>(a); }
/// f32x4.nearest (ties to even).
inline V128 F32x4Nearest(const V128& a) { return detail::fnearest<float>(a); }

// f64x2 arithmetic.

/// f64x2.abs (clears the sign bit, NaNs included).
inline V128 F64x2Abs(const V128& a) { return detail::fabs<double>(a); }
/// f64x2.neg (flips the sign bit, NaNs included).
inline V128 F64x2Neg(const V128& a) { return detail::fneg<double>(a); }
/// f64x2.sqrt.
inline V128 F64x2Sqrt(const V128& a) { return detail::fsqrt<double>(a); }
/// f64x2.add.
inline V128 F64x2Add(const V128& a, const V128& b) { return detail::fadd<double>(a, b); }
/// f64x2.sub.
inline V128 F64x2Sub(const V128& a, const V128& b) { return detail::fsub<double>(a, b); }
/// f64x2.mul.
inline V128 F64x2Mul(const V128& a, const V128& b) { return detail::fmul<double>(a, b); }
/// f64x2.div.
inline V128 F64x2Div(const V128& a, const V128& b) { return detail::fdiv<double>(a, b); }
/// f64x2.min (NaN-propagating; -0 < +0).
inline V128 F64x2Min(const V128& a, const V128& b) { return detail::fmin<double>(a, b); }
/// f64x2.max (NaN-propagating; -0 < +0).
inline V128 F64x2Max(const V128& a, const V128& b) { return detail::fmax<double>(a, b); }
/// f64x2.pmin: b < a ? b : a.
inline V128 F64x2Pmin(const V128& a, const V128& b) { return detail::pmin<double>(a, b); }
/// f64x2.pmax: a < b ? b : a.
inline V128 F64x2Pmax(const V128& a, const V128& b) { return detail::pmax<double>(a, b); }
/// f64x2.ceil.
inline V128 F64x2Ceil(const V128& a) { return detail::fceil<double>(a); }
/// f64x2.floor.
inline V128 F64x2Floor(const V128& a) { return detail::ffloor<double>(a); }
/// f64x2.trunc.
inline V128 F64x2Trunc(const V128& a) { return detail::ftrunc<double>(a); }
/// f64x2.nearest (ties to even).
inline V128 F64x2Nearest(const V128& a) { return detail::fnearest<double>(a); }

// Conversions.

/// i32x4.trunc_sat_f32x4_s.
inline V128 I32x4TruncSatF32x4S(const V128& a) {
  return detail::convert<float, int32_t>(a, detail::trunc_sat<int32_t, float>);
}
/// i32x4.trunc_sat_f32x4_u.
inline V128 I32x4TruncSatF32x4U(const V128& a) {
  return detail::convert<float, uint32_t>(a, detail::trunc_sat<uint32_t, float>);
}
/// i32x4.trunc_sat_f64x2_s_zero: lanes 2 and 3 are zero.
inline V128 I32x4TruncSatF64x2SZero(const V128& a) {
  return detail::convert<double, int32_t>(a, detail::trunc_sat<int32_t, double>);
}
/// i32x4.trunc_sat_f64x2_u_zero: lanes 2 and 3 are zero.
inline V128 I32x4TruncSatF64x2UZero(const V128& a) {
  return detail::convert<double, uint32_t>(a, detail::trunc_sat<uint32_t, double>);
}
/// f32x4.convert_i32x4_s (round to nearest even).
inline V128 F32x4ConvertI32x4S(const V128& a) {
  return detail::convert<int32_t, float>(a, detail::Cast<float>{});
}
/// f32x4.convert_i32x4_u (round to nearest even).
inline V128 F32x4ConvertI32x4U(const V128& a) {
  return detail::convert<uint32_t, float>(a, detail::Cast<float>{});
}
/// f64x2.convert_low_i32x4_s (exact).
inline V128 F64x2ConvertLowI32x4S(const V128& a) {
  return detail::convert<int32_t, double>(a, detail::Cast<double>{});
}
/// f64x2.convert_low_i32x4_u (exact).
inline V128 F64x2ConvertLowI32x4U(const V128& a) {
  return detail::convert<uint32_t, double>(a, detail::Cast<double>{});
}
/// f32x4.demote_f64x2_zero: lanes 0-1 rounded to f32 (overflow -> inf), lanes 2-3 are +0.
inline V128 F32x4DemoteF64x2Zero(const V128& a) {
  return detail::convert<double, float>(a, detail::Cast<float>{});
}
/// f64x2.promote_low_f32x4: lanes 0-1 widened exactly.
inline V128 F64x2PromoteLowF32x4(const V128& a) {
  return detail::convert<float, double>(a, detail::Cast<double>{});
}

}  // namespace rill::engine::simd
