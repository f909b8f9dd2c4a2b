// Public embedding API (include/rill/rill.h): Engine, Module and Store over the internal engine.
// Handles (Func, Memory, ...) are extern.cpp; Instance and Linker are linker.cpp.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "api_internal.h"
#include "rill/wasm/decoder.h"
#include "rill/wasm/validator.h"

namespace rill {
namespace detail {
namespace {

engine::Config to_engine_config(const Config& c) {
  engine::Config out;
  out.max_stack_slots = c.max_stack_slots;
  out.max_call_depth = c.max_call_depth;
  out.max_host_reentry = c.max_host_reentry;
  out.max_lift_bytes = c.max_lift_bytes;
  out.max_component_handles = c.max_component_handles;
  out.max_component_threads = c.max_component_threads;
  return out;
}

/// Largest module file compile_file reads (the decoder's own limits bound what is inside).
constexpr uint64_t kMaxModuleFileBytes = uint64_t{1} << 30;

std::string limit_error(uint64_t pages, uint64_t limit) {
  return "memory size " + std::to_string(pages) + " pages exceeds the configured limit of " +
         std::to_string(limit) + " pages";
}

/// Applies Config::max_memory_pages to {m}'s defined memories. Out-of-range limits are left for
/// the validator to report. Sets {over} when a minimum exceeds the limit.
std::shared_ptr<const wasm::Module> clamp_memories(std::shared_ptr<const wasm::Module> m,
                                                   uint64_t limit,
                                                   std::optional<uint64_t>& over) {
  auto needs_clamp = [&](const wasm::MemoryType& mt) {
    const wasm::Limits& l = mt.limits;
    if (l.is64 || l.min > wasm::kMaxPages32 || (l.max && *l.max > wasm::kMaxPages32))
      return false;
    return l.min > limit || !l.max || *l.max > limit;
  };
  bool any = false;
  for (size_t i = m->num_imported_memories; i < m->memories.size(); ++i)
    any = any || needs_clamp(m->memories[i]);
  if (!any || limit >= wasm::kMaxPages32)
    return m;
  auto copy = std::make_shared<wasm::Module>(*m);
  for (size_t i = copy->num_imported_memories; i < copy->memories.size(); ++i) {
    wasm::Limits& l = copy->memories[i].limits;
    if (!needs_clamp(copy->memories[i]))
      continue;
    if (l.min > limit && !over)
      over = l.min;
    l.max = std::max(l.min, std::min(l.max.value_or(limit), limit));
  }
  return copy;
}

}  // namespace

EngineImpl::EngineImpl(const Config& c) : config(c), engine(to_engine_config(c)) {}

}  // namespace detail

// ---- Engine ----

Engine::Engine() : Engine(Config{}) {}
Engine::Engine(const Config& config) : impl_(std::make_shared<detail::EngineImpl>(config)) {}

const Config& Engine::config() const {
  return impl_->config;
}
void Engine::increment_epoch() const {
  impl_->engine.increment_epoch();
}

// ---- Module ----

Result<Module> Module::compile(const Engine& engine, std::span<const uint8_t> bytes) {
  const auto& e = detail::Access::impl(engine);
  auto decoded = wasm::decode_module(bytes);
  if (!decoded)
    return std::move(decoded).error();
  std::optional<uint64_t> over;
  auto m = detail::clamp_memories(std::move(decoded).value(), e->config.max_memory_pages, over);
  auto compiled = e->engine.compile(std::move(m));
  if (!compiled)
    return std::move(compiled).error();
  if (over)
    return Error{detail::limit_error(*over, e->config.max_memory_pages)};
  auto impl = std::make_shared<detail::ModuleImpl>();
  impl->engine = e;
  impl->compiled = std::move(compiled).value();
  return detail::Access::module(std::move(impl));
}

Result<Module> Module::compile_file(const Engine& engine, const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f)
    return Error{"cannot open " + path};
  if (std::fseek(f.get(), 0, SEEK_END) != 0)
    return Error{"cannot read " + path};
  const long size = std::ftell(f.get());
  if (size < 0)
    return Error{"cannot read " + path};
  if (static_cast<uint64_t>(size) > detail::kMaxModuleFileBytes)
    return Error{"module file too large: " + path};
  std::rewind(f.get());
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (std::fread(bytes.data(), 1, bytes.size(), f.get()) != bytes.size())
    return Error{"cannot read " + path};
  return compile(engine, bytes);
}

