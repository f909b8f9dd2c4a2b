// Interpreter tests against the runtime: linear memory (guard-page bounds), call_indirect checks,
// host calls and host -> wasm re-entry, cross-instance calls, epoch interruption, SIMD slots.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "interp_test_builder.h"

namespace rill::interp_test {
namespace {

using engine::TrapKind;

uint32_t u32_of(const std::vector<engine::Value>& r, size_t i = 0) { return r.at(i).i32; }

TEST(InterpRuntime, MemoryLoadStoreGrowAndBounds) {
  ModuleBuilder b;
  b.memory(1, 2);
  b.func(b.type({I32, I32}, {}), {}, {kLocalGet, 0, kLocalGet, 1, kI32Store, 2, 0}, "store");
  b.func(b.type({I32}, {I32}), {}, {kLocalGet, 0, kI32Load, 2, 0}, "load");
  b.func(b.type({I32}, {I32}), {}, {kLocalGet, 0, kI32Load, 2, 8}, "load_off8");
  b.func(b.type({I32}, {I32}), {}, {kLocalGet, 0, kMemoryGrow, 0}, "grow");
  b.func(b.type({}, {I32}), {}, {kMemorySize, 0}, "size");
  b.func(b.type({I32, I32, I32}, {}), {}, {kLocalGet, 0, kLocalGet, 1, kLocalGet, 2, kPrefixFC, 11, 0}, "fill");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  std::optional<engine::Trap> trap;
  h.call("store", {vi32(100), vi32(static_cast<int32_t>(0xdeadbeef))}, &trap);
  ASSERT_FALSE(trap);
  EXPECT_EQ(u32_of(h.call("load", {vi32(100)})), 0xdeadbeefu);
  EXPECT_EQ(u32_of(h.call("load_off8", {vi32(92)})), 0xdeadbeefu);
  EXPECT_EQ(u32_of(h.call("load", {vi32(65532)})), 0u);
  for (int32_t addr : {65533, 65536, -1}) {
    h.call("load", {vi32(addr)}, &trap);
    ASSERT_TRUE(trap) << addr;
    EXPECT_EQ(trap->kind, TrapKind::MemoryOutOfBounds);
    EXPECT_EQ(trap->message, "out of bounds memory access");
  }
  h.call("load_off8", {vi32(65530)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(u32_of(h.call("grow", {vi32(1)})), 1u);
  EXPECT_EQ(u32_of(h.call("size", {})), 2u);
  EXPECT_EQ(u32_of(h.call("load", {vi32(65536)}, &trap)), 0u);
  EXPECT_FALSE(trap);
  EXPECT_EQ(u32_of(h.call("grow", {vi32(1)})), static_cast<uint32_t>(-1));
  h.call("fill", {vi32(2 * 65536 - 10), vi32(1), vi32(11)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(u32_of(h.call("load", {vi32(2 * 65536 - 8)})), 0u);  // nothing written by the trap
  h.call("fill", {vi32(200), vi32(0xab), vi32(4)}, &trap);
  ASSERT_FALSE(trap);
  EXPECT_EQ(u32_of(h.call("load", {vi32(200)})), 0xababababu);
}

TEST(InterpRuntime, FusedAddressArithmeticWrapsLikeWasm) {
  // load((a + 8)) and load((a + b)) fuse the i32.add into the access; the sum must still wrap at
  // 2^32 before the static offset applies: 0xfffffffc + 8 addresses byte 4, not 4 GiB + 4.
  ModuleBuilder b;
  b.memory(1);
  b.func(b.type({I32, I32}, {}), {}, {kLocalGet, 0, kLocalGet, 1, kI32Store, 2, 0}, "store");
  b.func(b.type({I32}, {I32}), {}, code({{kLocalGet, 0}, i32c(8), {kI32Add, kI32Load, 2, 0}}), "load_imm");
  b.func(b.type({I32, I32}, {I32}), {}, {kLocalGet, 0, kLocalGet, 1, kI32Add, kI32Load, 2, 4}, "load_reg");
  b.func(b.type({I32, I32}, {}), {}, code({{kLocalGet, 0}, i32c(8), {kI32Add, kLocalGet, 1, kI32Store, 2, 0}}),
         "store_imm");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  h.call("store", {vi32(4), vi32(1234)});
  std::optional<engine::Trap> trap;
  EXPECT_EQ(u32_of(h.call("load_imm", {vi32(-4)}, &trap)), 1234u);
  EXPECT_FALSE(trap);
  EXPECT_EQ(u32_of(h.call("load_reg", {vi32(-8), vi32(8)}, &trap)), 1234u);  // (a+b) wraps to 0, +4
  EXPECT_FALSE(trap);
  h.call("load_imm", {vi32(65530)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::MemoryOutOfBounds);
  h.call("store_imm", {vi32(-8), vi32(99)}, &trap);
  EXPECT_FALSE(trap);
  EXPECT_EQ(u32_of(h.call("load_imm", {vi32(-8)})), 99u);
}

TEST(InterpRuntime, CallIndirectChecks) {
  ModuleBuilder b;
  const uint32_t t0 = b.type({}, {I32});
  const uint32_t t1 = b.type({I32}, {I32});
  b.table(3);
  const uint32_t f0 = b.func(t0, {}, i32c(11));
  const uint32_t f1 = b.func(t1, {}, {kLocalGet, 0});
  b.elem(0, {f0, f1});
  b.func(t1, {}, {kLocalGet, 0, kCallIndirect, static_cast<uint8_t>(t0), 0}, "call");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  std::optional<engine::Trap> trap;
  EXPECT_EQ(u32_of(h.call("call", {vi32(0)}, &trap)), 11u);
  h.call("call", {vi32(1)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->message, "indirect call type mismatch");
  h.call("call", {vi32(2)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->message, "uninitialized element");
  h.call("call", {vi32(3)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->message, "undefined element");
}

/// Module: import env.h (i32)->i32; "inc"(x) = x + 1; "run"(x) = h(x).
Bytes host_module() {
  ModuleBuilder b;
  const uint32_t t = b.type({I32}, {I32});
  const uint32_t h = b.import_func("env", "h", t);
  b.func(t, {}, code({{kLocalGet, 0}, i32c(1), {kI32Add}}), "inc");
  b.func(t, {}, {kLocalGet, 0, kCall, static_cast<uint8_t>(h)}, "run");
  return b.build();
}

TEST(InterpRuntime, HostCallAndReentry) {
  Harness h;
  engine::Function* inc = nullptr;
  engine::Function* host = h.store.create_host_function(
      wasm::FuncType{{wasm::kI32}, {wasm::kI32}},
      [&inc](engine::Caller& c, std::span<const engine::Value> args, std::span<engine::Value> results)
          -> std::optional<engine::Trap> {
        if (args[0].i32 == 99) return engine::Trap::host("boom");
        std::vector<engine::Value> r;
        if (auto t = c.store.call(inc, args.first(1), r)) return t;  // re-enter wasm
        results[0] = engine::Value::from_i32(r[0].i32 * 2);
        return std::nullopt;
      });
  ASSERT_TRUE(h.load(host_module(), {host})) << h.error;
  inc = h.func("inc");
  std::optional<engine::Trap> trap;
  EXPECT_EQ(u32_of(h.call("run", {vi32(5)}, &trap)), 12u);
  h.call("run", {vi32(99)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::HostError);
  EXPECT_EQ(trap->message, "boom");
  EXPECT_EQ(u32_of(h.call("run", {vi32(1)}, &trap)), 4u);  // the store recovered
}

TEST(InterpRuntime, UnboundedHostReentryIsCapped) {
  engine::Config config;
  config.max_host_reentry = 20;
  Harness h(config);
  engine::Function* run = nullptr;
  std::atomic<int> depth{0};
  engine::Function* host = h.store.create_host_function(
      wasm::FuncType{{wasm::kI32}, {wasm::kI32}},
      [&](engine::Caller& c, std::span<const engine::Value> args, std::span<engine::Value> results)
          -> std::optional<engine::Trap> {
        ++depth;
        std::vector<engine::Value> r;
        if (auto t = c.store.call(run, args.first(1), r)) return t;
        results[0] = r[0];
        return std::nullopt;
      });
  ASSERT_TRUE(h.load(host_module(), {host})) << h.error;
  run = h.func("run");
  std::optional<engine::Trap> trap;
  h.call("run", {vi32(0)}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::StackExhausted);
  EXPECT_LE(depth.load(), 21);
}

TEST(InterpRuntime, CrossInstanceCallsUseTheCalleesMemory) {
  ModuleBuilder a;
  a.memory(1);
  a.func(a.type({I32, I32}, {}), {}, {kLocalGet, 0, kLocalGet, 1, kI32Store, 2, 0}, "poke");
  a.func(a.type({I32}, {I32}), {}, {kLocalGet, 0, kI32Load, 2, 0}, "peek");
  ModuleBuilder b;
  const uint32_t poke = b.import_func("a", "poke", b.type({I32, I32}, {}));
  const uint32_t peek = b.import_func("a", "peek", b.type({I32}, {I32}));
  b.memory(1);
  // poke(0, 77); own_mem[0] + peek(0) + own_mem[0]  == 77 only if each access hits the right memory
  b.func(b.type({}, {I32}), {},
         code({i32c(0), i32c(77), {kCall, static_cast<uint8_t>(poke)}, i32c(0), {kI32Load, 2, 0}, i32c(0),
               {kCall, static_cast<uint8_t>(peek), kI32Add}, i32c(0), {kI32Load, 2, 0, kI32Add}}),
         "f");
  Harness ha;
  ASSERT_TRUE(ha.load(a.build())) << ha.error;
  auto compiled = ha.engine.compile(b.build());
  ASSERT_TRUE(compiled) << compiled.error().to_string();
  std::vector<engine::Extern> imports = {ha.func("poke"), ha.func("peek")};
  engine::InstantiateResult r = ha.store.instantiate(*compiled, imports);
  ASSERT_NE(r.instance, nullptr);
  auto e = r.instance->get_export("f");
  ASSERT_TRUE(e);
  std::vector<engine::Value> results;
  ASSERT_FALSE(ha.store.call(std::get<engine::Function*>(*e), {}, results));
  EXPECT_EQ(u32_of(results), 77u);
}

TEST(InterpRuntime, EpochDeadlineInterruptsALoop) {
  ModuleBuilder b;
  b.func(b.type({}, {}), {}, {kLoop, kVoid, kBr, 0, kEnd}, "spin");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  h.store.set_epoch_deadline(1);
  std::thread ticker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    h.engine.increment_epoch();
  });
  std::optional<engine::Trap> trap;
  h.call("spin", {}, &trap);
  ticker.join();
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::Interrupted);
  // A deadline already reached stops the next call at function entry.
  h.call("spin", {}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::Interrupted);
}

TEST(InterpRuntime, EpochDeadlineInterruptsABrTableLoop) {
  // (loop (br_table 1 0 (i32.const 1))) inside a block: the only back edge is the br_table's.
  ModuleBuilder b;
  b.func(b.type({}, {}), {},
         code({{kBlock, kVoid, kLoop, kVoid}, i32c(1), {kBrTable, 1, 1, 0, kEnd, kEnd}}), "spin");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  h.store.set_epoch_deadline(1);
  std::thread ticker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    h.engine.increment_epoch();
  });
  std::optional<engine::Trap> trap;
  h.call("spin", {}, &trap);
  ticker.join();
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::Interrupted);
}

TEST(InterpRuntime, SimdValuesUseTwoSlots) {
  ModuleBuilder b;
  // (x) -> i32x4.splat(x) + i32x4.splat(x), lane 2;  and (x) -> v128 splat returned in slots 0..1
  b.func(b.type({I32}, {I32}), {},
         code({{kLocalGet, 0, kPrefixFD, 17, kLocalGet, 0, kPrefixFD, 17, kPrefixFD, 0xae, 0x01, kPrefixFD, 27, 2}}),
         "lane");
  b.func(b.type({I32, I32}, {V128}), {V128},
         {kLocalGet, 0, kPrefixFD, 17, kLocalSet, 2, kLocalGet, 2, kLocalGet, 2, kLocalGet, 1, 0x1c, 1, V128}, "vec");
  Harness h;
  ASSERT_TRUE(h.load(b.build())) << h.error;
  EXPECT_EQ(u32_of(h.call("lane", {vi32(21)})), 42u);
  auto r = h.call("vec", {vi32(0x01020304), vi32(1)});
  ASSERT_EQ(r.size(), 1u);
  for (int lane = 0; lane < 4; ++lane) {
    uint32_t v;
    std::memcpy(&v, r[0].v128.bytes + 4 * lane, 4);
    EXPECT_EQ(v, 0x01020304u) << lane;
  }
}

}  // namespace
}  // namespace rill::interp_test
