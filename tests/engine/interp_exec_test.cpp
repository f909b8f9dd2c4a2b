// End-to-end interpreter tests: modules built as bytes, run through Engine::compile ->
// Store::instantiate -> Store::call. Control flow, locals (elision/retargeting), traps.
#include <gtest/gtest.h>

#include <cmath>

#include "interp_test_builder.h"

namespace rill::interp_test {
namespace {

using engine::TrapKind;

uint32_t u32_of(const std::vector<engine::Value>& r, size_t i = 0) { return r.at(i).i32; }

TEST(InterpExec, AddParams) {
  ModuleBuilder b;
  b.func(b.type({I32, I32}, {I32}), {}, {kLocalGet, 0, kLocalGet, 1, kI32Add}, "add");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("add", {vi32(2), vi32(40)})), 42u);
  EXPECT_EQ(u32_of(h.call("add", {vi32(-1), vi32(1)})), 0u);
}

TEST(InterpExec, LocalSetKeepsEarlierReadOfTheLocal) {
  // x + (x := x + 1), where the first local.get is still on the stack when x is assigned.
  ModuleBuilder b;
  b.func(b.type({I32}, {I32}), {},
         code({{kLocalGet, 0, kLocalGet, 0}, i32c(1), {kI32Add, kLocalSet, 0, kLocalGet, 0, kI32Add}}), "f");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("f", {vi32(10)})), 21u);
}

TEST(InterpExec, TeeAndRetargetedResults) {
  // y = x * 3 (tee), then y + y; and a result retargeted into a param that its operand reads.
  ModuleBuilder b;
  b.func(b.type({I32}, {I32}), {I32},
         code({{kLocalGet, 0}, i32c(3), {kI32Mul, kLocalTee, 1, kLocalGet, 1, kI32Add}}), "tee");
  b.func(b.type({I32}, {I32}), {},
         code({{kLocalGet, 0}, i32c(5), {kI32Add, kLocalSet, 0, kLocalGet, 0, kLocalGet, 0, kI32Mul}}), "sq");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("tee", {vi32(7)})), 42u);
  EXPECT_EQ(u32_of(h.call("sq", {vi32(1)})), 36u);
}

TEST(InterpExec, IntegerDivisionTraps) {
  ModuleBuilder b;
  const uint32_t t = b.type({I32, I32}, {I32});
  b.func(t, {}, {kLocalGet, 0, kLocalGet, 1, kI32DivS}, "div_s");
  b.func(t, {}, {kLocalGet, 0, kLocalGet, 1, kI32RemS}, "rem_s");
  b.func(t, {}, {kLocalGet, 0, kLocalGet, 1, kI32DivU}, "div_u");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  std::optional<engine::Trap> trap;
  EXPECT_EQ(u32_of(h.call("div_s", {vi32(-7), vi32(2)}, &trap)), static_cast<uint32_t>(-3));
  h.call("div_s", {vi32(1), vi32(0)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(trap->message, "integer divide by zero");
  h.call("div_s", {vi32(INT32_MIN), vi32(-1)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::IntegerOverflow);
  EXPECT_EQ(u32_of(h.call("rem_s", {vi32(INT32_MIN), vi32(-1)}, &trap)), 0u);
  EXPECT_FALSE(trap);
  EXPECT_EQ(u32_of(h.call("div_u", {vi32(-1), vi32(2)})), 0x7fffffffu);
}

TEST(InterpExec, CountingLoopWithFusedCompares) {
  // while (i < n) { s += i; i++ }  (exit test at the top, back-edge br)
  ModuleBuilder b;
  const uint32_t t = b.type({I32}, {I32});
  b.func(t, {I32, I32},
         code({{kBlock, kVoid, kLoop, kVoid, kLocalGet, 1, kLocalGet, 0, kI32GeS, kBrIf, 1, kLocalGet, 2, kLocalGet,
                1, kI32Add, kLocalSet, 2, kLocalGet, 1},
               i32c(1),
               {kI32Add, kLocalSet, 1, kBr, 0, kEnd, kEnd, kLocalGet, 2}}),
         "sum");
  // do { s += i; i++ } while (i < 10)  (compare with an immediate on the back-edge)
  b.func(b.type({}, {I32}), {I32, I32},
         code({{kLoop, kVoid, kLocalGet, 1, kLocalGet, 0, kI32Add, kLocalSet, 1, kLocalGet, 0},
               i32c(1),
               {kI32Add, kLocalTee, 0},
               i32c(10),
               {kI32LtS, kBrIf, 0, kEnd, kLocalGet, 1}}),
         "dowhile");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("sum", {vi32(100)})), 4950u);
  EXPECT_EQ(u32_of(h.call("sum", {vi32(0)})), 0u);
  EXPECT_EQ(u32_of(h.call("dowhile", {})), 45u);
}

TEST(InterpExec, IfElseWithResults) {
  ModuleBuilder b;
  const uint32_t t = b.type({I32}, {I32});
  b.func(t, {}, code({{kLocalGet, 0, kIf, I32}, i32c(10), {kElse}, i32c(20), {kEnd}}), "select_if");
  // if (x < 5) x * 2 else x - 5  (the compare fuses with the if)
  b.func(t, {},
         code({{kLocalGet, 0}, i32c(5), {kI32LtS, kIf, I32, kLocalGet, 0}, i32c(2), {kI32Mul, kElse, kLocalGet, 0},
               i32c(5), {kI32Sub, kEnd}}),
         "cmp_if");
  // if without else: x, or x + 1 when x is odd
  b.func(t, {I32},
         code({{kLocalGet, 0, kLocalSet, 1, kLocalGet, 0}, i32c(1), {kI32And, kIf, kVoid, kLocalGet, 1}, i32c(1),
               {kI32Add, kLocalSet, 1, kEnd, kLocalGet, 1}}),
         "if_only");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("select_if", {vi32(1)})), 10u);
  EXPECT_EQ(u32_of(h.call("select_if", {vi32(0)})), 20u);
  EXPECT_EQ(u32_of(h.call("cmp_if", {vi32(3)})), 6u);
  EXPECT_EQ(u32_of(h.call("cmp_if", {vi32(9)})), 4u);
  EXPECT_EQ(u32_of(h.call("if_only", {vi32(4)})), 4u);
  EXPECT_EQ(u32_of(h.call("if_only", {vi32(5)})), 6u);
}

