// Public Instance and Linker (include/rill/rill.h): positional instantiation over
// engine::Store::instantiate, and by-name import resolution with host-function definitions.
#include <algorithm>
#include <string>
#include <vector>

#include "api_internal.h"
#include "rill/base/escape.h"
#include "rill/wasm/decoder.h"

namespace rill {
namespace {

constexpr const char* kEmptyModule = "empty module handle (compile failed?)";

/// "func (i32, i32) -> i32", "memory 1..2", ... for error messages.
std::string describe(const wasm::Module& m, const wasm::Import& imp) {
  std::string s = to_string(detail::from_wasm(imp.kind));
  auto limits = [](const wasm::Limits& l) {
    return " " + std::to_string(l.min) +
           (l.max ? ".." + std::to_string(*l.max) : std::string(".."));
  };
  switch (imp.kind) {
    case wasm::ExternKind::Func:
      if (imp.func_type < m.types.size())
        s += " " + detail::from_wasm(m.types[imp.func_type]).to_string();
      break;
    case wasm::ExternKind::Table:
      s += std::string(" ") + wasm::to_string(imp.table.elem) + limits(imp.table.limits);
      break;
    case wasm::ExternKind::Memory:
      s += limits(imp.memory.limits);
      break;
    case wasm::ExternKind::Global:
      s += std::string(imp.global.mut ? " mut " : " ") + wasm::to_string(imp.global.type);
      break;
    case wasm::ExternKind::Tag:
      break;
  }
  return s;
}

std::string import_name(const wasm::Import& imp) {
  return escape_name(imp.module) + "::" + escape_name(imp.name);
}

/// A host function that writes zeros to all its results (Linker::define_stubs).
detail::SlotHostFn zero_results(const FuncType& type) {
  size_t n = 0;
  for (ValType t : type.results)
    n += t == ValType::V128 ? 2 : 1;
  return [n](Caller&, const uint64_t*, uint64_t* results) -> std::optional<Trap> {
    std::fill(results, results + n, uint64_t{0});
    return std::nullopt;
  };
}

}  // namespace

// ---- Instance ----

Result<Instance> Instance::create(Store& store,
                                  const Module& module,
                                  std::span<const Extern> imports) {
  detail::StoreImpl* impl = detail::Access::impl(store);
  const detail::ModuleImpl* mod = detail::Access::impl(module);
  if (mod == nullptr)
    return Error{kEmptyModule};
  if (mod->engine != impl->engine)
    return Error{"module and store belong to different engines"};
  std::vector<engine::Extern> externs;
  externs.reserve(imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    detail::StoreImpl* owner = nullptr;
    externs.push_back(detail::Access::to_engine(imports[i], owner));
    if (owner != impl)
      return Error{"import " + std::to_string(i) + " belongs to another store"};
  }
  engine::InstantiateResult r = impl->store.instantiate(mod->compiled, externs);
  if (r.link_error)
    return std::move(*r.link_error);
  if (r.trap)
    return Error{"instantiation trapped: " + detail::from_engine(std::move(*r.trap)).to_string()};
  if (r.instance == nullptr)
    return Error{"instantiation failed"};
  return detail::Access::instance(impl, r.instance);
}

std::optional<Extern> Instance::get_export(std::string_view name) const {
  auto e = inst_->get_export(name);
  if (!e)
    return std::nullopt;
  return detail::Access::from_engine(store_, *e);
}

std::optional<Func> Instance::func(std::string_view name) const {
  auto e = get_export(name);
  if (!e || !std::holds_alternative<Func>(*e))
    return std::nullopt;
  return std::get<Func>(*e);
}

std::optional<Memory> Instance::memory(std::string_view name) const {
  auto e = get_export(name);
  if (!e || !std::holds_alternative<Memory>(*e))
    return std::nullopt;
  return std::get<Memory>(*e);
}

std::optional<Table> Instance::table(std::string_view name) const {
  auto e = get_export(name);
  if (!e || !std::holds_alternative<Table>(*e))
    return std::nullopt;
  return std::get<Table>(*e);
}

std::optional<Global> Instance::global(std::string_view name) const {
  auto e = get_export(name);
  if (!e || !std::holds_alternative<Global>(*e))
    return std::nullopt;
  return std::get<Global>(*e);
}

std::vector<ExportType> Instance::exports() const {
  std::vector<ExportType> out;
  for (const wasm::Export& e : inst_->module->exports)
    out.push_back(ExportType{e.name, detail::from_wasm(e.kind)});
  return out;
}

// ---- Linker ----

Linker& Linker::define_host(std::string_view module,
                            std::string_view name,
                            std::shared_ptr<const detail::HostDef> def) {
  defs_[{std::string(module), std::string(name)}] = std::move(def);
  return *this;
}

Linker& Linker::func_raw(std::string_view module,
                         std::string_view name,
                         FuncType type,
                         HostCallback cb) {
  return define_host(module, name, detail::make_host_def(std::move(type), std::move(cb)));
}

Linker& Linker::define(std::string_view module, std::string_view name, const Extern& ext) {
  defs_[{std::string(module), std::string(name)}] = ext;
  return *this;
}

Linker& Linker::define_instance(std::string_view module, const Instance& instance) {
  for (const ExportType& e : instance.exports()) {
    if (auto ext = instance.get_export(e.name))
      define(module, e.name, *ext);
  }
  return *this;
}

Result<void> Linker::define_stubs(Store& store, const Module& module) {
  if (detail::Access::impl(module) == nullptr)
    return Error{kEmptyModule};
  const wasm::Module& m = *detail::Access::impl(module)->compiled->module;
  for (const wasm::Import& imp : m.imports) {
    if (defs_.count({imp.module, imp.name}) != 0)
      continue;
    switch (imp.kind) {
      case wasm::ExternKind::Func: {
        if (imp.func_type >= m.types.size())
          return Error{"bad import type index"};
        FuncType type = detail::from_wasm(m.types[imp.func_type]);
        define_host(imp.module, imp.name, detail::make_host_def(type, zero_results(type)));
        break;
      }
      case wasm::ExternKind::Memory: {
        auto mem = store.create_memory(detail::from_wasm(imp.memory));
        if (!mem)
          return Error{"stub for " + import_name(imp) + ": " + mem.error().message};
        define(imp.module, imp.name, *mem);
        break;
      }
      case wasm::ExternKind::Table: {
        TableType tt = detail::from_wasm(imp.table);
        auto table = store.create_table(tt, Val::from_ref(tt.elem, nullptr));
        if (!table)
          return Error{"stub for " + import_name(imp) + ": " + table.error().message};
        define(imp.module, imp.name, *table);
        break;
      }
      case wasm::ExternKind::Global: {
        GlobalType gt = detail::from_wasm(imp.global);
        auto global = store.create_global(gt, Val::zero(gt.type));
        if (!global)
          return Error{"stub for " + import_name(imp) + ": " + global.error().message};
        define(imp.module, imp.name, *global);
        break;
      }
      case wasm::ExternKind::Tag:
        return Error{std::string(wasm::kUnsupportedPrefix) + "exception handling"};
    }
  }
  return {};
}

std::optional<Extern> Linker::get(Store& store,
                                  std::string_view module,
                                  std::string_view name) const {
  auto it = defs_.find({std::string(module), std::string(name)});
  if (it == defs_.end())
    return std::nullopt;
  if (const auto* def = std::get_if<std::shared_ptr<const detail::HostDef>>(&it->second)) {
    return detail::host_func(store, *def);
  }
  return std::get<Extern>(it->second);
}

Result<Instance> Linker::instantiate(Store& store, const Module& module) const {
  if (detail::Access::impl(module) == nullptr)
    return Error{kEmptyModule};
  const wasm::Module& m = *detail::Access::impl(module)->compiled->module;
  std::vector<Extern> imports;
  imports.reserve(m.imports.size());
  for (const wasm::Import& imp : m.imports) {
    auto ext = get(store, imp.module, imp.name);
    if (!ext)
      return Error{"unknown import: " + import_name(imp) + " (" + describe(m, imp) + ")"};
    if (kind_of(*ext) != detail::from_wasm(imp.kind)) {
      return Error{"incompatible import type: " + import_name(imp) + " is a " +
                   to_string(kind_of(*ext)) + ", the module imports " + describe(m, imp)};
    }
    if (imp.kind == wasm::ExternKind::Func && imp.func_type < m.types.size()) {
      FuncType have = std::get<Func>(*ext).type();
      if (have != detail::from_wasm(m.types[imp.func_type])) {
        return Error{"incompatible import type: " + import_name(imp) + " is func " +
                     have.to_string() + ", the module imports " + describe(m, imp)};
      }
    }
    imports.push_back(std::move(*ext));
  }
  return Instance::create(store, module, imports);
}

}  // namespace rill
