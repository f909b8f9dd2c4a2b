// Tests for engine::Memory: creation limits, zero fill, grow, and bounds-checked host access.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "rill/engine/runtime.h"
#include "rill/engine/signals.h"
#include "rill/wasm/decoder.h"

namespace rill::engine {
namespace {

wasm::MemoryType mem_type(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
  wasm::MemoryType t;
  t.limits.min = min;
  t.limits.max = max;
  return t;
}

std::unique_ptr<Memory> make(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
  auto m = Memory::create(mem_type(min, max));
  EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().message);
  return m ? std::move(m).value() : nullptr;
}

TEST(MemoryTest, CreateSizesAndType) {
  auto m = make(2, 5);
  ASSERT_NE(m, nullptr);
  EXPECT_NE(m->base(), nullptr);
  EXPECT_EQ(m->pages(), 2u);
  EXPECT_EQ(m->size_bytes(), 2 * wasm::kPageSize);
  wasm::MemoryType t = m->type();
  EXPECT_EQ(t.limits.min, 2u);
  ASSERT_TRUE(t.limits.max.has_value());
  EXPECT_EQ(*t.limits.max, 5u);
}

TEST(MemoryTest, ZeroPagesIsValid) {
  auto m = make(0);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->size_bytes(), 0u);
  uint8_t b = 7;
  EXPECT_FALSE(m->read(0, &b, 1));
  EXPECT_TRUE(m->read(0, &b, 0));
  EXPECT_EQ(b, 7);
}

TEST(MemoryTest, NewMemoryReadsAsZero) {
  auto m = make(1);
  ASSERT_NE(m, nullptr);
  for (uint64_t i = 0; i < m->size_bytes(); i += 997) EXPECT_EQ(m->base()[i], 0) << i;
  EXPECT_EQ(m->base()[m->size_bytes() - 1], 0);
}

TEST(MemoryTest, GrowReturnsOldSizeAndZeroFills) {
  auto m = make(1, 4);
  ASSERT_NE(m, nullptr);
  std::memset(m->base(), 0xab, m->size_bytes());
  EXPECT_EQ(m->grow(2), 1);
  EXPECT_EQ(m->pages(), 3u);
  EXPECT_EQ(m->base()[0], 0xab);
  EXPECT_EQ(m->base()[wasm::kPageSize - 1], 0xab);
  for (uint64_t i = wasm::kPageSize; i < m->size_bytes(); i += 4099)
    EXPECT_EQ(m->base()[i], 0) << i;
  // The new pages are writable.
  m->base()[m->size_bytes() - 1] = 1;
  EXPECT_EQ(m->type().limits.min, 3u);
}

TEST(MemoryTest, GrowZeroSucceeds) {
  auto m = make(1, 1);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->grow(0), 1);
  EXPECT_EQ(m->pages(), 1u);
}

TEST(MemoryTest, GrowPastMaxFails) {
  auto m = make(1, 3);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->grow(3), -1);
  EXPECT_EQ(m->pages(), 1u);
  EXPECT_EQ(m->grow(2), 1);
  EXPECT_EQ(m->grow(1), -1);
  EXPECT_EQ(m->pages(), 3u);
}

TEST(MemoryTest, GrowRespectsThe32BitPageLimit) {
  auto m = make(0);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->grow(wasm::kMaxPages32 + 1), -1);
  EXPECT_EQ(m->grow(UINT64_MAX), -1);
  EXPECT_EQ(m->grow(uint64_t{1} << 63), -1);
  EXPECT_EQ(m->pages(), 0u);
  // All 4 GiB can be made addressable (MAP_NORESERVE: nothing is committed until touched).
  EXPECT_EQ(m->grow(wasm::kMaxPages32), 0);
  EXPECT_EQ(m->pages(), wasm::kMaxPages32);
  EXPECT_EQ(m->base()[m->size_bytes() - 1], 0);
  EXPECT_EQ(m->grow(1), -1);
}

TEST(MemoryTest, CreateRejectsBadLimits) {
  auto too_big = Memory::create(mem_type(wasm::kMaxPages32 + 1));
  ASSERT_FALSE(too_big.has_value());
  EXPECT_NE(too_big.error().message.find("65536 pages"), std::string::npos);

  auto max_too_big = Memory::create(mem_type(0, wasm::kMaxPages32 + 1));
  EXPECT_FALSE(max_too_big.has_value());

  auto min_over_max = Memory::create(mem_type(3, 2));
  EXPECT_FALSE(min_over_max.has_value());

  wasm::MemoryType t64 = mem_type(1);
  t64.limits.is64 = true;
  auto m64 = Memory::create(t64);
  ASSERT_FALSE(m64.has_value());
  EXPECT_EQ(m64.error().message.rfind(wasm::kUnsupportedPrefix, 0), 0u) << m64.error().message;

  wasm::MemoryType shared = mem_type(1, 1);
  shared.limits.shared = true;
  auto ms = Memory::create(shared);
  ASSERT_FALSE(ms.has_value());
  EXPECT_EQ(ms.error().message.rfind(wasm::kUnsupportedPrefix, 0), 0u) << ms.error().message;
}

