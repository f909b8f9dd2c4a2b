// Tests of the canon section: lift and lower with every canonopt, and each built-in of
// canon.def with its immediates (the table below must cover every entry of canon.def).
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <set>
#include <string>

#include "builder.h"
#include "rill/component/decoder.h"

namespace rill::component {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the test's byte builders

constexpr uint64_t kCanonAt = 11;  // first byte of the only definition of a canon section

Result<Canon> decode_canon(const Bytes& canon) {
  auto c = decode_component(component({vec_section(kCanon, {canon})}));
  if (!c) return c.error();
  return std::get<Canon>((*c)->defs.at(0).def);
}

TEST(Canon, LiftWithEveryOption) {
  const Bytes opts = vec({{0x00},
                          {0x01},
                          {0x02},
                          cat({{0x03}, u32(1)}),
                          cat({{0x04}, u32(2)}),
                          cat({{0x05}, u32(3)}),
                          {0x06},
                          cat({{0x07}, u32(4)})});
  auto c = decode_canon(cat({{0x00, 0x00}, u32(9), opts, u32(5)}));
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->kind, CanonKind::Lift);
  EXPECT_EQ(c->index, 9u);
  EXPECT_EQ(idx(c->func_type), 5u);
  ASSERT_EQ(c->opts.size(), 8u);
  const CanonOptKind kinds[] = {CanonOptKind::Utf8,        CanonOptKind::Utf16,
                                CanonOptKind::Latin1Utf16, CanonOptKind::Memory,
                                CanonOptKind::Realloc,     CanonOptKind::PostReturn,
                                CanonOptKind::Async,       CanonOptKind::Callback};
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(c->opts[i].kind, kinds[i]) << to_string(kinds[i]);
  EXPECT_EQ(c->opts[3].index, 1u);
  EXPECT_EQ(c->opts[7].index, 4u);
  EXPECT_EQ(c->opts[0].offset, kCanonAt + 4);
  // Duplicates and conflicts are validation errors.
  EXPECT_TRUE(decode_canon(cat({{0x00, 0x00}, u32(0), vec({{0x00}, {0x01}, {0x00}}), u32(0)})));
}

TEST(Canon, LowerAndMalformedLiftLower) {
  auto c = decode_canon(cat({{0x01, 0x00}, u32(2), vec({cat({{0x03}, u32(0)})})}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, CanonKind::Lower);
  EXPECT_EQ(c->index, 2u);
  EXPECT_EQ(c->opts.size(), 1u);

  c = decode_canon({0x00, 0x01, 0x00, 0x00, 0x00});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "invalid leading byte (0x1) for canonical function lift");
  EXPECT_EQ(c.error().offset, kCanonAt + 1);
  c = decode_canon({0x01, 0x01, 0x00, 0x00});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "invalid leading byte (0x1) for canonical function lower");
  c = decode_canon({0x01, 0x00, 0x00, 0x01, 0x0a});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "invalid leading byte (0xa) for canonical option");
  EXPECT_EQ(c.error().offset, kCanonAt + 4);
}

/// One built-in: its opcode, the bytes of its immediates, and what they must decode to.
struct BuiltIn {
  CanonKind kind;
  Bytes immediates;
  std::function<void(const Canon&)> check;
};

void no_check(const Canon&) {}
auto index_is(uint32_t i) {
  return [i](const Canon& c) { EXPECT_EQ(c.index, i); };
}
auto async_index_is(uint32_t i) {
  return [i](const Canon& c) {
    EXPECT_EQ(c.index, i);
    EXPECT_TRUE(c.async);
  };
}
auto opts_size_is(size_t n) {
  return [n](const Canon& c) { EXPECT_EQ(c.opts.size(), n); };
}
auto cancellable_is(bool b) {
  return [b](const Canon& c) { EXPECT_EQ(c.cancellable, b); };
}

