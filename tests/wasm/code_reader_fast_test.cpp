// Tests for CodeReader's fast path (try_next): it must decode exactly what next() decodes, and
// decline (leaving the position unchanged) wherever next() would report an error.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "rill/wasm/code_reader.h"

namespace rill::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

/// LEB128 of {v} padded to at least {min_len} bytes (padding is valid within the type's width).
void put_uleb(Bytes& b, uint64_t v, int min_len = 1) {
  for (int i = 0;; ++i) {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    const bool more = v != 0 || i + 1 < min_len;
    b.push_back(more ? byte | 0x80 : byte);
    if (!more) break;
  }
}

void put_sleb(Bytes& b, int64_t v) {
  for (;;) {
    const uint8_t byte = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
      b.push_back(byte);
      return;
    }
    b.push_back(byte | 0x80);
  }
}

TEST(CodeReaderFast, IndicesOfEveryLengthDecodeAsEncoded) {
  for (uint32_t v : {0u, 1u, 63u, 64u, 127u, 128u, 16383u, 16384u, 0x7fffffffu, 0xffffffffu}) {
    for (int len = 1; len <= 5; ++len) {
      Bytes b{0x20};  // local.get
      put_uleb(b, v, len);
      if (b.size() > 6) continue;  // longer than a u32 LEB may be
      CodeReader cr(b, 10);
      Instr in;
      ASSERT_TRUE(cr.try_next(in)) << v << " len " << len;
      EXPECT_EQ(in.op, Op::LocalGet);
      EXPECT_EQ(in.index, v);
      EXPECT_EQ(in.offset, 10u);
      EXPECT_TRUE(cr.at_end());
    }
  }
}

TEST(CodeReaderFast, SignedConstantsDecodeAsEncoded) {
  for (int64_t v : std::initializer_list<int64_t>{0, 1, -1, 63, -64, 64, -65, 0x7fffffff, -0x80000000ll}) {
    Bytes b{0x41};  // i32.const
    put_sleb(b, v);
    CodeReader cr(b, 0);
    Instr in;
    ASSERT_TRUE(cr.try_next(in)) << v;
    EXPECT_EQ(in.num.i32, static_cast<int32_t>(v));
    EXPECT_EQ(in.index, 0u);
  }
  for (int64_t v : {int64_t{0}, int64_t{-1}, INT64_MIN, INT64_MAX, int64_t{1} << 40}) {
    Bytes b{0x42};  // i64.const
    put_sleb(b, v);
    CodeReader cr(b, 0);
    Instr in;
    ASSERT_TRUE(cr.try_next(in)) << v;
    EXPECT_EQ(in.num.i64, v);
  }
}

TEST(CodeReaderFast, DeclinesWhatNextRejectsAndKeepsThePosition) {
  const Bytes cases[] = {
      {0x20, 0x80, 0x80, 0x80, 0x80, 0x10},  // u32 too large
      {0x20, 0x80, 0x80, 0x80, 0x80, 0x80},  // too long
      {0x20, 0x80},                          // truncated
      {0x41, 0x80, 0x80, 0x80, 0x80, 0x70},  // s32 too large
      {0x28, 0x02},                          // memarg without its offset
      {0x28, 0x80, 0x01, 0x00},              // memop flags >= 0x80
      {0x02, 0x7a},                          // malformed block type
      {0xfc, 0x80, 0x80, 0x80, 0x80, 0x10},  // prefixed sub-opcode too large
      {0x06},                                // illegal / unsupported opcode
  };
  for (const Bytes& b : cases) {
    CodeReader cr(b, 0);
    Instr in;
    EXPECT_FALSE(cr.try_next(in));
    EXPECT_EQ(cr.offset(), 0u);
    EXPECT_FALSE(cr.next(in));  // and next() reports it
  }
}

TEST(CodeReaderFast, MemArgAndBlockFields) {
  Bytes b{0x28, 0x42};  // i32.load, align 2 with a memory index
  put_uleb(b, 3);       // memory 3
  put_uleb(b, 0xffffffffu);
  b.push_back(0x02);  // block (result i64)
  b.push_back(0x7e);
  b.push_back(0x28);  // i32.load, no memory index: mem must read 0 again
  b.push_back(0x00);
  b.push_back(0x04);
  CodeReader cr(b, 0);
  Instr in;
  ASSERT_TRUE(cr.try_next(in));
  EXPECT_EQ(in.mem.align, 2u);
  EXPECT_EQ(in.mem.mem, 3u);
  EXPECT_EQ(in.mem.offset, 0xffffffffu);
  ASSERT_TRUE(cr.try_next(in));
  EXPECT_EQ(in.block.kind, BlockType::Kind::Value);
  EXPECT_EQ(in.block.value, kI64);
  ASSERT_TRUE(cr.try_next(in));
  EXPECT_EQ(in.mem.mem, 0u);
  EXPECT_EQ(in.mem.offset, 4u);
  EXPECT_TRUE(cr.at_end());
}

}  // namespace
}  // namespace rill::wasm
