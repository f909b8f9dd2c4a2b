// The "component-name" custom section (Binary.md "Name Section"): the component's own name and a
// name map per sort. Never an error: a malformed section leaves the names empty, as the spec
// asks engines not to reject components over it.
#include <algorithm>
#include <string>
#include <utility>

#include "rill/component/decode_internal.h"

namespace rill::component {

std::string_view ComponentNames::name(Sort sort, uint32_t index) const {
  for (const SortNames& s : sorts) {
    if (!(s.sort == sort)) continue;
    auto it = std::lower_bound(s.names.begin(), s.names.end(), index,
                               [](const auto& entry, uint32_t i) { return entry.first < i; });
    if (it != s.names.end() && it->first == index) return it->second;
  }
  return {};
}

namespace detail {
namespace {

constexpr uint8_t kComponentNameSubsection = 0;
constexpr uint8_t kSortNamesSubsection = 1;

Result<ComponentNames::SortNames> read_sort_names(Reader& r) {
  ComponentNames::SortNames s;
  RILL_TRY(s.sort, read_sort(r));
  RILL_TRY(const uint32_t n, read_count(r, kMaxSectionItems, "names"));
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(const uint32_t index, r.u32());
    RILL_TRY(std::string name, read_string(r));
    s.names.emplace_back(index, std::move(name));
  }
  std::sort(s.names.begin(), s.names.end());
  return s;
}

Result<void> read_names(Reader& r, ComponentNames& out) {
  bool seen_sorts = false;
  while (!r.at_end()) {
    const uint64_t at = r.offset();
    RILL_TRY(const uint8_t id, r.u8());
    RILL_TRY(const uint32_t size, r.u32());
    RILL_TRY(const auto payload, r.bytes(size));
    Reader sub(payload, r.offset() - size);
    if (id == kComponentNameSubsection) {
      // The component's name comes first, at most once.
      if (seen_sorts || !out.component.empty()) return Error{"out-of-order name subsection", at};
      RILL_TRY(out.component, read_string(sub));
    } else if (id == kSortNamesSubsection) {
      seen_sorts = true;
      RILL_TRY(auto sort_names, read_sort_names(sub));
      out.sorts.push_back(std::move(sort_names));
    } else {
      continue;  // an unknown subsection: skipped, as core wasm skips them
    }
    if (!sub.at_end()) return Error{"name subsection size mismatch", sub.offset()};
  }
  return {};
}

}  // namespace

void decode_name_section(Reader r, ComponentNames& out) {
  if (!read_names(r, out)) out = ComponentNames{};
}

}  // namespace detail
}  // namespace rill::component
