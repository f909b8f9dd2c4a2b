// One spec script's execution state (its Store, named modules, registrations, "spectest") and
// the handlers of each command type. Counting, printing and expected failures live in wast_runner.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "rill/cli/spectest_host.h"
#include "rill/engine/engine.h"
#include "rill/engine/runtime.h"
#include "rill/engine/store.h"

namespace rill::cli {

class ComponentWast;

/// How one command went.
struct Outcome {
  /// Counted result of a command.
  enum class Status : uint8_t {
    Pass,    ///< the check held
    Fail,    ///< the check failed; {detail} says how
    Skip,    ///< not run; {detail} is the reason
    Silent,  ///< nothing to check (register, ...): not counted
  };
  Status status = Status::Pass;
  std::string detail;
  std::string warning;  ///< a non-failing remark (e.g. trap message differs)
  /// A note shown only in verbose mode (e.g. a different validation message).
  std::string note;

  static Outcome pass() { return {}; }
  static Outcome fail(std::string d) { return {Status::Fail, std::move(d), {}, {}}; }
  static Outcome skip(std::string d) { return {Status::Skip, std::move(d), {}, {}}; }
  static Outcome silent() { return {Status::Silent, {}, {}, {}}; }
};

class WastScript {
 public:
  /// {dir}: directory of the script, where its .wasm files are. {deadline_ticks}: epoch ticks
  /// each command may run before it is interrupted.
  WastScript(engine::Engine& engine, std::string dir, bool verbose, uint64_t deadline_ticks);
  ~WastScript();
  WastScript(const WastScript&) = delete;
  WastScript& operator=(const WastScript&) = delete;

  /// Run one command object of the script.
  Outcome run(const nlohmann::json& cmd);
  /// Components import the host items of Wasmtime's component wast harness (wasmtime_host.h).
  void set_wasmtime_host(bool on) { wasmtime_host_ = on; }

 private:
  /// A module of the script: compiled, maybe instantiated, or skipped/broken.
  struct ModuleEntry {
    uint64_t line = 0;
    std::shared_ptr<const engine::CompiledModule> compiled;
    engine::Instance* instance = nullptr;
    /// Non-empty when the module was skipped or failed: commands using it are skipped with it.
    std::string skip_reason;
  };
  using EntryPtr = std::shared_ptr<ModuleEntry>;

  /// Imports resolved for instantiation, or why they could not be.
  struct Imports {
    std::vector<engine::Extern> externs;
    std::optional<std::string> skip;  ///< imports from a skipped registered module
    std::optional<Error> link_error;  ///< unknown import
  };

  /// The result of an `invoke` or `get` action.
  struct ActionResult {
    std::optional<Outcome> early;  ///< skip or failure before anything ran
    std::optional<engine::Trap> trap;
    std::vector<wasm::ValType> types;
    std::vector<engine::Value> values;
    std::string what;  ///< "invoke \"f\"" / "get \"g\"" for messages
  };

  /// A compiled module, or the outcome that ends the command (skip or failure).
  struct Compiled {
    std::shared_ptr<const engine::CompiledModule> module;
    std::optional<Outcome> early;
    std::optional<Error> error;  ///< compile error (not unsupported)
  };

  Outcome cmd_module(const nlohmann::json& cmd, uint64_t line);
  Outcome cmd_module_instance(const nlohmann::json& cmd, uint64_t line);
  Outcome cmd_register(const nlohmann::json& cmd);
  Outcome cmd_action(const nlohmann::json& cmd);
  Outcome cmd_assert_return(const nlohmann::json& cmd);
  Outcome cmd_assert_trap(const nlohmann::json& cmd, bool exhaustion);
  Outcome cmd_assert_invalid(const nlohmann::json& cmd, bool malformed);
  Outcome cmd_assert_unlinkable(const nlohmann::json& cmd);
  Outcome cmd_assert_uninstantiable(const nlohmann::json& cmd);

  Compiled compile(const nlohmann::json& cmd);
  Imports resolve_imports(const wasm::Module& m);
  /// Instantiate {compiled}; an Outcome on skip, link error or trap.
  std::optional<Outcome> instantiate(const std::shared_ptr<const engine::CompiledModule>& compiled,
                                     engine::Instance*& out);
  /// The module an action or register names ({name} absent: the current one).
  Result<EntryPtr> find_instance(const nlohmann::json& obj, const char* key);
  ActionResult perform(const nlohmann::json& cmd);
  void arm_deadline();

  engine::Engine& engine_;
  std::string dir_;
  bool verbose_;
  uint64_t deadline_ticks_;
  bool wasmtime_host_ = false;
  engine::Store store_;
  SpectestHost spectest_;
  EntryPtr current_;
  std::map<std::string, EntryPtr, std::less<>> instances_;    ///< by $id
  std::map<std::string, EntryPtr, std::less<>> definitions_;  ///< by $id
  std::map<std::string, EntryPtr, std::less<>> registered_;   ///< by `register` name
  /// Component commands (created by the first one); actions go here once a component was seen.
  std::unique_ptr<ComponentWast> component_;
  bool component_mode_ = false;
};

/// True when {e} reports an unsupported proposal ("unsupported feature: ...").
bool is_unsupported(const Error& e);

}  // namespace rill::cli
