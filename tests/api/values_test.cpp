// Typed calls over every value type (multi-value, floats, v128), exported globals, tables and
// memories, memory limits, and epoch interruption.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <tuple>

#include "rill/rill.h"
#include "test_modules.h"

namespace rill {
namespace {

class ValuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = Module::compile(engine_, api_test::kValuesWasm);
    ASSERT_TRUE(m) << m.error().to_string();
    auto inst = Linker().instantiate(store_, *m);
    ASSERT_TRUE(inst) << inst.error().to_string();
    inst_ = *inst;
  }

  Engine engine_;
  Store store_{engine_};
  std::optional<Instance> inst_;
};

TEST_F(ValuesTest, MultiValueResultsAsTuple) {
  auto swap = inst_->func<std::tuple<int64_t, int32_t>(int32_t, int64_t)>("swap");
  ASSERT_TRUE(swap) << swap.error().message;
  auto r = (*swap)(-7, int64_t{1} << 40);
  ASSERT_TRUE(r) << r.trap().to_string();
  EXPECT_EQ(std::get<0>(*r), int64_t{1} << 40);
  EXPECT_EQ(std::get<1>(*r), -7);
  auto untyped = inst_->func("swap")->call({Val::from_i32(3), Val::from_i64(4)});
  ASSERT_TRUE(untyped);
  ASSERT_EQ(untyped->size(), 2u);
  EXPECT_EQ((*untyped)[0].i64(), 4);
  EXPECT_EQ((*untyped)[1].i32(), 3);
}

TEST_F(ValuesTest, FloatAndIntegerParameters) {
  auto mix = inst_->func<double(float, double, int64_t, uint32_t)>("mix");
  ASSERT_TRUE(mix) << mix.error().message;
  auto r = (*mix)(1.5f, 0.25, -10, 4000000000u);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(*r, 1.5 + 0.25 - 10.0 + 4000000000.0);
}

TEST_F(ValuesTest, V128RoundTrip) {
  auto splat = inst_->func<V128(int32_t)>("splat");
  auto lane_sum = inst_->func<int32_t(V128)>("lane_sum");
  ASSERT_TRUE(splat && lane_sum);
  auto v = (*splat)(0x01020304);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->bytes[0], 0x04);
  EXPECT_EQ(v->bytes[15], 0x01);
  V128 in;
  for (int i = 0; i < 4; ++i) {
    int32_t lane = (i + 1) * 100;
    std::memcpy(in.bytes + 4 * i, &lane, 4);
  }
  auto sum = (*lane_sum)(in);
  ASSERT_TRUE(sum);
  EXPECT_EQ(*sum, 1000);
}

TEST_F(ValuesTest, VoidFunctionAndExportList) {
  auto nothing = inst_->func<void()>("nothing");
  ASSERT_TRUE(nothing);
  EXPECT_TRUE((*nothing)());
  auto exports = inst_->exports();
  ASSERT_GE(exports.size(), 5u);
  EXPECT_EQ(exports[0].name, "memory");
  EXPECT_EQ(exports[0].kind, ExternKind::Memory);
  EXPECT_EQ(exports[1].name, "counter");
  EXPECT_EQ(exports[1].kind, ExternKind::Global);
}

TEST_F(ValuesTest, ExportedGlobals) {
  auto counter = inst_->global("counter");
  ASSERT_TRUE(counter);
  EXPECT_EQ(counter->type().type, ValType::I32);
  EXPECT_TRUE(counter->type().mut);
  EXPECT_EQ(counter->get().i32(), 7);
  ASSERT_TRUE(counter->set(Val::from_i32(11)));
  EXPECT_EQ(*(*inst_->func<int32_t()>("get_counter"))(), 11);
  EXPECT_FALSE(counter->set(Val::from_i64(1)));  // wrong type
  auto pi = inst_->global("pi");
  ASSERT_TRUE(pi);
  EXPECT_DOUBLE_EQ(pi->get().f64(), 3.5);
  auto immutable = pi->set(Val::from_f64(1.0));
  ASSERT_FALSE(immutable);
  EXPECT_NE(immutable.error().message.find("immutable"), std::string::npos);
}

