// The examples/embed_fib.cpp flow as a test: compile, link typed host functions, instantiate,
// call exports, read memory, and check a trap's kind, message and backtrace.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "../../examples/fib_wasm.h"
#include "rill/rill.h"

namespace rill {
namespace {

int32_t reference_fib(int32_t n) {
  return n < 2 ? n : reference_fib(n - 1) + reference_fib(n - 2);
}

class EmbedFibTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = Module::compile(engine_, examples::kFibWasm);
    ASSERT_TRUE(m) << m.error().to_string();
    module_ = std::move(m).value();
    linker_.func("env", "add", [this](int32_t a, int32_t b) -> int32_t {
      ++adds_;
      return a + b;
    });
    linker_.func("env", "log", [this](Caller& caller, int32_t ptr, int32_t len) -> TrapOr<void> {
      auto mem = caller.memory();
      if (!mem)
        return Trap::host("no memory");
      auto s = mem->read_string(static_cast<uint32_t>(ptr), static_cast<uint32_t>(len));
      if (!s)
        return Trap::host(s.error().message);
      logged_.push_back(*s);
      return {};
    });
  }

  Engine engine_;
  Module module_;
  Linker linker_;
  uint64_t adds_ = 0;
  std::vector<std::string> logged_;
};

TEST_F(EmbedFibTest, CallsTypedExportThroughHostFunction) {
  Store store(engine_);
  auto inst = linker_.instantiate(store, module_);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto fib = inst->func<int32_t(int32_t)>("fib");
  ASSERT_TRUE(fib) << fib.error().message;
  for (int32_t n : {0, 1, 2, 10, 20}) {
    auto r = (*fib)(n);
    ASSERT_TRUE(r) << r.trap().to_string();
    EXPECT_EQ(*r, reference_fib(n)) << "n=" << n;
  }
  // fib(n) makes fib(n+1)-1 host additions: 0, 0, 1, 88 and 10945 for the calls above.
  EXPECT_EQ(adds_, uint64_t{0 + 0 + 1 + 88 + 10945});
}

TEST_F(EmbedFibTest, FillWritesMemoryAndLogsThroughCaller) {
  Store store(engine_);
  auto inst = linker_.instantiate(store, module_);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto fill = inst->func<int32_t(int32_t)>("fill");
  ASSERT_TRUE(fill);
  auto r = (*fill)(12);
  ASSERT_TRUE(r) << r.trap().to_string();
  EXPECT_EQ(*r, 12);
  ASSERT_EQ(logged_.size(), 1u);
  EXPECT_EQ(logged_[0], "fib table written");

  auto mem = inst->memory("memory");
  ASSERT_TRUE(mem);
  EXPECT_EQ(mem->pages(), 1u);
  EXPECT_EQ(mem->size(), 65536u);
  for (int32_t i = 0; i < 12; ++i) {
    auto v = mem->load<int32_t>(64 + 4 * static_cast<uint64_t>(i));
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, reference_fib(i)) << "i=" << i;
  }
  // Past the table the memory is still zero.
  auto after = mem->load<int32_t>(64 + 4 * 12);
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, 0);
}

TEST_F(EmbedFibTest, TrapCarriesKindMessageAndBacktrace) {
  Store store(engine_);
  auto inst = linker_.instantiate(store, module_);
  ASSERT_TRUE(inst);
  auto div = inst->func<int32_t(int32_t, int32_t)>("div");
  ASSERT_TRUE(div);
  auto ok = (*div)(-9, 2);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, -4);
  auto r = (*div)(1, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.trap().kind, TrapKind::IntegerDivideByZero);
  EXPECT_EQ(r.trap().message, "integer divide by zero");
  ASSERT_FALSE(r.trap().frames.empty());
  EXPECT_EQ(r.trap().frames[0].func_index, 4u);
  EXPECT_EQ(r.trap().frames[0].func_name, "div");
  EXPECT_NE(r.trap().to_string().find("div (func 4)"), std::string::npos) << r.trap().to_string();
  // INT_MIN / -1 overflows.
  auto overflow = (*div)(INT32_MIN, -1);
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.trap().kind, TrapKind::IntegerOverflow);
}

