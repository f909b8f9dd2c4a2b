// Bounded file reading and exception-free JSON parsing for the spec-script runner.
#include "rill/cli/json_util.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace rill::cli {
namespace {

// Deepest bracket nesting outside strings; stops counting once {limit} is passed.
uint32_t max_nesting(std::string_view text, uint32_t limit) {
  uint32_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Result<nlohmann::json> parse_json_text(std::string_view text) {
  if (max_nesting(text, kMaxJsonDepth) > kMaxJsonDepth) {
    return unexpected("malformed JSON: nesting deeper than " + std::to_string(kMaxJsonDepth));
  }
  // allow_exceptions=false: a syntax error yields a "discarded" value instead of throwing.
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return unexpected("malformed JSON");
  return j;
}

Result<std::string> read_file(const std::string& path, uint64_t max_size) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return unexpected("cannot read " + path + ": " + (ec ? ec.message() : "not a regular file"));
  }
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return unexpected("cannot read " + path + ": " + ec.message());
  if (size > max_size) {
    return unexpected("cannot read " + path + ": file larger than " + std::to_string(max_size) + " bytes");
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return unexpected("cannot open " + path);
  std::string data(static_cast<size_t>(size), '\0');
  size_t got = data.empty() ? 0 : std::fread(data.data(), 1, data.size(), f.get());
  if (got != data.size()) return unexpected("cannot read " + path + ": short read");
  return data;
}

Result<nlohmann::json> load_json_file(const std::string& path) {
  auto text = read_file(path, kMaxScriptFileSize);
  if (!text) return text.error();
  auto j = parse_json_text(*text);
  if (!j) return Error{path + ": " + j.error().message};
  return j;
}

}  // namespace rill::cli
