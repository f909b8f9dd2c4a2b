// Tables: a vector of references that grows within its maximum, the engine's size cap and the
// store's limits.
#include <algorithm>

#include "rill/engine/runtime.h"

namespace rill::engine {

Table::Table(const wasm::TableType& type, Ref init, ResourceAccount* account)
    : type_(type), account_(account) {
  // Callers check the minimum against kMaxTableSize first (instantiate(), create_table());
  // the clamp only keeps a missed check from allocating without bound.
  elems_.assign(static_cast<size_t>(std::min<uint64_t>(type.limits.min, wasm::kMaxTableSize)),
                init);
}

wasm::TableType Table::type() const {
  wasm::TableType t = type_;
  t.limits.min = elems_.size();
  return t;
}

int64_t Table::grow(uint32_t delta, Ref init) {
  const uint64_t old = elems_.size();
  uint64_t limit = wasm::kMaxTableSize;
  if (type_.limits.max) limit = std::min<uint64_t>(limit, *type_.limits.max);
  if (old + delta > limit) return -1;
  if (account_ && !account_->charge_table(delta)) return -1;
  elems_.resize(static_cast<size_t>(old + delta), init);
  return static_cast<int64_t>(old);
}

}  // namespace rill::engine
