// ResourceAccount: the per-store counts of table elements and memory bytes against StoreLimits.
#include "rill/engine/limits.h"

namespace rill::engine {
namespace {

/// a + b, saturating at UINT64_MAX.
uint64_t add_sat(uint64_t a, uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

/// a * b, saturating at UINT64_MAX.
uint64_t mul_sat(uint64_t a, uint64_t b) { return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b; }

}  // namespace

std::optional<std::string> ResourceAccount::check(uint64_t table_elements,
                                                  uint64_t memory_bytes) const {
  const uint64_t elems = add_sat(table_elements_, table_elements);
  if (elems > limits_.max_table_elements) {
    return "table elements exceed the store's limit: " + std::to_string(elems) +
           " needed (" + std::to_string(table_elements_) + " in use), limit " +
           std::to_string(limits_.max_table_elements);
  }
  const uint64_t bytes =
      add_sat(memory_bytes_, add_sat(memory_bytes, mul_sat(table_elements, kTableElementBytes)));
  if (bytes > limits_.max_memory_bytes) {
    return "memories and tables exceed the store's memory limit: " + std::to_string(bytes) +
           " bytes needed (" + std::to_string(memory_bytes_) + " in use), limit " +
           std::to_string(limits_.max_memory_bytes);
  }
  return std::nullopt;
}

bool ResourceAccount::charge_table(uint64_t n) {
  if (check(n, 0)) return false;
  table_elements_ += n;
  memory_bytes_ += n * kTableElementBytes;
  return true;
}

bool ResourceAccount::charge_memory(uint64_t n) {
  if (check(0, n)) return false;
  memory_bytes_ += n;
  return true;
}

}  // namespace rill::engine
