// Bounds on component types (validate_sem.h): value types nest at most 100 deep ("type nesting
// is too deep", as Wasmtime), types of any kind at most 256 (chains of instance types through
// outer aliases, of instances exporting instances), and no type's effective size passes
// 1,000,000 (wasmparser's limit). Hostile inputs 10^5 deep are validated in a child process under
// a memory limit: the validator must reject them without recursing natively on their depth.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "../bounded_child.h"
#include "builder.h"
#include "rill/component/decoder.h"
#include "rill/component/validator.h"

namespace rill::component {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the test's byte builders

/// A component of one section {id} whose items are {items}; {offsets} gets each item's offset.
Bytes one_section(uint8_t id, const std::vector<Bytes>& items, std::vector<uint64_t>* offsets) {
  Bytes payload = u32(items.size());
  std::vector<uint64_t> rel;
  for (const Bytes& i : items) {
    rel.push_back(payload.size());
    payload.insert(payload.end(), i.begin(), i.end());
  }
  const uint64_t base = kComponentPreamble.size() + 1 + u32(payload.size()).size();
  if (offsets)
    for (uint64_t r : rel) offsets->push_back(base + r);
  return cat({kComponentPreamble, section(id, payload)});
}

/// Type section: type 0 = {first}, type i = {wrap}(type i-1), {n} types.
Bytes type_chain(size_t n, const Bytes& first, const std::function<Bytes(uint32_t)>& wrap,
                 std::vector<uint64_t>* offsets = nullptr) {
  std::vector<Bytes> types{first};
  for (uint32_t i = 1; i < n; ++i) types.push_back(wrap(i - 1));
  return one_section(kType, types, offsets);
}

Bytes list_of(uint32_t t) { return cat({{0x70}, s33(t)}); }
Bytes tuple_of(uint32_t t) { return cat({{0x6f}, u32(1), s33(t)}); }
Bytes pair_of(uint32_t t) { return cat({{0x6f}, u32(2), s33(t), s33(t)}); }
/// (instance (alias outer 1 t (type)) (export "a" (instance (type 0))))
Bytes instance_exporting(uint32_t t) {
  return cat({{0x42}, vec({cat({{0x02, 0x03, 0x02}, u32(1), u32(t)}),
                           cat({{0x04}, name("a"), {0x05}, u32(0)})})});
}

Result<void> validate(const Bytes& b) {
  auto c = decode_component(b);
  if (!c) return c.error();
  return validate_component(**c);
}

/// Runs {body} in a forked child under a 1 GiB data limit (../bounded_child.h; none under
/// ASan); the child must exit 0 (it exits 1 when {body} is false). A crash, an exhausted stack or
/// an allocation past the limit fails the test instead of the whole binary.
void in_child(const std::function<bool()>& body) {
  EXPECT_EQ(rill::test::run_bounded(uint64_t{1} << 30, [&] { return body() ? 0 : 1; }), 0);
}

/// Validation of {b} fails with {message} at {offset}.
bool fails_with(const Bytes& b, const std::string& message, uint64_t offset) {
  auto v = validate(b);
  if (v) {
    std::fprintf(stderr, "validates, expected: %s\n", message.c_str());
    return false;
  }
  std::fprintf(stderr, "%s\n", v.error().to_string().c_str());
  return v.error().message.find(message) != std::string::npos && v.error().offset == offset;
}

TEST(ComponentTypeLimits, ValueTypeDepth100IsValid101IsNot) {
  const Bytes u8_list = {0x70, 0x7d};  // list<u8>: depth 1
  auto ok = validate(type_chain(100, u8_list, list_of));
  EXPECT_TRUE(ok.has_value()) << ok.error().to_string();
  std::vector<uint64_t> offsets;
  const Bytes deep = type_chain(101, u8_list, list_of, &offsets);
  auto bad = validate(deep);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "type nesting is too deep (a value type may nest at most 100 levels)");
  EXPECT_EQ(bad.error().offset, offsets[100]);
}

TEST(ComponentTypeLimits, TupleChainOf100000IsRejectedWithoutRecursion) {
  std::vector<uint64_t> offsets;
  const Bytes b = type_chain(100000, {0x6f, 0x01, 0x7d}, tuple_of, &offsets);
  const uint64_t at = offsets[100];
  in_child([&] { return fails_with(b, "type nesting is too deep", at); });
}

TEST(ComponentTypeLimits, InstanceTypeChainIsBounded) {
  const Bytes empty_instance = {0x42, 0x00};  // depth 1; type i has depth i + 1
  auto ok = validate(type_chain(256, empty_instance, instance_exporting));
  EXPECT_TRUE(ok.has_value()) << ok.error().to_string();
  std::vector<uint64_t> offsets;
  const Bytes b = type_chain(100000, empty_instance, instance_exporting, &offsets);
  const uint64_t at = offsets[256];
  in_child([&] { return fails_with(b, "type nesting is too deep (a type may nest at most 256", at); });
}

TEST(ComponentTypeLimits, InstancesExportingInstancesAreBounded) {
  // instance 0 = (instance); instance i = (instance (export "a" (instance i-1)))
  std::vector<Bytes> items{{0x01, 0x00}};
  for (uint32_t i = 1; i < 100000; ++i)
    items.push_back(cat({{0x01}, vec({cat({name("a"), {0x05}, u32(i - 1)})})}));
  std::vector<uint64_t> offsets;
  const Bytes b = one_section(kInstance, items, &offsets);
  const uint64_t at = offsets[256];
  in_child([&] { return fails_with(b, "type nesting is too deep", at); });
}

TEST(ComponentTypeLimits, EffectiveTypeSize) {
  // tuple<u8, u8> has size 3; doubling it each level passes 1,000,000 at type 18 (2^20 - 1),
  // only 19 levels deep.
  std::vector<uint64_t> offsets;
  const Bytes b = type_chain(40, {0x6f, 0x02, 0x7d, 0x7d}, pair_of, &offsets);
  auto v = validate(b);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().message, "effective type size exceeds the limit of 1000000");
  EXPECT_EQ(v.error().offset, offsets[18]);
  auto ok = validate(type_chain(18, {0x6f, 0x02, 0x7d, 0x7d}, pair_of));
  EXPECT_TRUE(ok.has_value()) << ok.error().to_string();
}

}  // namespace
}  // namespace rill::component