TEST(InterpExec, MultiValueBlocksAndReturns) {
  ModuleBuilder b;
  const uint32_t bt = b.type({I32, I32}, {I32});
  // a - b through a block that takes both as params.
  b.func(b.type({I32, I32}, {I32}), {}, code({{kLocalGet, 0, kLocalGet, 1, kBlock}, sleb(bt), {kI32Sub, kEnd}}),
         "sub");
  // Results come from locals in a permuted order: the return's parallel move must not clobber.
  b.func(b.type({I32, I32}, {I32, I32}), {}, {kLocalGet, 1, kLocalGet, 0}, "swap");
  b.func(b.type({I32, I32, I32}, {I32, I32, I32}), {}, {kLocalGet, 2, kLocalGet, 0, kLocalGet, 1}, "rot");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("sub", {vi32(10), vi32(3)})), 7u);
  auto r = h.call("swap", {vi32(1), vi32(2)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(u32_of(r, 0), 2u);
  EXPECT_EQ(u32_of(r, 1), 1u);
  r = h.call("rot", {vi32(1), vi32(2), vi32(3)});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(u32_of(r, 0), 3u);
  EXPECT_EQ(u32_of(r, 1), 1u);
  EXPECT_EQ(u32_of(r, 2), 2u);
}

TEST(InterpExec, BrTableCarriesValues) {
  // block A { block B { block C { 100; br_table [C B] A (x) } +1; br A } +2 }
  ModuleBuilder b;
  b.func(b.type({I32}, {I32}), {},
         code({{kBlock, I32, kBlock, I32, kBlock, I32},
               i32c(100),
               {kLocalGet, 0, kBrTable, 2, 0, 1, 2, kEnd},
               i32c(1),
               {kI32Add, kBr, 1, kEnd},
               i32c(2),
               {kI32Add, kEnd}}),
         "f");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("f", {vi32(0)})), 101u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(1)})), 102u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(2)})), 100u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(-1)})), 100u);
}

TEST(InterpExec, BrIfCarryingAValueOnlyMovesWhenTaken) {
  // block (result i32) { x; 7; (y != 0) br_if 0; drop; 50 } : 7 if y else 50, x untouched.
  ModuleBuilder b;
  b.func(b.type({I32, I32}, {I32}), {},
         code({{kBlock, I32, kLocalGet, 0}, i32c(7), {kLocalGet, 1, kBrIf, 0, kDrop, kDrop}, i32c(50),
               {kEnd}}),
         "f");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("f", {vi32(3), vi32(1)})), 7u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(3), vi32(0)})), 50u);
}

