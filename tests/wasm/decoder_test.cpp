// Tests for decode_module: every section, the framing rules and the malformed-input messages
// (exact text and byte offset), built inline with a small ModuleBuilder.
#include "rill/wasm/decoder.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>
#include "../wasm_bytes.h"

namespace rill::wasm {
namespace {

using test::Bytes;
using test::put_leb;

Bytes leb(uint64_t v) {
  Bytes b;
  put_leb(b, v);
  return b;
}

Bytes str(const std::string& s) {
  Bytes b = leb(s.size());
  b.insert(b.end(), s.begin(), s.end());
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// Emits a module: header plus sections in the order they are added.
class ModuleBuilder {
 public:
  ModuleBuilder() : bytes_{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00} {}
  /// Adds section {id} with {payload}; returns the offset of the payload's first byte.
  size_t section(uint8_t id, const Bytes& payload) {
    bytes_.push_back(id);
    put_leb(bytes_, payload.size());
    const size_t at = bytes_.size();
    bytes_.insert(bytes_.end(), payload.begin(), payload.end());
    return at;
  }
  /// A vector section: count followed by the items.
  size_t vec(uint8_t id, std::initializer_list<Bytes> items) {
    Bytes p = leb(items.size());
    for (const Bytes& i : items) p.insert(p.end(), i.begin(), i.end());
    return section(id, p);
  }
  const Bytes& bytes() const { return bytes_; }
  size_t size() const { return bytes_.size(); }

 private:
  Bytes bytes_;
};

std::shared_ptr<const Module> decode_ok(const Bytes& b, const DecodeLimits& limits = {}) {
  auto m = decode_module(b, limits);
  EXPECT_TRUE(m) << (m ? "" : m.error().to_string());
  return m ? *m : nullptr;
}

Error decode_err(const Bytes& b, const DecodeLimits& limits = {}) {
  auto m = decode_module(b, limits);
  EXPECT_FALSE(m) << "decoded successfully";
  return m ? Error{} : m.error();
}

// A function type [] -> [] and one defined function with an empty body.
const Bytes kVoidType = {0x60, 0x00, 0x00};
const Bytes kEmptyBody = {0x02, 0x00, 0x0b};

TEST(Decoder, EmptyModule) {
  auto m = decode_ok(ModuleBuilder().bytes());
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->types.empty());
  EXPECT_EQ(m->bytes.size(), 8u);
}

TEST(Decoder, Header) {
  struct Case {
    Bytes b;
    const char* msg;
    uint64_t offset;
  };
  const Case cases[] = {
      {{}, "unexpected end", 0},
      {{0x00, 0x61, 0x73}, "unexpected end", 0},
      {{0x00, 0x61, 0x73, 0x6d, 0x01}, "unexpected end", 4},
      {{0x6d, 0x73, 0x61, 0x00, 0x01, 0x00, 0x00, 0x00}, "magic header not detected", 0},
      {{0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}, "unknown binary version", 4},
      {{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}, "unknown binary version", 4},
  };
  for (const Case& c : cases) {
    Error e = decode_err(c.b);
    EXPECT_EQ(e.message, c.msg);
    EXPECT_EQ(e.offset, c.offset);
  }
}

TEST(Decoder, TypesFunctionsAndCode) {
  ModuleBuilder b;
  b.vec(1, {{0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d}, kVoidType});
  b.vec(3, {{0x01}, {0x00}});
  // Body 1: two decls (2 x i32, 1 x v128); body 2: empty.
  const size_t code = b.vec(10, {{0x07, 0x02, 0x02, 0x7f, 0x01, 0x7b, 0x01, 0x0b}, kEmptyBody});
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->types.size(), 2u);
  EXPECT_EQ(m->types[0].params, (std::vector<ValType>{kI32, kI64}));
  EXPECT_EQ(m->types[0].results, (std::vector<ValType>{kF32}));
  EXPECT_EQ(to_string(m->types[0]), "[i32 i64] -> [f32]");
  EXPECT_EQ(m->funcs, (std::vector<uint32_t>{1, 0}));
  EXPECT_EQ(m->num_defined_funcs(), 2u);
  ASSERT_EQ(m->code.size(), 2u);
  EXPECT_EQ(m->code[0].local_decls, (std::vector<LocalDecl>{{2, kI32}, {1, kV128}}));
  EXPECT_EQ(m->code[0].num_locals, 3u);
  EXPECT_EQ(m->code[0].body_offset, code + 1);
  EXPECT_EQ(m->code[0].code_offset, code + 7);
  EXPECT_EQ(m->code[0].end_offset, code + 9);
  const auto body = m->code_bytes(m->code[0]);
  EXPECT_EQ(Bytes(body.begin(), body.end()), (Bytes{0x01, 0x0b}));
  EXPECT_TRUE(m->code[1].local_decls.empty());
  EXPECT_EQ(m->code[1].end_offset, b.size());
}

TEST(Decoder, ImportsOfEveryKind) {
  ModuleBuilder b;
  b.vec(1, {kVoidType});
  b.vec(2, {cat({str("m"), str("f"), {0x00, 0x00}}),
            cat({str("m"), str("t"), {0x01, 0x6f, 0x01, 0x02, 0x0a}}),
            cat({str("m"), str("mem"), {0x02, 0x00, 0x01}}),
            cat({str("m"), str("g"), {0x03, 0x7c, 0x01}})});
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->imports.size(), 4u);
  EXPECT_EQ(m->imports[2].name, "mem");
  EXPECT_EQ(m->num_imported_funcs, 1u);
  EXPECT_EQ(m->num_imported_tables, 1u);
  EXPECT_EQ(m->num_imported_memories, 1u);
  EXPECT_EQ(m->num_imported_globals, 1u);
  EXPECT_EQ(m->tables[0].elem, kExternRef);
  EXPECT_EQ(m->tables[0].limits.min, 2u);
  EXPECT_EQ(m->tables[0].limits.max, 10u);
  EXPECT_EQ(m->memories[0].limits.min, 1u);
  EXPECT_FALSE(m->memories[0].limits.max);
  EXPECT_EQ(m->globals[0].type, kF64);
  EXPECT_TRUE(m->globals[0].mut);
}

