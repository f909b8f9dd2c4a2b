// Unit tests for engine/interp/simd_ops.h: every non-memory SIMD opcode has a function with the
// signature its sig string implies, and each group gets edge-case and reference-model checks.
// The spec suite's simd_*.json scripts check the same ops end to end once the interpreter runs.
#include "rill/engine/interp/simd_ops.h"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "rill/wasm/opcodes.h"

namespace rill::engine::simd {
namespace {

// ---- helpers -----------------------------------------------------------------------------------

template <class T>
V128 make(const std::array<T, 16 / sizeof(T)>& lanes) {
  V128 r;
  std::memcpy(r.bytes, lanes.data(), 16);
  return r;
}
template <class T>
std::array<T, 16 / sizeof(T)> get(const V128& v) {
  std::array<T, 16 / sizeof(T)> r;
  std::memcpy(r.data(), v.bytes, 16);
  return r;
}
template <class T>
V128 fill(T x) {
  std::array<T, 16 / sizeof(T)> a;
  a.fill(x);
  return make<T>(a);
}
uint32_t bits(float f) { return std::bit_cast<uint32_t>(f); }
uint64_t bits(double d) { return std::bit_cast<uint64_t>(d); }
float f32(uint32_t b) { return std::bit_cast<float>(b); }
double f64(uint64_t b) { return std::bit_cast<double>(b); }

// NaN classes per the spec: canonical = quiet bit only in the payload; arithmetic = quiet bit set.
bool is_canonical_nan(float f) { return (bits(f) & 0x7fffffffu) == 0x7fc00000u; }
bool is_arithmetic_nan(float f) { return std::isnan(f) && (bits(f) & 0x00400000u) != 0; }
bool is_canonical_nan(double d) {
  return (bits(d) & ~(uint64_t{1} << 63)) == 0x7ff8000000000000ull;
}
bool is_arithmetic_nan(double d) { return std::isnan(d) && (bits(d) & 0x0008000000000000ull) != 0; }

const float kF32SNaN = f32(0x7fa00000u);  // signalling NaN with a non-canonical payload
const double kF64SNaN = f64(0x7ff4000000000000ull);
const float kF32Inf = std::numeric_limits<float>::infinity();
const double kF64Inf = std::numeric_limits<double>::infinity();

// Deterministic pseudo-random lanes (xorshift), so reference-model tests cover many values.
struct Rng {
  uint64_t s = 0x9e3779b97f4a7c15ull;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  V128 v128() {
    std::array<uint64_t, 2> a{next(), next()};
    return make<uint64_t>(a);
  }
};

// ---- completeness: one function per non-memory 0xFD opcode, with the documented signature ------

using VV = V128 (*)(const V128&, const V128&);
using V1 = V128 (*)(const V128&);
using VI = uint32_t (*)(const V128&);
using VShift = V128 (*)(const V128&, uint32_t);
using VVV = V128 (*)(const V128&, const V128&, const V128&);

// Maps a sig string (+ immediate kind) to the expected function pointer type, as a string tag.
std::string expected_shape(const std::string& sig, wasm::ImmKind imm) {
  if (imm == wasm::ImmKind::Shuffle) return "vvv:v";
  if (imm == wasm::ImmKind::Lane) {
    if (sig.size() == 3)
      return sig.substr(2) == "i" || sig.substr(2) == "f" ? "lane:u32" : "lane:u64";
    return sig[1] == 'i' || sig[1] == 'f' ? "replace:u32" : "replace:u64";
  }
  if (sig == "i:v" || sig == "f:v") return "splat:u32";
  if (sig == "l:v" || sig == "d:v") return "splat:u64";
  return sig;
}
template <class F>
std::string shape_of(F) {
  if constexpr (std::is_same_v<F, VV>) return "vv:v";
  else if constexpr (std::is_same_v<F, V1>) return "v:v";
  else if constexpr (std::is_same_v<F, VI>) return "v:i";
  else if constexpr (std::is_same_v<F, VShift>) return "vi:v";
  else if constexpr (std::is_same_v<F, VVV>) return "vvv:v";
  else if constexpr (std::is_same_v<F, V128 (*)(uint32_t)>) return "splat:u32";
  else if constexpr (std::is_same_v<F, V128 (*)(uint64_t)>) return "splat:u64";
  else if constexpr (std::is_same_v<F, uint32_t (*)(const V128&, uint8_t)>) return "lane:u32";
  else if constexpr (std::is_same_v<F, uint64_t (*)(const V128&, uint8_t)>) return "lane:u64";
  else if constexpr (std::is_same_v<F, V128 (*)(const V128&, uint32_t, uint8_t)>)
    return "replace:u32";
  else if constexpr (std::is_same_v<F, V128 (*)(const V128&, uint64_t, uint8_t)>)
    return "replace:u64";
  else return "unknown";
}

// X-macro: for 0xFD ops whose immediate is None/Lane/Shuffle, naming simd::Name fails to compile
// if the function is missing; the shape check catches a wrong signature.
#define SIMD_PICK_0(name, imm)
#define SIMD_PICK_0xFC(name, imm)
#define SIMD_PICK_0xFD(name, imm) SIMD_IMM_##imm(name)
#define SIMD_IMM_None(name) check(wasm::Op::name, shape_of(&name));
#define SIMD_IMM_Lane(name) check(wasm::Op::name, shape_of(&name));
#define SIMD_IMM_Shuffle(name) check(wasm::Op::name, shape_of(&name));
#define SIMD_IMM_MemArg(name)
#define SIMD_IMM_MemArgLane(name)
#define SIMD_IMM_V128(name)

TEST(SimdOps, EveryNonMemoryOpcodeHasAFunctionWithItsSignature) {
  int checked = 0;
  auto check = [&](wasm::Op op, const std::string& shape) {
    const wasm::OpInfo& info = wasm::op_info(op);
    EXPECT_EQ(shape, expected_shape(info.sig, info.imm)) << info.name;
    ++checked;
  };
#define RILL_OP(name, prefix, code, text, imm, sig) SIMD_PICK_##prefix(name, imm)
#include "rill/wasm/opcodes.def"
  int expected = 0;
  for (uint32_t i = 0; i < wasm::kOpCount; ++i) {
    const wasm::OpInfo& info = wasm::op_info(static_cast<wasm::Op>(i));
    if (info.prefix != 0xFD) continue;
    if (info.imm == wasm::ImmKind::None || info.imm == wasm::ImmKind::Lane ||
        info.imm == wasm::ImmKind::Shuffle) {
      ++expected;
    }
  }
  EXPECT_EQ(checked, expected);
  EXPECT_GT(checked, 200);
}

// ---- splat / extract / replace / loads ---------------------------------------------------------

TEST(SimdOps, SplatTakesLowBits) {
  EXPECT_EQ(I8x16Splat(0x1234'56ffu), fill<uint8_t>(0xff));
  EXPECT_EQ(I16x8Splat(0xabcd'8001u), fill<uint16_t>(0x8001));
  EXPECT_EQ(I32x4Splat(0xdeadbeefu), fill<uint32_t>(0xdeadbeefu));
  EXPECT_EQ(I64x2Splat(0x0123456789abcdefull), fill<uint64_t>(0x0123456789abcdefull));
  EXPECT_EQ(F32x4Splat(0x7fa00001u), fill<uint32_t>(0x7fa00001u));  // NaN bits kept exactly
  EXPECT_EQ(F64x2Splat(bits(-0.0)), fill<uint64_t>(bits(-0.0)));
}

TEST(SimdOps, ExtractLaneSignAndZeroExtend) {
  V128 v = make<uint8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0x80});
  EXPECT_EQ(I8x16ExtractLaneS(v, 15), 0xffffff80u);
  EXPECT_EQ(I8x16ExtractLaneU(v, 15), 0x80u);
  EXPECT_EQ(I8x16ExtractLaneS(v, 7), 7u);
  V128 w = make<uint16_t>({1, 0xfffe, 3, 4, 5, 6, 7, 0x7fff});
  EXPECT_EQ(I16x8ExtractLaneS(w, 1), 0xfffffffeu);
  EXPECT_EQ(I16x8ExtractLaneU(w, 1), 0xfffeu);
  EXPECT_EQ(I16x8ExtractLaneS(w, 7), 0x7fffu);
  V128 x = make<uint32_t>({10, 20, 30, 0x7fc00001u});
  EXPECT_EQ(I32x4ExtractLane(x, 2), 30u);
  EXPECT_EQ(F32x4ExtractLane(x, 3), 0x7fc00001u);
  V128 y = make<uint64_t>({5, 0xfff0000000000001ull});
  EXPECT_EQ(I64x2ExtractLane(y, 0), 5u);
  EXPECT_EQ(F64x2ExtractLane(y, 1), 0xfff0000000000001ull);
}

TEST(SimdOps, ReplaceLaneTouchesOnlyThatLane) {
  V128 z{};
  EXPECT_EQ(get<uint8_t>(I8x16ReplaceLane(z, 0x1ff, 3))[3], 0xff);
  EXPECT_EQ(I8x16ReplaceLane(z, 0x1ff, 3),
            make<uint8_t>({0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8ReplaceLane(z, 0x12345, 7), make<uint16_t>({0, 0, 0, 0, 0, 0, 0, 0x2345}));
  EXPECT_EQ(I32x4ReplaceLane(z, 9, 0), make<uint32_t>({9, 0, 0, 0}));
  EXPECT_EQ(I64x2ReplaceLane(z, ~0ull, 1), make<uint64_t>({0, ~0ull}));
  EXPECT_EQ(F32x4ReplaceLane(z, 0x7f800001u, 2), make<uint32_t>({0, 0, 0x7f800001u, 0}));
  EXPECT_EQ(F64x2ReplaceLane(z, bits(1.5), 0), make<uint64_t>({bits(1.5), 0}));
}

TEST(SimdOps, LoadWideningLaneMath) {
  const uint64_t raw = 0x80ff7f0102fe8001ull;  // bytes (LE): 01 80 fe 02 01 7f ff 80
  EXPECT_EQ(V128Load8x8S(raw), make<int16_t>({1, -128, -2, 2, 1, 127, -1, -128}));
  EXPECT_EQ(V128Load8x8U(raw), make<uint16_t>({1, 128, 254, 2, 1, 127, 255, 128}));
  EXPECT_EQ(V128Load16x4S(raw), make<int32_t>({-32767, 0x02fe, 0x7f01, -32513}));
  EXPECT_EQ(V128Load16x4U(raw), make<uint32_t>({0x8001, 0x02fe, 0x7f01, 0x80ff}));
  EXPECT_EQ(V128Load32x2S(raw), make<int64_t>({0x02fe8001, static_cast<int32_t>(0x80ff7f01u)}));
  EXPECT_EQ(V128Load32x2U(raw), make<uint64_t>({0x02fe8001u, 0x80ff7f01u}));
}

// ---- shuffle / swizzle / bitwise ---------------------------------------------------------------

TEST(SimdOps, ShuffleIndexesTheConcatenation) {
  V128 a = make<uint8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  V128 b = make<uint8_t>({16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31});
  V128 lanes = make<uint8_t>({31, 0, 16, 15, 1, 17, 30, 14, 2, 2, 2, 2, 20, 20, 5, 25});
  EXPECT_EQ(I8x16Shuffle(a, b, lanes), lanes);  // a/b hold their own indices
  V128 rev = make<uint8_t>({15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
  EXPECT_EQ(I8x16Shuffle(b, a, rev), make<uint8_t>({31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21,
                                                     20, 19, 18, 17, 16}));
}

TEST(SimdOps, SwizzleOutOfRangeIndexGivesZero) {
  V128 a = make<uint8_t>({100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,
                          114, 115});
  V128 s = make<uint8_t>({15, 0, 16, 255, 128, 7, 17, 3, 31, 32, 1, 14, 0x80, 0x7f, 9, 8});
  EXPECT_EQ(I8x16Swizzle(a, s),
            make<uint8_t>({115, 100, 0, 0, 0, 107, 0, 103, 0, 0, 101, 114, 0, 0, 109, 108}));
}

TEST(SimdOps, BitwiseOps) {
  V128 a = make<uint64_t>({0xff00ff00f0f0f0f0ull, 0x0123456789abcdefull});
  V128 b = make<uint64_t>({0x0ff00ff00ff00ff0ull, 0xffffffff00000000ull});
  V128 c = make<uint64_t>({0xffffffff00000000ull, 0x00000000ffffffffull});
  EXPECT_EQ(V128Not(a), make<uint64_t>({0x00ff00ff0f0f0f0full, 0xfedcba9876543210ull}));
  EXPECT_EQ(V128And(a, b), make<uint64_t>({0x0f000f0000f000f0ull, 0x0123456700000000ull}));
  EXPECT_EQ(V128AndNot(a, b), make<uint64_t>({0xf000f000f000f000ull, 0x0000000089abcdefull}));
  EXPECT_EQ(V128Or(a, b), make<uint64_t>({0xfff0fff0fff0fff0ull, 0xffffffff89abcdefull}));
  EXPECT_EQ(V128Xor(a, b), make<uint64_t>({0xf0f0f0f0ff00ff00ull, 0xfedcba9889abcdefull}));
  EXPECT_EQ(V128Bitselect(a, b, c), make<uint64_t>({0xff00ff000ff00ff0ull, 0xffffffff89abcdefull}));
  EXPECT_EQ(V128AnyTrue(V128{}), 0u);
  EXPECT_EQ(V128AnyTrue(make<uint64_t>({0, uint64_t{1} << 63})), 1u);
}

// ---- integer: exhaustive 8-bit reference checks ------------------------------------------------

// Runs {op} on all 65536 (x, y) byte pairs, 16 at a time, against scalar model {ref}.
template <class Op, class Ref>
void exhaustive_i8(Op op, Ref ref, const char* name) {
  for (int x = 0; x < 256; ++x) {
    for (int y0 = 0; y0 < 256; y0 += 16) {
      std::array<uint8_t, 16> xs, ys;
      for (int i = 0; i < 16; ++i) {
        xs[i] = static_cast<uint8_t>(x);
        ys[i] = static_cast<uint8_t>(y0 + i);
      }
      auto got = get<uint8_t>(op(make<uint8_t>(xs), make<uint8_t>(ys)));
      for (int i = 0; i < 16; ++i) {
        int want = ref(static_cast<int8_t>(xs[i]), static_cast<int8_t>(ys[i]), xs[i], ys[i]);
        ASSERT_EQ(got[i], static_cast<uint8_t>(want)) << name << " x=" << x << " y=" << y0 + i;
      }
    }
  }
}

int clamp_int(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

TEST(SimdOps, I8x16BinaryOpsMatchScalarModel) {
  exhaustive_i8(I8x16Add, [](int, int, int x, int y) { return x + y; }, "add");
  exhaustive_i8(I8x16Sub, [](int, int, int x, int y) { return x - y; }, "sub");
  exhaustive_i8(
      I8x16AddSatS, [](int x, int y, int, int) { return clamp_int(x + y, -128, 127); },
      "add_sat_s");
  exhaustive_i8(
      I8x16AddSatU, [](int, int, int x, int y) { return clamp_int(x + y, 0, 255); }, "add_sat_u");
  exhaustive_i8(
      I8x16SubSatS, [](int x, int y, int, int) { return clamp_int(x - y, -128, 127); },
      "sub_sat_s");
  exhaustive_i8(
      I8x16SubSatU, [](int, int, int x, int y) { return clamp_int(x - y, 0, 255); }, "sub_sat_u");
  exhaustive_i8(I8x16MinS, [](int x, int y, int, int) { return x < y ? x : y; }, "min_s");
  exhaustive_i8(I8x16MinU, [](int, int, int x, int y) { return x < y ? x : y; }, "min_u");
  exhaustive_i8(I8x16MaxS, [](int x, int y, int, int) { return x > y ? x : y; }, "max_s");
  exhaustive_i8(I8x16MaxU, [](int, int, int x, int y) { return x > y ? x : y; }, "max_u");
  exhaustive_i8(I8x16AvgrU, [](int, int, int x, int y) { return (x + y + 1) / 2; }, "avgr_u");
  exhaustive_i8(I8x16Eq, [](int x, int y, int, int) { return x == y ? -1 : 0; }, "eq");
  exhaustive_i8(I8x16Ne, [](int x, int y, int, int) { return x != y ? -1 : 0; }, "ne");
  exhaustive_i8(I8x16LtS, [](int x, int y, int, int) { return x < y ? -1 : 0; }, "lt_s");
  exhaustive_i8(I8x16LtU, [](int, int, int x, int y) { return x < y ? -1 : 0; }, "lt_u");
  exhaustive_i8(I8x16GtS, [](int x, int y, int, int) { return x > y ? -1 : 0; }, "gt_s");
  exhaustive_i8(I8x16GtU, [](int, int, int x, int y) { return x > y ? -1 : 0; }, "gt_u");
  exhaustive_i8(I8x16LeS, [](int x, int y, int, int) { return x <= y ? -1 : 0; }, "le_s");
  exhaustive_i8(I8x16LeU, [](int, int, int x, int y) { return x <= y ? -1 : 0; }, "le_u");
  exhaustive_i8(I8x16GeS, [](int x, int y, int, int) { return x >= y ? -1 : 0; }, "ge_s");
  exhaustive_i8(I8x16GeU, [](int, int, int x, int y) { return x >= y ? -1 : 0; }, "ge_u");
}

TEST(SimdOps, I8x16UnaryOpsMatchScalarModel) {
  for (int base = 0; base < 256; base += 16) {
    std::array<uint8_t, 16> xs;
    for (int i = 0; i < 16; ++i) xs[i] = static_cast<uint8_t>(base + i);
    V128 v = make<uint8_t>(xs);
    auto abs = get<uint8_t>(I8x16Abs(v));
    auto neg = get<uint8_t>(I8x16Neg(v));
    auto pop = get<uint8_t>(I8x16Popcnt(v));
    for (int i = 0; i < 16; ++i) {
      int s = static_cast<int8_t>(xs[i]);
      EXPECT_EQ(abs[i], static_cast<uint8_t>(s < 0 ? -s : s)) << s;
      EXPECT_EQ(neg[i], static_cast<uint8_t>(-s)) << s;
      EXPECT_EQ(pop[i], std::popcount(xs[i])) << s;
    }
  }
  EXPECT_EQ(I8x16Abs(fill<int8_t>(-128)), fill<int8_t>(-128));
}

// ---- integer: edges for the wider shapes --------------------------------------------------------

TEST(SimdOps, I16x8SaturatingEdges) {
  V128 a = make<int16_t>({32767, -32768, 32767, -32768, 100, -1, 0, 32000});
  V128 b = make<int16_t>({1, -1, -1, 1, -200, -1, -32768, 1000});
  EXPECT_EQ(I16x8AddSatS(a, b),
            make<int16_t>({32767, -32768, 32766, -32767, -100, -2, -32768, 32767}));
  EXPECT_EQ(I16x8SubSatS(a, b),
            make<int16_t>({32766, -32767, 32767, -32768, 300, 0, 32767, 31000}));
  V128 c = make<uint16_t>({65535, 0, 1, 65000, 40000, 0, 5, 65535});
  V128 d = make<uint16_t>({1, 1, 65535, 1000, 40000, 0, 6, 65535});
  EXPECT_EQ(I16x8AddSatU(c, d), make<uint16_t>({65535, 1, 65535, 65535, 65535, 0, 11, 65535}));
  EXPECT_EQ(I16x8SubSatU(c, d), make<uint16_t>({65534, 0, 0, 64000, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8AvgrU(c, d), make<uint16_t>({32768, 1, 32768, 33000, 40000, 0, 6, 65535}));
}

TEST(SimdOps, I16x8RandomAgainstScalarModel) {
  Rng rng;
  for (int iter = 0; iter < 2000; ++iter) {
    V128 a = rng.v128();
    V128 b = rng.v128();
    auto x = get<int16_t>(a);
    auto y = get<int16_t>(b);
    auto add_s = get<int16_t>(I16x8AddSatS(a, b));
    auto sub_s = get<int16_t>(I16x8SubSatS(a, b));
    auto add_u = get<uint16_t>(I16x8AddSatU(a, b));
    auto mul = get<uint16_t>(I16x8Mul(a, b));
    auto q15 = get<int16_t>(I16x8Q15mulrSatS(a, b));
    for (int i = 0; i < 8; ++i) {
      ASSERT_EQ(add_s[i], clamp_int(x[i] + y[i], -32768, 32767));
      ASSERT_EQ(sub_s[i], clamp_int(x[i] - y[i], -32768, 32767));
      ASSERT_EQ(add_u[i], clamp_int(uint16_t(x[i]) + uint16_t(y[i]), 0, 65535));
      ASSERT_EQ(mul[i], static_cast<uint16_t>(uint32_t(uint16_t(x[i])) * uint16_t(y[i])));
      ASSERT_EQ(q15[i], clamp_int(static_cast<int>(std::floor((x[i] * y[i] + 16384) / 32768.0)),
                                  -32768, 32767));
    }
  }
}

TEST(SimdOps, Q15MulrSat) {
  V128 a = make<int16_t>({-32768, 16384, -16384, 1, 32767, -32768, 3, -1});
  V128 b = make<int16_t>({-32768, 16384, 16384, 16384, 32767, 32767, -16384, 16384});
  EXPECT_EQ(I16x8Q15mulrSatS(a, b), make<int16_t>({32767, 8192, -8192, 1, 32766, -32767, -1, 0}));
}

TEST(SimdOps, AbsNegOfMinimumValue) {
  EXPECT_EQ(I16x8Abs(fill<int16_t>(-32768)), fill<int16_t>(-32768));
  EXPECT_EQ(I32x4Abs(make<int32_t>({INT32_MIN, -5, 5, 0})), make<int32_t>({INT32_MIN, 5, 5, 0}));
  EXPECT_EQ(I64x2Abs(make<int64_t>({INT64_MIN, -7})), make<int64_t>({INT64_MIN, 7}));
  EXPECT_EQ(I32x4Neg(make<int32_t>({INT32_MIN, 1, -1, 0})), make<int32_t>({INT32_MIN, -1, 1, 0}));
  EXPECT_EQ(I64x2Neg(make<int64_t>({INT64_MIN, 3})), make<int64_t>({INT64_MIN, -3}));
  EXPECT_EQ(I16x8Neg(fill<int16_t>(-32768)), fill<int16_t>(-32768));
}

TEST(SimdOps, WrappingArithmetic) {
  EXPECT_EQ(I32x4Add(fill<int32_t>(INT32_MAX), fill<int32_t>(1)), fill<int32_t>(INT32_MIN));
  EXPECT_EQ(I32x4Sub(fill<int32_t>(INT32_MIN), fill<int32_t>(1)), fill<int32_t>(INT32_MAX));
  EXPECT_EQ(I32x4Mul(fill<int32_t>(0x10000), fill<int32_t>(0x10000)), fill<int32_t>(0));
  EXPECT_EQ(I32x4Mul(fill<int32_t>(INT32_MIN), fill<int32_t>(-1)), fill<int32_t>(INT32_MIN));
  EXPECT_EQ(I64x2Add(fill<int64_t>(INT64_MAX), fill<int64_t>(1)), fill<int64_t>(INT64_MIN));
  EXPECT_EQ(I64x2Sub(fill<int64_t>(0), fill<int64_t>(1)), fill<int64_t>(-1));
  EXPECT_EQ(I64x2Mul(fill<uint64_t>(0x100000001ull), fill<uint64_t>(0xffffffffull)),
            fill<uint64_t>(0xffffffffffffffffull));
  EXPECT_EQ(I16x8Mul(fill<int16_t>(-32768), fill<int16_t>(-1)), fill<int16_t>(-32768));
}

TEST(SimdOps, MinMaxSignedness) {
  V128 a = make<int32_t>({-1, 0, INT32_MIN, 7});
  V128 b = make<int32_t>({1, -1, INT32_MAX, 7});
  EXPECT_EQ(I32x4MinS(a, b), make<int32_t>({-1, -1, INT32_MIN, 7}));
  EXPECT_EQ(I32x4MaxS(a, b), make<int32_t>({1, 0, INT32_MAX, 7}));
  EXPECT_EQ(I32x4MinU(a, b), make<int32_t>({1, 0, INT32_MAX, 7}));
  EXPECT_EQ(I32x4MaxU(a, b), make<int32_t>({-1, -1, INT32_MIN, 7}));
  V128 c = make<int16_t>({-1, 1, -32768, 32767, 0, 0, 5, -5});
  V128 d = make<int16_t>({1, -1, 32767, -32768, 0, -1, 5, 5});
  EXPECT_EQ(I16x8MinS(c, d), make<int16_t>({-1, -1, -32768, -32768, 0, -1, 5, -5}));
  EXPECT_EQ(I16x8MaxU(c, d), make<int16_t>({-1, -1, -32768, -32768, 0, -1, 5, -5}));
  EXPECT_EQ(I16x8MinU(c, d), make<int16_t>({1, 1, 32767, 32767, 0, 0, 5, 5}));
  EXPECT_EQ(I16x8MaxS(c, d), make<int16_t>({1, 1, 32767, 32767, 0, 0, 5, 5}));
}

TEST(SimdOps, ComparisonsWiderShapes) {
  V128 a = make<int64_t>({-1, 5});
  V128 b = make<int64_t>({1, 5});
  EXPECT_EQ(I64x2Eq(a, b), make<int64_t>({0, -1}));
  EXPECT_EQ(I64x2Ne(a, b), make<int64_t>({-1, 0}));
  EXPECT_EQ(I64x2LtS(a, b), make<int64_t>({-1, 0}));
  EXPECT_EQ(I64x2GtS(a, b), make<int64_t>({0, 0}));
  EXPECT_EQ(I64x2LeS(a, b), make<int64_t>({-1, -1}));
  EXPECT_EQ(I64x2GeS(a, b), make<int64_t>({0, -1}));
  V128 c = make<int32_t>({-1, 1, INT32_MIN, 0});
  V128 d = make<int32_t>({1, -1, INT32_MAX, 0});
  EXPECT_EQ(I32x4LtS(c, d), make<int32_t>({-1, 0, -1, 0}));
  EXPECT_EQ(I32x4LtU(c, d), make<int32_t>({0, -1, 0, 0}));
  EXPECT_EQ(I32x4GeU(c, d), make<int32_t>({-1, 0, -1, -1}));
  EXPECT_EQ(I32x4LeS(c, d), make<int32_t>({-1, 0, -1, -1}));
  EXPECT_EQ(I32x4GtU(c, d), make<int32_t>({-1, 0, -1, 0}));
  EXPECT_EQ(I32x4GeS(c, d), make<int32_t>({0, -1, 0, -1}));
  EXPECT_EQ(I32x4Eq(c, d), make<int32_t>({0, 0, 0, -1}));
  EXPECT_EQ(I32x4Ne(c, d), make<int32_t>({-1, -1, -1, 0}));
  EXPECT_EQ(I32x4GtS(c, d), make<int32_t>({0, -1, 0, 0}));
  EXPECT_EQ(I32x4LeU(c, d), make<int32_t>({0, -1, 0, -1}));
  V128 e = make<int16_t>({-1, 1, -32768, 0, 2, 2, -2, 3});
  V128 f = make<int16_t>({1, -1, 32767, 0, 3, 2, -3, -3});
  EXPECT_EQ(I16x8LtS(e, f), make<int16_t>({-1, 0, -1, 0, -1, 0, 0, 0}));
  EXPECT_EQ(I16x8LtU(e, f), make<int16_t>({0, -1, 0, 0, -1, 0, 0, -1}));
  EXPECT_EQ(I16x8GtS(e, f), make<int16_t>({0, -1, 0, 0, 0, 0, -1, -1}));
  EXPECT_EQ(I16x8GtU(e, f), make<int16_t>({-1, 0, -1, 0, 0, 0, -1, 0}));
  EXPECT_EQ(I16x8LeS(e, f), make<int16_t>({-1, 0, -1, -1, -1, -1, 0, 0}));
  EXPECT_EQ(I16x8LeU(e, f), make<int16_t>({0, -1, 0, -1, -1, -1, 0, -1}));
  EXPECT_EQ(I16x8GeS(e, f), make<int16_t>({0, -1, 0, -1, 0, -1, -1, -1}));
  EXPECT_EQ(I16x8GeU(e, f), make<int16_t>({-1, 0, -1, -1, 0, -1, -1, 0}));
  EXPECT_EQ(I16x8Eq(e, f), make<int16_t>({0, 0, 0, -1, 0, -1, 0, 0}));
  EXPECT_EQ(I16x8Ne(e, f), make<int16_t>({-1, -1, -1, 0, -1, 0, -1, -1}));
}

TEST(SimdOps, ShiftCountIsModuloLaneWidth) {
  V128 b = fill<int8_t>(-128);
  EXPECT_EQ(I8x16Shl(fill<uint8_t>(0x81), 9), fill<uint8_t>(0x02));
  EXPECT_EQ(I8x16ShrS(b, 7), fill<int8_t>(-1));
  EXPECT_EQ(I8x16ShrS(b, 8), b);
  EXPECT_EQ(I8x16ShrU(b, 15), fill<uint8_t>(1));
  EXPECT_EQ(I16x8Shl(fill<uint16_t>(0x8001), 17), fill<uint16_t>(0x0002));
  EXPECT_EQ(I16x8ShrS(fill<int16_t>(-32768), 31), fill<int16_t>(-1));
  EXPECT_EQ(I16x8ShrU(fill<int16_t>(-32768), 0xffffffffu), fill<uint16_t>(1));
  EXPECT_EQ(I32x4Shl(fill<uint32_t>(1), 32), fill<uint32_t>(1));
  EXPECT_EQ(I32x4Shl(fill<uint32_t>(1), 31), fill<uint32_t>(0x80000000u));
  EXPECT_EQ(I32x4ShrS(fill<int32_t>(INT32_MIN), 33), fill<int32_t>(INT32_MIN / 2));
  EXPECT_EQ(I32x4ShrU(fill<int32_t>(INT32_MIN), 63), fill<uint32_t>(1));
  EXPECT_EQ(I64x2Shl(fill<uint64_t>(3), 127), fill<uint64_t>(uint64_t{1} << 63));
  EXPECT_EQ(I64x2ShrS(fill<int64_t>(INT64_MIN), 64 + 62), fill<int64_t>(-2));
  EXPECT_EQ(I64x2ShrU(fill<int64_t>(INT64_MIN), 63), fill<uint64_t>(1));
}

TEST(SimdOps, AllTrueAndBitmask) {
  V128 ones = fill<uint8_t>(1);
  EXPECT_EQ(I8x16AllTrue(ones), 1u);
  EXPECT_EQ(I8x16AllTrue(I8x16ReplaceLane(ones, 0, 9)), 0u);
  // A lane that is non-zero only in its high byte still counts as true for the wider shapes.
  V128 high = fill<uint16_t>(0x0100);
  EXPECT_EQ(I16x8AllTrue(high), 1u);
  EXPECT_EQ(I8x16AllTrue(high), 0u);
  EXPECT_EQ(I32x4AllTrue(make<uint32_t>({1, 0x80000000u, 0x10000, 0})), 0u);
  EXPECT_EQ(I32x4AllTrue(make<uint32_t>({1, 0x80000000u, 0x10000, 2})), 1u);
  EXPECT_EQ(I64x2AllTrue(make<uint64_t>({uint64_t{1} << 40, 0})), 0u);
  EXPECT_EQ(I64x2AllTrue(make<uint64_t>({uint64_t{1} << 40, 1})), 1u);
  V128 m = make<uint8_t>({0x80, 0x7f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80});
  EXPECT_EQ(I8x16Bitmask(m), 0x8005u);
  EXPECT_EQ(I16x8Bitmask(make<int16_t>({-1, 1, -32768, 32767, 0, 0, 0, -2})), 0x85u);
  EXPECT_EQ(I32x4Bitmask(make<int32_t>({0, -1, 1, INT32_MIN})), 0xau);
  EXPECT_EQ(I64x2Bitmask(make<int64_t>({-1, 0})), 1u);
  EXPECT_EQ(I64x2Bitmask(make<int64_t>({1, INT64_MIN})), 2u);
}

TEST(SimdOps, NarrowSaturatesSignedInput) {
  V128 a = make<int16_t>({0, 127, 128, -128, -129, 255, 256, -1});
  V128 b = make<int16_t>({32767, -32768, 1, -1, 100, -100, 200, -200});
  EXPECT_EQ(I8x16NarrowI16x8S(a, b), make<int8_t>({0, 127, 127, -128, -128, 127, 127, -1, 127,
                                                   -128, 1, -1, 100, -100, 127, -128}));
  EXPECT_EQ(I8x16NarrowI16x8U(a, b), make<uint8_t>({0, 127, 128, 0, 0, 255, 255, 0, 255, 0, 1, 0,
                                                    100, 0, 200, 0}));
  V128 c = make<int32_t>({32768, -32769, 65535, -1});
  V128 d = make<int32_t>({INT32_MAX, INT32_MIN, 40000, 12345});
  EXPECT_EQ(I16x8NarrowI32x4S(c, d),
            make<int16_t>({32767, -32768, 32767, -1, 32767, -32768, 32767, 12345}));
  EXPECT_EQ(I16x8NarrowI32x4U(c, d), make<uint16_t>({32768, 0, 65535, 0, 65535, 0, 40000, 12345}));
}

TEST(SimdOps, ExtendLowHigh) {
  V128 a = make<int8_t>({-1, 2, -128, 127, 0, 1, -2, 3, 10, -10, 20, -20, 30, -30, 127, -128});
  EXPECT_EQ(I16x8ExtendLowI8x16S(a), make<int16_t>({-1, 2, -128, 127, 0, 1, -2, 3}));
  EXPECT_EQ(I16x8ExtendHighI8x16S(a), make<int16_t>({10, -10, 20, -20, 30, -30, 127, -128}));
  EXPECT_EQ(I16x8ExtendLowI8x16U(a), make<int16_t>({255, 2, 128, 127, 0, 1, 254, 3}));
  EXPECT_EQ(I16x8ExtendHighI8x16U(a), make<int16_t>({10, 246, 20, 236, 30, 226, 127, 128}));
  V128 b = make<int16_t>({-1, 2, -32768, 32767, 5, -5, 6, -6});
  EXPECT_EQ(I32x4ExtendLowI16x8S(b), make<int32_t>({-1, 2, -32768, 32767}));
  EXPECT_EQ(I32x4ExtendHighI16x8S(b), make<int32_t>({5, -5, 6, -6}));
  EXPECT_EQ(I32x4ExtendLowI16x8U(b), make<int32_t>({65535, 2, 32768, 32767}));
  EXPECT_EQ(I32x4ExtendHighI16x8U(b), make<int32_t>({5, 65531, 6, 65530}));
  V128 c = make<int32_t>({-1, INT32_MIN, 7, -7});
  EXPECT_EQ(I64x2ExtendLowI32x4S(c), make<int64_t>({-1, INT32_MIN}));
  EXPECT_EQ(I64x2ExtendHighI32x4S(c), make<int64_t>({7, -7}));
  EXPECT_EQ(I64x2ExtendLowI32x4U(c), make<int64_t>({0xffffffffll, 0x80000000ll}));
  EXPECT_EQ(I64x2ExtendHighI32x4U(c), make<int64_t>({7, 0xfffffff9ll}));
}

TEST(SimdOps, ExtmulUsesWidenedProducts) {
  V128 a8 = make<int8_t>({-128, 127, -1, 2, 0, 0, 0, 0, -128, -128, 127, 1, 0, 0, 0, 5});
  V128 b8 = make<int8_t>({-128, 127, -1, -3, 0, 0, 0, 0, 127, -1, -1, 1, 0, 0, 0, 5});
  EXPECT_EQ(I16x8ExtmulLowI8x16S(a8, b8), make<int16_t>({16384, 16129, 1, -6, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8ExtmulHighI8x16S(a8, b8), make<int16_t>({-16256, 128, -127, 1, 0, 0, 0, 25}));
  EXPECT_EQ(I16x8ExtmulLowI8x16U(a8, b8), make<uint16_t>({16384, 16129, 65025, 506, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8ExtmulHighI8x16U(a8, b8), make<uint16_t>({16256, 32640, 32385, 1, 0, 0, 0, 25}));
  V128 a16 = make<int16_t>({-32768, -1, 3, 0, 32767, -32768, 0, 0});
  V128 b16 = make<int16_t>({-32768, -1, -4, 0, 32767, 32767, 0, 0});
  EXPECT_EQ(I32x4ExtmulLowI16x8S(a16, b16), make<int32_t>({0x40000000, 1, -12, 0}));
  EXPECT_EQ(I32x4ExtmulHighI16x8S(a16, b16), make<int32_t>({1073676289, -1073709056, 0, 0}));
  EXPECT_EQ(I32x4ExtmulLowI16x8U(a16, b16), make<uint32_t>({0x40000000u, 0xfffe0001u, 196596u, 0}));
  EXPECT_EQ(I32x4ExtmulHighI16x8U(a16, b16), make<uint32_t>({1073676289u, 1073709056u, 0, 0}));
  V128 a32 = make<int32_t>({INT32_MIN, -1, INT32_MAX, 2});
  V128 b32 = make<int32_t>({INT32_MIN, -1, INT32_MIN, -3});
  EXPECT_EQ(I64x2ExtmulLowI32x4S(a32, b32), make<int64_t>({int64_t{1} << 62, 1}));
  EXPECT_EQ(I64x2ExtmulHighI32x4S(a32, b32), make<int64_t>({-4611686016279904256ll, -6}));
  EXPECT_EQ(I64x2ExtmulLowI32x4U(a32, b32),
            make<uint64_t>({uint64_t{1} << 62, 0xfffffffe00000001ull}));
  EXPECT_EQ(I64x2ExtmulHighI32x4U(a32, b32),
            make<uint64_t>({0x3fffffff80000000ull, 0x1fffffffaull}));
}

TEST(SimdOps, ExtaddPairwiseAndDot) {
  V128 a = make<int8_t>({-128, -128, 127, 127, -1, 1, 0, 5, 1, 2, 3, 4, -5, -6, 100, 100});
  EXPECT_EQ(I16x8ExtaddPairwiseI8x16S(a), make<int16_t>({-256, 254, 0, 5, 3, 7, -11, 200}));
  EXPECT_EQ(I16x8ExtaddPairwiseI8x16U(a), make<int16_t>({256, 254, 256, 5, 3, 7, 501, 200}));
  V128 b = make<int16_t>({-32768, -32768, 32767, 32767, -1, 1, 2, 3});
  EXPECT_EQ(I32x4ExtaddPairwiseI16x8S(b), make<int32_t>({-65536, 65534, 0, 5}));
  EXPECT_EQ(I32x4ExtaddPairwiseI16x8U(b), make<int32_t>({65536, 65534, 65536, 5}));
  // dot: the single overflowing case wraps to INT32_MIN.
  V128 c = make<int16_t>({-32768, -32768, 1, 2, 32767, 32767, -3, 4});
  V128 d = make<int16_t>({-32768, -32768, 3, 4, -32768, -32768, 5, 6});
  EXPECT_EQ(I32x4DotI16x8S(c, d), make<int32_t>({INT32_MIN, 11, -2147418112, 9}));
}

// ---- float -------------------------------------------------------------------------------------

TEST(SimdOps, FloatMinMaxNaNAndSignedZero) {
  V128 a = make<float>({-0.0f, 0.0f, std::nanf(""), 1.0f});
  V128 b = make<float>({0.0f, -0.0f, 1.0f, kF32SNaN});
  auto mn = get<float>(F32x4Min(a, b));
  auto mx = get<float>(F32x4Max(a, b));
  EXPECT_EQ(bits(mn[0]), bits(-0.0f));
  EXPECT_EQ(bits(mn[1]), bits(-0.0f));
  EXPECT_EQ(bits(mx[0]), bits(0.0f));
  EXPECT_EQ(bits(mx[1]), bits(0.0f));
  EXPECT_TRUE(is_canonical_nan(mn[2]));  // only canonical NaN in -> canonical NaN out
  EXPECT_TRUE(is_canonical_nan(mx[2]));
  EXPECT_TRUE(is_arithmetic_nan(mn[3]));  // signalling input -> quiet (arithmetic) NaN
  EXPECT_TRUE(is_arithmetic_nan(mx[3]));
  EXPECT_EQ(F32x4Min(make<float>({1, -kF32Inf, 3, -2}), make<float>({2, 0, -kF32Inf, -1})),
            make<float>({1, -kF32Inf, -kF32Inf, -2}));
  auto dmn = get<double>(F64x2Min(make<double>({-0.0, kF64SNaN}), make<double>({0.0, 1.0})));
  auto dmx = get<double>(F64x2Max(make<double>({-0.0, 5.0}), make<double>({0.0, std::nan("")})));
  EXPECT_EQ(bits(dmn[0]), bits(-0.0));
  EXPECT_TRUE(is_arithmetic_nan(dmn[1]));
  EXPECT_EQ(bits(dmx[0]), bits(0.0));
  EXPECT_TRUE(is_canonical_nan(dmx[1]));
  EXPECT_EQ(F64x2Max(make<double>({1, -3}), make<double>({2, -4})), make<double>({2, -3}));
}

TEST(SimdOps, PseudoMinMaxNoNaNSpecialCasing) {
  float nan = std::nanf("");
  V128 a = make<float>({nan, 1.0f, -0.0f, 0.0f});
  V128 b = make<float>({1.0f, nan, 0.0f, -0.0f});
  // pmin = b < a ? b : a; pmax = a < b ? b : a; every compare with NaN is false -> a.
  auto pmin = get<uint32_t>(F32x4Pmin(a, b));
  auto pmax = get<uint32_t>(F32x4Pmax(a, b));
  auto av = get<uint32_t>(a);
  EXPECT_EQ(pmin, av);
  EXPECT_EQ(pmax, av);
  EXPECT_EQ(F32x4Pmin(make<float>({1, 5, -1, 2}), make<float>({2, 4, -2, 2})),
            make<float>({1, 4, -2, 2}));
  EXPECT_EQ(F32x4Pmax(make<float>({1, 5, -1, 2}), make<float>({2, 4, -2, 2})),
            make<float>({2, 5, -1, 2}));
  V128 c = make<double>({std::nan(""), -0.0});
  V128 d = make<double>({1.0, 0.0});
  EXPECT_EQ(F64x2Pmin(c, d), c);
  EXPECT_EQ(F64x2Pmax(c, d), c);
  EXPECT_EQ(F64x2Pmin(d, make<double>({0.5, 1.0})), make<double>({0.5, 0.0}));
  EXPECT_EQ(F64x2Pmax(d, make<double>({0.5, 1.0})), make<double>({1.0, 1.0}));
}

TEST(SimdOps, FloatRounding) {
  V128 a = make<float>({-0.5f, 2.5f, -1.5f, 0.49999997f});
  EXPECT_EQ(F32x4Nearest(a), make<float>({-0.0f, 2.0f, -2.0f, 0.0f}));
  EXPECT_EQ(get<uint32_t>(F32x4Nearest(a))[0], bits(-0.0f));  // sign of zero kept
  EXPECT_EQ(F32x4Ceil(a), make<float>({-0.0f, 3.0f, -1.0f, 1.0f}));
  EXPECT_EQ(get<uint32_t>(F32x4Ceil(a))[0], bits(-0.0f));
  EXPECT_EQ(F32x4Floor(a), make<float>({-1.0f, 2.0f, -2.0f, 0.0f}));
  EXPECT_EQ(F32x4Trunc(a), make<float>({-0.0f, 2.0f, -1.0f, 0.0f}));
  EXPECT_EQ(get<uint32_t>(F32x4Trunc(a))[0], bits(-0.0f));
  V128 big = make<float>({8388609.0f, -kF32Inf, 1e30f, -8388607.5f});
  EXPECT_EQ(F32x4Nearest(big), make<float>({8388609.0f, -kF32Inf, 1e30f, -8388608.0f}));
  V128 nans = make<float>({kF32SNaN, std::nanf(""), -std::nanf(""), kF32SNaN});
  for (V128 r : {F32x4Ceil(nans), F32x4Floor(nans), F32x4Trunc(nans), F32x4Nearest(nans)}) {
    for (float f : get<float>(r)) EXPECT_TRUE(is_arithmetic_nan(f));
  }
  V128 d = make<double>({-0.5, 4503599627370497.0});
  EXPECT_EQ(F64x2Nearest(d), make<double>({-0.0, 4503599627370497.0}));
  EXPECT_EQ(get<uint64_t>(F64x2Nearest(d))[0], bits(-0.0));
  EXPECT_EQ(F64x2Nearest(make<double>({2.5, 3.5})), make<double>({2.0, 4.0}));
  EXPECT_EQ(F64x2Ceil(make<double>({-0.1, 1.1})), make<double>({-0.0, 2.0}));
  EXPECT_EQ(F64x2Floor(make<double>({-0.1, 1.9})), make<double>({-1.0, 1.0}));
  EXPECT_EQ(F64x2Trunc(make<double>({-1.9, 1.9})), make<double>({-1.0, 1.0}));
  EXPECT_TRUE(is_arithmetic_nan(get<double>(F64x2Floor(make<double>({kF64SNaN, 0})))[0]));
}

TEST(SimdOps, FloatArithmeticAndSignOps) {
  V128 a = make<float>({1.5f, -2.0f, kF32Inf, 1.0f});
  V128 b = make<float>({0.25f, 4.0f, kF32Inf, 0.0f});
  EXPECT_EQ(F32x4Add(a, b), make<float>({1.75f, 2.0f, kF32Inf, 1.0f}));
  EXPECT_EQ(F32x4Sub(a, make<float>({0.5f, 1.0f, 0.0f, 1.0f})),
            make<float>({1.0f, -3.0f, kF32Inf, 0.0f}));
  EXPECT_EQ(F32x4Mul(a, b), make<float>({0.375f, -8.0f, kF32Inf, 0.0f}));
  auto div = get<float>(F32x4Div(a, b));
  EXPECT_EQ(div[0], 6.0f);
  EXPECT_EQ(div[1], -0.5f);
  EXPECT_TRUE(is_canonical_nan(div[2]));  // inf / inf
  EXPECT_EQ(div[3], kF32Inf);
  EXPECT_TRUE(is_canonical_nan(get<float>(F32x4Sub(a, a))[2]));  // inf - inf
  EXPECT_TRUE(is_arithmetic_nan(get<float>(F32x4Add(fill<float>(kF32SNaN), fill<float>(1)))[0]));
  auto sq = get<float>(F32x4Sqrt(make<float>({4.0f, -1.0f, -0.0f, 2.0f})));
  EXPECT_EQ(sq[0], 2.0f);
  EXPECT_TRUE(is_canonical_nan(sq[1]));
  EXPECT_EQ(bits(sq[2]), bits(-0.0f));
  EXPECT_EQ(sq[3], std::sqrt(2.0f));
  // abs/neg touch only the sign bit, even of NaNs (payloads are preserved, no quieting).
  V128 n = make<uint32_t>({0x7fa00001u, 0xffc00000u, bits(-0.0f), bits(3.0f)});
  EXPECT_EQ(F32x4Abs(n), make<uint32_t>({0x7fa00001u, 0x7fc00000u, 0, bits(3.0f)}));
  EXPECT_EQ(F32x4Neg(n), make<uint32_t>({0xffa00001u, 0x7fc00000u, 0, bits(-3.0f)}));
  V128 m = make<uint64_t>({0x7ff0000000000001ull, bits(-2.0)});
  EXPECT_EQ(F64x2Abs(m), make<uint64_t>({0x7ff0000000000001ull, bits(2.0)}));
  EXPECT_EQ(F64x2Neg(m), make<uint64_t>({0xfff0000000000001ull, bits(2.0)}));
  EXPECT_EQ(F64x2Add(make<double>({0.1, 1e308}), make<double>({0.2, 1e308})),
            make<double>({0.1 + 0.2, kF64Inf}));
  EXPECT_EQ(F64x2Sub(make<double>({1, 2}), make<double>({3, 2})), make<double>({-2, 0}));
  EXPECT_EQ(F64x2Mul(make<double>({1.5, -0.0}), make<double>({2, 5})), make<double>({3, -0.0}));
  EXPECT_EQ(F64x2Div(make<double>({1, -1}), make<double>({0.0, 0.0})),
            make<double>({kF64Inf, -kF64Inf}));
  auto dsq = get<double>(F64x2Sqrt(make<double>({9.0, -kF64Inf})));
  EXPECT_EQ(dsq[0], 3.0);
  EXPECT_TRUE(is_canonical_nan(dsq[1]));
}

TEST(SimdOps, FloatComparisonsWithNaN) {
  float nan = std::nanf("");
  V128 a = make<float>({1.0f, nan, -0.0f, 2.0f});
  V128 b = make<float>({1.0f, nan, 0.0f, 1.0f});
  EXPECT_EQ(F32x4Eq(a, b), make<int32_t>({-1, 0, -1, 0}));
  EXPECT_EQ(F32x4Ne(a, b), make<int32_t>({0, -1, 0, -1}));
  EXPECT_EQ(F32x4Lt(a, b), make<int32_t>({0, 0, 0, 0}));
  EXPECT_EQ(F32x4Gt(a, b), make<int32_t>({0, 0, 0, -1}));
  EXPECT_EQ(F32x4Le(a, b), make<int32_t>({-1, 0, -1, 0}));
  EXPECT_EQ(F32x4Ge(a, b), make<int32_t>({-1, 0, -1, -1}));
  V128 c = make<double>({std::nan(""), -1.0});
  V128 d = make<double>({std::nan(""), 1.0});
  EXPECT_EQ(F64x2Eq(c, d), make<int64_t>({0, 0}));
  EXPECT_EQ(F64x2Ne(c, d), make<int64_t>({-1, -1}));
  EXPECT_EQ(F64x2Lt(c, d), make<int64_t>({0, -1}));
  EXPECT_EQ(F64x2Gt(c, d), make<int64_t>({0, 0}));
  EXPECT_EQ(F64x2Le(c, d), make<int64_t>({0, -1}));
  EXPECT_EQ(F64x2Ge(c, d), make<int64_t>({0, 0}));
}

// ---- conversions -------------------------------------------------------------------------------

TEST(SimdOps, TruncSatF32) {
  V128 a = make<float>({std::nanf(""), 2147483648.0f, -2147483904.0f, -1.9f});
  EXPECT_EQ(I32x4TruncSatF32x4S(a), make<int32_t>({0, INT32_MAX, INT32_MIN, -1}));
  V128 b = make<float>({2147483520.0f, -2147483648.0f, kF32Inf, -kF32Inf});
  EXPECT_EQ(I32x4TruncSatF32x4S(b), make<int32_t>({2147483520, INT32_MIN, INT32_MAX, INT32_MIN}));
  V128 c = make<float>({-0.99f, 4294967040.0f, 4294967296.0f, -kF32SNaN});
  EXPECT_EQ(I32x4TruncSatF32x4U(c), make<uint32_t>({0, 4294967040u, UINT32_MAX, 0}));
  V128 d = make<float>({-1.0f, 1.9f, kF32Inf, -kF32Inf});
  EXPECT_EQ(I32x4TruncSatF32x4U(d), make<uint32_t>({0, 1, UINT32_MAX, 0}));
}

TEST(SimdOps, TruncSatF64ZeroesUpperLanes) {
  V128 a = make<double>({-2147483648.9, 2147483647.9});
  EXPECT_EQ(I32x4TruncSatF64x2SZero(a), make<int32_t>({INT32_MIN, INT32_MAX, 0, 0}));
  V128 b = make<double>({-2147483649.0, 2147483648.0});
  EXPECT_EQ(I32x4TruncSatF64x2SZero(b), make<int32_t>({INT32_MIN, INT32_MAX, 0, 0}));
  EXPECT_EQ(I32x4TruncSatF64x2SZero(make<double>({std::nan(""), -3.7})),
            make<int32_t>({0, -3, 0, 0}));
  V128 c = make<double>({4294967295.9, -0.9});
  EXPECT_EQ(I32x4TruncSatF64x2UZero(c), make<uint32_t>({UINT32_MAX, 0, 0, 0}));
  V128 d = make<double>({4294967296.0, kF64SNaN});
  EXPECT_EQ(I32x4TruncSatF64x2UZero(d), make<uint32_t>({UINT32_MAX, 0, 0, 0}));
  EXPECT_EQ(I32x4TruncSatF64x2UZero(make<double>({-kF64Inf, 12.5})), make<uint32_t>({0, 12, 0, 0}));
}

TEST(SimdOps, ConvertIntToFloat) {
  V128 a = make<int32_t>({INT32_MIN, -1, 16777217, INT32_MAX});
  EXPECT_EQ(F32x4ConvertI32x4S(a),
            make<float>({-2147483648.0f, -1.0f, 16777216.0f, 2147483648.0f}));
  EXPECT_EQ(F32x4ConvertI32x4U(a),
            make<float>({2147483648.0f, 4294967296.0f, 16777216.0f, 2147483648.0f}));
  // Ties to even: 16777219 lies halfway between 16777218 and 16777220.
  EXPECT_EQ(F32x4ConvertI32x4U(make<uint32_t>({16777219u, 16777221u, 0, 1})),
            make<float>({16777220.0f, 16777220.0f, 0.0f, 1.0f}));
  EXPECT_EQ(F64x2ConvertLowI32x4S(a), make<double>({-2147483648.0, -1.0}));
  EXPECT_EQ(F64x2ConvertLowI32x4U(a), make<double>({2147483648.0, 4294967295.0}));
}

TEST(SimdOps, DemoteAndPromote) {
  V128 a = make<double>({1e300, 0.1});
  EXPECT_EQ(F32x4DemoteF64x2Zero(a), make<float>({kF32Inf, 0.1f, 0.0f, 0.0f}));
  EXPECT_EQ(get<uint32_t>(F32x4DemoteF64x2Zero(make<double>({-0.0, 1e-50})))[0], bits(-0.0f));
  EXPECT_EQ(get<uint32_t>(F32x4DemoteF64x2Zero(make<double>({-1e-50, 1})))[0], bits(-0.0f));
  // Halfway between 1 and 1 + 2^-23 rounds to even (1).
  EXPECT_EQ(get<float>(F32x4DemoteF64x2Zero(make<double>({1.0 + std::ldexp(1.0, -24), 0})))[0],
            1.0f);
  auto dn = get<float>(F32x4DemoteF64x2Zero(make<double>({kF64SNaN, std::nan("")})));
  EXPECT_TRUE(is_arithmetic_nan(dn[0]));
  EXPECT_TRUE(is_canonical_nan(dn[1]));
  EXPECT_EQ(get<uint32_t>(F32x4DemoteF64x2Zero(fill<double>(std::nan(""))))[2], 0u);
  V128 b = make<float>({0.1f, -kF32Inf, 7.0f, 8.0f});
  EXPECT_EQ(F64x2PromoteLowF32x4(b), make<double>({static_cast<double>(0.1f), -kF64Inf}));
  auto pn = get<double>(F64x2PromoteLowF32x4(make<float>({kF32SNaN, std::nanf(""), 0, 0})));
  EXPECT_TRUE(is_arithmetic_nan(pn[0]));
  EXPECT_TRUE(is_canonical_nan(pn[1]));
}

}  // namespace
}  // namespace rill::engine::simd
