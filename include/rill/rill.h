// Rill's public C++ embedding API: Engine, Module, Store, Instance and Linker.
// Errors are values (rill::Result<T> with message and byte offset; TrapOr<T> for calls); nothing
// here throws. Engine internals stay behind pimpl pointers; see examples/embed_fib.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rill/base/result.h"
#include "rill/extern.h"
#include "rill/typed.h"
#include "rill/val.h"

namespace rill::engine {
struct Instance;
}  // namespace rill::engine

namespace rill {

namespace detail {
struct EngineImpl;
struct ModuleImpl;
}  // namespace detail

/// Engine-wide settings.
struct Config {
  /// Interpreter value stack per store, in 8-byte slots.
  uint32_t max_stack_slots = 1u << 20;
  /// Maximum wasm call depth before a StackExhausted trap.
  uint32_t max_call_depth = 50'000;
  /// Maximum nesting of host -> wasm re-entry.
  uint32_t max_host_reentry = 200;
  /// Host memory one component call may allocate for the values it lifts out of a component
  /// (string bytes, list buffers, one Value per element of other lists, record fields): a
  /// call over it traps, so no guest makes the host allocate without bound (32 MiB).
  uint64_t max_lift_bytes = uint64_t{32} << 20;
  /// Live handles (resources, and later waitables, streams, ...) one component instance may
  /// hold; definitions.py allows 2^28 - 1, which a looping guest would make cost the host
  /// 12 GiB. Past it, resource.new and lowering an own/borrow trap "table is full". The
  /// default, 2^19 - 1, keeps a full table (and its last growth) under 40 MiB.
  uint64_t max_component_handles = (uint64_t{1} << 19) - 1;
  /// Component-model threads (tasks waiting on fibers, threads from thread.new-indirect) one
  /// store may have alive at once. A guest starting calls that never end would otherwise pile
  /// up fiber stacks (about 18 KiB of RSS each, 1 MiB reserved); past it, starting another
  /// traps "cannot create a thread". The default keeps the worst case near 200 MiB.
  uint64_t max_component_threads = 10000;
  /// Upper bound on any linear memory's size, in pages: declared maxima above it are lowered to it
  /// (memory.grow past it returns -1) and a module or memory whose minimum exceeds it is refused.
  uint64_t max_memory_pages = 65536;
};

/// What the guests of one Store may make the host allocate, over all its linear memories and
/// tables (instantiated by modules or components, created with create_memory/create_table, and
/// grown). memory.grow and table.grow past a limit fail (the guest sees -1); an instantiation
/// or create_* whose initial sizes do not fit is an Error.
struct StoreLimits {
  /// Elements of all tables together (default 2^22: 32 MiB of references).
  uint64_t max_table_elements = uint64_t{1} << 22;
  /// Bytes of all linear memories plus all tables (8 bytes per table element). Default: none
  /// beyond Config::max_memory_pages per memory.
  uint64_t max_memory_bytes = UINT64_MAX;
};

/// Compiles modules and drives epoch interruption. A cheap, copyable handle; copies share state.
class Engine {
 public:
  Engine();
  explicit Engine(const Config& config);

  const Config& config() const;
  /// Advance the epoch (from any thread); stores past their deadline trap with Interrupted.
  void increment_epoch() const;

 private:
  friend struct detail::Access;
  std::shared_ptr<detail::EngineImpl> impl_;
};

/// A compiled module: immutable, shareable across stores of its engine and across threads.
/// A default-constructed Module is empty: it has no imports or exports and cannot be instantiated.
class Module {
 public:
  /// Decode, validate and translate {bytes}; the Error carries the byte offset of the problem.
  static Result<Module> compile(const Engine& engine, std::span<const uint8_t> bytes);
  /// Read and compile the file at {path}.
  static Result<Module> compile_file(const Engine& engine, const std::string& path);
  /// Decode and validate only.
  static Result<void> validate(const Engine& engine, std::span<const uint8_t> bytes);

  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;

 private:
  friend struct detail::Access;
  std::shared_ptr<const detail::ModuleImpl> impl_;
};

/// Owns every runtime object (instances, functions, memories, tables, globals). Used by one
/// thread at a time; handles into it are valid while it lives. Movable.
class Store {
 public:
  explicit Store(const Engine& engine);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;

