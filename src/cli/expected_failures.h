// The expected-failures list of the spec runner: lines "script.json:LINE reason" naming known
// failures, so a run stays green until they are fixed (and fails once one unexpectedly passes).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "rill/base/result.h"

namespace rill::cli {

class ExpectedFailures {
 public:
  /// Parse the list; '#' starts a comment, blank lines are ignored.
  static Result<ExpectedFailures> parse(std::string_view text);
  /// Read and parse the file {path}.
  static Result<ExpectedFailures> load(const std::string& path);

  /// The reason recorded for {script} (a file name; directories are ignored) at {line}, or null.
  const std::string* find(std::string_view script, uint64_t line) const;
  /// All entries of {script}: line -> reason.
  const std::map<uint64_t, std::string>* entries_for(std::string_view script) const;
  size_t size() const { return count_; }

 private:
  std::map<std::string, std::map<uint64_t, std::string>, std::less<>> entries_;
  size_t count_ = 0;
};

/// The file-name part of {path} ("dir/a.json" -> "a.json").
std::string_view base_name(std::string_view path);

}  // namespace rill::cli