TEST_F(ValuesTest, ExportedTable) {
  auto table = inst_->table("table");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->size(), 2u);
  auto e0 = table->get(0);
  ASSERT_TRUE(e0);
  auto f = Func::from_val(store_, *e0);
  ASSERT_TRUE(f);
  auto dbl = f->typed<int32_t(int32_t)>();
  ASSERT_TRUE(dbl);
  EXPECT_EQ(*(*dbl)(21), 42);
  auto e1 = table->get(1);
  ASSERT_TRUE(e1);
  EXPECT_EQ(e1->ref(), nullptr);
  EXPECT_FALSE(table->get(2));
  EXPECT_FALSE(table->set(5, *e0));
  auto old = table->grow(3, Val::from_ref(ValType::FuncRef, nullptr));
  ASSERT_TRUE(old);
  EXPECT_EQ(*old, 2u);
  EXPECT_EQ(table->size(), 5u);
}

TEST_F(ValuesTest, MemoryAccessIsBoundsChecked) {
  auto mem = inst_->memory("memory");
  ASSERT_TRUE(mem);
  const uint8_t bytes[] = {1, 2, 3, 4};
  ASSERT_TRUE(mem->write(65532, bytes));
  EXPECT_FALSE(mem->write(65533, bytes));
  EXPECT_FALSE(mem->write(UINT64_MAX - 1, bytes));
  auto s = mem->span(65532, 4);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)[3], 4);
  EXPECT_FALSE(mem->span(65532, 5));
  EXPECT_FALSE(mem->span(UINT64_MAX, 2));
  auto v = mem->load<uint32_t>(65532);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 0x04030201u);
  EXPECT_FALSE(mem->load<uint32_t>(65534));
  // Grow from the guest, then from the host; the base address is stable.
  uint8_t* base = mem->data();
  EXPECT_EQ(*(*inst_->func<int32_t(int32_t)>("grow"))(2), 1);
  EXPECT_EQ(mem->pages(), 3u);
  EXPECT_TRUE(mem->load<uint32_t>(65534));
  auto old = mem->grow(1);
  ASSERT_TRUE(old);
  EXPECT_EQ(*old, 3u);
  EXPECT_EQ(mem->data(), base);
  EXPECT_EQ(mem->size(), 4u * 65536);
}

TEST(MemoryLimitTest, ConfigCapsGrowthAndRefusesLargeMinimum) {
  Config config;
  config.max_memory_pages = 150;
  Engine engine(config);
  auto m = Module::compile(engine, api_test::kBigMemoryWasm);  // memory 100, no maximum
  ASSERT_TRUE(m) << m.error().to_string();
  Store store(engine);
  auto inst = Linker().instantiate(store, *m);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto grow = inst->func<int32_t(int32_t)>("grow");
  ASSERT_TRUE(grow);
  EXPECT_EQ(*(*grow)(60), -1);
  EXPECT_EQ(*(*grow)(50), 100);
  EXPECT_EQ(*(*grow)(1), -1);
  EXPECT_EQ(inst->memory("memory")->pages(), 150u);

  config.max_memory_pages = 50;
  Engine small(config);
  auto refused = Module::compile(small, api_test::kBigMemoryWasm);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("configured limit"), std::string::npos)
      << refused.error().message;
  Store small_store(small);
  EXPECT_FALSE(small_store.create_memory(MemoryType{51, std::nullopt}));
  auto capped = small_store.create_memory(MemoryType{1, std::nullopt});
  ASSERT_TRUE(capped);
  EXPECT_FALSE(capped->grow(50));
  EXPECT_TRUE(capped->grow(49));
}

TEST(EpochTest, DeadlineInterruptsAnInfiniteLoop) {
  Engine engine;
  auto m = Module::compile(engine, api_test::kLoopsWasm);
  ASSERT_TRUE(m) << m.error().to_string();
  Store store(engine);
  auto inst = Linker().instantiate(store, *m);
  ASSERT_TRUE(inst);
  auto spin = inst->func<void()>("spin");
  ASSERT_TRUE(spin);
  store.set_epoch_deadline(1);
  std::atomic<bool> done{false};
  std::thread ticker([&] {
    while (!done.load()) {
      engine.increment_epoch();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  auto r = (*spin)();
  done = true;
  ticker.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.trap().kind, TrapKind::Interrupted);

  // With the deadline disabled, a finite loop runs to completion.
  store.set_epoch_deadline(UINT64_MAX);
  auto count = inst->func<int64_t(int64_t)>("count");
  ASSERT_TRUE(count);
  auto n = (*count)(100000);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 100000);
}

}  // namespace
}  // namespace rill