  /// Trap with Interrupted once the engine's epoch advances {ticks} past its current value.
  /// UINT64_MAX (the default) disables the deadline. A running guest sees a new deadline at its
  /// next entry and whenever a host function it called returns (so one set by that host function,
  /// or while the guest was suspended in it, applies from there on).
  void set_epoch_deadline(uint64_t ticks);

  /// Limits on all memories and tables of this store, existing and future. Set them before
  /// instantiating; lowering them below what is allocated makes further growth fail.
  void set_limits(const StoreLimits& limits);
  StoreLimits limits() const;

  /// Embedder data for host functions that serve many stores (one linker for every instance,
  /// e.g. one WASI context per request): set it on each store, read it in a host function with
  /// caller_data(). The store keeps {data} alive.
  void set_data(std::shared_ptr<void> data);
  /// The data set on the store whose guest made the host call running now (on this thread, or
  /// on this fiber when the call was suspended and resumed), or null outside a host call or
  /// when that store has none.
  static void* caller_data();

  Result<Memory> create_memory(const MemoryType& type);
  Result<Global> create_global(const GlobalType& type, const Val& init);
  Result<Table> create_table(const TableType& type, const Val& init);

 private:
  friend struct detail::Access;
  std::unique_ptr<detail::StoreImpl> impl_;
};

/// An instantiated module. A handle into its Store.
class Instance {
 public:
  /// Instantiate {module} with {imports} given in the module's import order (see Linker for
  /// by-name linking). Link errors and a trapping start function are Errors.
  static Result<Instance> create(Store& store,
                                 const Module& module,
                                 std::span<const Extern> imports);

  std::optional<Extern> get_export(std::string_view name) const;
  std::optional<Func> func(std::string_view name) const;
  /// The exported function {name} with static signature {Sig}, e.g. func<int32_t(int32_t)>("fib").
  template <class Sig>
  Result<TypedFunc<Sig>> func(std::string_view name) const {
    auto f = func(name);
    if (!f)
      return Error{"unknown export: function \"" + std::string(name) + "\""};
    return f->typed<Sig>();
  }
  std::optional<Memory> memory(std::string_view name) const;
  std::optional<Table> table(std::string_view name) const;
  std::optional<Global> global(std::string_view name) const;
  std::vector<ExportType> exports() const;

 private:
  friend struct detail::Access;
  Instance(detail::StoreImpl* s, engine::Instance* i) : store_(s), inst_(i) {}

  detail::StoreImpl* store_ = nullptr;
  engine::Instance* inst_ = nullptr;
};

/// Resolves imports by (module, name). Host functions are store-independent definitions, made
/// concrete in each store on first use; memories, tables, globals and instance exports belong to
/// the store they were created in. A later definition of the same name replaces an earlier one.
class Linker {
 public:
  /// Define a host function whose wasm type is deduced from the C++ callable {f}:
  /// `linker.func("env", "add", [](int32_t a, int32_t b) -> int32_t { return a + b; });`
  template <class F>
  Linker& func(std::string_view module, std::string_view name, F&& f) {
    return define_host(module, name, detail::make_typed_host(std::forward<F>(f)));
  }
  /// Define a host function with an explicit {type}.
  Linker& func_raw(std::string_view module, std::string_view name, FuncType type, HostCallback cb);
  /// Define {module}::{name} as {ext}.
  Linker& define(std::string_view module, std::string_view name, const Extern& ext);
  /// Define every export of {instance} under {module}.
  Linker& define_instance(std::string_view module, const Instance& instance);
  /// Define a stand-in for every import of {module} not yet defined: host functions returning
  /// zeros, and fresh memories, tables and globals (zero-valued) of the imported types in {store}.
  Result<void> define_stubs(Store& store, const Module& module);

  /// The definition of {module}::{name} as seen from {store}, if any.
  std::optional<Extern> get(Store& store, std::string_view module, std::string_view name) const;
  /// Resolve every import of {module} and instantiate it in {store}. A missing import is an Error
  /// "unknown import: module::name (kind type)".
  Result<Instance> instantiate(Store& store, const Module& module) const;

 private:
  using Entry = std::variant<std::shared_ptr<const detail::HostDef>, Extern>;
  Linker& define_host(std::string_view module,
                      std::string_view name,
                      std::shared_ptr<const detail::HostDef> def);

  std::map<std::pair<std::string, std::string>, Entry> defs_;
};

}  // namespace rill
