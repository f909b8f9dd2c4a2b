// Translator tests: the shape of the translated code (local.get elision, results retargeted into
// locals, immediate operands, fused compare+branch) and translation limits/errors.
#include <gtest/gtest.h>

#include "interp_test_builder.h"
#include "rill/engine/interp/disasm.h"
#include "rill/wasm/decoder.h"
#include "rill/wasm/validator.h"

namespace rill::interp_test {
namespace {

/// Disassembly of defined function 0 of {bytes}, or the translation error.
std::string translate(const Bytes& bytes) {
  auto m = wasm::decode_module(bytes);
  if (!m) return "decode error: " + m.error().to_string();
  wasm::ModuleContext ctx;
  ctx.module = m->get();
  if (auto ok = wasm::validate_module_header(**m, ctx); !ok) return "header error: " + ok.error().to_string();
  auto f = engine::interp::compile_function(ctx, 0);
  if (!f) return "error: " + f.error().message;
  return engine::interp::disassemble(**f);
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(InterpTranslate, LocalGetsAreOperandsAndResultsGoStraightToLocals) {
  // c = a + b; return c  ->  one add writing local 2, then the return move.
  ModuleBuilder b;
  b.func(b.type({I32, I32}, {I32}), {I32}, {kLocalGet, 0, kLocalGet, 1, kI32Add, kLocalSet, 2, kLocalGet, 2});
  const std::string d = translate(b.build());
  EXPECT_NE(d.find("I32Add 2 0 1"), std::string::npos) << d;
  EXPECT_EQ(count(d, "I32Add"), 1u) << d;
  EXPECT_EQ(count(d, "Mov"), 1u) << d;  // result 0 <- local 2
}

TEST(InterpTranslate, ConstantOperandsBecomeImmediates) {
  ModuleBuilder b;
  // (x + 5) and (5 + x): both use the immediate form, no Const is materialized.
  b.func(b.type({I32}, {I32}), {},
         code({{kLocalGet, 0}, i32c(5), {kI32Add}, i32c(5), {kLocalGet, 0, kI32Add, kI32Mul}}));
  const std::string d = translate(b.build());
  EXPECT_EQ(count(d, "I32AddImm"), 2u) << d;
  EXPECT_EQ(count(d, "Const"), 0u) << d;
}

TEST(InterpTranslate, CompareFusesWithBrIfAndIf) {
  ModuleBuilder b;
  b.func(b.type({I32}, {I32}), {I32},
         code({{kLoop, kVoid, kLocalGet, 1},
               i32c(1),
               {kI32Add, kLocalTee, 1, kLocalGet, 0, kI32LtS, kBrIf, 0, kEnd, kLocalGet, 1},
               i32c(3),
               {kI32GtS, kIf, I32},
               i32c(1),
               {kElse},
               i32c(2),
               {kEnd}}));
  const std::string d = translate(b.build());
  EXPECT_EQ(count(d, "BrIfB_I32LtS"), 1u) << d;   // backward: checks the epoch
  EXPECT_EQ(count(d, "BrIfImm_I32LeS"), 1u) << d; // if (x > 3): branch to else when x <= 3
  EXPECT_EQ(count(d, ": I32LtS"), 0u) << d;
}

TEST(InterpTranslate, AddressAddsFuseIntoAccessesAndResultsIntoTheReturnSlot) {
  ModuleBuilder b;
  b.memory(1);
  // return load(p + 8) + load(p + q)
  b.func(b.type({I32, I32}, {I32}), {},
         code({{kLocalGet, 0}, i32c(8), {kI32Add, kI32Load, 2, 0, kLocalGet, 0, kLocalGet, 1, kI32Add, kI32Load, 2, 0,
                                         kI32Add}}));
  const std::string d = translate(b.build());
  EXPECT_EQ(count(d, "Load32UAI"), 1u) << d;
  EXPECT_EQ(count(d, "Load32UAR"), 1u) << d;
  // The final add writes result slot 0, taking the second load's result from acc (the _B
  // form). For a commutative op the _A and _B handlers have identical bodies, which clang
  // merges, so the disassembler (which names handlers by address) may print either.
  EXPECT_TRUE(d.find("I32Add_B 0 ") != std::string::npos || d.find("I32Add_A 0 ") != std::string::npos) << d;
  EXPECT_EQ(count(d, "Mov"), 0u) << d;
}

TEST(InterpTranslate, ExpressionChainsPassResultsThroughAcc) {
  ModuleBuilder b;
  // ((x << 3) ^ y) - 7: each result feeds the next instruction's first operand.
  b.func(b.type({I32, I32}, {I32}), {},
         code({{kLocalGet, 0}, i32c(3), {kI32Shl, kLocalGet, 1, kI32Xor}, i32c(7), {kI32Sub}}));
  std::string d = translate(b.build());
  EXPECT_NE(d.find("0: I32ShlImm "), std::string::npos) << d;
  EXPECT_EQ(count(d, "I32Xor_A"), 1u) << d;
  EXPECT_EQ(count(d, "I32SubImm_A"), 1u) << d;

  // y - (x * x): the right operand comes from acc.
  ModuleBuilder b2;
  b2.func(b2.type({I32, I32}, {I32}), {}, {kLocalGet, 1, kLocalGet, 0, kLocalGet, 0, kI32Mul, kI32Sub});
  d = translate(b2.build());
  EXPECT_EQ(count(d, "I32Sub_B"), 1u) << d;

  // t = x * 3 (tee); t + 1 reads the local, whose value is still in acc.
  ModuleBuilder b3;
  b3.func(b3.type({I32}, {I32}), {I32},
          code({{kLocalGet, 0}, i32c(3), {kI32Mul, kLocalTee, 1}, i32c(1), {kI32Add}}));
  d = translate(b3.build());
  EXPECT_EQ(count(d, "I32AddImm_A"), 1u) << d;
}

TEST(InterpTranslate, SelectTakesItsConditionFromAcc) {
  ModuleBuilder b;
  // select(x, y, (x ^ y) & 1) ^ 3: the condition and then the result pass through acc.
  b.func(b.type({I32, I32}, {I32}), {},
         code({{kLocalGet, 0, kLocalGet, 1, kLocalGet, 0, kLocalGet, 1, kI32Xor}, i32c(1),
               {kI32And, kSelect}, i32c(3), {kI32Xor}}));
  const std::string d = translate(b.build());
  EXPECT_EQ(count(d, "SelectC"), 1u) << d;
  EXPECT_EQ(count(d, "I32XorImm_A"), 1u) << d;
}

TEST(InterpTranslate, BranchConditionsComeFromAcc) {
  ModuleBuilder b;
  // block (br_if 0 (x & 4)) (br_table 0 0 (x & 3)) end
  b.func(b.type({I32}, {}), {},
         code({{kBlock, kVoid, kLocalGet, 0}, i32c(4), {kI32And, kBrIf, 0, kLocalGet, 0}, i32c(3),
               {kI32And, kBrTable, 1, 0, 0, kEnd}}));
  const std::string d = translate(b.build());
  EXPECT_EQ(count(d, "BrIf_A"), 1u) << d;
  EXPECT_EQ(count(d, "BrTable_A"), 1u) << d;
}

TEST(InterpTranslate, LoadAddressesComeFromAcc) {
  ModuleBuilder b;
  b.memory(1);
  // load(load(p)) and load(p + (i << 2)).
  b.func(b.type({I32, I32}, {I32}), {},
         code({{kLocalGet, 0, kI32Load, 2, 0, kI32Load, 2, 4, kLocalGet, 0, kLocalGet, 1},
               i32c(2),
               {kI32Shl, kI32Add, kI32Load, 2, 0, kI32Add}}));
  const std::string d = translate(b.build());
  EXPECT_NE(d.find(": Load32U_A "), std::string::npos) << d;
  EXPECT_NE(d.find(": Load32UAR_A "), std::string::npos) << d;
}

TEST(InterpTranslate, ConstantStoresAreImmediatesAndKeepTheAddressFused) {
  ModuleBuilder b;
  b.memory(1);
  // store8(p + k, 0); store(p + 4, -1); store(p, 7)
  b.func(b.type({I32, I32}, {}), {},
         code({{kLocalGet, 0, kLocalGet, 1, kI32Add}, i32c(0), {kI32Store8, 0, 0, kLocalGet, 0}, i32c(4),
               {kI32Add}, i32c(-1), {kI32Store, 2, 0, kLocalGet, 0}, i32c(7), {kI32Store, 2, 0}}));
  const std::string d = translate(b.build());
  EXPECT_EQ(count(d, "Store8AR_I"), 1u) << d;
  EXPECT_EQ(count(d, "Store32AI_I"), 1u) << d;
  EXPECT_EQ(count(d, "Store32I"), 1u) << d;
  EXPECT_EQ(count(d, "Const"), 0u) << d;
  EXPECT_EQ(count(d, "I32Add"), 0u) << d;
}

TEST(InterpTranslate, AccIsNotUsedAcrossLabels) {
  ModuleBuilder b;
  // (block (result i32) (x + 1) (br_if 0 (x)) drop 7) * 3: the mul follows a label other code
  // branches to, so it reads its operand from the slot.
  b.func(b.type({I32}, {I32}), {},
         code({{kBlock, I32, kLocalGet, 0},
               i32c(1),
               {kI32Add, kLocalGet, 0, kBrIf, 0, kDrop},
               i32c(7),
               {kEnd},
               i32c(3),
               {kI32Mul}}));
  std::string d = translate(b.build());
  EXPECT_EQ(count(d, "I32MulImm_A"), 0u) << d;
  EXPECT_EQ(count(d, "I32MulImm "), 1u) << d;

  // x * 5 passed as a loop parameter, then + 1 at the loop header (a branch target).
  ModuleBuilder b2;
  const uint32_t lt = b2.type({I32}, {I32});
  b2.func(b2.type({I32}, {I32}), {},
          code({{kLocalGet, 0}, i32c(5), {kI32Mul, kLoop}, sleb(lt), i32c(1), {kI32Add, kEnd}}));
  d = translate(b2.build());
  EXPECT_EQ(count(d, "I32AddImm_A"), 0u) << d;
}

TEST(InterpTranslate, InvalidBodiesFailWithTheValidatorsMessage) {
  ModuleBuilder b;
  b.func(b.type({}, {I32}), {}, {kI64Const, 0});  // i64 where i32 is expected
  const std::string d = translate(b.build());
  EXPECT_EQ(d.rfind("error: type mismatch", 0), 0u) << d;
}

TEST(InterpTranslate, HugeBranchFanOutIsRefused) {
  // A br_table over 4000 labels that each carry 200 constants needs a stub of 200 moves per
  // label: far more code than a ~20 KiB body justifies, so translation refuses it.
  constexpr int kValues = 200;
  constexpr int kDepth = 4000;
  ModuleBuilder b;
  const uint32_t bt = b.type({}, Bytes(kValues, I64));
  Bytes body;
  for (int i = 0; i < kDepth; ++i) body = code({body, {kBlock}, sleb(bt)});
  for (int i = 0; i < kValues; ++i) body = code({body, i64c(i)});
  body = code({body, i32c(0), {kBrTable}, leb(kDepth - 1)});
  for (int i = 0; i < kDepth; ++i) body = code({body, leb(i)});
  for (int i = 0; i < kDepth; ++i) body = code({body, {kEnd}});
  for (int i = 0; i < kValues; ++i) body = code({body, {kDrop}});
  b.func(b.type({}, {}), {}, body);
  const std::string d = translate(b.build());
  EXPECT_EQ(d.rfind("error: function too large to translate", 0), 0u) << d.substr(0, 200);
}

}  // namespace
}  // namespace rill::interp_test
