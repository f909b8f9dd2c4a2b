// Guest calls on native fibers (engine/fiber.h): Store::call from a fiber, traps and memory faults
// there as trap values, stack exhaustion checked against the fiber's stack, a host function that
// suspends the fiber mid-call, two calls of one store suspended and finished in interleaved
// order (one ExecState per fiber, pooled), and the epoch deadline re-armed on resume.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "interp_test_builder.h"
#include "rill/engine/fiber.h"

namespace rill::interp_test {
namespace {

using engine::Fiber;
using engine::TrapKind;

constexpr uint8_t kWait = 0;     // import env.wait (i32) -> i32: suspends, returns x + 100
constexpr uint8_t kReenter = 1;  // import env.reenter (i32) -> i32: calls export "reenter"
constexpr uint8_t kHelper = 3;   // helper(x) = wait(x) * x
constexpr uint8_t kRecurse = 7;

/// run(x) = wait(x)*x + wait(x+1)*(x+1) + 3x + x, with 3x kept in a local across both waits.
int32_t run_expected(int32_t x) { return (x + 100) * x + (x + 101) * (x + 1) + 3 * x + x; }

Bytes guest_module() {
  ModuleBuilder b;
  const uint32_t t_ii = b.type({I32}, {I32});
  const uint32_t t_iii = b.type({I32, I32}, {I32});
  const uint32_t t_v = b.type({}, {});
  const uint32_t t_vi = b.type({}, {I32});
  b.memory(1);
  b.import_func("env", "wait", t_ii);
  b.import_func("env", "reenter", t_ii);
  b.func(t_iii, {}, {kLocalGet, 0, kLocalGet, 1, kI32Add}, "add");  // 2
  b.func(t_ii, {}, {kLocalGet, 0, kCall, kWait, kLocalGet, 0, kI32Mul});  // 3 = kHelper
  b.func(t_ii, {I32},
         code({{kLocalGet, 0}, i32c(3), {kI32Mul, kLocalSet, 1},
               {kLocalGet, 0, kCall, kHelper},
               {kLocalGet, 0}, i32c(1), {kI32Add, kCall, kHelper, kI32Add},
               {kLocalGet, 1, kI32Add, kLocalGet, 0, kI32Add}}),
         "run");  // 4
  b.func(t_v, {}, {kUnreachable}, "trap");  // 5
  b.func(t_vi, {}, code({i32c(0), {kCall, kWait, kDrop}, i32c(65536), {kI32Load, 2, 0}}),
         "wait_then_oob");  // 6
  b.func(t_ii, {}, {kLocalGet, 0, kCall, kRecurse}, "recurse");  // 7 = kRecurse
  // wait(0); do { n -= 1 } while (n != 0); 7 — the loop's back edge checks the epoch.
  b.func(t_ii, {},
         code({i32c(0), {kCall, kWait, kDrop},
               {kLoop, kVoid, kLocalGet, 0}, i32c(1), {kI32Sub, kLocalTee, 0, kBrIf, 0, kEnd},
               i32c(7)}),
         "wait_then_count");  // 8
  b.func(t_ii, {}, {kLocalGet, 0, kCall, kReenter}, "reenter");  // 9
  return b.build();
}

/// A guest call made on a fiber; its outcome once the fiber is done.
struct FiberCall {
  std::vector<engine::Value> results;
  std::optional<engine::Trap> trap;
  std::unique_ptr<Fiber> fiber;
};

struct FiberHarness {
  Harness h;
  std::vector<int32_t> waits;  ///< arguments of env.wait, in call order
  int reentries = 0;
  bool suspend_in_wait = true;

  explicit FiberHarness(engine::Config config = {}) : h(config) {
    engine::Function* wait = h.store.create_host_function(
        wasm::FuncType{{wasm::kI32}, {wasm::kI32}},
        [this](engine::Caller&, std::span<const engine::Value> args, std::span<engine::Value> results)
            -> std::optional<engine::Trap> {
          waits.push_back(static_cast<int32_t>(args[0].i32));
          if (suspend_in_wait && Fiber::current() != nullptr) Fiber::suspend();
          results[0] = engine::Value::from_i32(args[0].i32 + 100);
          return std::nullopt;
        });
    engine::Function* reenter = h.store.create_host_function(
        wasm::FuncType{{wasm::kI32}, {wasm::kI32}},
        [this](engine::Caller& c, std::span<const engine::Value> args, std::span<engine::Value> results)
            -> std::optional<engine::Trap> {
          ++reentries;
          std::vector<engine::Value> r;
          if (auto t = c.store.call(h.func("reenter"), args.first(1), r)) return t;
          results[0] = r[0];
          return std::nullopt;
        });
    EXPECT_TRUE(h.load(guest_module(), {wait, reenter})) << h.error;
  }

