#include "rill/base/reader.h"

#include <gtest/gtest.h>

#include <vector>

namespace rill {
namespace {

TEST(Reader, DecodesU32Leb) {
  std::vector<uint8_t> b = {0xe5, 0x8e, 0x26};
  Reader r(b);
  auto v = r.u32();
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, 624485u);
  EXPECT_TRUE(r.at_end());
}

TEST(Reader, RejectsOverlongU32) {
  std::vector<uint8_t> b = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  Reader r(b);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message, "integer representation too long");
}

TEST(Reader, RejectsU32WithUnusedBitsSet) {
  std::vector<uint8_t> b = {0xff, 0xff, 0xff, 0xff, 0x1f};
  Reader r(b);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message, "integer too large");
  EXPECT_EQ(v.error().offset, 4u);
}

TEST(Reader, DecodesNegativeS32) {
  std::vector<uint8_t> b = {0x7f};
  Reader r(b);
  auto v = r.s32();
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, -1);
}

TEST(Reader, S32SignExtensionMustBeConsistent) {
  std::vector<uint8_t> ok = {0xff, 0xff, 0xff, 0xff, 0x7f};  // -1
  Reader r1(ok);
  auto a = r1.s32();
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, -1);
  std::vector<uint8_t> bad = {0xff, 0xff, 0xff, 0xff, 0x4f};
  Reader r2(bad);
  EXPECT_FALSE(r2.s32());
}

TEST(Reader, S33BlockTypeIndex) {
  std::vector<uint8_t> b = {0x40};  // -64 (empty block type byte read as s33)
  Reader r(b);
  auto v = r.s33();
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, -64);
}

TEST(Reader, NameRejectsInvalidUtf8) {
  std::vector<uint8_t> b = {0x02, 0xc0, 0x80};
  Reader r(b);
  auto v = r.name();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message, "malformed UTF-8 encoding");
}

TEST(Reader, UnexpectedEndReportsOffset) {
  std::vector<uint8_t> b = {0x80};
  Reader r(b, 100);
  auto v = r.u32();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().message, "unexpected end");
  EXPECT_EQ(v.error().offset, 101u);
}

}  // namespace
}  // namespace rill