TEST(Decoder, ImportErrors) {
  auto with_kind = [](const Bytes& tail) {
    ModuleBuilder b;
    b.vec(2, {cat({str("m"), str("x"), tail})});
    return b.bytes();
  };
  // Payload starts at 10: count(1) "m"(2) "x"(2) -> the kind byte is at 15.
  Error e = decode_err(with_kind({0x05}));
  EXPECT_EQ(e.message, "malformed import kind");
  EXPECT_EQ(e.offset, 15u);
  EXPECT_EQ(decode_err(with_kind({0x80, 0x00})).message, "malformed import kind");
  EXPECT_EQ(decode_err(with_kind({0x04, 0x00, 0x00})).message,
            "unsupported feature: exception handling");
  e = decode_err(with_kind({0x03, 0x7f, 0x02}));
  EXPECT_EQ(e.message, "malformed mutability");
  EXPECT_EQ(e.offset, 17u);
  e = decode_err(with_kind({0x01, 0x7f, 0x00, 0x00}));
  EXPECT_EQ(e.message, "malformed reference type");
  EXPECT_EQ(e.offset, 16u);
  EXPECT_EQ(decode_err(with_kind({0x01, 0x6e, 0x00, 0x00})).message,
            "unsupported feature: garbage collection");
  EXPECT_EQ(decode_err(with_kind({0x00})).message, "unexpected end of section or function");
}

TEST(Decoder, MalformedUtf8Name) {
  ModuleBuilder b;
  b.vec(2, {cat({str("m"), {0x01, 0xff}, {0x00, 0x00}})});
  Error e = decode_err(b.bytes());
  EXPECT_EQ(e.message, "malformed UTF-8 encoding");
  EXPECT_EQ(e.offset, 14u);
}

