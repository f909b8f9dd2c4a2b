// Store: owns every runtime object (functions, memories, tables, globals, instances) and the
// interpreter's execution states: one for calls on the thread's own stack, and a pool leased to
// fibers (engine/fiber.h), one per fiber with a call of this store active on it. A Store is used
// by one thread at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "rill/engine/engine.h"
#include "rill/engine/fiber.h"
#include "rill/engine/runtime.h"

namespace rill::engine {

struct ExecState;  // interpreter stacks (engine/interp), created on first call

/// State a higher layer keeps per store (the component runtime's scheduler). The store destroys
/// it first, while its functions and memories still exist.
struct StoreExtension {
  virtual ~StoreExtension() = default;
};

class Store {
 public:
  explicit Store(Engine& engine);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Engine& engine() const { return *engine_; }

  StoreExtension* extension() const { return extension_.get(); }
  void set_extension(std::unique_ptr<StoreExtension> e) { extension_ = std::move(e); }

  Function* create_host_function(wasm::FuncType type, HostFunc fn);
  /// A memory or table of this store; an Error when its type is refused or its initial size
  /// does not fit in the store's limits.
  Result<Memory*> create_memory(const wasm::MemoryType& type);
  Result<Table*> create_table(const wasm::TableType& type, Ref init);
  Global* create_global(const wasm::GlobalType& type, const Value& init);

  /// Link {imports} (in the module's import order), allocate, initialise segments and run start.
  InstantiateResult instantiate(std::shared_ptr<const CompiledModule> module, std::span<const Extern> imports);

  /// Call {fn} with {args} (types checked against its signature; a mismatch is a HostError trap).
  /// On success fills {results} and returns nullopt.
  [[nodiscard]] std::optional<Trap> call(Function* fn, std::span<const Value> args, std::vector<Value>& results);

  /// Trap with Interrupted once Engine::epoch() reaches now + {ticks}. UINT64_MAX disables it.
  /// The interpreter reads it at every entry and again after every host call returns (where a
  /// guest suspended on a fiber resumes): the deadline is re-armed on every resume.
  void set_epoch_deadline(uint64_t ticks);
  uint64_t epoch_deadline() const { return epoch_deadline_; }

  /// Limits on all memories and tables of this store (limits.h). Lowering them below what is
  /// already allocated makes further growth fail; nothing is freed.
  void set_limits(const StoreLimits& limits) { account_.set_limits(limits); }
  const StoreLimits& limits() const { return account_.limits(); }
  /// What the store's memories and tables take against its limits.
  const ResourceAccount& account() const { return account_; }

  /// Interpreter state of the running stack: on the thread's own stack the store's own one
  /// (created on first use); on a fiber the one leased to that fiber, taken from the pool on
  /// the fiber's first use. Calls on one stack nest (LIFO), calls on different fibers may be
  /// suspended and resumed in any order.
  ExecState& exec() {
    if (Fiber::current() != nullptr || !exec_) [[unlikely]] return exec_slow();
    return *exec_;
  }
  /// Ends the lease of {es} to its fiber (a no-op for the store's own state) once no call is
  /// active on it; it goes back to the pool.
  void release_exec(ExecState& es);
  /// Execution states created for fibers (leased or pooled); for tests.
  size_t fiber_exec_count() const { return fiber_execs_.size(); }

  /// Embedder data that host functions shared by many stores find through their caller
  /// (host_caller()): e.g. one request's WASI context when one linker serves every request.
  void set_host_data(std::shared_ptr<void> data) { host_data_ = std::move(data); }
  void* host_data() const { return host_data_.get(); }
  /// The store whose guest made the host call running on this stack (thread or fiber), or null
  /// outside a host call. Set by invoke_host for the call's duration; a fiber keeps its own.
  static Store* host_caller() { return detail::tl_host_caller; }

 private:
  Engine* engine_;
  uint64_t epoch_deadline_ = UINT64_MAX;
  std::shared_ptr<void> host_data_;
  ResourceAccount account_;  ///< before the objects that point at it
  std::unique_ptr<StoreExtension> extension_;
  std::deque<std::unique_ptr<Function>> funcs_;
  std::deque<std::unique_ptr<Memory>> memories_;
  std::deque<std::unique_ptr<Table>> tables_;
  std::deque<std::unique_ptr<Global>> globals_;
  std::deque<std::unique_ptr<Instance>> instances_;
  using ExecPtr = std::unique_ptr<ExecState, void (*)(ExecState*)>;
  ExecPtr exec_{nullptr, nullptr};
  std::vector<ExecPtr> fiber_execs_;   ///< every state created for fibers
  std::vector<ExecState*> free_execs_;  ///< those not leased now

  ExecState& exec_slow();
  ExecState& fiber_exec(Fiber& fiber);

  friend class Instantiator;
};

}  // namespace rill::engine