TEST_F(EmbedFibTest, HostTrapAbortsTheGuest) {
  Linker linker;
  linker.func("env", "add", [](int32_t a, int32_t b) -> TrapOr<int32_t> {
    if (a > 3)
      return Trap::host("add refused");
    return a + b;
  });
  linker.func("env", "log", [](int32_t, int32_t) {});
  Store store(engine_);
  auto inst = linker.instantiate(store, module_);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto fib = inst->func<int32_t(int32_t)>("fib");
  ASSERT_TRUE(fib);
  auto small = (*fib)(4);  // its additions have a first operand of at most 2
  ASSERT_TRUE(small) << small.trap().to_string();
  auto r = (*fib)(10);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.trap().kind, TrapKind::HostError);
  EXPECT_EQ(r.trap().message, "add refused");
}

TEST_F(EmbedFibTest, HostFunctionReentersTheGuest) {
  // add(a, b) computes a + b by calling back into the guest's own `div` export: (2a / 2) + b.
  Linker linker;
  linker.func("env", "add", [](Caller& caller, int32_t a, int32_t b) -> TrapOr<int32_t> {
    auto e = caller.get_export("div");
    if (!e || !std::holds_alternative<Func>(*e))
      return Trap::host("no div export");
    auto div = std::get<Func>(*e).typed<int32_t(int32_t, int32_t)>();
    if (!div)
      return Trap::host(div.error().message);
    auto q = (*div)(2 * a, 2);
    if (!q)
      return std::move(q).trap();
    return *q + b;
  });
  linker.func("env", "log", [](int32_t, int32_t) {});
  Store store(engine_);
  auto inst = linker.instantiate(store, module_);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto r = (*inst->func<int32_t(int32_t)>("fib"))(15);
  ASSERT_TRUE(r) << r.trap().to_string();
  EXPECT_EQ(*r, 610);
}

TEST_F(EmbedFibTest, UnboundedHostReentryTrapsInsteadOfCrashing) {
  // add() calls fib(5) again, which calls add() again, forever.
  Linker linker;
  linker.func("env", "add", [](Caller& caller, int32_t, int32_t) -> TrapOr<int32_t> {
    auto e = caller.get_export("fib");
    if (!e)
      return Trap::host("no fib export");
    auto fib = std::get<Func>(*e).typed<int32_t(int32_t)>();
    auto r = (*fib)(5);
    if (!r)
      return std::move(r).trap();
    return *r;
  });
  linker.func("env", "log", [](int32_t, int32_t) {});
  Store store(engine_);
  auto inst = linker.instantiate(store, module_);
  ASSERT_TRUE(inst);
  auto r = (*inst->func<int32_t(int32_t)>("fib"))(5);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.trap().kind, TrapKind::StackExhausted) << r.trap().to_string();
  // The store stays usable afterwards.
  auto div = inst->func<int32_t(int32_t, int32_t)>("div");
  ASSERT_TRUE(div);
  EXPECT_EQ(*(*div)(9, 3), 3);
}

TEST_F(EmbedFibTest, UntypedCallChecksArguments) {
  Store store(engine_);
  auto inst = linker_.instantiate(store, module_);
  ASSERT_TRUE(inst);
  auto fib = inst->func("fib");
  ASSERT_TRUE(fib);
  EXPECT_EQ(fib->type(), (FuncType{{ValType::I32}, {ValType::I32}}));
  auto r = fib->call({Val::from_i32(15)});
  ASSERT_TRUE(r) << r.trap().to_string();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].type(), ValType::I32);
  EXPECT_EQ((*r)[0].i32(), 610);
  auto wrong_type = fib->call({Val::from_i64(15)});
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.trap().kind, TrapKind::HostError);
  auto wrong_count = fib->call({});
  EXPECT_FALSE(wrong_count);
}

TEST_F(EmbedFibTest, TypedLookupRejectsWrongSignatureAndMissingExport) {
  Store store(engine_);
  auto inst = linker_.instantiate(store, module_);
  ASSERT_TRUE(inst);
  auto wrong = inst->func<int64_t(int32_t)>("fib");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("type mismatch"), std::string::npos)
      << wrong.error().message;
  auto missing = inst->func<int32_t(int32_t)>("fibonacci");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("fibonacci"), std::string::npos);
  EXPECT_FALSE(inst->memory("fib"));
  EXPECT_FALSE(inst->func("memory"));
}

}  // namespace
}  // namespace rill