TEST(InterpExec, RecursiveFib) {
  ModuleBuilder b;
  b.func(b.type({I32}, {I32}), {},
         code({{kLocalGet, 0},
               i32c(2),
               {kI32LtS, kIf, I32, kLocalGet, 0, kElse, kLocalGet, 0},
               i32c(1),
               {kI32Sub, kCall, 0, kLocalGet, 0},
               i32c(2),
               {kI32Sub, kCall, 0, kI32Add, kEnd}}),
         "fib");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("fib", {vi32(20)})), 6765u);
}

TEST(InterpExec, DeepRecursionIsStackExhaustedNotACrash) {
  ModuleBuilder b;
  b.func(b.type({I32}, {I32}), {}, code({{kLocalGet, 0}, i32c(1), {kI32Add, kCall, 0}}), "runaway");
  engine::Config config;
  config.max_call_depth = 1000;
  Harness h(config);
  ASSERT_TRUE(h.load(b.build())) << h.error;
  std::optional<engine::Trap> trap;
  h.call("runaway", {vi32(0)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::StackExhausted);
  EXPECT_EQ(trap->message, "call stack exhausted");
  EXPECT_GE(trap->backtrace.size(), 100u);
  // The store is still usable afterwards.
  h.call("runaway", {vi32(0)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::StackExhausted);
}

TEST(InterpExec, ValueStackExhaustionWithBigFrames) {
  ModuleBuilder b;
  Bytes locals(2000, I64);
  b.func(b.type({}, {}), locals, {kCall, 0}, "big");
  engine::Config config;
  config.max_stack_slots = 100'000;
  Harness h(config);
  ASSERT_TRUE(h.load(b.build())) << h.error;
  std::optional<engine::Trap> trap;
  h.call("big", {}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::StackExhausted);
}

TEST(InterpExec, TailCallsDoNotGrowTheStack) {
  // f(n, acc) = n == 0 ? acc : return_call f(n - 1, acc + 1)
  ModuleBuilder b;
  b.func(b.type({I32, I32}, {I32}), {},
         code({{kLocalGet, 0, kI32Eqz, kIf, I32, kLocalGet, 1, kElse, kLocalGet, 0},
               i32c(1),
               {kI32Sub, kLocalGet, 1},
               i32c(1),
               {kI32Add, kReturnCall, 0, kEnd}}),
         "count");
  engine::Config config;
  config.max_call_depth = 100;
  Harness h(config);
  ASSERT_TRUE(h.load(b.build())) << h.error;
  std::optional<engine::Trap> trap;
  auto r = h.call("count", {vi32(1'000'000), vi32(0)}, &trap);
  ASSERT_FALSE(trap) << trap->to_string();
  EXPECT_EQ(u32_of(r), 1'000'000u);
}

TEST(InterpExec, UnreachableTrapHasBacktrace) {
  ModuleBuilder b;
  const uint32_t t = b.type({}, {});
  b.func(t, {}, {kCall, 1}, "outer");
  b.func(t, {}, {kUnreachable});
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  std::optional<engine::Trap> trap;
  h.call("outer", {}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::Unreachable);
  ASSERT_EQ(trap->backtrace.size(), 2u);
  EXPECT_EQ(trap->backtrace[0].func_index, 1u);
  EXPECT_EQ(trap->backtrace[1].func_index, 0u);
}

TEST(InterpExec, SelectAndGlobals) {
  ModuleBuilder b;
  const uint32_t g = b.global(I32, true, i32c(5));
  b.func(b.type({I32, I32, I32}, {I32}), {}, {kLocalGet, 0, kLocalGet, 1, kLocalGet, 2, kSelect}, "sel");
  b.func(b.type({}, {I32}), {},
         code({{kGlobalGet, static_cast<uint8_t>(g)}, i32c(1), {kI32Add, kGlobalSet, static_cast<uint8_t>(g),
                                                                 kGlobalGet, static_cast<uint8_t>(g)}}),
         "bump");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("sel", {vi32(1), vi32(2), vi32(1)})), 1u);
  EXPECT_EQ(u32_of(h.call("sel", {vi32(1), vi32(2), vi32(0)})), 2u);
  EXPECT_EQ(u32_of(h.call("bump", {})), 6u);
  EXPECT_EQ(u32_of(h.call("bump", {})), 7u);
}

