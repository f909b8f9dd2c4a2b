// Tests for engine::Table: initial contents, grow within limits, and the reported type.
#include <gtest/gtest.h>

#include "rill/engine/runtime.h"
#include "rill/engine/store.h"

namespace rill::engine {
namespace {

wasm::TableType table_type(uint64_t min,
                           std::optional<uint64_t> max = std::nullopt,
                           wasm::ValType elem = wasm::kFuncRef) {
  wasm::TableType t;
  t.elem = elem;
  t.limits.min = min;
  t.limits.max = max;
  return t;
}

Ref tag(uintptr_t v) {
  return reinterpret_cast<Ref>(v);
}

TEST(TableTest, InitialSizeAndContents) {
  Table t(table_type(3, 10, wasm::kExternRef), tag(0x40));
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.elem_type(), wasm::kExternRef);
  for (uint32_t i = 0; i < t.size(); ++i) EXPECT_EQ(t.data()[i], tag(0x40));
  Table empty(table_type(0), nullptr);
  EXPECT_EQ(empty.size(), 0u);
}

TEST(TableTest, GrowFillsWithInitAndReturnsOldSize) {
  Table t(table_type(1, 4), nullptr);
  EXPECT_EQ(t.grow(2, tag(8)), 1);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.data()[0], nullptr);
  EXPECT_EQ(t.data()[1], tag(8));
  EXPECT_EQ(t.data()[2], tag(8));
  EXPECT_EQ(t.grow(0, nullptr), 3);
  EXPECT_EQ(t.grow(1, nullptr), 3);
  EXPECT_EQ(t.size(), 4u);
}

TEST(TableTest, GrowPastMaxFails) {
  Table t(table_type(2, 3), nullptr);
  EXPECT_EQ(t.grow(2, nullptr), -1);
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.grow(UINT32_MAX, nullptr), -1);
  EXPECT_EQ(t.size(), 2u);
}

TEST(TableTest, GrowWithoutMaxStopsAtTheRuntimeCap) {
  Table t(table_type(0), nullptr);
  EXPECT_EQ(t.grow(UINT32_MAX, nullptr), -1);
  EXPECT_EQ(t.grow(static_cast<uint32_t>(wasm::kMaxTableSize) + 1, nullptr), -1);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.grow(10, nullptr), 0);
  EXPECT_EQ(t.size(), 10u);
}

TEST(TableTest, TypeReportsCurrentSizeAsMin) {
  Table t(table_type(1, 9), nullptr);
  ASSERT_EQ(t.grow(4, nullptr), 1);
  wasm::TableType ty = t.type();
  EXPECT_EQ(ty.elem, wasm::kFuncRef);
  EXPECT_EQ(ty.limits.min, 5u);
  ASSERT_TRUE(ty.limits.max.has_value());
  EXPECT_EQ(*ty.limits.max, 9u);
  Table unbounded(table_type(2), nullptr);
  EXPECT_FALSE(unbounded.type().limits.max.has_value());
}

TEST(TableTest, StoreCreateTableRefusesOversizedTables) {
  Engine engine;
  Store store(engine);
  auto big = store.create_table(table_type(wasm::kMaxTableSize + 1), nullptr);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message, "table size exceeds the runtime limit of 10000000 elements");
  EXPECT_FALSE(store.create_table(table_type(4, 3), nullptr));
  auto created = store.create_table(table_type(4, 8), tag(16));
  ASSERT_TRUE(created);
  Table* t = *created;
  EXPECT_EQ(t->size(), 4u);
  EXPECT_EQ(t->data()[3], tag(16));
}

}  // namespace
}  // namespace rill::engine
