// The component half of `rill wast`: component modules, `component_instance`, and actions and
// assertions on component exports with component-model values (shared/testsuite/SOURCES.md,
// "Component values"). WastScript hands every component command here.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "rill/cli/wasmtime_host.h"
#include "rill/cli/wast_script.h"
#include "rill/component/rt/linker.h"
#include "rill/engine/engine.h"
#include "rill/engine/store.h"

namespace rill::cli {

class ComponentWast {
 public:
  /// {wasmtime_host}: components import the host items of Wasmtime's harness (wasmtime_host.h).
  ComponentWast(engine::Engine& engine, std::string dir, uint64_t deadline_ticks,
                bool wasmtime_host = false);
  ~ComponentWast();

  Outcome run(const nlohmann::json& cmd);

 private:
  struct Entry {
    std::shared_ptr<const component::rt::CompiledComponent> compiled;
    std::shared_ptr<component::rt::InstanceRt> instance;
    std::string skip_reason;
  };
  using EntryPtr = std::shared_ptr<Entry>;

  /// The bytes of the command's "filename" (a plain name in the script's directory).
  Result<std::string> read_wasm(const nlohmann::json& cmd) const;
  Result<std::shared_ptr<const component::rt::CompiledComponent>> compile(const nlohmann::json& cmd,
                                                                          std::optional<Outcome>& early);
  /// Instantiates into {e}; a trap or link error is returned as an Error (trap: {trapped}).
  Result<void> instantiate(Entry& e, bool& trapped);
  /// Instantiates {e} for a `module` or `component_instance` command.
  Outcome instantiate_entry(Entry& e);
  /// A command on {e}, which has no instance: skipped after a refused proposal, else failed.
  static Outcome not_instantiated(const Entry& e);
  Outcome cmd_module(const nlohmann::json& cmd);
  Outcome cmd_instance(const nlohmann::json& cmd);
  Outcome cmd_invalid(const nlohmann::json& cmd, bool malformed);
  Outcome cmd_uninstantiable(const nlohmann::json& cmd, bool unlinkable);
  Outcome cmd_action(const nlohmann::json& cmd, const nlohmann::json* expected, bool expect_trap);

  engine::Engine& engine_;
  std::string dir_;
  uint64_t deadline_ticks_;
  engine::Store store_;
  std::vector<std::unique_ptr<component::rt::ComponentInstanceRt>> roots_;
  bool wasmtime_host_;
  std::shared_ptr<WasmtimeHostDrops> drops_;
  std::optional<component::rt::ImportMap> imports_;  ///< made on first use
  EntryPtr current_;
  std::map<std::string, EntryPtr, std::less<>> named_;
};

}  // namespace rill::cli
