// Component instances at run time (definitions.py "Component Instances", "Table State",
// "Resource State"): the handle table, the may_enter/may_leave flags, component functions
// (lifted core functions and host functions) and the per-call state that borrow scopes need.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "rill/component/rt/rtype.h"
#include "rill/component/rt/traps.h"
#include "rill/component_val.h"
#include "rill/engine/runtime.h"
#include "rill/engine/store.h"
#include "rill/engine/trap.h"

namespace rill::component::rt {

/// Component-model values (the definition struct component::Value is a 🪙 value definition).
using Value = ::rill::Value;
using engine::Trap;
using MaybeTrap = std::optional<Trap>;

struct Task;
struct Thread;

/// One resource handle (definitions.py ResourceHandle).
struct HandleEntry {
  std::shared_ptr<const ResourceTypeRt> rt;
  uint32_t rep = 0;
  bool own = false;
  Task* borrow_scope = nullptr;  ///< borrows: the call they were lent to
  uint32_t num_lends = 0;
};

/// What a handle-table slot holds besides resources (definitions.py: Waitable, WaitableSet,
/// ErrorContext); the concrete types are in task.h and stream.h.
enum class HandleKind : uint8_t {
  Free,
  Resource,
  Subtask,
  StreamReadable,
  StreamWritable,
  FutureReadable,
  FutureWritable,
  WaitableSet,
  ErrorContext,
};
const char* to_string(HandleKind k);
struct TableObject {
  virtual ~TableObject() = default;
};

/// definitions.py Table: index 0 is never used; freed slots are reused last-in first-out.
/// One table per instance holds resources, waitables, waitable sets and error contexts.
class HandleTable {
 public:
  static constexpr uint32_t kMaxLength = (1u << 28) - 1;
  HandleTable() = default;
  HandleTable(const HandleTable&) = delete;
  HandleTable& operator=(const HandleTable&) = delete;
  /// Empties the slots first and destroys the objects after, so an object whose destructor
  /// looks at the table (a subtask giving back lent handles) finds it whole.
  ~HandleTable();
  /// The live resource handle {i}, or null.
  HandleEntry* get(uint32_t i) {
    if (i >= slots_.size() || slots_[i].kind != HandleKind::Resource) return nullptr;
    return &std::get<HandleEntry>(slots_[i].v);
  }
  /// What slot {i} holds (Free when out of range).
  HandleKind kind(uint32_t i) const { return i < slots_.size() ? slots_[i].kind : HandleKind::Free; }
  /// The object in slot {i} when it holds a {k}, else null.
  template <class T>
  T* get_as(uint32_t i, HandleKind k) {
    if (i >= slots_.size() || slots_[i].kind != k) return nullptr;
    return static_cast<T*>(std::get<Obj>(slots_[i].v).get());
  }
  /// The object in slot {i} (null for a resource or a free slot).
  std::shared_ptr<TableObject> object(uint32_t i) const {
    if (i >= slots_.size()) return nullptr;
    const Obj* o = std::get_if<Obj>(&slots_[i].v);
    return o ? *o : nullptr;
  }
  /// Adds {e}: its index, or 0 when the table is full.
  uint32_t add(HandleEntry e);
  uint32_t add(HandleKind k, std::shared_ptr<TableObject> obj);
  /// At most {n} slots (kMaxLength at most): engine Config::max_component_handles.
  void set_limit(uint64_t n) { limit_ = static_cast<uint32_t>(n < kMaxLength ? n : kMaxLength); }
  /// Removes resource handle {i} (which must be live).
  HandleEntry remove(uint32_t i);
  /// Removes the object in slot {i} (which must hold one).
  std::shared_ptr<TableObject> remove_object(uint32_t i);
  size_t live() const;

 private:
  using Obj = std::shared_ptr<TableObject>;
  /// A resource handle or an object, in the space of the larger (a table can hold 2^19 slots).
  struct Slot {
    std::variant<HandleEntry, Obj> v;
    HandleKind kind = HandleKind::Free;
  };
  uint32_t take_slot();
  std::vector<Slot> slots_{1};
  uint32_t limit_ = kMaxLength;
  std::vector<uint32_t> free_;
};

/// definitions.py ComponentInstance.threads: the threads of the instance's tasks.
class ThreadTable {
 public:
  uint32_t add(Thread* t);
  Thread* get(uint32_t i) const { return i < slots_.size() ? slots_[i] : nullptr; }
  void remove(uint32_t i);
  const std::vector<Thread*>& slots() const { return slots_; }

 private:
  std::vector<Thread*> slots_{nullptr};
  std::vector<uint32_t> free_;
};

/// A component instance (definitions.py ComponentInstance); nested instances have a parent.
struct ComponentInstanceRt {
  engine::Store* store = nullptr;
  ComponentInstanceRt* parent = nullptr;
  HandleTable handles;
  ThreadTable threads;
  bool may_enter = true;
  bool may_leave = true;
  uint32_t backpressure = 0;
  uint32_t num_waiting_to_enter = 0;
  Thread* exclusive_thread = nullptr;
  /// Set once a trap unwound through this instance: it is not entered again.
  bool poisoned = false;
  std::vector<std::unique_ptr<ComponentInstanceRt>> children;
  /// The run-time index spaces of this instance's scope (rt::ScopeRt), kept alive with it.
  std::vector<std::shared_ptr<void>> scopes;

  /// Ends every task thread of this instance still suspended (a store or instance dropped with
  /// calls pending): each is resumed once more and traps out of its guest frames.
  ~ComponentInstanceRt();

