// Calls across the component boundary: definitions.py canon_lift, canon_lower, the resource
// built-ins, and the instance flags and handle table they use.
#include <algorithm>

#include "rill/component/rt/abi.h"
#include "rill/component/rt/instance.h"
#include "rill/component/rt/task.h"

namespace rill::component::rt {

const char* to_string(HandleKind k) {
  switch (k) {
    case HandleKind::Free: return "free";
    case HandleKind::Resource: return "resource";
    case HandleKind::Subtask: return "subtask";
    case HandleKind::StreamReadable: return "readable stream end";
    case HandleKind::StreamWritable: return "writable stream end";
    case HandleKind::FutureReadable: return "readable future end";
    case HandleKind::FutureWritable: return "writable future end";
    case HandleKind::WaitableSet: return "waitable set";
    case HandleKind::ErrorContext: return "error context";
  }
  return "?";
}

HandleTable::~HandleTable() {
  std::vector<Obj> objects;
  for (Slot& s : slots_) {
    if (Obj* o = std::get_if<Obj>(&s.v); o && *o) objects.push_back(std::move(*o));
    s.kind = HandleKind::Free;
  }
  objects.clear();
}

uint32_t HandleTable::take_slot() {
  if (!free_.empty()) {
    const uint32_t i = free_.back();
    free_.pop_back();
    return i;
  }
  if (slots_.size() > limit_) return 0;
  slots_.emplace_back();
  return static_cast<uint32_t>(slots_.size() - 1);
}

uint32_t HandleTable::add(HandleEntry e) {
  const uint32_t i = take_slot();
  if (i == 0) return 0;
  slots_[i].kind = HandleKind::Resource;
  slots_[i].v = std::move(e);
  return i;
}

uint32_t HandleTable::add(HandleKind k, std::shared_ptr<TableObject> obj) {
  const uint32_t i = take_slot();
  if (i == 0) return 0;
  slots_[i].kind = k;
  slots_[i].v = std::move(obj);
  return i;
}

HandleEntry HandleTable::remove(uint32_t i) {
  HandleEntry e = std::move(std::get<HandleEntry>(slots_[i].v));
  slots_[i].v = Obj();
  slots_[i].kind = HandleKind::Free;
  free_.push_back(i);
  return e;
}

std::shared_ptr<TableObject> HandleTable::remove_object(uint32_t i) {
  Obj o = std::move(std::get<Obj>(slots_[i].v));
  slots_[i].v = Obj();
  slots_[i].kind = HandleKind::Free;
  free_.push_back(i);
  return o;
}

size_t HandleTable::live() const {
  return static_cast<size_t>(
      std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.kind != HandleKind::Free; }));
}

uint32_t ThreadTable::add(Thread* t) {
  if (!free_.empty()) {
    const uint32_t i = free_.back();
    free_.pop_back();
    slots_[i] = t;
    return i;
  }
  slots_.push_back(t);
  return static_cast<uint32_t>(slots_.size() - 1);
}

void ThreadTable::remove(uint32_t i) {
  slots_[i] = nullptr;
  free_.push_back(i);
}

ComponentInstanceRt::~ComponentInstanceRt() {
  if (store && store->extension()) Scheduler::of(*store).abort_threads_of(this);
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

void LendScope::release() {
  if (!inst) return;
  for (uint32_t i : lent)
    if (HandleEntry* h = inst->handles.get(i)) h->num_lends--;
  lent.clear();
  inst = nullptr;
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

void poison(ComponentInstanceRt* inst) {
  for (ComponentInstanceRt* i = inst; i; i = i->parent) i->poisoned = true;
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