TEST(MemoryTest, HostReadWriteInBounds) {
  auto m = make(1);
  ASSERT_NE(m, nullptr);
  const char msg[] = "hello";
  ASSERT_TRUE(m->write(100, msg, sizeof msg));
  char out[sizeof msg] = {};
  ASSERT_TRUE(m->read(100, out, sizeof out));
  EXPECT_STREQ(out, "hello");
  EXPECT_EQ(std::memcmp(m->base() + 100, msg, sizeof msg), 0);
  // The very last bytes are accessible.
  const uint32_t v = 0xdeadbeef;
  EXPECT_TRUE(m->write(wasm::kPageSize - 4, &v, 4));
  uint32_t r = 0;
  EXPECT_TRUE(m->read(wasm::kPageSize - 4, &r, 4));
  EXPECT_EQ(r, v);
}

TEST(MemoryTest, HostAccessOutOfBoundsIsRefused) {
  auto m = make(1);
  ASSERT_NE(m, nullptr);
  uint32_t v = 0x11223344;
  EXPECT_FALSE(m->write(wasm::kPageSize - 3, &v, 4));
  EXPECT_FALSE(m->read(wasm::kPageSize - 3, &v, 4));
  EXPECT_FALSE(m->read(wasm::kPageSize, &v, 1));
  EXPECT_TRUE(m->read(wasm::kPageSize, &v, 0));
  EXPECT_FALSE(m->read(wasm::kPageSize + 1, &v, 0));
  // Offset + length must not wrap around.
  EXPECT_FALSE(m->read(UINT64_MAX, &v, 2));
  EXPECT_FALSE(m->write(8, &v, UINT64_MAX - 4));
  EXPECT_EQ(v, 0x11223344u);
  EXPECT_EQ(m->base()[wasm::kPageSize - 3], 0);
}

TEST(MemoryTest, ReservationIsRegisteredForTheFaultHandler) {
  auto m = make(1);
  ASSERT_NE(m, nullptr);
  const auto begin = reinterpret_cast<uintptr_t>(m->base());
  EXPECT_TRUE(signals::in_reservation(begin));
  EXPECT_TRUE(signals::in_reservation(begin + wasm::kPageSize));
  EXPECT_TRUE(signals::in_reservation(begin + Memory::kReservation - 1));
  int local = 0;  // (the address below {begin} may belong to another memory's reservation)
  EXPECT_FALSE(signals::in_reservation(reinterpret_cast<uintptr_t>(&local)));
  EXPECT_FALSE(signals::in_reservation(reinterpret_cast<uintptr_t>(m.get())));
}

TEST(MemoryTest, ReusedReservationsAreZeroAndShrunk) {
  // Dirty more memories than the reservation pool holds, release them, then check that every
  // new memory (pooled or fresh) starts zeroed with exactly its own size accessible.
  std::vector<std::unique_ptr<Memory>> dirty;
  for (int i = 0; i < 40; ++i) {
    auto m = make(1, 4);
    ASSERT_NE(m, nullptr);
    ASSERT_EQ(m->grow(2), 1);
    std::memset(m->base(), 0xee, m->size_bytes());
    dirty.push_back(std::move(m));
  }
  dirty.clear();
  std::vector<std::unique_ptr<Memory>> fresh;
  for (int i = 0; i < 40; ++i) {
    auto m = make(1, 4);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->pages(), 1u);
    for (uint64_t off = 0; off < m->size_bytes(); off += 512)
      ASSERT_EQ(m->base()[off], 0) << i << " " << off;
    ASSERT_EQ(m->grow(2), 1);
    for (uint64_t off = 0; off < m->size_bytes(); off += 512)
      ASSERT_EQ(m->base()[off], 0) << i << " " << off;
    fresh.push_back(std::move(m));
  }
}

TEST(MemoryTest, ManyMemoriesCanCoexist) {
  std::vector<std::unique_ptr<Memory>> mems;
  for (int i = 0; i < 64; ++i) {
    auto m = make(1);
    ASSERT_NE(m, nullptr);
    m->base()[0] = static_cast<uint8_t>(i);
    mems.push_back(std::move(m));
  }
  for (int i = 0; i < 64; ++i) EXPECT_EQ(mems[i]->base()[0], i);
}

}  // namespace
}  // namespace rill::engine