  /// Starts export {name} on a new fiber (not yet resumed).
  std::unique_ptr<FiberCall> spawn(const std::string& name, std::vector<engine::Value> args,
                                   size_t stack = engine::kDefaultFiberStack) {
    auto call = std::make_unique<FiberCall>();
    engine::Function* f = h.func(name);
    FiberCall* out = call.get();
    auto fiber = Fiber::create([this, f, args, out] { out->trap = h.store.call(f, args, out->results); }, stack);
    EXPECT_TRUE(fiber) << fiber.error().to_string();
    if (fiber) call->fiber = std::move(fiber).value();
    return call;
  }
};

int32_t i32_of(const FiberCall& c) {
  EXPECT_FALSE(c.trap) << c.trap->to_string();
  EXPECT_EQ(c.results.size(), 1u);
  return c.results.empty() ? -1 : static_cast<int32_t>(c.results[0].i32);
}

TEST(FiberEngine, StoreCallOnAFiber) {
  FiberHarness fh;
  auto c = fh.spawn("add", {vi32(40), vi32(2)});
  c->fiber->resume();
  ASSERT_TRUE(c->fiber->done());
  EXPECT_EQ(i32_of(*c), 42);
  // The fiber's ExecState went back to the pool; the next fiber reuses it.
  EXPECT_EQ(fh.h.store.fiber_exec_count(), 1u);
  auto d = fh.spawn("add", {vi32(1), vi32(2)});
  d->fiber->resume();
  EXPECT_EQ(i32_of(*d), 3);
  EXPECT_EQ(fh.h.store.fiber_exec_count(), 1u);
}

TEST(FiberEngine, TrapsAndMemoryFaultsAreTrapValues) {
  FiberHarness fh;
  fh.suspend_in_wait = false;
  auto t = fh.spawn("trap", {});
  t->fiber->resume();
  ASSERT_TRUE(t->fiber->done());
  ASSERT_TRUE(t->trap);
  EXPECT_EQ(t->trap->kind, TrapKind::Unreachable);
  ASSERT_FALSE(t->trap->backtrace.empty());
  EXPECT_EQ(t->trap->backtrace[0].func_index, 5u);

  auto m = fh.spawn("wait_then_oob", {});
  m->fiber->resume();
  ASSERT_TRUE(m->trap);
  EXPECT_EQ(m->trap->kind, TrapKind::MemoryOutOfBounds);
  // The store still works, on a fiber and off.
  auto a = fh.spawn("add", {vi32(1), vi32(1)});
  a->fiber->resume();
  EXPECT_EQ(i32_of(*a), 2);
  std::optional<engine::Trap> trap;
  EXPECT_EQ(fh.h.call("add", {vi32(2), vi32(3)}, &trap).at(0).i32, 5u);
}

TEST(FiberEngine, MemoryFaultAfterResumeJumpsBackOnTheFiber) {
  FiberHarness fh;
  auto m = fh.spawn("wait_then_oob", {});
  m->fiber->resume();  // suspended inside env.wait
  ASSERT_EQ(m->fiber->state(), Fiber::State::Suspended);
  // A fault on the thread's own stack meanwhile is caught there.
  fh.suspend_in_wait = false;
  std::optional<engine::Trap> trap;
  fh.h.call("wait_then_oob", {}, &trap);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::MemoryOutOfBounds);
  m->fiber->resume();  // faults on the fiber, after the resume
  ASSERT_TRUE(m->fiber->done());
  ASSERT_TRUE(m->trap);
  EXPECT_EQ(m->trap->kind, TrapKind::MemoryOutOfBounds);
}

TEST(FiberEngine, WasmRecursionOnAFiberIsStackExhausted) {
  FiberHarness fh;
  auto r = fh.spawn("recurse", {vi32(0)});
  r->fiber->resume();
  ASSERT_TRUE(r->fiber->done());
  ASSERT_TRUE(r->trap);
  EXPECT_EQ(r->trap->kind, TrapKind::StackExhausted);
}

TEST(FiberEngine, HostReentryIsBoundedByTheFibersStack) {
  // No depth limit but the native stack: each host -> wasm re-entry uses native stack, and
  // the check must measure the fiber's stack (the thread's bounds would let it overflow).
  engine::Config config;
  config.max_host_reentry = 1'000'000;
  FiberHarness fh(config);
  auto r = fh.spawn("reenter", {vi32(0)});
  r->fiber->resume();
  ASSERT_TRUE(r->fiber->done());
  ASSERT_TRUE(r->trap);
  EXPECT_EQ(r->trap->kind, TrapKind::StackExhausted);
  EXPECT_GT(fh.reentries, 1);
}

TEST(FiberEngine, HostFunctionSuspendsMidCall) {
  FiberHarness fh;
  auto c = fh.spawn("run", {vi32(5)});
  c->fiber->resume();
  EXPECT_EQ(c->fiber->state(), Fiber::State::Suspended);
  EXPECT_EQ(fh.waits, (std::vector<int32_t>{5}));
  c->fiber->resume();
  EXPECT_EQ(fh.waits, (std::vector<int32_t>{5, 6}));
  EXPECT_EQ(c->fiber->state(), Fiber::State::Suspended);
  c->fiber->resume();
  ASSERT_TRUE(c->fiber->done());
  EXPECT_EQ(i32_of(*c), run_expected(5));
}

TEST(FiberEngine, TwoCallsOfOneStoreInterleaved) {
  // A and B suspend in order A, B; A finishes first while B is still suspended (not LIFO), a
  // call on the thread's stack and a third fiber run in between, then B finishes.
  FiberHarness fh;
  auto a = fh.spawn("run", {vi32(1)});
  auto b = fh.spawn("run", {vi32(2)});
  a->fiber->resume();
  b->fiber->resume();
  a->fiber->resume();
  b->fiber->resume();
  a->fiber->resume();
  ASSERT_TRUE(a->fiber->done());
  EXPECT_EQ(i32_of(*a), run_expected(1));
  ASSERT_EQ(b->fiber->state(), Fiber::State::Suspended);
  std::optional<engine::Trap> trap;
  EXPECT_EQ(fh.h.call("add", {vi32(20), vi32(22)}, &trap).at(0).i32, 42u);
  auto c = fh.spawn("add", {vi32(3), vi32(4)});
  c->fiber->resume();
  EXPECT_EQ(i32_of(*c), 7);
  b->fiber->resume();
  ASSERT_TRUE(b->fiber->done());
  EXPECT_EQ(i32_of(*b), run_expected(2));
  EXPECT_EQ(fh.waits, (std::vector<int32_t>{1, 2, 2, 3}));
  EXPECT_EQ(fh.h.store.fiber_exec_count(), 2u);  // A's state served C
}

TEST(FiberEngine, ManyCallsOfOneStoreInAnyOrder) {
  constexpr int kCalls = 23;  // prime: every stride below is a permutation
  FiberHarness fh;
  std::vector<std::unique_ptr<FiberCall>> calls;
  for (int i = 0; i < kCalls; ++i) calls.push_back(fh.spawn("run", {vi32(i)}));
  // Three resumptions finish a call; each round resumes in another order.
  for (int round = 0; round < 3; ++round) {
    for (int k = 0; k < kCalls; ++k) {
      const int i = (k * (2 * round + 5) + 7 * round) % kCalls;
      calls[i]->fiber->resume();
    }
  }
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_TRUE(calls[i]->fiber->done()) << i;
    EXPECT_EQ(i32_of(*calls[i]), run_expected(i)) << i;
  }
  EXPECT_EQ(fh.h.store.fiber_exec_count(), static_cast<size_t>(kCalls));
}

