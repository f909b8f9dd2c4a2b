// Non-throwing accessors over nlohmann::json for reading untrusted script files, and a loader
// that refuses oversized or too deeply nested documents before parsing them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "rill/base/result.h"

namespace rill::cli {

/// Largest script JSON we read (the biggest core script is ~2.5 MiB).
inline constexpr uint64_t kMaxScriptFileSize = uint64_t{256} << 20;
/// Deepest array/object nesting accepted (scripts nest at most ~6 levels).
inline constexpr uint32_t kMaxJsonDepth = 64;

/// {obj}[{key}] or null when {obj} is not an object or has no such member.
inline const nlohmann::json* member(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

/// {obj}[{key}] as a string, or nullopt when missing or not a string.
inline std::optional<std::string_view> string_member(const nlohmann::json& obj, const char* key) {
  const nlohmann::json* m = member(obj, key);
  if (!m) return std::nullopt;
  const auto* s = m->get_ptr<const std::string*>();
  if (!s) return std::nullopt;
  return std::string_view(*s);
}

/// {obj}[{key}] as a bool; {fallback} when missing, nullopt when present with another type.
inline std::optional<bool> bool_member(const nlohmann::json& obj, const char* key, bool fallback) {
  const nlohmann::json* m = member(obj, key);
  if (!m) return fallback;
  const auto* b = m->get_ptr<const bool*>();
  if (!b) return std::nullopt;
  return *b;
}

/// {obj}[{key}] as a non-negative integer (line numbers), or nullopt.
inline std::optional<uint64_t> uint_member(const nlohmann::json& obj, const char* key) {
  const nlohmann::json* m = member(obj, key);
  if (!m) return std::nullopt;
  if (const auto* u = m->get_ptr<const uint64_t*>()) return *u;
  if (const auto* i = m->get_ptr<const int64_t*>(); i && *i >= 0) return static_cast<uint64_t>(*i);
  return std::nullopt;
}

/// Parse {text} as JSON without exceptions; errors say what was wrong.
Result<nlohmann::json> parse_json_text(std::string_view text);

/// Read and parse the JSON file {path} (size-checked).
Result<nlohmann::json> load_json_file(const std::string& path);

/// Read a whole binary file of at most {max_size} bytes.
Result<std::string> read_file(const std::string& path, uint64_t max_size);

}  // namespace rill::cli
