// Streams and futures between two composed components (tests/component/wat/async_pipe.wat):
// a producer's stackful async exports hand back the readable end of a stream<u8>,
// stream<string> or future<result<u32, string>> and then write with blocking writes; the
// consumer's async exports read it. Each call is driven from the host by the store's scheduler.
#include <gtest/gtest.h>

#include "component_wasm.h"
#include <sys/resource.h>

#include "../bounded_child.h"
#include "rill/component.h"

namespace {

using rill::Value;

using rill::test::wasm_path;

using rill::test::peak_rss;

/// The sum of bytes k & 255 for k < n, as the producer streams them.
uint64_t pattern_sum(uint64_t n) { return (n / 256) * (255 * 256 / 2) + (n % 256) * (n % 256 - 1) / 2; }

class AsyncPipe : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
    auto c = rill::Component::compile_file(engine_, wasm_path("async_pipe"));
    ASSERT_TRUE(c) << c.error().to_string();
    component_ = std::move(*c);
    rill::ComponentLinker linker;
    auto i = linker.instantiate(store_, component_);
    ASSERT_TRUE(i) << i.error().to_string();
    inst_ = *i;
  }
  rill::TrapOr<std::vector<Value>> call(const char* name, std::vector<Value> args) {
    auto f = inst_.func(name);
    EXPECT_TRUE(f) << name;
    return f->call(std::span<const Value>(args));
  }
  /// sum-bytes: (sum of the bytes read, how many).
  std::pair<uint64_t, uint64_t> sum_bytes(uint32_t n, uint32_t chunk, uint32_t size, uint32_t stop) {
    auto r = call("sum-bytes", {Value::u32(n), Value::u32(chunk), Value::u32(size), Value::u32(stop)});
    EXPECT_TRUE(r) << r.trap().message;
    if (!r) return {0, 0};
    const uint64_t v = (*r)[0].as_u64();
    return {v >> 32, v & 0xffffffffu};
  }

  rill::Engine engine_;
  rill::Store store_{engine_};
  rill::Component component_;
  rill::ComponentInstance inst_;
};

TEST_F(AsyncPipe, BytesCrossBetweenComponents) {
  const uint32_t n = 3u << 20;
  auto [sum, count] = sum_bytes(n, 65536, 65536, UINT32_MAX);
  EXPECT_EQ(count, n);
  EXPECT_EQ(sum, pattern_sum(n) & 0xffffffffu);
}

TEST_F(AsyncPipe, ChunksOfAnySizeOnEitherSide) {
  // Writes of 1000 bytes read 64 KiB at a time, then writes of 64 KiB read 7 at a time:
  // partial copies on both sides, the totals come out the same.
  auto [sum1, count1] = sum_bytes(100000, 1000, 65536, UINT32_MAX);
  EXPECT_EQ(count1, 100000u);
  EXPECT_EQ(sum1, pattern_sum(100000));
  auto [sum2, count2] = sum_bytes(100000, 65536, 7, UINT32_MAX);
  EXPECT_EQ(count2, 100000u);
  EXPECT_EQ(sum2, pattern_sum(100000));
  // Zero bytes: the stream ends at once.
  auto [sum3, count3] = sum_bytes(0, 65536, 65536, UINT32_MAX);
  EXPECT_EQ(count3, 0u);
  EXPECT_EQ(sum3, 0u);
}

TEST_F(AsyncPipe, ASlowReaderKeepsMemoryBounded) {
  // 8 MiB written in 64 KiB chunks, read 16 bytes at a time: copies are rendezvous between
  // the two memories, nothing piles up in the host.
  const uint64_t before = peak_rss();
  const uint32_t n = 8u << 20;
  auto [sum, count] = sum_bytes(n, 65536, 16, UINT32_MAX);
  EXPECT_EQ(count, n);
  EXPECT_EQ(sum, pattern_sum(n) & 0xffffffffu);
  if (rill::test::kMemoryLimitApplies) {  // ASan's quarantine keeps what the copies freed
    EXPECT_LT(peak_rss() - before, uint64_t{16} << 20);
  }
}

TEST_F(AsyncPipe, AReaderThatDropsMidStreamEndsTheWriter) {
  auto [sum, count] = sum_bytes(1u << 20, 65536, 4096, 100000);
  EXPECT_GE(count, 100000u);
  EXPECT_LT(count, 1u << 20);
  EXPECT_EQ(sum, pattern_sum(count));
  // The producer's blocked write came back DROPPED with what it had sent.
  auto r = call("dropped-at", {});
  ASSERT_TRUE(r) << r.trap().message;
  const uint32_t at = (*r)[0].as_u32();
  EXPECT_GE(at, count);
  EXPECT_LT(at, 1u << 20);
  // The instances stay usable.
  auto [sum2, count2] = sum_bytes(5000, 1024, 1024, UINT32_MAX);
  EXPECT_EQ(count2, 5000u);
  EXPECT_EQ(sum2, pattern_sum(5000));
}

TEST_F(AsyncPipe, StringsAreLiftedFromTheWriterAndLoweredWithTheReadersRealloc) {
  auto r = call("string-lengths", {Value::u32(100)});
  ASSERT_TRUE(r) << r.trap().message;
  uint32_t want = 0;
  for (uint32_t k = 0; k < 100; ++k) want += k % 7 + 1;
  EXPECT_EQ((*r)[0].as_u32(), want);
}

TEST_F(AsyncPipe, AFutureOfAResultCarriesEitherCase) {
  auto ok = call("get-answer", {Value::u32(20)});
  ASSERT_TRUE(ok) << ok.trap().message;
  EXPECT_EQ((*ok)[0].as_u32(), 40u);
  auto err = call("get-answer", {Value::u32(21)});
  ASSERT_TRUE(err) << err.trap().message;
  EXPECT_EQ((*err)[0].as_u32(), 1003u);  // err("abc")
}

TEST_F(AsyncPipe, ADeadlockedCallTraps) {
  auto r = call("deadlock", {});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("deadlock detected"), std::string::npos) << r.trap().message;
}

TEST_F(AsyncPipe, ManyCallsLeaveNoThreadsBehind) {
  // Every call's threads end and give their fiber stacks back: a thousand calls (two fibers
  // each) cost no more memory than a few.
  for (int i = 0; i < 20; ++i) sum_bytes(300, 100, 64, UINT32_MAX);
  const uint64_t before = peak_rss();
  for (int i = 0; i < 1000; ++i) {
    auto [sum, count] = sum_bytes(300, 100, 64, UINT32_MAX);
    ASSERT_EQ(count, 300u);
    ASSERT_EQ(sum, pattern_sum(300));
  }
  if (rill::test::kMemoryLimitApplies) {
    EXPECT_LT(peak_rss() - before, uint64_t{8} << 20);
  }
}

}  // namespace
