// Store: creation of host-side objects (charged to the store's limits), Store::call (argument checks and the slot buffer around
// interp::execute), epoch deadlines and the lazily created interpreter state.
#include "rill/engine/store.h"

#include <algorithm>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include "rill/engine/fiber.h"
#include "rill/engine/interp/exec_state.h"
#include "rill/engine/interp/interp.h"
#include "rill/engine/signals.h"

namespace rill::engine {
namespace {

uint32_t slot_count(const std::vector<wasm::ValType>& types) {
  uint32_t n = 0;
  for (wasm::ValType t : types) n += t.slots();
  return n;
}

/// Calls a host function directly (no wasm frame to set up).
std::optional<Trap> call_host(Store& store,
                              Function* fn,
                              std::span<const Value> args,
                              std::vector<Value>& results) {
  if (!fn->host) return Trap::host("host function has no callback");
  const std::vector<wasm::ValType>& types = fn->type->results;
  results.assign(types.size(), Value{});
  for (size_t i = 0; i < types.size(); ++i) results[i].type = types[i];
  Caller caller{store, nullptr};
  std::optional<Trap> trap = invoke_host(fn->host, caller, args, results);
  if (trap) results.clear();
  return trap;
}

}  // namespace

std::optional<Trap> invoke_host(const HostFunc& fn, Caller& caller, std::span<const Value> args,
                                std::span<Value> results) noexcept {
  // Store::host_caller() for the call's duration (calls nest: a host function may call a guest).
  struct CallerScope {
    Store* saved;
    explicit CallerScope(Store* s) : saved(std::exchange(detail::tl_host_caller, s)) {}
    ~CallerScope() { detail::tl_host_caller = saved; }
  } scope(&caller.store);
  try {
    return fn(caller, args, results);
  } catch (const std::bad_alloc&) {
    return Trap::host("host function ran out of memory");
  } catch (const std::length_error&) {
    return Trap::host("host function ran out of memory (length error)");
  } catch (const std::exception& e) {
    return Trap::host(std::string("host function failed: ") + e.what());
  }
}

Store::Store(Engine& engine) : engine_(&engine) {}
Store::~Store() { extension_.reset(); }

Function* Store::create_host_function(wasm::FuncType type, HostFunc fn) {
  auto f = std::make_unique<Function>();
  f->type_id = engine_->intern_type(type);
  f->host_type = std::move(type);
  f->type = &f->host_type;
  f->host = std::move(fn);
  funcs_.push_back(std::move(f));
  return funcs_.back().get();
}

Result<Memory*> Store::create_memory(const wasm::MemoryType& type) {
  if (type.limits.min <= wasm::kMaxPages32) {  // larger: Memory::create says why
    if (auto why = account_.check(0, type.limits.min * wasm::kPageSize)) return unexpected(*why);
  }
  RILL_TRY(std::unique_ptr<Memory> memory, Memory::create(type));
  account_.charge_memory(memory->size_bytes());
  memory->set_account(&account_);
  memories_.push_back(std::move(memory));
  return memories_.back().get();
}

Result<Table*> Store::create_table(const wasm::TableType& type, Ref init) {
  // The Table constructor cannot fail; refuse what it could not honour.
  if (type.limits.min > wasm::kMaxTableSize) {
    return unexpected("table size exceeds the runtime limit of " +
                      std::to_string(wasm::kMaxTableSize) + " elements");
  }
  if (type.limits.max && *type.limits.max < type.limits.min) {
    return unexpected("size minimum must not be greater than maximum");
  }
  if (!account_.charge_table(type.limits.min)) {
    return unexpected(*account_.check(type.limits.min, 0));
  }
  tables_.push_back(std::make_unique<Table>(type, init, &account_));
  return tables_.back().get();
}

Global* Store::create_global(const wasm::GlobalType& type, const Value& init) {
  auto g = std::make_unique<Global>();
  g->type = type;
  store_value(g->value, init);
  globals_.push_back(std::move(g));
  return globals_.back().get();
}

std::optional<Trap> Store::call(Function* fn,
                                std::span<const Value> args,
                                std::vector<Value>& results) {
  if (fn == nullptr || fn->type == nullptr) return Trap::host("call: null function");
  const wasm::FuncType& type = *fn->type;
  if (args.size() != type.params.size()) {
    return Trap::host("call: expected " + std::to_string(type.params.size()) + " arguments, got " +
                      std::to_string(args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type == type.params[i]) continue;
    return Trap::host("call: argument " + std::to_string(i) + " is " +
                      wasm::to_string(args[i].type) + ", expected " +
                      wasm::to_string(type.params[i]));
  }
  if (fn->is_host()) return call_host(*this, fn, args, results);

  signals::ensure_installed();
  // Arguments in, results out, in one buffer; small signatures stay on the native stack.
  constexpr uint32_t kInlineSlots = 16;
  Slot inline_slots[kInlineSlots] = {};
  std::vector<Slot> heap_slots;
  const uint32_t n = std::max({slot_count(type.params), slot_count(type.results), 1u});
  Slot* slots = inline_slots;
  if (n > kInlineSlots) {
    heap_slots.assign(n, 0);
    slots = heap_slots.data();
  }
  uint32_t at = 0;
  for (const Value& v : args) {
    store_value(slots + at, v);
    at += v.type.slots();
  }
  std::optional<Trap> trap = interp::execute(*this, fn, slots);
  results.clear();
  if (trap) return trap;
  results.reserve(type.results.size());
  at = 0;
  for (wasm::ValType t : type.results) {
    results.push_back(load_value(slots + at, t));
    at += t.slots();
  }
  return std::nullopt;
}

void Store::set_epoch_deadline(uint64_t ticks) {
  const uint64_t now = engine_->epoch();
  epoch_deadline_ = ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
}

ExecState& Store::exec_slow() {
  if (Fiber* fiber = Fiber::current(); fiber != nullptr) return fiber_exec(*fiber);
  if (!exec_) exec_ = interp::make_exec_state(engine_->config());
  return *exec_;
}

ExecState& Store::fiber_exec(Fiber& fiber) {
  if (ExecState* es = fiber.leased_exec(this)) return *es;
  ExecState* es = nullptr;
  if (!free_execs_.empty()) {
    es = free_execs_.back();
    free_execs_.pop_back();
  } else {
    fiber_execs_.push_back(interp::make_exec_state(engine_->config()));
    es = fiber_execs_.back().get();
  }
  es->fiber = &fiber;
  fiber.add_lease(this, es);
  return *es;
}

void Store::release_exec(ExecState& es) {
  if (es.fiber == nullptr || es.active != 0) return;
  es.fiber->end_lease(this);
  es.fiber = nullptr;
  free_execs_.push_back(&es);
}

}  // namespace rill::engine