TEST(Decoder, Limits) {
  auto mem = [](const Bytes& limits) {
    ModuleBuilder b;
    b.vec(5, {limits});
    return b.bytes();
  };
  auto m = decode_ok(mem({0x01, 0x02, 0x80, 0x80, 0x04}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->memories[0].limits.min, 2u);
  EXPECT_EQ(m->memories[0].limits.max, 65536u);
  // Limits are u64 LEBs in the binary; a 32-bit memory's bounds are the validator's concern.
  m = decode_ok(mem({0x00, 0x80, 0x80, 0x80, 0x80, 0x10}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->memories[0].limits.min, uint64_t{1} << 32);
  struct Case {
    Bytes limits;
    const char* msg;
    uint64_t offset;
  };
  const Case cases[] = {
      {{0x08, 0x00}, "malformed limits flags", 11},
      {{0x81, 0x00, 0x00}, "malformed limits flags", 11},
      {{0x02, 0x00, 0x00}, "unsupported feature: threads", 11},
      {{0x03, 0x00, 0x00}, "unsupported feature: threads", 11},
      {{0x04, 0x00}, "unsupported feature: memory64", 11},
      {{0x05, 0x00, 0x00}, "unsupported feature: memory64", 11},
      {{0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70}, "integer too large", 21},
      {{0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
       "integer representation too long", 21},
      {{0x01, 0x00}, "unexpected end of section or function", 13},
  };
  for (const Case& c : cases) {
    Error e = decode_err(mem(c.limits));
    EXPECT_EQ(e.message, c.msg);
    EXPECT_EQ(e.offset, c.offset) << c.msg;
  }
  // Tables: shared is not a table flag; 64-bit tables belong to memory64.
  ModuleBuilder t;
  t.vec(4, {{0x70, 0x02, 0x00, 0x00}});
  EXPECT_EQ(decode_err(t.bytes()).message, "malformed limits flags");
  ModuleBuilder t64;
  t64.vec(4, {{0x70, 0x04, 0x00}});
  EXPECT_EQ(decode_err(t64.bytes()).message, "unsupported feature: memory64");
  ModuleBuilder tinit;
  tinit.vec(4, {{0x40, 0x00, 0x70, 0x00, 0x00, 0xd0, 0x70, 0x0b}});
  EXPECT_EQ(decode_err(tinit.bytes()).message, "unsupported feature: typed function references");
}

TEST(Decoder, GlobalsAndConstExprs) {
  ModuleBuilder b;
  // i64 global: i64.const 2 i64.const 3 i64.add; funcref global: ref.null func.
  b.vec(6, {{0x7e, 0x01, 0x42, 0x02, 0x42, 0x03, 0x7c, 0x0b}, {0x70, 0x00, 0xd0, 0x70, 0x0b}});
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->global_inits.size(), 2u);
  const ConstExpr& e = m->global_inits[0];
  EXPECT_EQ(e.offset, 13u);
  ASSERT_EQ(e.code.size(), 3u);
  EXPECT_EQ(e.code[0].op, Op::I64Const);
  EXPECT_EQ(e.code[1].num.i64, 3);
  EXPECT_EQ(e.code[2].op, Op::I64Add);
  EXPECT_EQ(e.code[2].offset, 17u);
  EXPECT_EQ(m->global_inits[1].code[0].heap_type, kFuncRef);
  EXPECT_FALSE(m->globals[1].mut);
}

TEST(Decoder, ConstExprKeepsNestedBlocksForTheValidator) {
  ModuleBuilder b;
  b.vec(6, {{0x7f, 0x00, 0x02, 0x40, 0x0b, 0x41, 0x00, 0x0b}});
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->global_inits[0].code.size(), 3u);
  EXPECT_EQ(m->global_inits[0].code[1].op, Op::End);
}

TEST(Decoder, ConstExprErrors) {
  auto global = [](const Bytes& init) {
    ModuleBuilder b;
    b.vec(6, {cat({{0x7f, 0x00}, init})});
    return b.bytes();
  };
  Error e = decode_err(global({0x41, 0x00}));
  EXPECT_EQ(e.message, "unexpected end of section or function");
  EXPECT_EQ(e.offset, 15u);
  e = decode_err(global({0x41, 0x00, 0x05, 0x0b}));
  EXPECT_EQ(e.message, "END opcode expected");
  EXPECT_EQ(e.offset, 15u);
  e = decode_err(global({0xf3, 0x0b}));
  EXPECT_EQ(e.message, "illegal opcode f3");
  EXPECT_EQ(e.offset, 13u);
  EXPECT_EQ(decode_err(global({0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b})).message,
            "integer representation too long");
}

TEST(Decoder, ExportsAndStart) {
  ModuleBuilder b;
  b.vec(1, {kVoidType});
  b.vec(3, {{0x00}});
  b.vec(7, {cat({str("f"), {0x00, 0x00}}), cat({str("g"), {0x03, 0x05}})});
  b.section(8, {0x00});
  b.vec(10, {kEmptyBody});
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->exports.size(), 2u);
  EXPECT_EQ(m->exports[1].name, "g");
  EXPECT_EQ(m->exports[1].kind, ExternKind::Global);
  EXPECT_EQ(m->exports[1].index, 5u);
  EXPECT_EQ(m->start, 0u);
  ModuleBuilder bad;
  bad.vec(7, {cat({str("f"), {0x05, 0x00}})});
  EXPECT_EQ(decode_err(bad.bytes()).message, "malformed export kind");
}