TEST(InterpExec, FloatsAndTruncation) {
  ModuleBuilder b;
  b.func(b.type({F64, F64}, {F64}), {}, {kLocalGet, 0, kLocalGet, 1, kF64Min}, "min");
  b.func(b.type({F64}, {I32}), {}, {kLocalGet, 0, kI32TruncF64S}, "trunc");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  auto r = h.call("min", {vf64(-0.0), vf64(0.0)});
  EXPECT_TRUE(std::signbit(r.at(0).f64()));
  r = h.call("min", {vf64(std::nan("")), vf64(1.0)});
  EXPECT_TRUE(std::isnan(r.at(0).f64()));
  EXPECT_EQ(u32_of(h.call("trunc", {vf64(-3.9)})), static_cast<uint32_t>(-3));
  std::optional<engine::Trap> trap;
  h.call("trunc", {vf64(3e9)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::IntegerOverflow);
  h.call("trunc", {vf64(std::nan(""))}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::InvalidConversion);
}

TEST(InterpExec, ChainsThroughAccComputeTheSameAsSlots) {
  // f(x, y) = (((x << 3) ^ y) - 7) * (y - x * x) + ((x >> 1) - (y / 3)), g = f in f64.
  ModuleBuilder b;
  b.func(b.type({I32, I32}, {I32}), {},
         code({{kLocalGet, 0}, i32c(3), {kI32Shl, kLocalGet, 1, kI32Xor}, i32c(7),
               {kI32Sub, kLocalGet, 1, kLocalGet, 0, kLocalGet, 0, kI32Mul, kI32Sub, kI32Mul, kLocalGet, 0},
               i32c(1), {kI32ShrU, kLocalGet, 1}, i32c(3), {kI32DivU, kI32Sub, kI32Add}}),
         "f");
  b.func(b.type({F64, F64}, {F64}), {},
         {kLocalGet, 1, kLocalGet, 0, kLocalGet, 0, kF64Mul, kF64Sub, kLocalGet, 1, kF64Mul, kLocalGet, 0,
          kF64Add},
         "g");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  uint32_t seed = 12345;
  for (int i = 0; i < 200; ++i) {
    seed = seed * 1103515245u + 12345u;
    const uint32_t x = seed >> 7;
    seed = seed * 1103515245u + 12345u;
    const uint32_t y = seed;
    const uint32_t want = (((x << 3) ^ y) - 7) * (y - x * x) + ((x >> 1) - (y / 3));
    ASSERT_EQ(u32_of(h.call("f", {vi32(static_cast<int32_t>(x)), vi32(static_cast<int32_t>(y))})), want)
        << x << " " << y;
    const double fx = static_cast<double>(x) / 7.0;
    const double fy = static_cast<double>(y) / 3.0;
    EXPECT_EQ(h.call("g", {vf64(fx), vf64(fy)}).at(0).f64(), (fy - fx * fx) * fy + fx);
  }
}

TEST(InterpExec, SelectWithTheConditionInAcc) {
  // select(x, y, (x ^ y) & 1) ^ 3, and select(7, 9, x & 1) whose constants are materialized
  // after the condition was computed.
  ModuleBuilder b;
  b.func(b.type({I32, I32}, {I32}), {},
         code({{kLocalGet, 0, kLocalGet, 1, kLocalGet, 0, kLocalGet, 1, kI32Xor}, i32c(1),
               {kI32And, kSelect}, i32c(3), {kI32Xor}}),
         "f");
  b.func(b.type({I32}, {I32}), {}, code({i32c(7), i32c(9), {kLocalGet, 0}, i32c(1), {kI32And, kSelect}}), "g");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("f", {vi32(4), vi32(9)})), 4u ^ 3u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(4), vi32(8)})), 8u ^ 3u);
  EXPECT_EQ(u32_of(h.call("g", {vi32(1)})), 7u);
  EXPECT_EQ(u32_of(h.call("g", {vi32(2)})), 9u);
}

TEST(InterpExec, BranchesOnAConditionInAcc) {
  // br_table on (x & 3) and br_if on (x & 4): the index and the condition come from acc.
  // Returns 10 + (x & 3) for the table's targets (3 -> default 13), plus 100 when x & 4.
  ModuleBuilder b;
  b.func(b.type({I32}, {I32}), {I32},
         code({{kBlock, kVoid, kLocalGet, 0}, i32c(4), {kI32And, kBrIf, 0}, i32c(-100),
               {kLocalSet, 1, kEnd, kLocalGet, 1}, i32c(100), {kI32Add, kLocalSet, 1},
               {kBlock, kVoid, kBlock, kVoid, kBlock, kVoid, kBlock, kVoid, kLocalGet, 0}, i32c(3),
               {kI32And, kBrTable, 3, 0, 1, 2, 3, kEnd}, i32c(10), {kLocalGet, 1, kI32Add, kReturn, kEnd},
               i32c(11), {kLocalGet, 1, kI32Add, kReturn, kEnd}, i32c(12), {kLocalGet, 1, kI32Add, kReturn, kEnd},
               i32c(13), {kLocalGet, 1, kI32Add}}),
         "f");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("f", {vi32(0)})), 10u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(1)})), 11u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(2)})), 12u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(3)})), 13u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(4)})), 110u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(7)})), 113u);
}