std::vector<BuiltIn> built_ins() {
  const Bytes one_opt = vec({cat({{0x03}, u32(0)})});
  return {
      {CanonKind::ResourceNew, u32(1), index_is(1)},
      {CanonKind::ResourceDrop, u32(2), index_is(2)},
      {CanonKind::ResourceRep, u32(3), index_is(3)},
      {CanonKind::TaskCancel, {}, no_check},
      {CanonKind::SubtaskCancel, {0x01}, [](const Canon& c) { EXPECT_TRUE(c.async); }},
      {CanonKind::TaskReturn, cat({{0x00, 0x73}, one_opt}),
       [](const Canon& c) {
         EXPECT_EQ(c.result, ValType::prim(PrimValType::String));
         EXPECT_EQ(c.opts.size(), 1u);
       }},
      {CanonKind::ContextGet, cat({{0x7f}, u32(1)}),
       [](const Canon& c) {
         EXPECT_EQ(c.core_type, wasm::kI32);
         EXPECT_EQ(c.slot, 1u);
       }},
      {CanonKind::ContextSet, cat({{0x7f}, u32(0)}), [](const Canon& c) { EXPECT_EQ(c.slot, 0u); }},
      {CanonKind::ThreadYield, {0x01}, cancellable_is(true)},
      {CanonKind::SubtaskDrop, {}, no_check},
      {CanonKind::StreamNew, u32(4), index_is(4)},
      {CanonKind::StreamRead, cat({u32(4), one_opt}), opts_size_is(1)},
      {CanonKind::StreamWrite, cat({u32(4), vec({})}), opts_size_is(0)},
      {CanonKind::StreamCancelRead, cat({u32(4), {0x01}}), async_index_is(4)},
      {CanonKind::StreamCancelWrite, cat({u32(5), {0x01}}), async_index_is(5)},
      {CanonKind::StreamDropReadable, u32(6), index_is(6)},
      {CanonKind::StreamDropWritable, u32(7), index_is(7)},
      {CanonKind::FutureNew, u32(8), index_is(8)},
      {CanonKind::FutureRead, cat({u32(8), one_opt}), opts_size_is(1)},
      {CanonKind::FutureWrite, cat({u32(8), one_opt}), opts_size_is(1)},
      {CanonKind::FutureCancelRead, cat({u32(8), {0x01}}), async_index_is(8)},
      {CanonKind::FutureCancelWrite, cat({u32(9), {0x01}}), async_index_is(9)},
      {CanonKind::FutureDropReadable, u32(10), index_is(10)},
      {CanonKind::FutureDropWritable, u32(11), index_is(11)},
      {CanonKind::ErrorContextNew, one_opt, opts_size_is(1)},
      {CanonKind::ErrorContextDebugMessage, vec({{0x00}, cat({{0x03}, u32(0)})}), opts_size_is(2)},
      {CanonKind::ErrorContextDrop, {}, no_check},
      {CanonKind::WaitableSetNew, {}, no_check},
      {CanonKind::WaitableSetWait, cat({{0x00}, u32(2)}),
       [](const Canon& c) {
         EXPECT_FALSE(c.cancellable);
         EXPECT_EQ(idx(c.memory), 2u);
       }},
      {CanonKind::WaitableSetPoll, cat({{0x01}, u32(0)}), cancellable_is(true)},
      {CanonKind::WaitableSetDrop, {}, no_check},
      {CanonKind::WaitableJoin, {}, no_check},
      {CanonKind::BackpressureInc, {}, no_check},
      {CanonKind::BackpressureDec, {}, no_check},
      {CanonKind::ThreadIndex, {}, no_check},
      {CanonKind::ThreadNewIndirect, cat({u32(1), u32(2)}),
       [](const Canon& c) {
         EXPECT_EQ(idx(c.core_func_type), 1u);
         EXPECT_EQ(idx(c.table), 2u);
       }},
      {CanonKind::ThreadResumeLater, {}, no_check},
      {CanonKind::ThreadSuspend, {0x01}, cancellable_is(true)},
      {CanonKind::ThreadSuspendThenResume, {0x00}, cancellable_is(false)},
      {CanonKind::ThreadYieldThenResume, {0x01}, cancellable_is(true)},
      {CanonKind::ThreadSuspendThenPromote, {0x01}, cancellable_is(true)},
      {CanonKind::ThreadYieldThenPromote, {0x01}, cancellable_is(true)},
      {CanonKind::ThreadSpawnRef, cat({{0x01}, u32(3)}),
       [](const Canon& c) {
         EXPECT_TRUE(c.shared);
         EXPECT_EQ(idx(c.core_func_type), 3u);
       }},
      {CanonKind::ThreadSpawnIndirect, cat({{0x00}, u32(3), u32(1)}),
       [](const Canon& c) {
         EXPECT_FALSE(c.shared);
         EXPECT_EQ(idx(c.table), 1u);
       }},
      {CanonKind::ThreadAvailableParallelism,
       {0x01},
       [](const Canon& c) { EXPECT_TRUE(c.shared); }},
  };
}

