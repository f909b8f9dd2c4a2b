// What a guest can make the host allocate when it passes lists and strings out (issue: lifted
// lists grew ~136x in the host, and aliased strings asked for ~100 GiB). Lists of numbers lift
// as one packed buffer; every call has a budget of host bytes (engine Config::max_lift_bytes)
// and going past it traps before anything is allocated. The guest is
// tests/component/wat/hostile_lists.wat. Peak RSS is checked with getrusage, so a regression
// shows as a failure here (the old code needed over 1 GiB for the 8 MiB list).
#include <gtest/gtest.h>

#include "component_wasm.h"
#include <sys/resource.h>

#include <cmath>
#include <cstring>

#include "../bounded_child.h"
#include "rill/component.h"

namespace {

using rill::Value;
using rill::ValueKind;

using rill::test::wasm_path;

using rill::test::peak_rss;

/// Defines every import of hostile_lists.wat (its four sinks) as {sink}.
void define_sinks(rill::ComponentLinker& linker, const rill::ComponentHostFunc& sink) {
  for (const char* name : {"sink-bytes", "sink-strings", "sink-pairs", "sink-floats"})
    linker.root().func_new(name, sink);
}

class HostileLift : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
    auto c = rill::Component::compile_file(engine_, wasm_path("hostile_lists"));
    ASSERT_TRUE(c) << c.error().to_string();
    component_ = std::move(*c);
    rill::ComponentLinker linker;
    // Each sink records what it was given and returns its element count.
    auto sink = [this](std::span<const Value> a, std::vector<Value>& r) -> std::optional<rill::Trap> {
      seen_ = a[0];
      r.push_back(Value::u64(a[0].list_size()));
      return std::nullopt;
    };
    define_sinks(linker, sink);
    auto i = linker.instantiate(store_, component_);
    ASSERT_TRUE(i) << i.error().to_string();
    inst_ = *i;
  }
  rill::TrapOr<std::vector<Value>> call(const char* name, std::vector<Value> args) {
    auto f = inst_.func(name);
    EXPECT_TRUE(f);
    return f->call(std::span<const Value>(args));
  }

  rill::Engine engine_;
  rill::Store store_{engine_};
  rill::Component component_;
  rill::ComponentInstance inst_;
  Value seen_;
};

TEST_F(HostileLift, ByteListsArriveAsOneBuffer) {
  const uint64_t before = peak_rss();
  auto r = call("bytes", {Value::u32(8u << 20)});
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ((*r)[0].as_u64(), 8u << 20);
  ASSERT_TRUE(seen_.packed());
  EXPECT_EQ(seen_.elem_kind(), ValueKind::U8);
  EXPECT_EQ(seen_.byte_view().size(), 8u << 20);
  EXPECT_TRUE(seen_.items().empty());
  // 8 MiB of guest bytes cost the host about 8 MiB (was > 1 GiB: a Value per byte).
  EXPECT_LT(peak_rss() - before, uint64_t{64} << 20);
}

TEST_F(HostileLift, AByteListPastTheBudgetTrapsBeforeAllocating) {
  const uint64_t before = peak_rss();
  // 255 MiB: under the canonical ABI's 2^28 - 1 limit, over the 32 MiB budget.
  auto r = call("bytes", {Value::u32(255u << 20)});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("budget"), std::string::npos) << r.trap().message;
  EXPECT_LT(peak_rss() - before, uint64_t{64} << 20);
}

TEST_F(HostileLift, AliasedStringsCountEachTime) {
  // 100 entries of one 1 KiB string: fine.
  auto ok = call("strings", {Value::u32(100), Value::u32(1024)});
  ASSERT_TRUE(ok) << ok.trap().message;
  EXPECT_EQ((*ok)[0].as_u64(), 100u);
  ASSERT_EQ(seen_.items().size(), 100u);
  EXPECT_EQ(seen_.items()[99].str().size(), 1024u);
  // 1 M entries pointing at one 64 KiB string: 64 GiB if each were copied.
  const uint64_t before = peak_rss();
  auto r = call("strings", {Value::u32(1u << 20), Value::u32(64u << 10)});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("budget"), std::string::npos) << r.trap().message;
  EXPECT_LT(peak_rss() - before, uint64_t{64} << 20);
}

TEST_F(HostileLift, ListsOfRecordsPayForTheirValues) {
  auto ok = call("pairs", {Value::u32(1000)});
  ASSERT_TRUE(ok) << ok.trap().message;
  ASSERT_EQ(seen_.items().size(), 1000u);
  EXPECT_EQ(seen_.items()[0].items().size(), 2u);
  // 16 M two-byte tuples: 32 MiB of guest memory, several GiB as Values.
  const uint64_t before = peak_rss();
  auto r = call("pairs", {Value::u32(16u << 20)});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("budget"), std::string::npos) << r.trap().message;
  EXPECT_LT(peak_rss() - before, uint64_t{64} << 20);
}

TEST_F(HostileLift, PackedFloatsAreCanonicalised) {
  auto r = call("floats", {Value::u32(3)});
  ASSERT_TRUE(r) << r.trap().message;
  ASSERT_TRUE(seen_.packed());
  ASSERT_EQ(seen_.list_size(), 3u);
  EXPECT_EQ(seen_.element(0).f64_bits(), 0x7ff8000000000000ull);  // the canonical NaN
  EXPECT_EQ(seen_.element(1).as_f64(), 0.0);
}