TEST(InterpExec, ValuesMergingAtALabelDoNotComeFromAStaleAcc) {
  // (block (result i32) (x + 1) (br_if 0 (x)) drop 7) * 3: 21 when x == 0, else (x + 1) * 3.
  // On the fall-through path acc still holds x + 1 when the mul runs.
  ModuleBuilder b;
  b.func(b.type({I32}, {I32}), {},
         code({{kBlock, I32, kLocalGet, 0},
               i32c(1),
               {kI32Add, kLocalGet, 0, kBrIf, 0, kDrop},
               i32c(7),
               {kEnd},
               i32c(3),
               {kI32Mul}}),
         "f");
  // A loop whose parameter is computed before it: x * 5, then + 1 at the header, 3 times.
  const uint32_t lt = b.type({I32}, {I32});
  b.func(b.type({I32}, {I32}), {I32},
         code({{kLocalGet, 0}, i32c(5), {kI32Mul, kLoop}, sleb(lt), i32c(1),
               {kI32Add, kLocalGet, 1}, i32c(1), {kI32Add, kLocalTee, 1}, i32c(3), {kI32LtS, kBrIf, 0, kEnd}}),
         "loop");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("f", {vi32(0)})), 21u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(4)})), 15u);
  EXPECT_EQ(u32_of(h.call("loop", {vi32(2)})), 13u);
}

TEST(InterpExec, ConstantStoresWriteTheirValueAndWidth) {
  // f(p, k): store8(p + k, 0x1ff); store16(p + 4, -2); store64(p + k + 16, c); then
  // returns load64(p + k + 16) ^ load64(p). The address adds wrap like i32.add.
  ModuleBuilder b;
  b.memory(1);
  b.func(b.type({I32, I32}, {I64}), {},
         code({{kLocalGet, 0, kLocalGet, 1, kI32Add}, i32c(0x1ff), {kI32Store8, 0, 0, kLocalGet, 0}, i32c(4),
               {kI32Add}, i32c(-2), {kI32Store16, 1, 0, kLocalGet, 0, kLocalGet, 1, kI32Add},
               i64c(0x0102030405060708), {kI64Store, 3, 16, kLocalGet, 0, kLocalGet, 1, kI32Add, kI64Load, 3, 16,
               kLocalGet, 0, kI64Load, 3, 0, kI64Xor}}),
         "f");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  // p = 100, k = 0: byte 100 = 0xff (truncated), 104..105 = 0xfffe, 116..123 = c.
  auto r = h.call("f", {vi32(100), vi32(0)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r.at(0).i64, 0x0102030405060708ull ^ 0x0000fffe000000ffull);
  // p = -4, k = 8: p + k = 4 and p + 4 = 0 after wrapping; load64(p) is out of bounds.
  std::optional<engine::Trap> trap;
  h.call("f", {vi32(-4), vi32(8)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::MemoryOutOfBounds);
  // The wrapped store16 put 0xfffe at 0 (byte 1 = 0xff survives); p = k = 0 then writes
  // byte 0 = 0xff and 0xfffe at 4.
  auto m = h.call("f", {vi32(0), vi32(0)});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m.at(0).i64, 0x0102030405060708ull ^ 0x0000fffe0000ffffull);
}

TEST(InterpExec, LoadChainsThroughAcc) {
  // mem[0] = 8, mem[8] = 100, mem[16 + 4*i] = 1000 + i; f(i) = load(load(load(0))) ... see below.
  ModuleBuilder b;
  b.memory(1);
  b.func(b.type({I32}, {I32}), {},
         code({i32c(0), i32c(8), {kI32Store, 2, 0}, i32c(8), i32c(100), {kI32Store, 2, 0}, i32c(16),
               {kLocalGet, 0}, i32c(2), {kI32Shl, kI32Add}, i32c(1000), {kLocalGet, 0, kI32Add, kI32Store, 2, 0},
               // load(load(0)) + load(16 + (i << 2))
               i32c(0), {kI32Load, 2, 0, kI32Load, 2, 0}, i32c(16), {kLocalGet, 0}, i32c(2),
               {kI32Shl, kI32Add, kI32Load, 2, 0, kI32Add}}),
         "f");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("f", {vi32(3)})), 100u + 1003u);
  EXPECT_EQ(u32_of(h.call("f", {vi32(10)})), 100u + 1010u);
}

}  // namespace
}  // namespace rill::interp_test
