// Internal opcodes of the translated code (IOp) and their mapping from wasm Ops. Each IOp is one
// handler label in interpreter.cpp; the list is generated from iops.inc, which the interpreter's
// label table reads too, so the enum and the table cannot drift apart.
#pragma once

#include <array>
#include <cstdint>

#include "rill/wasm/opcodes.h"

#if __has_include("rill/engine/interp/simd_ops.h")
#define RILL_HAVE_SIMD 1
#else
#define RILL_HAVE_SIMD 0
#endif

// SIMD filter over opcodes.def: RILL_SIMD_SELECT(prefix, imm, X, name) expands to X(name) for the
// 0xFD instructions whose lane math is a simd_ops.h function (no memory access, no v128 const).
#define RILL_SIMD_SELECT(prefix, imm, X, name) RILL_SIMD_SEL_##prefix(imm, X, name)
#define RILL_SIMD_SEL_0(imm, X, name)
#define RILL_SIMD_SEL_0xFC(imm, X, name)
#define RILL_SIMD_SEL_0xFD(imm, X, name) RILL_SIMD_IMM_##imm(X, name)
#define RILL_SIMD_IMM_None(X, name) X(name)
#define RILL_SIMD_IMM_Lane(X, name) X(name)
#define RILL_SIMD_IMM_Shuffle(X, name) X(name)
#define RILL_SIMD_IMM_MemArg(X, name)
#define RILL_SIMD_IMM_MemArgLane(X, name)
#define RILL_SIMD_IMM_V128(X, name)

namespace rill::engine::interp {

enum class IOp : uint16_t {
#define RILL_IOP(name) name,
#include "rill/engine/interp/iops.inc"
  Count
};

inline constexpr uint32_t kIOpCount = static_cast<uint32_t>(IOp::Count);

/// Handler address of every IOp (filled by the interpreter; see interpreter.cpp).
const void* const* handler_table();
inline const void* handler(IOp op) { return handler_table()[static_cast<uint32_t>(op)]; }

/// IOp::Count where a wasm Op has no direct counterpart.
inline constexpr IOp kNoIOp = IOp::Count;

/// Operand shape of the scalar numeric instructions, for the translator.
enum class NumShape : uint8_t { None, Unary, Binary };

struct NumInfo {
  IOp op = kNoIOp;
  IOp op_a = kNoIOp;       ///< Name_A: first operand from acc
  IOp op_b = kNoIOp;       ///< Name_B: second operand from acc (binary)
  IOp imm = kNoIOp;        ///< Name##Imm when the right operand may be an immediate
  IOp imm_a = kNoIOp;      ///< Name##Imm_A
  IOp br = kNoIOp;         ///< fused compare+branch (forward), register form
  IOp br_imm = kNoIOp;     ///< fused compare+branch (forward), immediate form
  IOp br_back = kNoIOp;    ///< same, backward (checks the epoch)
  IOp br_back_imm = kNoIOp;
  NumShape shape = NumShape::None;
};

/// Numeric facts of every wasm Op, indexed by Op.
inline constexpr std::array<NumInfo, wasm::kOpCount> kNumInfo = [] {
  std::array<NumInfo, wasm::kOpCount> t{};
  // Every field set by hand: g++ 12 mis-evaluates the member initializers in this context.
  for (NumInfo& e : t) {
    e.op = e.op_a = e.op_b = e.imm = e.imm_a = e.br = e.br_imm = e.br_back = e.br_back_imm = kNoIOp;
    e.shape = NumShape::None;
  }
#define RILL_AT(N) t[static_cast<uint32_t>(wasm::Op::N)]
#define RILL_UN(N, In, Out, E) \
  RILL_AT(N).op = IOp::N; RILL_AT(N).op_a = IOp::N##_A; RILL_AT(N).shape = NumShape::Unary;
#define RILL_TUN(N, In, Out, F) RILL_UN(N, In, Out, F)
#define RILL_BIN(N, In, Out, E)                                                            \
  RILL_AT(N).op = IOp::N; RILL_AT(N).op_a = IOp::N##_A; RILL_AT(N).op_b = IOp::N##_B; \
  RILL_AT(N).shape = NumShape::Binary;
#define RILL_TBIN(N, In, F) RILL_BIN(N, In, In, F)
#define RILL_BINI(N, In, Out, E) \
  RILL_BIN(N, In, Out, E) RILL_AT(N).imm = IOp::N##Imm; RILL_AT(N).imm_a = IOp::N##Imm_A;
#define RILL_CMPI(N, In, E)                                                                  \
  RILL_BINI(N, In, u32, E) RILL_AT(N).br = IOp::BrIf_##N; RILL_AT(N).br_imm = IOp::BrIfImm_##N; \
  RILL_AT(N).br_back = IOp::BrIfB_##N; RILL_AT(N).br_back_imm = IOp::BrIfBImm_##N;
#include "rill/engine/interp/numeric_ops.def"
#undef RILL_AT
  return t;
}();

/// IOps whose handler leaves its (scalar) result in acc as well as in its destination slot: every
/// numeric instruction except the fused compare+branches, the scalar loads, and select.
inline constexpr std::array<bool, kIOpCount> kWritesAcc = [] {
  std::array<bool, kIOpCount> t{};
  t.fill(false);
#define RILL_W(N) t[static_cast<uint32_t>(IOp::N)] = true;
#define RILL_UN(N, In, Out, E) RILL_W(N) RILL_W(N##_A)
#define RILL_TUN(N, In, Out, F) RILL_UN(N, In, Out, F)
#define RILL_BIN(N, In, Out, E) RILL_W(N) RILL_W(N##_A) RILL_W(N##_B)
#define RILL_TBIN(N, In, F) RILL_BIN(N, In, In, F)
#define RILL_BINI(N, In, Out, E) RILL_BIN(N, In, Out, E) RILL_W(N##Imm) RILL_W(N##Imm_A)
#define RILL_CMPI(N, In, E) RILL_BINI(N, In, u32, E)
#include "rill/engine/interp/numeric_ops.def"
  for (uint32_t op = static_cast<uint32_t>(IOp::Load8U); op <= static_cast<uint32_t>(IOp::I64Load32SAR_A); ++op) t[op] = true;
  t[static_cast<uint32_t>(IOp::Select)] = t[static_cast<uint32_t>(IOp::SelectC)] = true;
#undef RILL_W
  return t;
}();

/// The scalar load IOps of memory 0 by form: N, then N + kLoadA (address from acc), N##AI + 3
/// (N##AI_A), N##AR + 3 (N##AR_A); see iops.inc.
inline constexpr uint32_t kLoadA = 4;

/// The IOp of a SIMD lane instruction (generated from opcodes.def), or kNoIOp.
inline constexpr std::array<IOp, wasm::kOpCount> kSimdIOp = [] {
  std::array<IOp, wasm::kOpCount> t{};
  t.fill(kNoIOp);
#if RILL_HAVE_SIMD
#define RILL_SIMD_X(N) t[static_cast<uint32_t>(wasm::Op::N)] = IOp::N;
#define RILL_OP(name, prefix, code, text, imm, sig) RILL_SIMD_SELECT(prefix, imm, RILL_SIMD_X, name)
#include "rill/wasm/opcodes.def"
#undef RILL_SIMD_X
#endif
  return t;
}();

}  // namespace rill::engine::interp
