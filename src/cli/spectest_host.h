// The "spectest" module the spec scripts import from (print functions, globals, a table and a
// memory), created lazily in a script's Store. Registered script modules live in wast_runner.
#pragma once

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "rill/base/result.h"
#include "rill/engine/runtime.h"
#include "rill/engine/store.h"

namespace rill::cli {

class SpectestHost {
 public:
  /// {verbose}: the print functions write their arguments to stdout.
  SpectestHost(engine::Store& store, bool verbose) : store_(store), verbose_(verbose) {}

  /// The export {field} ("print_i32", "global_f64", "table", "memory", ...), or nullopt if
  /// there is none. Creates all objects on first use; fails only if the memory can't be made.
  Result<std::optional<engine::Extern>> lookup(std::string_view field);

 private:
  Result<void> create();

  engine::Store& store_;
  bool verbose_;
  bool created_ = false;
  std::optional<Error> create_error_;  ///< why creation failed; reported on every lookup
  std::vector<std::pair<std::string_view, engine::Extern>> exports_;  ///< names are literals
};

}  // namespace rill::cli
