// Public handles (include/rill/extern.h): Func calls (typed slot path and untyped Val path), host
// function adapters, Memory/Table/Global access and Caller.
#include <array>
#include <atomic>
#include <string>
#include <vector>

#include "api_internal.h"
#include "rill/engine/interp/interp.h"
#include "rill/engine/signals.h"

namespace rill {
namespace detail {
namespace {

using engine::Slot;

uint32_t slot_count(const std::vector<wasm::ValType>& types) {
  uint32_t n = 0;
  for (wasm::ValType t : types)
    n += t.slots();
  return n;
}

/// A slot buffer on the native stack for small signatures, on the heap past that.
class SlotBuffer {
 public:
  explicit SlotBuffer(uint32_t n) {
    if (n > kInline)
      heap_.assign(n, 0);
  }
  Slot* data() { return heap_.empty() ? inline_.data() : heap_.data(); }

 private:
  static constexpr uint32_t kInline = 16;
  std::array<Slot, kInline> inline_{};
  std::vector<Slot> heap_;
};

/// The engine callback behind a typed host function: engine Values <-> packed slots.
std::optional<engine::Trap> run_slot_host(StoreImpl* store,
                                          const HostDef& def,
                                          engine::Caller& ec,
                                          std::span<const engine::Value> args,
                                          std::span<engine::Value> results,
                                          const wasm::FuncType& type) {
  SlotBuffer in(slot_count(type.params));
  SlotBuffer out(slot_count(type.results));
  uint32_t at = 0;
  for (const engine::Value& v : args) {
    engine::store_value(in.data() + at, v);
    at += v.type.slots();
  }
  Caller caller = Access::caller(store, &ec);
  std::optional<Trap> trap = def.slot_fn(caller, in.data(), out.data());
  if (trap)
    return to_engine(std::move(*trap));
  at = 0;
  for (size_t i = 0; i < type.results.size() && i < results.size(); ++i) {
    results[i] = engine::load_value(out.data() + at, type.results[i]);
    at += type.results[i].slots();
  }
  return std::nullopt;
}

/// The engine callback behind an untyped host function: engine Values <-> Vals.
std::optional<engine::Trap> run_val_host(StoreImpl* store,
                                         const HostDef& def,
                                         engine::Caller& ec,
                                         std::span<const engine::Value> args,
                                         std::span<engine::Value> results) {
  std::vector<Val> in;
  in.reserve(args.size());
  for (const engine::Value& v : args)
    in.push_back(from_engine(v));
  std::vector<Val> out;
  out.reserve(def.type.results.size());
  for (ValType t : def.type.results)
    out.push_back(Val::zero(t));
  Caller caller = Access::caller(store, &ec);
  std::optional<Trap> trap = def.val_fn(caller, in, out);
  if (trap)
    return to_engine(std::move(*trap));
  for (size_t i = 0; i < out.size() && i < results.size(); ++i) {
    if (out[i].type() != def.type.results[i]) {
      return engine::Trap::host("host function returned " + std::string(to_string(out[i].type())) +
                                " for result " + std::to_string(i) + ", expected " +
                                to_string(def.type.results[i]));
    }
    results[i] = to_engine(out[i]);
  }
  return std::nullopt;
}

std::atomic<uint64_t> g_next_host_id{1};

Error out_of_bounds(uint64_t offset, uint64_t len, uint64_t size) {
  return Error{"out of bounds memory access: " + std::to_string(len) + " bytes at " +
               std::to_string(offset) + ", memory size " + std::to_string(size)};
}

}  // namespace

std::shared_ptr<const HostDef> make_host_def(FuncType type, SlotHostFn fn) {
  auto def = std::make_shared<HostDef>();
  def->id = g_next_host_id.fetch_add(1, std::memory_order_relaxed);
  def->type = std::move(type);
  def->slot_fn = std::move(fn);
  return def;
}

std::shared_ptr<const HostDef> make_host_def(FuncType type, HostCallback fn) {
  auto def = std::make_shared<HostDef>();
  def->id = g_next_host_id.fetch_add(1, std::memory_order_relaxed);
  def->type = std::move(type);
  def->val_fn = std::move(fn);
  return def;
}

Func host_func(Store& store, const std::shared_ptr<const HostDef>& def) {
  StoreImpl* impl = Access::impl(store);
  auto it = impl->host_funcs.find(def->id);
  if (it != impl->host_funcs.end())
    return Access::func(impl, it->second);
  wasm::FuncType wtype = to_wasm(def->type);
  engine::HostFunc fn;
  if (def->slot_fn) {
    fn = [impl, def, wtype](engine::Caller& c, std::span<const engine::Value> args,
                            std::span<engine::Value> results) {
      return run_slot_host(impl, *def, c, args, results, wtype);
    };
  } else {
    fn = [impl, def](engine::Caller& c, std::span<const engine::Value> args,
                     std::span<engine::Value> results) {
      return run_val_host(impl, *def, c, args, results);
    };
  }
  engine::Function* f = impl->store.create_host_function(std::move(wtype), std::move(fn));
  impl->host_funcs.emplace(def->id, f);
  return Access::func(impl, f);
}

std::optional<Trap> call_slots(StoreImpl* store, engine::Function* fn, uint64_t* slots) {
  if (store == nullptr || fn == nullptr)
    return Trap::host("call of an empty function handle");
  if (fn->is_host()) {
    // Host functions take Values; convert through Store::call (rare on this path).
    const wasm::FuncType& type = *fn->type;
    std::vector<engine::Value> args;
    uint32_t at = 0;
    for (wasm::ValType t : type.params) {
      args.push_back(engine::load_value(slots + at, t));
      at += t.slots();
    }
    std::vector<engine::Value> results;
    if (auto trap = store->store.call(fn, args, results))
      return from_engine(std::move(*trap));
    at = 0;
    for (const engine::Value& v : results) {
      engine::store_value(slots + at, v);
      at += v.type.slots();
    }
    return std::nullopt;
  }
  // The signature was checked when the TypedFunc was made, so the slots go straight to the
  // interpreter (what Store::call does after its per-call argument checks).
  engine::signals::ensure_installed();
  if (auto trap = engine::interp::execute(store->store, fn, slots))
    return from_engine(std::move(*trap));
  return std::nullopt;
}

engine::Extern Access::to_engine(const Extern& e, StoreImpl*& store) {
  switch (e.index()) {
    case 0:
      store = std::get<Func>(e).store_;
      return std::get<Func>(e).fn_;
    case 1:
      store = std::get<Memory>(e).store_;
      return std::get<Memory>(e).mem_;
    case 2:
      store = std::get<Table>(e).store_;
      return std::get<Table>(e).table_;
    default:
      store = std::get<Global>(e).store_;
      return std::get<Global>(e).global_;
  }
}

Extern Access::from_engine(StoreImpl* store, const engine::Extern& e) {
  switch (e.index()) {
    case 0:
      return func(store, std::get<engine::Function*>(e));
    case 1:
      return table(store, std::get<engine::Table*>(e));
    case 2:
      return memory(store, std::get<engine::Memory*>(e));
    default:
      return global(store, std::get<engine::Global*>(e));
  }
}

}  // namespace detail

// ---- Func ----

FuncType Func::type() const {
  return fn_ ? detail::from_wasm(*fn_->type) : FuncType{};
}

TrapOr<std::vector<Val>> Func::call(std::span<const Val> args) const {
  if (store_ == nullptr || fn_ == nullptr)
    return Trap::host("call of an empty function handle");
  std::vector<engine::Value> in;
  in.reserve(args.size());
  for (const Val& v : args)
    in.push_back(detail::to_engine(v));
  std::vector<engine::Value> out;
  if (auto trap = store_->store.call(fn_, in, out))
    return detail::from_engine(std::move(*trap));
  std::vector<Val> results;
  results.reserve(out.size());
  for (const engine::Value& v : out)
    results.push_back(detail::from_engine(v));
  return results;
}

Func Func::create(Store& store, FuncType type, HostCallback cb) {
  return detail::host_func(store, detail::make_host_def(std::move(type), std::move(cb)));
}

std::optional<Func> Func::from_val(Store& store, const Val& v) {
  if (v.type() != ValType::FuncRef || v.ref() == nullptr)
    return std::nullopt;
  return detail::Access::func(detail::Access::impl(store), static_cast<engine::Function*>(v.ref()));
}

// ---- Memory ----

uint8_t* Memory::data() const {
  return mem_->base();
}
uint64_t Memory::size() const {
  return mem_->size_bytes();
}
uint64_t Memory::pages() const {
  return mem_->pages();
}
MemoryType Memory::type() const {
  return detail::from_wasm(mem_->type());
}

Result<std::span<uint8_t>> Memory::span(uint64_t offset, uint64_t len) const {
  const uint64_t size = mem_->size_bytes();
  if (offset > size || len > size - offset)
    return detail::out_of_bounds(offset, len, size);
  return std::span<uint8_t>(mem_->base() + offset, static_cast<size_t>(len));
}

Result<void> Memory::read(uint64_t offset, std::span<uint8_t> out) const {
  if (!mem_->read(offset, out.data(), out.size()))
    return detail::out_of_bounds(offset, out.size(), size());
  return {};
}

Result<void> Memory::write(uint64_t offset, std::span<const uint8_t> in) const {
  if (!mem_->write(offset, in.data(), in.size()))
    return detail::out_of_bounds(offset, in.size(), size());
  return {};
}

Result<std::string> Memory::read_string(uint64_t offset, uint64_t len) const {
  auto s = span(offset, len);
  if (!s)
    return std::move(s).error();
  return std::string(reinterpret_cast<const char*>(s->data()), s->size());
}

std::optional<uint64_t> Memory::grow(uint64_t delta) const {
  const int64_t old = mem_->grow(delta);
  if (old < 0)
    return std::nullopt;
  return static_cast<uint64_t>(old);
}

// ---- Table ----

TableType Table::type() const {
  return detail::from_wasm(table_->type());
}
uint32_t Table::size() const {
  return table_->size();
}

std::optional<Val> Table::get(uint32_t index) const {
  if (index >= table_->size())
    return std::nullopt;
  return Val::from_ref(detail::from_wasm(table_->elem_type()), table_->elems()[index]);
}

Result<void> Table::set(uint32_t index, const Val& v) const {
  if (index >= table_->size())
    return Error{"out of bounds table access"};
  if (detail::to_wasm(v.type()) != table_->elem_type())
    return Error{"type mismatch: table element"};
  table_->elems()[index] = v.ref();
  return {};
}

std::optional<uint32_t> Table::grow(uint32_t delta, const Val& init) const {
  if (detail::to_wasm(init.type()) != table_->elem_type())
    return std::nullopt;
  const int64_t old = table_->grow(delta, init.ref());
  if (old < 0)
    return std::nullopt;
  return static_cast<uint32_t>(old);
}

// ---- Global ----

GlobalType Global::type() const {
  return detail::from_wasm(global_->type);
}
Val Global::get() const {
  return detail::from_engine(engine::load_value(global_->value, global_->type.type));
}

Result<void> Global::set(const Val& v) const {
  if (!global_->type.mut)
    return Error{"global is immutable"};
  if (detail::to_wasm(v.type()) != global_->type.type) {
    return Error{std::string("type mismatch: global is ") + wasm::to_string(global_->type.type) +
                 ", value is " + to_string(v.type())};
  }
  engine::store_value(global_->value, detail::to_engine(v));
  return {};
}

// ---- Caller ----

std::optional<Memory> Caller::memory(uint32_t idx) const {
  engine::Memory* m = caller_->memory(idx);
  if (m == nullptr)
    return std::nullopt;
  return detail::Access::memory(store_, m);
}

std::optional<Extern> Caller::get_export(std::string_view name) const {
  if (caller_->instance == nullptr)
    return std::nullopt;
  auto e = caller_->instance->get_export(name);
  if (!e)
    return std::nullopt;
  return detail::Access::from_engine(store_, *e);
}

}  // namespace rill
