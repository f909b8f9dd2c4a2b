// Store::set_limits through the public API: the limits cover memories and tables the host
// creates, modules' own, and growth from either side.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "rill/rill.h"

namespace rill {
namespace {

// (module (memory 1) (table 10 funcref)
//   (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
const std::vector<uint8_t> kGrowWasm = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01,
    0x7f, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x0a, 0x05, 0x03, 0x01, 0x00,
    0x01, 0x07, 0x08, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x00, 0x0a, 0x08, 0x01, 0x06,
    0x00, 0x20, 0x00, 0x40, 0x00, 0x0b};

TEST(StoreLimitsApi, DefaultsAndRoundTrip) {
  Engine engine;
  Store store(engine);
  EXPECT_EQ(store.limits().max_table_elements, uint64_t{1} << 22);
  EXPECT_EQ(store.limits().max_memory_bytes, UINT64_MAX);
  store.set_limits(StoreLimits{100, 12345});
  EXPECT_EQ(store.limits().max_table_elements, 100u);
  EXPECT_EQ(store.limits().max_memory_bytes, 12345u);
}

TEST(StoreLimitsApi, CoverHostAndGuestMemoriesAndTables) {
  Engine engine;
  auto module = Module::compile(engine, kGrowWasm);
  ASSERT_TRUE(module) << module.error().to_string();
  Store store(engine);
  // Two pages and the module's 10-element table, nothing more.
  store.set_limits(StoreLimits{uint64_t{1} << 22, 2 * 65536 + 10 * 8});
  auto host_mem = store.create_memory(MemoryType{1, std::nullopt});
  ASSERT_TRUE(host_mem) << host_mem.error().message;
  auto instance = Instance::create(store, *module, {});
  ASSERT_TRUE(instance) << instance.error().message;
  auto grow = instance->func<int32_t(int32_t)>("grow");
  ASSERT_TRUE(grow);
  auto r = (*grow)(1);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, -1);  // the store is full
  EXPECT_FALSE(host_mem->grow(1).has_value());
  auto table = store.create_table(TableType{ValType::FuncRef, 1, std::nullopt},
                                  Val::from_ref(ValType::FuncRef, nullptr));
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().message,
            "memories and tables exceed the store's memory limit: 131160 bytes needed (131152 "
            "in use), limit 131152");
  // A second instance does not fit at all.
  auto second = Instance::create(store, *module, {});
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("instantiation: memories and tables exceed the store's "
                                        "memory limit"),
            std::string::npos)
      << second.error().message;
}

}  // namespace
}  // namespace rill
