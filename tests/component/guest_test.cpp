// The C component guest (guests/component/strings.c, made with jco new) run end to end: it
// instantiates, links a host function, returns correct strings and lists, and its exported
// resource works through handles held by the host. Many calls check that post-return frees
// what the guest allocated (its malloc would run out otherwise).
#include <gtest/gtest.h>

#include "rill/component.h"

namespace {

using rill::Value;

class CGuest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RILL_HAVE_COMPONENT_GUESTS) GTEST_SKIP() << "jco or a wasm32-wasi clang-19 missing";
    auto c = rill::Component::compile_file(engine_, std::string(RILL_COMPONENT_GUEST_DIR) + "/strings.wasm");
    ASSERT_TRUE(c) << c.error().to_string();
    rill::ComponentLinker linker;
    linker.root().func("host-prefix", [this] {
      ++prefix_calls_;
      return std::string("Hello, ");
    });
    auto i = linker.instantiate(store_, *c);
    ASSERT_TRUE(i) << i.error().to_string();
    inst_ = *i;
  }

  rill::Engine engine_;
  rill::Store store_{engine_};
  rill::ComponentInstance inst_;
  int prefix_calls_ = 0;
};

TEST_F(CGuest, UpperCasesStrings) {
  auto upper = inst_.func("upper");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->type(), "func(s: string) -> string");
  for (int i = 0; i < 2000; ++i) {
    auto r = upper->call_typed<std::string>(std::string("rill component ") + std::to_string(i));
    ASSERT_TRUE(r) << r.trap().message;
    ASSERT_EQ(*r, "RILL COMPONENT " + std::to_string(i));
  }
  auto big = upper->call_typed<std::string>(std::string(1 << 20, 'q'));
  ASSERT_TRUE(big) << big.trap().message;
  EXPECT_EQ(*big, std::string(1 << 20, 'Q'));
}

TEST_F(CGuest, SumsAndReversesLists) {
  auto sum = inst_.func("sum")->call_typed<uint32_t>(std::vector<uint32_t>{10, 20, 30, 40});
  ASSERT_TRUE(sum) << sum.trap().message;
  EXPECT_EQ(*sum, 100u);
  std::vector<uint32_t> xs(1000);
  for (uint32_t i = 0; i < xs.size(); ++i) xs[i] = i * 7;
  for (int k = 0; k < 200; ++k) {
    auto r = inst_.func("reverse")->call_typed<std::vector<uint32_t>>(xs);
    ASSERT_TRUE(r) << r.trap().message;
    ASSERT_EQ(r->size(), xs.size());
    EXPECT_EQ((*r)[0], xs.back());
    EXPECT_EQ(r->back(), xs[0]);
  }
  auto empty = inst_.func("reverse")->call_typed<std::vector<uint32_t>>(std::vector<uint32_t>{});
  ASSERT_TRUE(empty) << empty.trap().message;
  EXPECT_TRUE(empty->empty());
}

TEST_F(CGuest, GreetCallsTheHostImport) {
  auto r = inst_.func("greet")->call_typed<std::string>(std::string("Rill"));
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ(*r, "Hello, Rill!");
  EXPECT_EQ(prefix_calls_, 1);
}

TEST_F(CGuest, ExportedResourceThroughHostHandles) {
  auto ctor = inst_.func("rill:test/counters#[constructor]counter");
  auto inc = inst_.func("rill:test/counters#[method]counter.increment");
  auto value = inst_.func("rill:test/counters#[method]counter.value");
  ASSERT_TRUE(ctor && inc && value);
  auto h = ctor->call({Value::u32(5)});
  ASSERT_TRUE(h) << h.trap().message;
  ASSERT_EQ((*h)[0].kind(), rill::ValueKind::Own);
  const Value self = Value::borrow((*h)[0].resource());
  auto a = inc->call({self, Value::u32(3)});
  ASSERT_TRUE(a) << a.trap().message;
  EXPECT_EQ((*a)[0].as_u32(), 8u);
  auto v = value->call({self});
  ASSERT_TRUE(v) << v.trap().message;
  EXPECT_EQ((*v)[0].as_u32(), 8u);
  // A second counter is independent.
  auto h2 = ctor->call({Value::u32(100)});
  ASSERT_TRUE(h2);
  auto v2 = value->call({Value::borrow((*h2)[0].resource())});
  ASSERT_TRUE(v2);
  EXPECT_EQ((*v2)[0].as_u32(), 100u);
  EXPECT_TRUE(inst_.resource_drop((*h)[0]));
  EXPECT_TRUE(inst_.resource_drop((*h2)[0]));
}

TEST_F(CGuest, BorrowOfAForeignResourceIsRefused) {
  rill::HostResource other("other");
  auto value = inst_.func("rill:test/counters#[method]counter.value");
  auto r = value->call({Value::borrow(other.ref(1))});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("wrong type"), std::string::npos) << r.trap().message;
}

}  // namespace
