// Parsing and lookup of tests/spec/expected_failures.txt-style lists.
#include "rill/cli/expected_failures.h"

#include <charconv>

#include "rill/cli/json_util.h"

namespace rill::cli {
namespace {

/// Largest expected-failures file we read.
constexpr uint64_t kMaxListFileSize = uint64_t{16} << 20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view base_name(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

Result<ExpectedFailures> ExpectedFailures::parse(std::string_view text) {
  ExpectedFailures list;
  uint64_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto bad = [&](const char* why) {
      return Error{"line " + std::to_string(line_no) + ": " + why + " (want \"script.json:LINE reason\")"};
    };
    size_t sep = line.find_first_of(" \t");
    std::string_view key = line.substr(0, sep);
    std::string_view reason = sep == std::string_view::npos ? std::string_view() : trim(line.substr(sep));
    size_t colon = key.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return bad("missing script name or line");
    std::string_view num = key.substr(colon + 1);
    uint64_t script_line = 0;
    auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), script_line);
    if (num.empty() || ec != std::errc() || ptr != num.data() + num.size() || script_line == 0) {
      return bad("bad line number");
    }
    if (reason.empty()) return bad("missing reason");
    auto& lines = list.entries_[std::string(base_name(key.substr(0, colon)))];
    if (!lines.emplace(script_line, std::string(reason)).second) return bad("duplicate entry");
    ++list.count_;
  }
  return list;
}

Result<ExpectedFailures> ExpectedFailures::load(const std::string& path) {
  auto text = read_file(path, kMaxListFileSize);
  if (!text) return text.error();
  auto list = parse(*text);
  if (!list) return Error{path + ": " + list.error().message};
  return list;
}

const std::string* ExpectedFailures::find(std::string_view script, uint64_t line) const {
  const auto* lines = entries_for(script);
  if (!lines) return nullptr;
  auto it = lines->find(line);
  return it == lines->end() ? nullptr : &it->second;
}

const std::map<uint64_t, std::string>* ExpectedFailures::entries_for(std::string_view script) const {
  auto it = entries_.find(base_name(script));
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace rill::cli