Result<void> Module::validate(const Engine& engine, std::span<const uint8_t> bytes) {
  (void)engine;
  auto decoded = wasm::decode_module(bytes);
  if (!decoded)
    return std::move(decoded).error();
  return wasm::validate_module(**decoded);
}

std::vector<ImportType> Module::imports() const {
  std::vector<ImportType> out;
  if (!impl_)
    return out;
  const wasm::Module& m = *impl_->compiled->module;
  for (const wasm::Import& imp : m.imports) {
    ImportType t;
    t.module = imp.module;
    t.name = imp.name;
    t.kind = detail::from_wasm(imp.kind);
    if (imp.kind == wasm::ExternKind::Func && imp.func_type < m.types.size()) {
      t.func = detail::from_wasm(m.types[imp.func_type]);
    }
    t.table = detail::from_wasm(imp.table);
    t.memory = detail::from_wasm(imp.memory);
    t.global = detail::from_wasm(imp.global);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<ExportType> Module::exports() const {
  std::vector<ExportType> out;
  if (!impl_)
    return out;
  for (const wasm::Export& e : impl_->compiled->module->exports) {
    out.push_back(ExportType{e.name, detail::from_wasm(e.kind)});
  }
  return out;
}

// ---- Store ----

Store::Store(const Engine& engine)
    : impl_(std::make_unique<detail::StoreImpl>(detail::Access::impl(engine))) {}
Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

void Store::set_epoch_deadline(uint64_t ticks) {
  impl_->store.set_epoch_deadline(ticks);
}

void Store::set_data(std::shared_ptr<void> data) {
  impl_->store.set_host_data(std::move(data));
}

void* Store::caller_data() {
  engine::Store* s = engine::Store::host_caller();
  return s == nullptr ? nullptr : s->host_data();
}

void Store::set_limits(const StoreLimits& limits) {
  engine::StoreLimits l;
  l.max_table_elements = limits.max_table_elements;
  l.max_memory_bytes = limits.max_memory_bytes;
  impl_->store.set_limits(l);
}

StoreLimits Store::limits() const {
  const engine::StoreLimits& l = impl_->store.limits();
  return StoreLimits{l.max_table_elements, l.max_memory_bytes};
}

Result<Memory> Store::create_memory(const MemoryType& type) {
  const uint64_t limit = impl_->engine->config.max_memory_pages;
  if (type.min > wasm::kMaxPages32 || (type.max && *type.max > wasm::kMaxPages32)) {
    return Error{"memory size must be at most 65536 pages (4GiB)"};
  }
  if (type.max && *type.max < type.min)
    return Error{"size minimum must not be greater than maximum"};
  if (type.min > limit)
    return Error{detail::limit_error(type.min, limit)};
  wasm::MemoryType mt;
  mt.limits.min = type.min;
  mt.limits.max = type.max;
  if (limit < wasm::kMaxPages32)
    mt.limits.max = std::min(type.max.value_or(limit), limit);
  auto m = impl_->store.create_memory(mt);
  if (!m)
    return std::move(m).error();
  return detail::Access::memory(impl_.get(), *m);
}

Result<Global> Store::create_global(const GlobalType& type, const Val& init) {
  if (init.type() != type.type) {
    return Error{std::string("global initialiser is ") + to_string(init.type()) + ", expected " +
                 to_string(type.type)};
  }
  wasm::GlobalType gt;
  gt.type = detail::to_wasm(type.type);
  gt.mut = type.mut;
  return detail::Access::global(impl_.get(),
                                impl_->store.create_global(gt, detail::to_engine(init)));
}

Result<Table> Store::create_table(const TableType& type, const Val& init) {
  if (type.elem != ValType::FuncRef && type.elem != ValType::ExternRef) {
    return Error{"table element type must be a reference type"};
  }
  if (init.type() != type.elem) {
    return Error{std::string("table initialiser is ") + to_string(init.type()) + ", expected " +
                 to_string(type.elem)};
  }
  wasm::TableType tt;
  tt.elem = detail::to_wasm(type.elem);
  tt.limits.min = type.min;
  tt.limits.max = type.max;
  auto t = impl_->store.create_table(tt, init.ref());
  if (!t)
    return std::move(t).error();
  return detail::Access::table(impl_.get(), *t);
}

}  // namespace rill