TEST(Decoder, ElementSegmentsAllEightForms) {
  ModuleBuilder b;
  b.vec(1, {kVoidType});
  b.vec(3, {{0x00}});
  b.vec(4, {{0x70, 0x00, 0x01}});
  const Bytes off = {0x41, 0x00, 0x0b};
  const Bytes item = {0xd2, 0x00, 0x0b};
  b.vec(9, {cat({{0x00}, off, {0x01, 0x00}}),
            {0x01, 0x00, 0x02, 0x00, 0x00},
            cat({{0x02, 0x00}, off, {0x00, 0x01, 0x00}}),
            {0x03, 0x00, 0x01, 0x00},
            cat({{0x04}, off, {0x01}, item}),
            cat({{0x05, 0x70, 0x02}, item, {0xd0, 0x70, 0x0b}}),
            cat({{0x06, 0x00}, off, {0x6f, 0x01, 0xd0, 0x6f, 0x0b}}),
            cat({{0x07, 0x70, 0x01}, item})});
  b.vec(10, {kEmptyBody});
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->elems.size(), 8u);
  const SegmentMode modes[] = {SegmentMode::Active,      SegmentMode::Passive, SegmentMode::Active,
                               SegmentMode::Declarative, SegmentMode::Active,  SegmentMode::Passive,
                               SegmentMode::Active,      SegmentMode::Declarative};
  const size_t counts[] = {1, 2, 1, 1, 1, 2, 1, 1};
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(m->elems[i].mode, modes[i]) << i;
    EXPECT_EQ(m->elems[i].items.size(), counts[i]) << i;
  }
  // The function-index forms are synthesized as ref.func N.
  EXPECT_EQ(m->elems[1].items[1].code.size(), 1u);
  EXPECT_EQ(m->elems[1].items[1].code[0].op, Op::RefFunc);
  EXPECT_EQ(m->elems[0].offset.code[0].op, Op::I32Const);
  EXPECT_EQ(m->elems[5].items[1].code[0].op, Op::RefNull);
  EXPECT_EQ(m->elems[6].type, kExternRef);
  EXPECT_EQ(m->elems[4].type, kFuncRef);
}

