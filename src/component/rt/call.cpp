// Calls across the component boundary: definitions.py canon_lift, canon_lower, the resource
// built-ins, and the instance flags and handle table they use.
#include <algorithm>

#include "rill/component/rt/abi.h"
#include "rill/component/rt/instance.h"

namespace rill::component::rt {

uint32_t HandleTable::add(HandleEntry e) {
  if (!free_.empty()) {
    const uint32_t i = free_.back();
    free_.pop_back();
    slots_[i] = std::move(e);
    return i;
  }
  if (slots_.size() > limit_) return 0;
  slots_.push_back(std::move(e));
  return static_cast<uint32_t>(slots_.size() - 1);
}

HandleEntry HandleTable::remove(uint32_t i) {
  HandleEntry e = std::move(*slots_[i]);
  slots_[i].reset();
  free_.push_back(i);
  return e;
}

size_t HandleTable::live() const {
  return static_cast<size_t>(std::count_if(slots_.begin(), slots_.end(), [](const auto& s) { return s.has_value(); }));
}

namespace {
bool is_ancestor_or_self(const ComponentInstanceRt* a, const ComponentInstanceRt* of) {
  for (const ComponentInstanceRt* p = of; p; p = p->parent)
    if (p == a) return true;
  return false;
}
}  // namespace

bool ComponentInstanceRt::may_enter_from(const ComponentInstanceRt* caller) const {
  // A call between an instance and its ancestor (either way) traps: the suite
  // (async/trap-on-reenter) and Wasmtime hold to the conservative rule that such a call might
  // be a reentrance, which entering_set's donut-wrapping subtraction would otherwise allow. A
  // call within one instance (a destructor run by resource.drop) enters nothing.
  if (caller && caller != this &&
      (is_ancestor_or_self(this, caller) || is_ancestor_or_self(caller, this)))
    return false;
  for (const ComponentInstanceRt* i = this; i; i = i->parent) {
    if (caller && is_ancestor_or_self(i, caller)) continue;
    if (!i->may_enter) return false;
  }
  return true;
}

void ComponentInstanceRt::enter_from(const ComponentInstanceRt* caller) {
  for (ComponentInstanceRt* i = this; i; i = i->parent)
    if (!caller || !is_ancestor_or_self(i, caller)) i->may_enter = false;
}

void ComponentInstanceRt::leave_to(const ComponentInstanceRt* caller) {
  for (ComponentInstanceRt* i = this; i; i = i->parent)
    if (!caller || !is_ancestor_or_self(i, caller)) i->may_enter = true;
}

LendScope::~LendScope() {
  if (!inst) return;
  for (uint32_t i : lent)
    if (HandleEntry* h = inst->handles.get(i)) h->num_lends--;
}

namespace {
void add_ptr_param(std::vector<wasm::ValType>& v) { v.push_back(wasm::kI32); }
}  // namespace

wasm::FuncType lower_signature(const FuncTypeRt& ft) {
  wasm::FuncType sig;
  if (ft.flat_params.size() > kMaxFlatParams) add_ptr_param(sig.params);
  else sig.params = ft.flat_params;
  if (ft.flat_results.size() > kMaxFlatResults) add_ptr_param(sig.params);
  else sig.results = ft.flat_results;
  return sig;
}

wasm::FuncType lift_signature(const FuncTypeRt& ft) {
  wasm::FuncType sig;
  if (ft.flat_params.size() > kMaxFlatParams) add_ptr_param(sig.params);
  else sig.params = ft.flat_params;
  if (ft.flat_results.size() > kMaxFlatResults) sig.results = {wasm::kI32};
  else sig.results = ft.flat_results;
  return sig;
}

wasm::FuncType lower_signature_async(const FuncTypeRt& ft) {
  wasm::FuncType sig;
  if (ft.flat_params.size() > 4) add_ptr_param(sig.params);
  else sig.params = ft.flat_params;
  if (ft.result) add_ptr_param(sig.params);
  sig.results = {wasm::kI32};
  return sig;
}

wasm::FuncType lift_signature_async(const FuncTypeRt& ft, bool callback) {
  wasm::FuncType sig;
  if (ft.flat_params.size() > kMaxFlatParams) add_ptr_param(sig.params);
  else sig.params = ft.flat_params;
  if (callback) sig.results = {wasm::kI32};
  return sig;
}

namespace {
thread_local CallTask* t_current_task = nullptr;

/// Makes {task} current for its lifetime.
struct TaskScope {
  explicit TaskScope(CallTask* task) : task_(task) {
    task->outer = t_current_task;
    t_current_task = task;
  }
  ~TaskScope() { t_current_task = task_->outer; }
  CallTask* task_;
};
}  // namespace

CallTask* current_task() { return t_current_task; }

namespace {
/// Marks every instance from {inst} up as unusable after a trap unwound through it.
void poison(ComponentInstanceRt* inst) {
  for (ComponentInstanceRt* i = inst; i; i = i->parent) i->poisoned = true;
}
}  // namespace

MaybeTrap LiftedFunc::call(ComponentInstanceRt* caller, const ArgsFn& on_start,
                           const ResultsFn& on_resolve) {
  if (inst->poisoned) return component_trap(ComponentTrap::Poisoned);
  if (!inst->may_enter_from(caller)) return component_trap(ComponentTrap::CannotEnter);
  if (type->async || opts.async) return component_trap(ComponentTrap::NotSupported, "async functions");
  inst->enter_from(caller);
  CallTask task{inst, 0, {0, 0}, nullptr};
  TaskScope scope(&task);
  Cx cx{opts, inst, &task, nullptr, std::nullopt};
  cx.host_peer = caller == nullptr;
  cx.budget = inst->store->engine().config().max_lift_bytes;
  std::vector<Value> storage;
  std::span<const Value> args;
  if (MaybeTrap t = on_start(storage, args)) return t;
  std::vector<engine::Value> flat_args;
  flat_args.reserve(type->flat_params.size());
  if (!lower_flat_values(cx, kMaxFlatParams, args, type->params, type->params_tuple, flat_args,
                         std::nullopt)) {
    poison(inst);
    return std::move(cx.trap);
  }
  std::vector<engine::Value> flat_results;
  if (MaybeTrap t = inst->store->call(core, flat_args, flat_results)) {
    poison(inst);
    return t;
  }
  std::vector<Value> results;
  size_t pos = 0;
  static const std::vector<RTypePtr> kNone;
  const std::vector<RTypePtr>& rts = type->result ? type->results_tuple->elems : kNone;
  if (!lift_flat_values(cx, kMaxFlatResults, flat_results, pos, rts, type->results_tuple, results)) {
    poison(inst);
    return std::move(cx.trap);
  }
  if (task.num_borrows > 0) {
    poison(inst);
    return component_trap(ComponentTrap::BorrowsRemain);
  }
  if (MaybeTrap t = on_resolve(results)) {
    poison(inst);
    return t;
  }
  if (opts.post_return) {
    inst->may_leave = false;
    std::vector<engine::Value> none;
    MaybeTrap t = inst->store->call(opts.post_return, flat_results, none);
    inst->may_leave = true;
    if (t) {
      poison(inst);
      return t;
    }
  }
  inst->leave_to(caller);
  return std::nullopt;
}

MaybeTrap HostFuncRt::call(ComponentInstanceRt* caller, const ArgsFn& on_start,
                           const ResultsFn& on_resolve) {
  std::vector<Value> storage;
  std::span<const Value> args;
  if (MaybeTrap t = on_start(storage, args)) return t;
  std::vector<Value> results;
  if (MaybeTrap t = fn(args, results)) return t;
  if (results.size() != (type->result ? 1u : 0u))
    return component_trap(ComponentTrap::HostValueMismatch,
                          "host function returned " + std::to_string(results.size()) +
                              " results, expected " + std::to_string(type->result ? 1 : 0));
  return on_resolve(results);
}

MaybeTrap call_lowered(const FuncPtr& callee, const CanonOpts& opts, ComponentInstanceRt* inst,
                       std::span<const engine::Value> args, std::span<engine::Value> results) {
  if (!inst->may_leave) return component_trap(ComponentTrap::CannotLeave);
  const FuncTypeRt& ft = *callee->type;
  if (ft.async || opts.async) return component_trap(ComponentTrap::NotSupported, "async calls");
  LendScope lenders;
  Cx cx{opts, inst, nullptr, &lenders, std::nullopt};
  cx.host_peer = dynamic_cast<const HostFuncRt*>(callee.get()) != nullptr;
  cx.budget = inst->store->engine().config().max_lift_bytes;
  size_t pos = 0;
  auto on_start = [&](std::vector<Value>& vals, std::span<const Value>& out) -> MaybeTrap {
    if (!lift_flat_values(cx, kMaxFlatParams, args, pos, ft.params, ft.params_tuple, vals))
      return std::move(cx.trap);
    out = vals;
    return std::nullopt;
  };
  auto on_resolve = [&](std::vector<Value>& vals) -> MaybeTrap {
    std::optional<uint32_t> out_ptr;
    if (ft.flat_results.size() > kMaxFlatResults) out_ptr = args.back().i32;
    std::vector<engine::Value> flat;
    static const std::vector<RTypePtr> kNone;
    const std::vector<RTypePtr>& rts = ft.result ? ft.results_tuple->elems : kNone;
    if (!lower_flat_values(cx, kMaxFlatResults, vals, rts, ft.results_tuple, flat, out_ptr))
      return std::move(cx.trap);
    for (size_t i = 0; i < flat.size() && i < results.size(); ++i) results[i] = flat[i];
    return std::nullopt;
  };
  return callee->call(inst, on_start, on_resolve);
}

MaybeTrap call_from_host(const FuncPtr& f, std::span<const Value> args, std::vector<Value>& results) {
  auto on_start = [&](std::vector<Value>&, std::span<const Value>& out) -> MaybeTrap {
    out = args;
    return std::nullopt;
  };
  auto on_resolve = [&](std::vector<Value>& vals) -> MaybeTrap {
    results = std::move(vals);
    return std::nullopt;
  };
  return f->call(nullptr, on_start, on_resolve);
}

MaybeTrap resource_new(ComponentInstanceRt* inst, const std::shared_ptr<const ResourceTypeRt>& rt,
                       uint32_t rep, uint32_t& index) {
  if (!inst->may_leave) return component_trap(ComponentTrap::CannotLeave);
  index = inst->handles.add(HandleEntry{rt, rep, true, nullptr, 0});
  if (index == 0) return component_trap(ComponentTrap::HandleTableFull);
  return std::nullopt;
}

MaybeTrap resource_drop(ComponentInstanceRt* inst, const std::shared_ptr<const ResourceTypeRt>& rt,
                        uint32_t index) {
  if (!inst->may_leave) return component_trap(ComponentTrap::CannotLeave);
  HandleEntry* h = inst->handles.get(index);
  if (!h) return handle_trap(ComponentTrap::UnknownHandle, index);
  if (h->rt != rt) return handle_trap(ComponentTrap::WrongHandleType, index);
  if (h->num_lends != 0) return handle_trap(ComponentTrap::OwnBorrowed, index);
  HandleEntry e = inst->handles.remove(index);
  if (!e.own) {
    if (e.borrow_scope) e.borrow_scope->num_borrows--;
    return std::nullopt;
  }
  return run_destructor(inst, *rt, e.rep);
}

MaybeTrap run_destructor(ComponentInstanceRt* caller, const ResourceTypeRt& rt, uint32_t rep) {
  if (rt.host_dtor) {
    rt.host_dtor(rep);
    return std::nullopt;
  }
  if (!rt.dtor) return std::nullopt;
  // The destructor is a lifted call into the resource's defining instance.
  ComponentInstanceRt* impl = rt.impl;
  ComponentInstanceRt* inst = caller;
  if (impl->poisoned) return component_trap(ComponentTrap::Poisoned);
  if (!impl->may_enter_from(inst)) return component_trap(ComponentTrap::CannotEnter);
  impl->enter_from(inst);
  engine::Value arg;
  arg.type = wasm::kI32;
  arg.i64 = rep;
  std::vector<engine::Value> none;
  if (MaybeTrap t = impl->store->call(rt.dtor, std::span<const engine::Value>(&arg, 1), none)) {
    poison(impl);
    return t;
  }
  impl->leave_to(inst);
  return std::nullopt;
}

MaybeTrap resource_rep(ComponentInstanceRt* inst, const std::shared_ptr<const ResourceTypeRt>& rt,
                       uint32_t index, uint32_t& rep) {
  HandleEntry* h = inst->handles.get(index);
  if (!h) return handle_trap(ComponentTrap::UnknownHandle, index);
  if (h->rt != rt) return handle_trap(ComponentTrap::WrongHandleType, index);
  rep = h->rep;
  return std::nullopt;
}

}  // namespace rill::component::rt
