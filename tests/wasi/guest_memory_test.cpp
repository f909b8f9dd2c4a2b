// Bounds checks of GuestMemory (src/wasi/p1/guest_memory.h): every pointer+length a guest passes
// is checked in 64-bit arithmetic, so wrap-around cannot sneak past the end.
#include "rill/wasi/p1/guest_memory.h"

#include <gtest/gtest.h>

#include <vector>

namespace rill::wasi::p1 {
namespace {

TEST(GuestMemory, InBoundsEdges) {
  std::vector<uint8_t> bytes(64);
  GuestMemory m(bytes.data(), bytes.size());
  EXPECT_TRUE(m.in_bounds(0, 64));
  EXPECT_TRUE(m.in_bounds(64, 0));
  EXPECT_FALSE(m.in_bounds(64, 1));
  EXPECT_FALSE(m.in_bounds(1, 64));
  EXPECT_FALSE(m.in_bounds(0xffffffffu, 2));  // would wrap in 32 bits
}

TEST(GuestMemory, LoadStoreRefuseOutOfBounds) {
  std::vector<uint8_t> bytes(16);
  GuestMemory m(bytes.data(), bytes.size());
  EXPECT_TRUE(m.store<uint64_t>(8, 0x1122334455667788ull));
  uint64_t v = 0;
  EXPECT_TRUE(m.load(8, v));
  EXPECT_EQ(v, 0x1122334455667788ull);
  EXPECT_FALSE(m.store<uint64_t>(9, 1));
  EXPECT_FALSE(m.load(12, v));
}

TEST(GuestMemory, IovecsAreChecked) {
  std::vector<uint8_t> bytes(64);
  GuestMemory m(bytes.data(), bytes.size());
  // iovec 0: buf 32, len 8 (fine); iovec 1: buf 60, len 8 (runs past the end).
  m.store<uint32_t>(0, 32);
  m.store<uint32_t>(4, 8);
  m.store<uint32_t>(8, 60);
  m.store<uint32_t>(12, 8);
  std::vector<iovec> out;
  EXPECT_EQ(m.iovecs(0, 1, out), Errno::Success);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].iov_base, bytes.data() + 32);
  EXPECT_EQ(m.iovecs(0, 2, out), Errno::Fault);
  EXPECT_EQ(m.iovecs(60, 1, out), Errno::Fault);              // the array itself is out of bounds
  EXPECT_EQ(m.iovecs(0, kMaxIovecs + 1, out), Errno::Inval);  // too many
}

TEST(GuestMemory, Strings) {
  std::vector<uint8_t> bytes = {'a', 'b', 'c'};
  GuestMemory m(bytes.data(), bytes.size());
  std::string_view s;
  EXPECT_EQ(m.string(1, 2, s), Errno::Success);
  EXPECT_EQ(s, "bc");
  EXPECT_EQ(m.string(2, 2, s), Errno::Fault);
}

}  // namespace
}  // namespace rill::wasi::p1