TEST(Canon, EveryBuiltInWithItsImmediates) {
  for (const BuiltIn& b : built_ins()) {
    const Bytes bytes = cat({{static_cast<uint8_t>(b.kind)}, b.immediates});
    auto c = decode_canon(bytes);
    ASSERT_TRUE(c) << to_string(b.kind) << ": " << c.error().to_string();
    EXPECT_EQ(c->kind, b.kind) << to_string(b.kind);
    b.check(*c);
    // Every proper prefix of the definition is cut short.
    for (size_t len = 1; len < bytes.size(); ++len) {
      auto p = decode_canon(Bytes(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(len)));
      EXPECT_FALSE(p) << to_string(b.kind) << " cut to " << len;
    }
  }
}

TEST(Canon, TheTableCoversCanonDef) {
  std::set<uint8_t> tested = {0x00, 0x01};  // lift, lower above
  for (const BuiltIn& b : built_ins()) tested.insert(static_cast<uint8_t>(b.kind));
  std::set<uint8_t> defined;
#define RILL_CANON(name, opcode, text, imm) defined.insert(opcode);
#include "rill/component/canon.def"
#undef RILL_CANON
  EXPECT_EQ(tested, defined);
  EXPECT_EQ(defined.size(), 47u);  // the productions of Binary.md "Canonical Definitions"
  EXPECT_STREQ(to_string(CanonKind::StreamCancelRead), "stream.cancel-read");
  EXPECT_STREQ(to_string(CanonKind::ThreadAvailableParallelism), "thread.available-parallelism");
}

TEST(Canon, UnknownOpcodesNameTheByteAndOffset) {
  std::set<uint8_t> defined;
#define RILL_CANON(name, opcode, text, imm) defined.insert(opcode);
#include "rill/component/canon.def"
#undef RILL_CANON
  for (int op = 0; op < 256; ++op) {
    if (defined.count(static_cast<uint8_t>(op))) continue;
    auto c = decode_canon({static_cast<uint8_t>(op), 0x00, 0x00, 0x00, 0x00});
    ASSERT_FALSE(c) << op;
    char expected[64];
    std::snprintf(expected, sizeof expected, "invalid leading byte (0x%x) for canonical function",
                  op);
    EXPECT_EQ(c.error().message, expected);
    EXPECT_EQ(c.error().offset, kCanonAt);
  }
}

TEST(Canon, BooleanImmediatesAreZeroOrOne) {
  for (const Bytes& b : {Bytes{0x0c, 0x02}, Bytes{0x06, 0x02}, Bytes{0x20, 0x02, 0x00},
                         Bytes{0x11, 0x00, 0x02}, Bytes{0x42, 0x02}}) {
    auto c = decode_canon(b);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message, "invalid boolean value");
  }
}

}  // namespace
}  // namespace rill::component
