// A guest cannot make the host keep fiber stacks without bound: starting calls that never end
// (tests/component/wat/thread_flood.wat) traps once the store has Config::max_component_threads
// threads alive, and memory stays bounded until then.
#include <gtest/gtest.h>

#include "../bounded_child.h"
#include "component_wasm.h"
#include "rill/component.h"

namespace {

using rill::Value;
using rill::test::peak_rss;
using rill::test::wasm_path;

rill::TrapOr<std::vector<Value>> flood(uint64_t limit, uint32_t n) {
  rill::Config config;
  config.max_component_threads = limit;
  rill::Engine engine(config);
  rill::Store store(engine);
  auto c = rill::Component::compile_file(engine, wasm_path("thread_flood"));
  EXPECT_TRUE(c) << c.error().to_string();
  if (!c) return rill::Trap{};
  auto i = rill::ComponentLinker().instantiate(store, *c);
  EXPECT_TRUE(i) << i.error().to_string();
  if (!i) return rill::Trap{};
  std::vector<Value> args{Value::u32(n)};
  return i->func("flood")->call(std::span<const Value>(args));
}

TEST(ThreadLimit, CallsThatNeverEndStopAtTheLimit) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
  auto ok = flood(1000, 999);  // 999 hung calls, each on a fiber of its own
  ASSERT_TRUE(ok) << ok.trap().message;
  EXPECT_EQ((*ok)[0].as_u32(), 999u);
  const uint64_t before = peak_rss();
  auto r = flood(1000, 5000);
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("cannot create a thread"), std::string::npos) << r.trap().message;
  EXPECT_NE(r.trap().message.find("max_component_threads"), std::string::npos) << r.trap().message;
  if (rill::test::kMemoryLimitApplies) {
    EXPECT_LT(peak_rss() - before, uint64_t{64} << 20);
  }
}

TEST(ThreadLimit, TheDefaultBoundsAFlood) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
  auto r = flood(rill::Config{}.max_component_threads, 20000);
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("cannot create a thread"), std::string::npos) << r.trap().message;
}

}  // namespace