TEST(Decoder, ElementSegmentErrors) {
  auto elem = [](const Bytes& seg) {
    ModuleBuilder b;
    b.vec(9, {seg});
    return b.bytes();
  };
  Error e = decode_err(elem({0x08}));
  EXPECT_EQ(e.message, "malformed elements segment kind");
  EXPECT_EQ(e.offset, 11u);
  e = decode_err(elem({0x01, 0x01, 0x00}));
  EXPECT_EQ(e.message, "malformed element kind");
  EXPECT_EQ(e.offset, 12u);
  e = decode_err(elem({0x05, 0x7f, 0x01, 0xd2, 0x00, 0x0b}));
  EXPECT_EQ(e.message, "malformed reference type");
  EXPECT_EQ(e.offset, 12u);
  e = decode_err(elem({0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f}));
  EXPECT_EQ(e.message, "unexpected end of section or function");
  DecodeLimits small;
  small.max_table_init = 1;
  e = decode_err(elem({0x01, 0x00, 0x02, 0x00, 0x00}), small);
  EXPECT_EQ(e.message, "too many table initializers");
  EXPECT_EQ(e.offset, 13u);
  // The limit counts the entries of all segments together.
  small.max_table_init = 2;
  ModuleBuilder two;
  two.vec(9, {{0x01, 0x00, 0x02, 0x00, 0x00}, {0x01, 0x00, 0x01, 0x00}});
  e = decode_err(two.bytes(), small);
  EXPECT_EQ(e.message, "too many table initializers");
  EXPECT_EQ(e.offset, 18u);
  small.max_table_init = 3;
  EXPECT_TRUE(decode_ok(two.bytes(), small));
}

TEST(Decoder, DataSegments) {
  ModuleBuilder b;
  b.vec(5, {{0x00, 0x01}});
  b.section(12, {0x03});
  const size_t data = b.vec(11, {{0x00, 0x41, 0x08, 0x0b, 0x02, 'h', 'i'},
                                 {0x01, 0x00},
                                 {0x02, 0x01, 0x41, 0x00, 0x0b, 0x01, 'x'}});
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->data_count, 3u);
  ASSERT_EQ(m->datas.size(), 3u);
  EXPECT_EQ(m->datas[0].mode, SegmentMode::Active);
  EXPECT_EQ(m->datas[0].size, 2u);
  EXPECT_EQ(m->datas[0].data_offset, data + 6);
  EXPECT_EQ(m->bytes[m->datas[0].data_offset], 'h');
  EXPECT_EQ(m->datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m->datas[1].size, 0u);
  EXPECT_EQ(m->datas[2].memory, 1u);
  EXPECT_EQ(m->bytes[m->datas[2].data_offset], 'x');
}

TEST(Decoder, DataSegmentErrors) {
  ModuleBuilder kind;
  kind.vec(11, {{0x03, 0x00}});
  Error e = decode_err(kind.bytes());
  EXPECT_EQ(e.message, "malformed data segment kind");
  EXPECT_EQ(e.offset, 11u);
  ModuleBuilder longer;
  longer.vec(11, {{0x01, 0x07, 'a', 'b'}});
  e = decode_err(longer.bytes());
  EXPECT_EQ(e.message, "unexpected end of section or function");
  EXPECT_EQ(e.offset, 15u);
  ModuleBuilder count;
  count.section(12, {0x02});
  count.vec(11, {{0x01, 0x00}});
  e = decode_err(count.bytes());
  EXPECT_EQ(e.message, "data count and data section have inconsistent lengths");
  EXPECT_EQ(e.offset, 13u);
  ModuleBuilder missing;
  missing.section(12, {0x01});
  e = decode_err(missing.bytes());
  EXPECT_EQ(e.message, "data count and data section have inconsistent lengths");
  EXPECT_EQ(e.offset, 11u);
}