TEST_F(HostileLift, TheBudgetIsConfigurable) {
  rill::Config config;
  config.max_lift_bytes = 1 << 20;
  rill::Engine small(config);
  rill::Store store(small);
  auto c = rill::Component::compile_file(small, wasm_path("hostile_lists"));
  ASSERT_TRUE(c);
  rill::ComponentLinker linker;
  auto count = [](std::span<const Value> a, std::vector<Value>& r) -> std::optional<rill::Trap> {
    r.push_back(Value::u64(a[0].list_size()));
    return std::nullopt;
  };
  define_sinks(linker, count);
  auto inst = linker.instantiate(store, *c);
  ASSERT_TRUE(inst);
  auto bytes = inst->func("bytes");
  ASSERT_TRUE(bytes);
  EXPECT_TRUE(bytes->call({Value::u32(1 << 20)}));
  auto over = bytes->call({Value::u32((1 << 20) + 1)});
  ASSERT_FALSE(over);
  EXPECT_NE(over.trap().message.find("1048576"), std::string::npos) << over.trap().message;
}

// Values the host builds: packed and unpacked lists are the same value, print the same and
// lower the same; deep nesting is destroyed without native recursion.
TEST(PackedValue, EqualsItsUnpackedForm) {
  const Value packed = Value::bytes(std::string("\x01\x02\xff", 3));
  const Value unpacked = Value::list({Value::u8(1), Value::u8(2), Value::u8(255)});
  EXPECT_TRUE(packed == unpacked);
  EXPECT_TRUE(unpacked == packed);
  EXPECT_EQ(packed.to_string(), "[1, 2, 255]");
  EXPECT_FALSE(packed == Value::list({Value::u8(1), Value::u8(2)}));
  EXPECT_FALSE(packed == Value::list({Value::s8(1), Value::s8(2), Value::s8(-1)}));
  const Value s = Value::packed_list(ValueKind::S16, std::string("\xff\xff\x02\x00", 4));
  EXPECT_EQ(s.list_size(), 2u);
  EXPECT_EQ(s.element(0).as_s64(), -1);
  EXPECT_EQ(s.to_string(), "[-1, 2]");
  const Value nan1 = Value::packed_list(ValueKind::F32, std::string("\x01\x00\xc0\x7f", 4));
  EXPECT_TRUE(nan1 == Value::list({Value::f32(std::nanf(""))}));
  std::string scratch;
  EXPECT_EQ(rill::list_bytes(unpacked, scratch), std::string("\x01\x02\xff", 3));
  EXPECT_EQ(rill::list_bytes(packed, scratch).data(), reinterpret_cast<const char*>(packed.raw().data()));
}

TEST(PackedValue, TypedVectorsRoundTrip) {
  auto v = rill::ToValue<std::vector<uint32_t>>::make({1, 2, 0xffffffffu});
  EXPECT_TRUE(v.packed());
  auto back = rill::FromValue<std::vector<uint32_t>>::get(v);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, (std::vector<uint32_t>{1, 2, 0xffffffffu}));
  auto bools = rill::ToValue<std::vector<bool>>::make({true, false, true});
  EXPECT_EQ(bools.to_string(), "[true, false, true]");
  EXPECT_EQ(*rill::FromValue<std::vector<bool>>::get(bools), (std::vector<bool>{true, false, true}));
  EXPECT_FALSE(rill::FromValue<std::vector<int32_t>>::get(v));  // list<u32> is not list<s32>
}

TEST(PackedValue, DeepNestingIsDestroyedIteratively) {
  // A million levels of option<option<...>> would overflow the native stack if destroying a
  // Value recursed once per level.
  Value v = Value::u8(1);
  for (int i = 0; i < 1000000; ++i) v = Value::some(std::move(v));
  v = Value();
  SUCCEED();
}

}  // namespace

namespace {

// A guest making handles without end: the table stops at Config::max_component_handles (so at
// tens of MiB of host memory) instead of definitions.py's 2^28 - 1 (12 GiB of entries).
TEST(HostileHandles, TheHandleTableIsBounded) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
  for (uint64_t limit : {uint64_t{1000}, rill::Config{}.max_component_handles}) {
    rill::Config config;
    config.max_component_handles = limit;
    rill::Engine engine(config);
    rill::Store store(engine);
    auto c = rill::Component::compile_file(engine, wasm_path("hostile_handles"));
    ASSERT_TRUE(c) << c.error().to_string();
    rill::ComponentLinker linker;
    auto inst = linker.instantiate(store, *c);
    ASSERT_TRUE(inst) << inst.error().to_string();
    auto make = inst->func("make");
    ASSERT_TRUE(make);
    const uint64_t before = peak_rss();
    auto ok = make->call({Value::u32(static_cast<uint32_t>(limit))});
    ASSERT_TRUE(ok) << ok.trap().message;
    EXPECT_EQ((*ok)[0].as_u32(), limit);  // handles 1..limit
    auto over = make->call({Value::u32(1)});
    ASSERT_FALSE(over);
    EXPECT_NE(over.trap().message.find("full"), std::string::npos) << over.trap().message;
    EXPECT_LT(peak_rss() - before, uint64_t{64} << 20);
  }
}

}  // namespace
