// Per-store limits (engine/limits.h): total table elements and memory bytes over all memories
// and tables of a store, at instantiation, create_table/create_memory, table.grow and
// memory.grow. Hostile cases run in a child process under a memory limit (../bounded_child.h).
#include <gtest/gtest.h>

#include <string>

#include "../bounded_child.h"
#include "interp_test_builder.h"

namespace rill::interp_test {
namespace {

constexpr uint8_t kRefNull = 0xd0;
constexpr uint8_t kTableGrow = 0x0f;  // after 0xfc

/// `table.grow {table} (ref.null func) (local.get 0)`: [i32] -> [i32].
Bytes table_grow_body(uint32_t table) {
  return code({{kRefNull, FUNCREF, kLocalGet, 0, kPrefixFC, kTableGrow}, leb(table)});
}

/// {n} tables of {min} elements, each with an export "grow{i}" running table.grow on it.
Bytes tables_module(uint32_t n, uint32_t min) {
  ModuleBuilder b;
  const uint32_t t = b.type({I32}, {I32});
  for (uint32_t i = 0; i < n; ++i) {
    b.add_table(min);
    b.func(t, {}, table_grow_body(i), "grow" + std::to_string(i));
  }
  return b.build();
}

/// One memory of {min} pages (and a table of {table_min} when nonzero) with "grow": memory.grow.
Bytes memory_module(uint32_t min, uint32_t table_min = 0) {
  ModuleBuilder b;
  const uint32_t t = b.type({I32}, {I32});
  b.memory(min);
  if (table_min) b.table(table_min);
  b.func(t, {}, {kLocalGet, 0, kMemoryGrow, 0}, "grow");
  return b.build();
}

int32_t grow(Harness& h, const std::string& name, int32_t delta) {
  std::optional<engine::Trap> trap;
  auto r = h.call(name, {vi32(delta)}, &trap);
  EXPECT_FALSE(trap) << trap->to_string();
  return r.size() == 1 ? static_cast<int32_t>(r[0].i32) : -2;
}

TEST(StoreLimits, DefaultsBoundTablesTo32MiB) {
  engine::StoreLimits l;
  EXPECT_EQ(l.max_table_elements, 4'194'304u);
  EXPECT_EQ(l.max_table_elements * engine::kTableElementBytes, 32u << 20);
  EXPECT_EQ(l.max_memory_bytes, UINT64_MAX);
}

TEST(StoreLimits, HundredHugeTablesAreRefusedAtInstantiation) {
  // 100 tables of 10^7 elements (and 100 small functions): under 3 KB of module, 8 GB of
  // tables before the store limit.
  const Bytes bytes = tables_module(100, 10'000'000);
  EXPECT_LT(bytes.size(), 3000u);
  const int status = test::run_bounded(256u << 20, [&] {
    Harness h;
    if (h.load(bytes)) return 2;
    // 10^9 elements needed, none in use, against the default 2^22.
    return h.error == "instantiation: table elements exceed the store's limit: 1000000000 needed "
                      "(0 in use), limit 4194304"
               ? 0
               : 3;
  });
  EXPECT_EQ(status, 0) << "2: instantiated, 3: other error, 99: threw (bad_alloc), 128+N: signal N";
}

TEST(StoreLimits, TableGrowPastTheStoreLimitReturnsMinusOne) {
  // Growing 100 tables by 10^6 at a time: without a store-wide limit each reaches the per-table
  // cap of 10^7 (8 GB in all); with the default limit the store stops at 2^22 elements.
  const Bytes bytes = tables_module(100, 0);
  const int status = test::run_bounded(256u << 20, [&] {
    Harness h;
    if (!h.load(bytes)) return 2;
    uint64_t grown = 0;
    for (int i = 0; i < 100; ++i) {
      const std::string name = "grow" + std::to_string(i);
      for (int k = 0; k < 10; ++k) {
        if (grow(h, name, 1'000'000) < 0) break;
        grown += 1'000'000;
      }
    }
    if (grown != 4'000'000) return 3;
    // What is left still fits, one more does not.
    if (grow(h, "grow50", 194'304) != 0) return 4;
    if (grow(h, "grow51", 1) != -1) return 5;
    return h.store.account().table_elements() == 4'194'304u ? 0 : 6;
  });
  EXPECT_EQ(status, 0) << "99: threw (bad_alloc), 128+N: signal N, else the failing step";
}

TEST(StoreLimits, ConfiguredTableLimitCoversEveryTableOfTheStore) {
  Harness h;
  engine::StoreLimits l;
  l.max_table_elements = 100;
  h.store.set_limits(l);
  auto own = h.store.create_table(wasm::TableType{wasm::kFuncRef, wasm::Limits{60, {}, false, false}},
                                  nullptr);
  ASSERT_TRUE(own);
  ASSERT_TRUE(h.load(tables_module(2, 20)));  // 60 + 2 * 20 = 100
  EXPECT_EQ(grow(h, "grow0", 1), -1);
  EXPECT_EQ((*own)->grow(1, nullptr), -1);
  EXPECT_EQ(grow(h, "grow1", 0), 20);

  Harness second;
  second.store.set_limits(l);
  EXPECT_FALSE(second.load(tables_module(2, 51)));
  EXPECT_EQ(second.error,
            "instantiation: table elements exceed the store's limit: 102 needed (0 in use), "
            "limit 100");
  auto refused = second.store.create_table(
      wasm::TableType{wasm::kFuncRef, wasm::Limits{101, {}, false, false}}, nullptr);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "table elements exceed the store's limit: 101 needed (0 in use), limit 100");
}

TEST(StoreLimits, MemoryLimitCoversMemoriesAndTables) {
  Harness h;
  engine::StoreLimits l;
  l.max_memory_bytes = 3 * wasm::kPageSize + 10 * engine::kTableElementBytes;
  h.store.set_limits(l);
  ASSERT_TRUE(h.load(memory_module(1, 10))) << h.error;
  EXPECT_EQ(grow(h, "grow", 2), 1);
  EXPECT_EQ(grow(h, "grow", 1), -1);
  EXPECT_EQ(grow(h, "grow", 0), 3);
  EXPECT_EQ(h.store.account().memory_bytes(), l.max_memory_bytes);
  // A second instance in the same store has no room left for its minimum.
  auto compiled = h.engine.compile(memory_module(1));
  ASSERT_TRUE(compiled);
  engine::InstantiateResult r = h.store.instantiate(*compiled, {});
  ASSERT_TRUE(r.link_error);
  EXPECT_EQ(r.link_error->message,
            "instantiation: memories and tables exceed the store's memory limit: 262224 bytes "
            "needed (196688 in use), limit 196688");
  auto mem = h.store.create_memory(wasm::MemoryType{wasm::Limits{1, {}, false, false}});
  EXPECT_FALSE(mem);
  // Tables count at 8 bytes an element: one more element than fits.
  Harness tables;
  l.max_memory_bytes = wasm::kPageSize + 10 * engine::kTableElementBytes;
  tables.store.set_limits(l);
  EXPECT_FALSE(tables.load(memory_module(1, 11)));
  EXPECT_EQ(tables.error,
            "instantiation: memories and tables exceed the store's memory limit: 65624 bytes "
            "needed (0 in use), limit 65616");
}

TEST(StoreLimits, MemoryGrowPastTheLimitFailsWithinBoundedMemory) {
  // Each grow touches the new pages' first bytes; with a 16 MiB limit the guest gets -1 long
  // before the 256 MiB the child may use.
  const int status = test::run_bounded(256u << 20, [&] {
    Harness h;
    engine::StoreLimits l;
    l.max_memory_bytes = 16u << 20;
    h.store.set_limits(l);
    if (!h.load(memory_module(1))) return 2;
    int32_t pages = 1;
    while (grow(h, "grow", 16) >= 0) {
      pages += 16;
      h.instance->memories[0]->write((static_cast<uint64_t>(pages) - 1) * wasm::kPageSize, "x", 1);
      if (pages > 65536) return 3;
    }
    return pages == 241 && grow(h, "grow", 15) == 241 && grow(h, "grow", 1) == -1 ? 0 : 4;
  });
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace rill::interp_test
