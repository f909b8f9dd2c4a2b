// Runtime objects owned by a Store: functions, linear memories, tables, globals and instances.
// Instances point at these objects directly; all of them live as long as their Store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "rill/base/result.h"
#include "rill/engine/limits.h"
#include "rill/engine/trap.h"
#include "rill/engine/value.h"
#include "rill/wasm/module.h"

namespace rill::engine {

class Store;
struct Instance;
struct CompiledModule;
struct CompiledFunc;  // the interpreter's translated code (engine/interp)
class Memory;

/// What a host function sees of its caller.
struct Caller {
  Store& store;
  Instance* instance = nullptr;  ///< the calling wasm instance, or null when called from the host
  /// The caller's memory {idx}, or null.
  Memory* memory(uint32_t idx = 0) const;
};

/// A host function: reads {args}, writes exactly as many {results} as its type has.
/// Returns a Trap to abort the calling wasm computation.
using HostFunc =
    std::function<std::optional<Trap>(Caller&, std::span<const Value> args, std::span<Value> results)>;

/// Calls host function {fn}. A host function that runs out of memory on a guest's behalf
/// (std::bad_alloc, std::length_error) traps instead of unwinding into the interpreter.
std::optional<Trap> invoke_host(const HostFunc& fn, Caller& caller, std::span<const Value> args,
                                std::span<Value> results) noexcept;

/// A function instance: either wasm code of an instance or a host callback.
struct Function {
  const wasm::FuncType* type = nullptr;  ///< points into the module or at {host_type}
  uint32_t type_id = 0;                  ///< canonical id (Engine::intern_type) for call_indirect
  Instance* instance = nullptr;          ///< defining instance (wasm functions)
  uint32_t func_index = 0;               ///< index in the defining module's function space
  const CompiledFunc* code = nullptr;    ///< wasm functions
  HostFunc host;                         ///< host functions
  wasm::FuncType host_type;              ///< storage for a host function's type

  bool is_host() const { return code == nullptr; }
};

/// A 32-bit linear memory: a virtual reservation of kReservation bytes, of which [0, size) is
/// read/write and the rest is inaccessible, so any 32-bit address plus 32-bit offset that is out of
/// bounds faults and the fault handler turns it into a MemoryOutOfBounds trap.
class Memory {
 public:
  /// 4 GiB addressable + 4 GiB guard covers every u32 address + u32 offset (+ access width).
  static constexpr uint64_t kReservation = uint64_t{8} << 30;

  static Result<std::unique_ptr<Memory>> create(const wasm::MemoryType& type);
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  uint8_t* base() const { return base_; }
  uint64_t size_bytes() const { return pages_ * wasm::kPageSize; }
  uint64_t pages() const { return pages_; }
  /// Current type for import matching (min = current size).
  wasm::MemoryType type() const;
  /// memory.grow: the old size in pages, or -1 on failure (past max, past the store's limits
  /// or out of host memory).
  int64_t grow(uint64_t delta_pages);
  /// The store account that growth is charged to (null: none).
  void set_account(ResourceAccount* account) { account_ = account; }
  /// Bounds-checked host access; false when [offset, offset+len) is out of bounds.
  bool read(uint64_t offset, void* out, uint64_t len) const;
  bool write(uint64_t offset, const void* in, uint64_t len);

 private:
  Memory() = default;
  uint8_t* base_ = nullptr;
  uint64_t pages_ = 0;
  std::optional<uint64_t> max_pages_;
  ResourceAccount* account_ = nullptr;
};

class Table {
 public:
  /// {account}: the store account that growth is charged to (null: none); the caller charges
  /// the initial size.
  Table(const wasm::TableType& type, Ref init, ResourceAccount* account = nullptr);
  uint32_t size() const { return static_cast<uint32_t>(elems_.size()); }
  Ref* data() { return elems_.data(); }
  /// Current type for import matching (min = current size).
  wasm::TableType type() const;
  wasm::ValType elem_type() const { return type_.elem; }
  /// table.grow: the old size, or -1 on failure (past max, kMaxTableSize or the store's limits).
  int64_t grow(uint32_t delta, Ref init);
  std::vector<Ref>& elems() { return elems_; }

 private:
  wasm::TableType type_;
  std::vector<Ref> elems_;
  ResourceAccount* account_ = nullptr;
};

struct Global {
  wasm::GlobalType type;
  alignas(16) Slot value[2] = {0, 0};  ///< v128 uses both slots
};

/// Anything an import can be satisfied with or an export can name.
using Extern = std::variant<Function*, Table*, Memory*, Global*>;

/// A module instance. Index spaces hold imports first, as in the module.
struct Instance {
  std::shared_ptr<const CompiledModule> compiled;
  const wasm::Module* module = nullptr;
  std::vector<Function*> funcs;
  std::vector<Table*> tables;
  std::vector<Memory*> memories;
  std::vector<Global*> globals;
  std::vector<std::vector<Ref>> elems;  ///< element segments' values; emptied by elem.drop
  std::vector<uint8_t> data_dropped;    ///< 1 once data.drop ran (or after active init)
  const uint32_t* type_ids = nullptr;   ///< canonical id of each module type (CompiledModule)
  Memory* mem0 = nullptr;               ///< memories[0] or null, for the interpreter's fast path

  /// The export named {name}, if any.
  std::optional<Extern> get_export(std::string_view name) const;
};

/// Result of instantiation: a link error (unknown or incompatible import), a trap during
/// initialisation (segment out of bounds or start function), or the instance.
struct InstantiateResult {
  Instance* instance = nullptr;     ///< set on success; also set when the start function trapped
  std::optional<Error> link_error;  ///< "unknown import", "incompatible import type", ...
  std::optional<Trap> trap;
};

}  // namespace rill::engine
