// Per-store resource limits: what the guests of one store can make the host allocate in linear
// memories and tables, counted over every memory and table of the store (instantiated, created
// by the host, grown). Store::set_limits sets them; memories and tables charge their Store's
// ResourceAccount when they are created and when they grow.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "rill/engine/value.h"

namespace rill::engine {

/// Host bytes a table element costs (one reference).
inline constexpr uint64_t kTableElementBytes = sizeof(Ref);

/// Limits of one store.
struct StoreLimits {
  /// Elements of all tables of the store together. The default, 2^22, bounds the host memory
  /// that tables take to 32 MiB; real modules use tens of thousands.
  uint64_t max_table_elements = uint64_t{1} << 22;
  /// Bytes of all linear memories plus all tables (kTableElementBytes per element) of the store.
  /// Unlimited by default (each memory is still bounded by Config::max_memory_pages).
  uint64_t max_memory_bytes = UINT64_MAX;
};

/// What a store has allocated against its limits. Not thread-safe (a Store is used by one
/// thread at a time).
class ResourceAccount {
 public:
  const StoreLimits& limits() const { return limits_; }
  void set_limits(const StoreLimits& limits) { limits_ = limits; }
  uint64_t table_elements() const { return table_elements_; }
  /// Linear memory bytes plus table bytes.
  uint64_t memory_bytes() const { return memory_bytes_; }

  /// Why {table_elements} more table elements and {memory_bytes} more bytes of linear memory
  /// do not fit, or nullopt when they do. Counts nothing.
  std::optional<std::string> check(uint64_t table_elements, uint64_t memory_bytes) const;
  /// Counts {n} more table elements if they fit (table.grow, new tables); false otherwise.
  bool charge_table(uint64_t n);
  /// Counts {n} more bytes of linear memory if they fit (memory.grow, new memories).
  bool charge_memory(uint64_t n);

 private:
  StoreLimits limits_;
  uint64_t table_elements_ = 0;
  uint64_t memory_bytes_ = 0;
};

}  // namespace rill::engine
