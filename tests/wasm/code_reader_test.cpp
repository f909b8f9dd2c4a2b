// Tests for CodeReader (instruction decoding) and read_val_type.
#include "rill/wasm/code_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rill/wasm/decoder.h"
#include "../wasm_bytes.h"

namespace rill::wasm {
namespace {

using test::Bytes;
using test::put_leb;

/// Decodes exactly one instruction from {b}, which must consume all of it.
Instr decode_one(const Bytes& b, uint64_t base = 0) {
  CodeReader cr(b, base);
  Instr in;
  auto r = cr.next(in);
  EXPECT_TRUE(r) << (r ? "" : r.error().to_string());
  EXPECT_TRUE(cr.at_end());
  return in;
}

Error decode_err(const Bytes& b, uint64_t base = 0, uint32_t max_br_table = 65'520) {
  CodeReader cr(b, base, max_br_table);
  Instr in;
  for (;;) {
    auto r = cr.next(in);
    if (!r) return r.error();
    if (cr.at_end()) break;
  }
  ADD_FAILURE() << "expected an error";
  return {};
}

TEST(CodeReader, EveryOpcodeInTheTableRoundTrips) {
  for (uint32_t i = 0; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    const OpInfo& info = op_info(op);
    Bytes b;
    if (info.prefix) {
      b.push_back(info.prefix);
      put_leb(b, info.code);
    } else {
      b.push_back(static_cast<uint8_t>(info.code));
    }
    switch (info.imm) {
      case ImmKind::None: break;
      case ImmKind::Block: b.push_back(0x40); break;
      case ImmKind::Index: b.push_back(0x05); break;
      case ImmKind::IndexPair: b.insert(b.end(), {0x03, 0x04}); break;
      case ImmKind::BrTable: b.insert(b.end(), {0x02, 0x00, 0x01, 0x02}); break;
      case ImmKind::SelectT: b.insert(b.end(), {0x01, 0x7e}); break;
      case ImmKind::MemArg: b.insert(b.end(), {0x02, 0x10}); break;
      case ImmKind::MemArgLane: b.insert(b.end(), {0x02, 0x10, 0x01}); break;
      case ImmKind::Lane: b.push_back(0x03); break;
      case ImmKind::Shuffle:
      case ImmKind::V128: b.insert(b.end(), 16, 0x07); break;
      case ImmKind::I32:
      case ImmKind::I64: b.push_back(0x7f); break;
      case ImmKind::F32: b.insert(b.end(), 4, 0); break;
      case ImmKind::F64: b.insert(b.end(), 8, 0); break;
      case ImmKind::HeapType: b.push_back(0x70); break;
    }
    CodeReader cr(b, 100);
    Instr in;
    auto r = cr.next(in);
    ASSERT_TRUE(r) << info.name << ": " << r.error().to_string();
    EXPECT_EQ(in.op, op) << info.name;
    EXPECT_EQ(in.offset, 100u) << info.name;
    EXPECT_TRUE(cr.at_end()) << info.name;
  }
}

TEST(CodeReader, Constants) {
  Instr in = decode_one({0x41, 0x7f});
  EXPECT_EQ(in.op, Op::I32Const);
  EXPECT_EQ(in.num.i32, -1);
  in = decode_one({0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f});
  EXPECT_EQ(in.op, Op::I64Const);
  EXPECT_EQ(in.num.i64, INT64_MIN);
  in = decode_one({0x43, 0x00, 0x00, 0x80, 0x3f});
  EXPECT_EQ(in.num.f32_bits, 0x3f800000u);
  in = decode_one({0x44, 1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(in.num.f64_bits, 0x0807060504030201ull);
  Bytes v = {0xfd, 0x0c};
  for (uint8_t i = 0; i < 16; ++i) v.push_back(i);
  in = decode_one(v);
  EXPECT_EQ(in.op, Op::V128Const);
  EXPECT_EQ(in.v128.bytes[0], 0);
  EXPECT_EQ(in.v128.bytes[15], 15);
}

TEST(CodeReader, BlockTypes) {
  Instr in = decode_one({0x02, 0x40});
  EXPECT_EQ(in.block.kind, BlockType::Kind::Empty);
  in = decode_one({0x03, 0x7c});
  EXPECT_EQ(in.block.kind, BlockType::Kind::Value);
  EXPECT_EQ(in.block.value, kF64);
  in = decode_one({0x04, 0x81, 0x01});
  EXPECT_EQ(in.block.kind, BlockType::Kind::Index);
  EXPECT_EQ(in.block.type_index, 129u);
  Error e = decode_err({0x02, 0x7f - 0x20});
  EXPECT_EQ(e.message, "malformed value type");
  EXPECT_EQ(e.offset, 1u);
  e = decode_err({0x02, 0x63, 0x70});
  EXPECT_EQ(e.message, "unsupported feature: typed function references");
  e = decode_err({0x02, 0xc0, 0x7f});  // a multi-byte negative s33
  EXPECT_EQ(e.message, "malformed block type");
}

TEST(CodeReader, IndexPairsKeepOrder) {
  Instr in = decode_one({0x11, 0x07, 0x02});
  EXPECT_EQ(in.op, Op::CallIndirect);
  EXPECT_EQ(in.index, 7u);
  EXPECT_EQ(in.index2, 2u);
  in = decode_one({0xfc, 0x08, 0x03, 0x01});
  EXPECT_EQ(in.op, Op::MemoryInit);
  EXPECT_EQ(in.index, 3u);
  EXPECT_EQ(in.index2, 1u);
  in = decode_one({0xfc, 0x0e, 0x01, 0x02});
  EXPECT_EQ(in.op, Op::TableCopy);
  EXPECT_EQ(in.index, 1u);
  EXPECT_EQ(in.index2, 2u);
}

TEST(CodeReader, BrTable) {
  // The label span lives in the reader, so keep it alive while looking at the labels.
  const Bytes b = {0x0e, 0x03, 0x00, 0x81, 0x01, 0x02, 0x09, 0x0e, 0x00, 0x04};
  CodeReader cr(b, 0);
  Instr in;
  ASSERT_TRUE(cr.next(in));
  ASSERT_EQ(in.br_table.size(), 3u);
  EXPECT_EQ(in.br_table[0], 0u);
  EXPECT_EQ(in.br_table[1], 129u);
  EXPECT_EQ(in.br_table[2], 2u);
  EXPECT_EQ(in.index, 9u);
  ASSERT_TRUE(cr.next(in));
  EXPECT_EQ(in.op, Op::BrTable);
  EXPECT_TRUE(in.br_table.empty());
  EXPECT_EQ(in.index, 4u);
  EXPECT_TRUE(cr.at_end());
}

TEST(CodeReader, BrTableCountIsCheckedBeforeAllocating) {
  Error e = decode_err({0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00});
  EXPECT_EQ(e.message, "unexpected end of section or function");
  e = decode_err({0x0e, 0x03, 0x00, 0x00, 0x00, 0x00}, 0, 2);
  EXPECT_EQ(e.message, "br_table has too many targets");
  EXPECT_EQ(e.offset, 1u);
}

TEST(CodeReader, SelectT) {
  Instr in = decode_one({0x1c, 0x01, 0x7d});
  EXPECT_EQ(in.op, Op::SelectT);
  EXPECT_EQ(in.index, 1u);
  EXPECT_EQ(in.select_type, kF32);
  in = decode_one({0x1c, 0x02, 0x7f, 0x7f});
  EXPECT_EQ(in.index, 2u);
  in = decode_one({0x1c, 0x00});
  EXPECT_EQ(in.index, 0u);
  Error e = decode_err({0x1c, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f});
  EXPECT_EQ(e.message, "unexpected end of section or function");
}

TEST(CodeReader, MemArg) {
  Instr in = decode_one({0x28, 0x02, 0x10});
  EXPECT_EQ(in.mem.align, 2u);
  EXPECT_EQ(in.mem.mem, 0u);
  EXPECT_EQ(in.mem.offset, 16u);
  in = decode_one({0x36, 0x42, 0x03, 0xff, 0xff, 0xff, 0xff, 0x0f});  // align 2, memory 3
  EXPECT_EQ(in.mem.align, 2u);
  EXPECT_EQ(in.mem.mem, 3u);
  EXPECT_EQ(in.mem.offset, 0xffffffffull);
  in = decode_one({0xfd, 0x54, 0x00, 0x08, 0x0f});  // v128.load8_lane
  EXPECT_EQ(in.op, Op::V128Load8Lane);
  EXPECT_EQ(in.mem.offset, 8u);
  EXPECT_EQ(in.lane, 15);
}

TEST(CodeReader, MemArgErrors) {
  Error e = decode_err({0x28, 0x80, 0x01, 0x00});
  EXPECT_EQ(e.message, "malformed memop flags");
  EXPECT_EQ(e.offset, 1u);
  e = decode_err({0x28, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10});
  EXPECT_EQ(e.message, "offset out of range");
  EXPECT_EQ(e.offset, 2u);
  e = decode_err({0x28, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02});
  EXPECT_EQ(e.message, "integer too large");
  EXPECT_EQ(e.offset, 11u);
}

TEST(CodeReader, HeapTypes) {
  EXPECT_EQ(decode_one({0xd0, 0x70}).heap_type, kFuncRef);
  EXPECT_EQ(decode_one({0xd0, 0x6f}).heap_type, kExternRef);
  EXPECT_EQ(decode_err({0xd0, 0x6e}).message, "unsupported feature: garbage collection");
  EXPECT_EQ(decode_err({0xd0, 0x00}).message, "unsupported feature: typed function references");
  EXPECT_EQ(decode_err({0xd0, 0x7f}).message, "malformed heap type");
}

TEST(CodeReader, IllegalAndUnsupportedOpcodes) {
  Error e = decode_err({0x01, 0xff}, 10);
  EXPECT_EQ(e.message, "illegal opcode ff");
  EXPECT_EQ(e.offset, 11u);
  EXPECT_EQ(decode_err({0x27}).message, "illegal opcode 27");
  EXPECT_EQ(decode_err({0xfc, 0x20}).message, "illegal opcode fc 20");
  EXPECT_EQ(decode_err({0x06, 0x40}).message, "unsupported feature: exception handling");
  EXPECT_EQ(decode_err({0xfe, 0x00}).message, "unsupported feature: threads");
  EXPECT_EQ(decode_err({0xfd, 0x80, 0x02}).message, "unsupported feature: relaxed SIMD");
  EXPECT_EQ(decode_err({0x14, 0x00}).message, "unsupported feature: typed function references");
  EXPECT_EQ(decode_err({0xfb, 0x00}).message, "unsupported feature: garbage collection");
  EXPECT_EQ(decode_err({0xfc, 0x87, 0x80, 0x80, 0x80, 0x80, 0x00}).message,
            "integer representation too long");
}

TEST(CodeReader, TruncatedImmediatesAreUnexpectedEnd) {
  // LEB immediates fail where the input ends; fixed-width ones where the immediate starts.
  struct Case {
    Bytes b;
    uint64_t offset;
  };
  const Case cases[] = {{{0x41}, 21},       {{0x43, 0, 0}, 21},  {{0x28, 0x00}, 22},
                        {{0xfd}, 21},       {{0xfd, 0x0c, 1, 2}, 22}, {{0x10, 0x80}, 22},
                        {{0x02}, 21},       {{0x0e, 0x01, 0x00}, 23}};
  for (const Case& c : cases) {
    Error e = decode_err(c.b, 20);
    EXPECT_EQ(e.message, "unexpected end of section or function");
    EXPECT_EQ(e.offset, c.offset) << c.b.size();
  }
}

TEST(CodeReader, ReadsASequence) {
  // block (result i32) i32.const 1 end local.get 0 drop end
  Bytes b = {0x02, 0x7f, 0x41, 0x01, 0x0b, 0x20, 0x00, 0x1a, 0x0b};
  CodeReader cr(b, 50);
  std::vector<Op> ops;
  std::vector<uint64_t> offs;
  while (!cr.at_end()) {
    Instr in;
    ASSERT_TRUE(cr.next(in));
    ops.push_back(in.op);
    offs.push_back(in.offset);
  }
  EXPECT_EQ(ops, (std::vector<Op>{Op::Block, Op::I32Const, Op::End, Op::LocalGet, Op::Drop, Op::End}));
  EXPECT_EQ(offs, (std::vector<uint64_t>{50, 52, 54, 55, 57, 58}));
}

TEST(ReadValType, AllKinds) {
  const Bytes b = {0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f};
  const ValType want[] = {kI32, kI64, kF32, kF64, kV128, kFuncRef, kExternRef};
  Reader r(b);
  for (ValType w : want) {
    auto t = read_val_type(r);
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, w);
  }
  EXPECT_TRUE(r.at_end());
}

TEST(ReadValType, Errors) {
  auto check = [](uint8_t byte, const std::string& msg) {
    Bytes b = {0x00, byte};
    Reader r(b, 7);
    ASSERT_TRUE(r.u8());
    auto t = read_val_type(r);
    ASSERT_FALSE(t) << int{byte};
    EXPECT_EQ(t.error().message, msg);
    EXPECT_EQ(t.error().offset, 8u);
  };
  check(0x40, "malformed value type");
  check(0x00, "malformed value type");
  check(0x64, "unsupported feature: typed function references");
  check(0x6e, "unsupported feature: garbage collection");
  check(0x69, "unsupported feature: exception handling");
  Bytes empty;
  Reader r(empty);
  EXPECT_EQ(read_val_type(r).error().message, "unexpected end");
}

}  // namespace
}  // namespace rill::wasm
