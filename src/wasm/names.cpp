// The "name" custom section: decoding (module and function names) and lookups.
// A malformed name section is ignored, never an error: custom sections cannot fail a module.
#include <algorithm>
#include <vector>

#include "rill/wasm/decode_internal.h"
#include "rill/wasm/module.h"

namespace rill::wasm {
namespace detail {
namespace {

/// Name subsection ids (extended-name-section ids past 1 are skipped).
constexpr uint8_t kModuleNameId = 0;
constexpr uint8_t kFunctionNamesId = 1;

Result<void> read_name_map(Reader& r, const DecodeLimits& limits, Names& out) {
  RILL_TRY(const uint32_t n, read_count(r, limits.max_functions, "function names"));
  out.functions.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(const uint32_t idx, r.u32());
    RILL_TRY(const std::string_view name, r.name());
    out.functions.emplace_back(idx, std::string(name));
  }
  return {};
}

Result<void> read_names(Reader& r, const DecodeLimits& limits, Names& out) {
  while (!r.at_end()) {
    RILL_TRY(const uint8_t id, r.u8());
    RILL_TRY(const uint32_t size, r.u32());
    const uint64_t start = r.offset();
    RILL_TRY(const auto payload, r.bytes(size));
    Reader sub(payload, start);
    if (id == kModuleNameId) {
      RILL_TRY(const std::string_view name, sub.name());
      out.module = name;
    } else if (id == kFunctionNamesId) {
      RILL_CHECK_OK(read_name_map(sub, limits, out));
    } else {
      continue;
    }
    if (!sub.at_end()) return Error{"section size mismatch", sub.offset()};
  }
  return {};
}

}  // namespace

void decode_name_section(std::span<const uint8_t> payload, uint64_t base,
                         const DecodeLimits& limits, Names& out) {
  out = Names{};
  Reader r(payload, base);
  if (!read_names(r, limits, out)) {
    out = Names{};
    return;
  }
  // The spec requires increasing indices; tolerate disorder but keep lookups well-defined.
  // (Not std::stable_sort: with libstdc++ 12 it trips clang's C++20 deprecation warnings.)
  auto& fns = out.functions;
  if (!std::is_sorted(fns.begin(), fns.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; })) {
    // Sort by (index, position) so the first of duplicate entries wins, as a stable sort would.
    std::vector<size_t> order(fns.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&fns](size_t a, size_t b) {
      return fns[a].first != fns[b].first ? fns[a].first < fns[b].first : a < b;
    });
    std::vector<std::pair<uint32_t, std::string>> sorted;
    sorted.reserve(fns.size());
    for (size_t i : order) sorted.push_back(std::move(fns[i]));
    fns = std::move(sorted);
  }
  fns.erase(std::unique(fns.begin(), fns.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            fns.end());
}

}  // namespace detail

std::string_view Names::function(uint32_t f) const {
  auto it = std::lower_bound(functions.begin(), functions.end(), f,
                             [](const auto& entry, uint32_t idx) { return entry.first < idx; });
  if (it == functions.end() || it->first != f) return {};
  return it->second;
}

}  // namespace rill::wasm