TEST(Decoder, FunctionAndCodeCountsMustAgree) {
  ModuleBuilder no_code;
  no_code.vec(1, {kVoidType});
  no_code.vec(3, {{0x00}});
  Error e = decode_err(no_code.bytes());
  EXPECT_EQ(e.message, "function and code section have inconsistent lengths");
  EXPECT_EQ(e.offset, no_code.size());
  ModuleBuilder no_funcs;
  const size_t code = no_funcs.vec(10, {kEmptyBody});
  e = decode_err(no_funcs.bytes());
  EXPECT_EQ(e.message, "function and code section have inconsistent lengths");
  EXPECT_EQ(e.offset, code);
  // The counts are compared after all sections, so a misplaced section is reported first.
  ModuleBuilder twice;
  twice.vec(1, {kVoidType});
  twice.vec(3, {{0x00}, {0x00}});
  twice.vec(10, {kEmptyBody});
  const size_t second = twice.vec(10, {kEmptyBody});
  e = decode_err(twice.bytes());
  EXPECT_EQ(e.message, "unexpected content after last section");
  EXPECT_EQ(e.offset, second - 2);
}

TEST(Decoder, TooManyLocals) {
  auto body = [](const Bytes& locals) {
    ModuleBuilder b;
    b.vec(1, {{0x60, 0x02, 0x7f, 0x7f, 0x00}});
    b.vec(3, {{0x00}});
    Bytes bd = cat({locals, {0x0b}});
    b.vec(10, {cat({leb(bd.size()), bd})});
    return b.bytes();
  };
  // Four declarations of 2^30 each: 2^32 in total (does not fit in 32 bits).
  Bytes four = {0x04};
  for (uint8_t t : {0x7f, 0x7e, 0x7d, 0x7c}) four = cat({four, leb(1u << 30), {t}});
  Error e = decode_err(body(four));
  EXPECT_EQ(e.message, "too many locals");
  EXPECT_EQ(decode_err(body(cat({{0x01}, leb(0xffffffffu), {0x7f}}))).message, "too many locals");
  // The limit counts params: 2 params + 49'998 locals is fine, one more is not.
  auto m = decode_ok(body(cat({{0x01}, leb(49'998), {0x7f}})));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->code[0].num_locals, 49'998u);
  e = decode_err(body(cat({{0x02}, leb(49'998), {0x7f}, leb(1), {0x7e}})));
  EXPECT_EQ(e.message, "too many locals");
  EXPECT_EQ(e.offset, 29u);
  EXPECT_EQ(decode_err(body(cat({{0x01}, leb(1u << 31), {0x7f}}))).message, "too many locals");
  EXPECT_EQ(decode_err(body(cat({{0x01}, {0x80, 0x80, 0x80, 0x80, 0x10}, {0x7f}}))).message,
            "integer too large");
}

TEST(Decoder, BodyMustEndWithEnd) {
  ModuleBuilder b;
  b.vec(1, {kVoidType});
  b.vec(3, {{0x00}, {0x00}});
  const size_t code = b.vec(10, {{0x04, 0x00, 0x41, 0x01, 0x1a}, kEmptyBody});
  Error e = decode_err(b.bytes());
  EXPECT_EQ(e.message, "END opcode expected");
  EXPECT_EQ(e.offset, code + 6);
  ModuleBuilder last;
  last.vec(1, {kVoidType});
  last.vec(3, {{0x00}});
  last.vec(10, {{0x04, 0x00, 0x41, 0x01, 0x1a}});
  EXPECT_EQ(decode_err(last.bytes()).message, "unexpected end of section or function");
}

TEST(Decoder, SectionFraming) {
  ModuleBuilder id;
  id.section(14, {});
  Error e = decode_err(id.bytes());
  EXPECT_EQ(e.message, "malformed section id");
  EXPECT_EQ(e.offset, 8u);
  ModuleBuilder tag;
  tag.vec(13, {{0x00, 0x00}});
  EXPECT_EQ(decode_err(tag.bytes()).message, "unsupported feature: exception handling");
  // A declared size past the end of the input.
  Bytes longer = ModuleBuilder().bytes();
  longer.insert(longer.end(), {0x01, 0x07, 0x01, 0x60, 0x00, 0x00});
  e = decode_err(longer);
  EXPECT_EQ(e.message, "length out of bounds");
  EXPECT_EQ(e.offset, 9u);
  // Content left over in a section.
  ModuleBuilder extra;
  extra.section(1, {0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00});
  e = decode_err(extra.bytes());
  EXPECT_EQ(e.message, "section size mismatch");
  EXPECT_EQ(e.offset, 14u);
  // A vector count past the section's bytes.
  ModuleBuilder count;
  count.section(4, {0x01});
  e = decode_err(count.bytes());
  EXPECT_EQ(e.message, "unexpected end of section or function");
  EXPECT_EQ(e.offset, 11u);
}

TEST(Decoder, SectionOrder) {
  ModuleBuilder dup;
  dup.vec(1, {});
  const size_t second = dup.vec(1, {});
  Error e = decode_err(dup.bytes());
  EXPECT_EQ(e.message, "unexpected content after last section");
  EXPECT_EQ(e.offset, second - 2);
  ModuleBuilder order;
  order.vec(3, {});
  order.vec(2, {});
  EXPECT_EQ(decode_err(order.bytes()).message, "unexpected content after last section");
  ModuleBuilder dc;  // data count goes before code, and code before data
  dc.vec(10, {});
  dc.section(12, {0x00});
  EXPECT_EQ(decode_err(dc.bytes()).message, "unexpected content after last section");
  ModuleBuilder ok;
  ok.section(0, str("a"));
  ok.vec(1, {});
  ok.section(0, str("b"));
  ok.section(12, {0x00});
  ok.vec(10, {});
  ok.vec(11, {});
  ok.section(0, str("c"));
  auto m = decode_ok(ok.bytes());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->customs.size(), 3u);
}

TEST(Decoder, UnsupportedTypeForms) {
  for (uint8_t form : {0x4e, 0x50, 0x4f, 0x5e, 0x5f}) {
    ModuleBuilder b;
    b.vec(1, {{form, 0x00}});
    Error e = decode_err(b.bytes());
    EXPECT_EQ(e.message, "unsupported feature: garbage collection");
    EXPECT_EQ(e.offset, 11u);
  }
  ModuleBuilder bad;
  bad.vec(1, {{0x61, 0x00, 0x00}});
  EXPECT_EQ(decode_err(bad.bytes()).message, "malformed function type");
  ModuleBuilder lng;
  lng.vec(1, {{0xe0, 0x7f, 0x00, 0x00}});
  EXPECT_EQ(decode_err(lng.bytes()).message, "integer representation too long");
  ModuleBuilder ref;
  ref.vec(1, {{0x60, 0x01, 0x64, 0x70, 0x00}});
  EXPECT_EQ(decode_err(ref.bytes()).message, "unsupported feature: typed function references");
  ModuleBuilder vt;
  vt.vec(1, {{0x60, 0x01, 0x40, 0x00}});
  Error e = decode_err(vt.bytes());
  EXPECT_EQ(e.message, "malformed value type");
  EXPECT_EQ(e.offset, 13u);
}

TEST(Decoder, CountsAreCheckedAgainstLimits) {
  DecodeLimits small;
  small.max_types = 1;
  ModuleBuilder b;
  b.vec(1, {kVoidType, kVoidType});
  Error e = decode_err(b.bytes(), small);
  EXPECT_EQ(e.message, "too many types");
  EXPECT_EQ(e.offset, 10u);
  small = {};
  small.max_params = 1;
  ModuleBuilder p;
  p.vec(1, {{0x60, 0x02, 0x7f, 0x7f, 0x00}});
  EXPECT_EQ(decode_err(p.bytes(), small).message, "too many parameters");
  // A huge count with few bytes behind it fails before anything is reserved.
  ModuleBuilder huge;
  huge.section(1, cat({leb(0xffffffffu), kVoidType}));
  EXPECT_EQ(decode_err(huge.bytes()).message, "unexpected end of section or function");
  small = {};
  small.max_functions = 2;
  ModuleBuilder f;
  f.vec(1, {kVoidType});
  f.vec(2, {cat({str("m"), str("f"), {0x00, 0x00}})});
  f.vec(3, {{0x00}, {0x00}});
  EXPECT_EQ(decode_err(f.bytes(), small).message, "too many functions");
}

TEST(Decoder, CustomAndNameSections) {
  ModuleBuilder b;
  b.vec(1, {kVoidType});
  b.vec(3, {{0x00}, {0x00}, {0x00}});
  b.vec(10, {kEmptyBody, kEmptyBody, kEmptyBody});
  const Bytes module_name = cat({{0x00}, leb(4), str("mod")});
  const Bytes fn_map = cat({leb(2), leb(2), str("two"), leb(0), str("zero")});
  const Bytes fn_names = cat({{0x01}, leb(fn_map.size()), fn_map});
  const size_t at = b.section(0, cat({str("name"), module_name, fn_names}));
  b.section(0, cat({str("other"), {1, 2, 3}}));
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->names.module, "mod");
  EXPECT_EQ(m->names.function(0), "zero");
  EXPECT_EQ(m->names.function(1), "");
  EXPECT_EQ(m->names.function(2), "two");
  ASSERT_EQ(m->customs.size(), 2u);
  EXPECT_EQ(m->customs[0].name, "name");
  EXPECT_EQ(m->customs[0].data_offset, at + 5);
  EXPECT_EQ(m->customs[1].name, "other");
  EXPECT_EQ(m->customs[1].size, 3u);
  EXPECT_EQ(m->bytes[m->customs[1].data_offset], 1);
}

TEST(Decoder, MalformedNameSectionIsIgnored) {
  ModuleBuilder b;
  b.section(0, cat({str("name"), {0x00, 0x05, 0x09, 'a'}}));
  auto m = decode_ok(b.bytes());
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->names.module.empty());
  EXPECT_EQ(m->customs.size(), 1u);
  ModuleBuilder bad_map;
  bad_map.section(0, cat({str("name"), {0x01, 0x03, 0xff, 0xff, 0x00}}));
  ASSERT_TRUE(decode_ok(bad_map.bytes()));
}

TEST(Decoder, CustomSectionNameMustBeValid) {
  ModuleBuilder b;
  b.section(0, {0x02, 0xc0, 0x80});
  Error e = decode_err(b.bytes());
  EXPECT_EQ(e.message, "malformed UTF-8 encoding");
  EXPECT_EQ(e.offset, 11u);
  ModuleBuilder empty;
  empty.section(0, {});
  EXPECT_EQ(decode_err(empty.bytes()).message, "unexpected end");
}

TEST(Decoder, TruncatedModulesFailCleanly) {
  // Every prefix of a module that uses most sections either decodes or fails cleanly.
  ModuleBuilder b;
  b.vec(1, {kVoidType});
  b.vec(2, {cat({str("m"), str("g"), {0x03, 0x7f, 0x00}})});
  b.vec(3, {{0x00}});
  b.vec(4, {{0x70, 0x00, 0x01}});
  b.vec(5, {{0x00, 0x01}});
  b.vec(6, {{0x7f, 0x00, 0x23, 0x00, 0x0b}});
  b.vec(7, {cat({str("f"), {0x00, 0x00}})});
  b.vec(9, {cat({{0x00, 0x41, 0x00, 0x0b}, {0x01, 0x00}})});
  b.section(12, {0x01});
  b.vec(10, {{0x04, 0x01, 0x01, 0x7f, 0x0b}});
  b.vec(11, {{0x01, 0x01, 'z'}});
  const Bytes& full = b.bytes();
  ASSERT_TRUE(decode_ok(full));
  for (size_t n = 0; n < full.size(); ++n) {
    Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    auto m = decode_module(prefix);
    if (m) continue;  // a prefix ending on a section boundary may be a complete module
    EXPECT_FALSE(m.error().message.empty());
    EXPECT_LE(m.error().offset, n);
  }
}

}  // namespace
}  // namespace rill::wasm
