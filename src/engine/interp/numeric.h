// Scalar numeric semantics the interpreter cannot get from a plain C++ operator: trapping integer
// division, float min/max/nearest, checked and saturating float-to-int truncation.
// Slot encoding helpers (get/put by lane type) live here too. SIMD lane math is simd_ops.h.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "rill/engine/trap.h"
#include "rill/engine/value.h"

namespace rill::engine::num {

using u32 = uint32_t;
using s32 = int32_t;
using u64 = uint64_t;
using s64 = int64_t;
using f32 = float;
using f64 = double;

/// Reads a slot as {T}; i32/f32 live in the low 4 bytes.
template <class T>
inline T get(Slot s) {
  if constexpr (std::is_same_v<T, u32>) return static_cast<u32>(s);
  else if constexpr (std::is_same_v<T, s32>) return static_cast<s32>(static_cast<u32>(s));
  else if constexpr (std::is_same_v<T, u64>) return s;
  else if constexpr (std::is_same_v<T, s64>) return static_cast<s64>(s);
  else if constexpr (std::is_same_v<T, f32>) return std::bit_cast<f32>(static_cast<u32>(s));
  else return std::bit_cast<f64>(s);
}

/// Encodes {v} as a slot (32-bit values zero-extended).
template <class T>
inline Slot put(T v) {
  if constexpr (std::is_same_v<T, bool>) return v ? 1 : 0;
  else if constexpr (std::is_same_v<T, u32>) return v;
  else if constexpr (std::is_same_v<T, s32>) return static_cast<u32>(v);
  else if constexpr (std::is_same_v<T, u64>) return v;
  else if constexpr (std::is_same_v<T, s64>) return static_cast<u64>(v);
  else if constexpr (std::is_same_v<T, f32>) return std::bit_cast<u32>(v);
  else return std::bit_cast<u64>(v);
}

// Integer division: false with {trap} set when the spec traps.

template <class S>
inline bool div_s(S a, S b, S& out, TrapKind& trap) {
  if (b == 0) { trap = TrapKind::IntegerDivideByZero; return false; }
  if (a == std::numeric_limits<S>::min() && b == -1) { trap = TrapKind::IntegerOverflow; return false; }
  out = a / b;
  return true;
}
template <class S>
inline bool rem_s(S a, S b, S& out, TrapKind& trap) {
  if (b == 0) { trap = TrapKind::IntegerDivideByZero; return false; }
  out = b == -1 ? 0 : a % b;  // INT_MIN % -1 is 0 in wasm, UB in C++
  return true;
}
template <class U>
inline bool div_u(U a, U b, U& out, TrapKind& trap) {
  if (b == 0) { trap = TrapKind::IntegerDivideByZero; return false; }
  out = a / b;
  return true;
}
template <class U>
inline bool rem_u(U a, U b, U& out, TrapKind& trap) {
  if (b == 0) { trap = TrapKind::IntegerDivideByZero; return false; }
  out = a % b;
  return true;
}

// Float min/max: NaN if either is NaN, and -0 < +0.

template <class F>
inline F fmin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;  // propagates a quiet NaN
  if (a == b) return std::signbit(a) ? a : b;         // min(-0, +0) = -0
  return a < b ? a : b;
}
template <class F>
inline F fmax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
// Rounding. libm may hand a signalling NaN back unchanged; wasm wants it quieted (a + a).
template <class F>
inline F ceil(F a) { return std::isnan(a) ? a + a : std::ceil(a); }
template <class F>
inline F floor(F a) { return std::isnan(a) ? a + a : std::floor(a); }
template <class F>
inline F trunc(F a) { return std::isnan(a) ? a + a : std::trunc(a); }
/// Round to nearest, ties to even (the default rounding mode).
template <class F>
inline F nearest(F a) { return std::isnan(a) ? a + a : std::nearbyint(a); }

/// True when truncating {x} toward zero yields a value representable in {I}.
/// Bounds are exact powers of two, so every comparison below is exact in F.
template <class I, class F>
inline bool trunc_in_range(F x) {
  constexpr int kBits = sizeof(I) * 8;
  if constexpr (std::is_signed_v<I>) {
    constexpr F kLimit = static_cast<F>(uint64_t{1} << (kBits - 1));  // 2^(N-1)
    // x must be > -2^(N-1) - 1; where that is not representable, x >= -2^(N-1) is equivalent.
    if constexpr (std::numeric_limits<F>::digits > kBits) return x > -kLimit - 1 && x < kLimit;
    else return x >= -kLimit && x < kLimit;
  } else {
    constexpr F kLimit = static_cast<F>(uint64_t{1} << (kBits - 1)) * 2;  // 2^N
    return x > F(-1) && x < kLimit;
  }
}

/// Checked truncation (i32.trunc_f32_s, ...): traps on NaN and out-of-range values.
template <class I, class F>
inline bool trunc_to(F x, I& out, TrapKind& trap) {
  if (std::isnan(x)) { trap = TrapKind::InvalidConversion; return false; }
  if (!trunc_in_range<I>(x)) { trap = TrapKind::IntegerOverflow; return false; }
  out = static_cast<I>(x);
  return true;
}

/// Saturating truncation (trunc_sat): NaN is 0, out-of-range clamps.
template <class I, class F>
inline I trunc_sat(F x) {
  if (std::isnan(x)) return 0;
  if (trunc_in_range<I>(x)) return static_cast<I>(x);
  return x < 0 ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max();
}

}  // namespace rill::engine::num