TEST(FiberEngine, EpochDeadlineSetWhileSuspendedInterrupts) {
  FiberHarness fh;
  auto c = fh.spawn("wait_then_count", {vi32(1000)});
  c->fiber->resume();  // entered with no deadline, suspended in env.wait
  ASSERT_EQ(c->fiber->state(), Fiber::State::Suspended);
  fh.h.store.set_epoch_deadline(1);
  fh.h.engine.increment_epoch();
  c->fiber->resume();  // the loop after the wait sees the deadline armed while suspended
  ASSERT_TRUE(c->fiber->done());
  ASSERT_TRUE(c->trap);
  EXPECT_EQ(c->trap->kind, TrapKind::Interrupted);
}

TEST(FiberEngine, EpochDeadlineRearmedBeforeResumeLetsTheGuestFinish) {
  FiberHarness fh;
  fh.h.store.set_epoch_deadline(1);
  auto c = fh.spawn("wait_then_count", {vi32(1000)});
  c->fiber->resume();
  ASSERT_EQ(c->fiber->state(), Fiber::State::Suspended);
  fh.h.engine.increment_epoch();  // the deadline the call entered with has passed ...
  fh.h.store.set_epoch_deadline(1000);  // ... and is re-armed before the resume
  c->fiber->resume();
  ASSERT_TRUE(c->fiber->done());
  EXPECT_EQ(i32_of(*c), 7);
}

}  // namespace
}  // namespace rill::interp_test
