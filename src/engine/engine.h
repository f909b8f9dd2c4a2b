// Engine: configuration, the canonical function-type registry, the epoch counter, and compile().
// A CompiledModule is immutable and shared; instantiate it many times in one or many Stores.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "rill/base/result.h"
#include "rill/engine/runtime.h"
#include "rill/wasm/module.h"

namespace rill::engine {

struct Config {
  /// Interpreter value stack per store, in 8-byte slots (8 MiB by default).
  uint32_t max_stack_slots = 1u << 20;
  /// Maximum wasm call depth before StackExhausted.
  uint32_t max_call_depth = 50'000;
  /// Maximum nesting of host -> wasm re-entry (each level uses native stack).
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
};

/// Translated code for one module; produced by Engine::compile.
struct CompiledModule {
  std::shared_ptr<const wasm::Module> module;
  /// Defined functions, in order. After compile_validated, each starts as a placeholder (its
  /// code one LazyCompile cell, its frame the parameters and results) until translate() runs.
  std::vector<std::unique_ptr<CompiledFunc>> funcs;
  std::vector<uint32_t> type_ids;                    ///< canonical id of each module type
  struct Lazy;
  std::unique_ptr<Lazy> lazy;  ///< compile_validated's translations; null when eager
  ~CompiledModule();

  /// The translated code of defined function {i}: funcs[i] when eager, else translated on the
  /// first call from any thread (once). Null, with {error} set, if translation fails.
  const CompiledFunc* translate(uint32_t i, std::string* error) const;
};

class Engine {
 public:
  explicit Engine(Config config = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const Config& config() const { return config_; }

  /// Decode, validate and translate {bytes}. Errors carry the byte offset.
  Result<std::shared_ptr<const CompiledModule>> compile(std::span<const uint8_t> bytes);
  /// Validate and translate an already-decoded module.
  Result<std::shared_ptr<const CompiledModule>> compile(std::shared_ptr<const wasm::Module> module);
  /// A module the caller has already validated in full (wasm::validate_module): its function
  /// bodies are translated lazily, each on its first call, so a program pays only for the code
  /// it runs (the component validator validates every core module, so components use this).
  Result<std::shared_ptr<const CompiledModule>> compile_validated(std::shared_ptr<const wasm::Module> module);

  /// Canonical id of a function type: equal types get equal ids. Thread-safe.
  uint32_t intern_type(const wasm::FuncType& type);

  /// Advance the epoch; stores whose deadline is reached trap with Interrupted at the next
  /// loop header or function entry. Safe from any thread.
  void increment_epoch() { epoch_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t epoch() const { return epoch_.load(std::memory_order_relaxed); }
  const std::atomic<uint64_t>* epoch_counter() const { return &epoch_; }

 private:
  Config config_;
  std::atomic<uint64_t> epoch_{0};
  std::mutex types_mutex_;
  std::map<std::string, uint32_t> type_ids_;  ///< key: params and results encoded as type bytes
};

}  // namespace rill::engine