  /// definitions.py may_enter_from / enter_from / leave_to over the entering set.
  bool may_enter_from(const ComponentInstanceRt* caller) const;
  void enter_from(const ComponentInstanceRt* caller);
  void leave_to(const ComponentInstanceRt* caller);
};

/// Handles lent by a caller for the duration of one call (definitions.py Subtask.lenders).
struct LendScope {
  ComponentInstanceRt* inst = nullptr;
  std::vector<uint32_t> lent;  ///< handle indices in inst->handles
  /// Gives the lent handles back (deliver_resolve).
  void release();
  ~LendScope() { release(); }
};

/// canonopt at run time.
struct CanonOpts {
  enum class Encoding : uint8_t { Utf8 = 0, Utf16 = 1, Latin1Utf16 = 2 };
  Encoding encoding = Encoding::Utf8;
  engine::Memory* memory = nullptr;
  engine::Function* realloc = nullptr;
  engine::Function* post_return = nullptr;
  engine::Function* callback = nullptr;
  bool async = false;
};

/// Produces the call's arguments (lifting them from the caller) once the callee is entered:
/// either into {storage} or by pointing {args} at values the caller already has.
using ArgsFn = std::function<MaybeTrap(std::vector<Value>& storage, std::span<const Value>& args)>;
/// Receives the call's results (lowering them into the caller) before any post-return runs;
/// null when the call was cancelled before it returned a value.
using ResultsFn = std::function<MaybeTrap(std::vector<Value>* results)>;
/// Requests cancellation of a call in progress, on behalf of {caller} (definitions.py OnCancel).
using CancelFn = std::function<MaybeTrap(ComponentInstanceRt* caller)>;

/// A component function: a lifted core function or a host function.
struct FuncRt {
  FuncTypePtr type;
  virtual ~FuncRt() = default;
  /// The instance a lifted function runs in; null for a host function.
  virtual ComponentInstanceRt* lifted_into() const { return nullptr; }
  /// Starts the call made by {caller} (null: the host). A call of a function that is not
  /// `async` is resolved when this returns; an `async` call may still be running (it resolves
  /// through {on_resolve} later) and can be cancelled through {on_cancel} when that is given.
  /// The callbacks are kept until the call resolves.
  virtual MaybeTrap call(ComponentInstanceRt* caller, ArgsFn on_start, ResultsFn on_resolve,
                         CancelFn* on_cancel = nullptr) = 0;
};
using FuncPtr = std::shared_ptr<FuncRt>;

/// `canon lift`: a core function of {inst} behind a component function type.
struct LiftedFunc final : FuncRt {
  engine::Function* core = nullptr;
  CanonOpts opts;
  ComponentInstanceRt* inst = nullptr;
  ComponentInstanceRt* lifted_into() const override { return inst; }
  MaybeTrap call(ComponentInstanceRt* caller, ArgsFn on_start, ResultsFn on_resolve,
                 CancelFn* on_cancel = nullptr) override;
};

/// A host function: reads {args}, appends its results (0 or 1 values) to {results}.
using HostFn = std::function<MaybeTrap(std::span<const Value> args, std::vector<Value>& results)>;
struct HostCall;  // task.h
/// An asynchronous host function: gets its arguments and the call to end, now or later.
using AsyncHostFn = std::function<void(std::span<const Value> args, std::shared_ptr<HostCall> call)>;
struct HostFuncRt final : FuncRt {
  HostFn fn;
  /// Set instead of {fn} for an asynchronous host function (task.h HostCall).
  AsyncHostFn async_fn;
  /// A typed host function's C++ signature; checked against the import's type when a host
  /// function without {type} adopts it.
  std::optional<FuncShape> shape;
  MaybeTrap call(ComponentInstanceRt* caller, ArgsFn on_start, ResultsFn on_resolve,
                 CancelFn* on_cancel = nullptr) override;
};

/// `canon lower` of {callee} into {inst}: the core host function's body.
MaybeTrap call_lowered(const FuncPtr& callee, const CanonOpts& opts, ComponentInstanceRt* inst,
                       std::span<const engine::Value> args, std::span<engine::Value> results);
/// The core signature of `canon lower` / `canon lift` of {ft} (flatten_functype).
wasm::FuncType lower_signature(const FuncTypeRt& ft);
wasm::FuncType lift_signature(const FuncTypeRt& ft);
/// The same for `async` lowering and lifting (with or without a callback).
wasm::FuncType lower_signature_async(const FuncTypeRt& ft);
wasm::FuncType lift_signature_async(const FuncTypeRt& ft, bool callback);

/// canon resource.new / resource.drop / resource.rep, called from {inst}.
MaybeTrap resource_new(ComponentInstanceRt* inst, const std::shared_ptr<const ResourceTypeRt>& rt,
                       uint32_t rep, uint32_t& index);
MaybeTrap resource_drop(ComponentInstanceRt* inst, const std::shared_ptr<const ResourceTypeRt>& rt,
                        uint32_t index);
/// Runs {rt}'s destructor for {rep} on behalf of {caller} (null: the host).
MaybeTrap run_destructor(ComponentInstanceRt* caller, const ResourceTypeRt& rt, uint32_t rep);
MaybeTrap resource_rep(ComponentInstanceRt* inst, const std::shared_ptr<const ResourceTypeRt>& rt,
                       uint32_t index, uint32_t& rep);

/// Calls the host-facing component function {f} with {args}: lowering them into the callee,
/// lifting the results. A trap poisons the instances it unwound through. An `async` callee
/// that blocks is driven to completion by running the store's other ready threads
/// (definitions.py Store.invoke then Store.tick); when none can run, the call traps
/// ("deadlock detected").
MaybeTrap call_from_host(const FuncPtr& f, std::span<const Value> args, std::vector<Value>& results);

/// Marks every instance from {inst} up as unusable after a trap unwound through it.
void poison(ComponentInstanceRt* inst);

}  // namespace rill::component::rt
