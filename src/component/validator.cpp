// The component validator's walk over definitions: index spaces, core modules and instances,
// component instances, aliases, imports, exports and start. Types are validate_types.cpp's,
// canonical definitions validate_canon.cpp's.
#include "rill/component/validator.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "rill/base/escape.h"
#include "rill/component/names.h"
#include "rill/component/validate_internal.h"
#include "rill/wasm/validator.h"

namespace rill::component {
namespace detail {

uint32_t Scope::size(Sort s) const {
  auto n = [](const auto& v) { return static_cast<uint32_t>(v.size()); };
  switch (s.kind) {
    case SortKind::Func: return n(funcs);
    case SortKind::Value: return values;
    case SortKind::Type: return n(types);
    case SortKind::Component: return n(components);
    case SortKind::Instance: return n(instances);
    case SortKind::Core: break;
  }
  switch (s.core) {
    case CoreSort::Func: return n(core_funcs);
    case CoreSort::Table: return n(core_tables);
    case CoreSort::Memory: return n(core_memories);
    case CoreSort::Global: return n(core_globals);
    case CoreSort::Tag: return core_tags;
    case CoreSort::Type: return n(core_types);
    case CoreSort::Module: return n(core_modules);
    case CoreSort::Instance: return n(core_instances);
  }
  return 0;
}

CoreSort core_sort_of(wasm::ExternKind k) {
  switch (k) {
    case wasm::ExternKind::Func: return CoreSort::Func;
    case wasm::ExternKind::Table: return CoreSort::Table;
    case wasm::ExternKind::Memory: return CoreSort::Memory;
    case wasm::ExternKind::Global: return CoreSort::Global;
    case wasm::ExternKind::Tag: return CoreSort::Tag;
  }
  return CoreSort::Func;
}

Sort sort_of(ExternKind kind) {
  switch (kind) {
    case ExternKind::CoreModule: return Sort{SortKind::Core, CoreSort::Module};
    case ExternKind::Func: return Sort{SortKind::Func};
    case ExternKind::Value: return Sort{SortKind::Value};
    case ExternKind::Type: return Sort{SortKind::Type};
    case ExternKind::Component: return Sort{SortKind::Component};
    case ExternKind::Instance: return Sort{SortKind::Instance};
  }
  return Sort{};
}

namespace {
/// A core sort as the core suite's messages say it ("unknown function 3").
const char* core_word(CoreSort s) {
  switch (s) {
    case CoreSort::Func: return "function";
    case CoreSort::Table: return "table";
    case CoreSort::Memory: return "memory";
    case CoreSort::Global: return "global";
    case CoreSort::Tag: return "tag";
    case CoreSort::Type: return "core type";
    case CoreSort::Module: return "module";
    case CoreSort::Instance: return "core instance";
  }
  return "?";
}
}  // namespace

Result<void> check_index(const Scope& scope, Sort s, uint32_t index, uint64_t offset) {
  if (index < scope.size(s)) return {};
  std::string what = s.kind == SortKind::Core ? core_word(s.core) : to_string(s);
  return error_at(offset, "unknown " + what + " " + std::to_string(index) + ": " + what +
                              " index out of bounds");
}

namespace {

Sort core_sort(CoreSort s) { return Sort{SortKind::Core, s}; }


ExternKind extern_kind_of(Sort s) {
  switch (s.kind) {
    case SortKind::Core: return ExternKind::CoreModule;
    case SortKind::Func: return ExternKind::Func;
    case SortKind::Value: return ExternKind::Value;
    case SortKind::Type: return ExternKind::Type;
    case SortKind::Component: return ExternKind::Component;
    case SortKind::Instance: return ExternKind::Instance;
  }
  return ExternKind::Func;
}

/// Adds one item of core sort {s} (function type {func} when known).
void push_core(Scope& scope, const CoreExportInfo& item) {
  switch (item.sort) {
    case CoreSort::Func: scope.core_funcs.push_back(item.func); return;
    case CoreSort::Table: scope.core_tables.push_back(item.table); return;
    case CoreSort::Memory: scope.core_memories.push_back(item.memory); return;
    case CoreSort::Global: scope.core_globals.push_back(item.global); return;
    case CoreSort::Tag: ++scope.core_tags; return;
    case CoreSort::Type: scope.core_types.push_back({}); return;
    case CoreSort::Module: scope.core_modules.push_back({}); return;
    case CoreSort::Instance: scope.core_instances.push_back({}); return;
  }
}

/// What is known of core item {index} of sort {s} (in range).
CoreExportInfo core_item(const Scope& scope, CoreSort s, uint32_t index) {
  CoreExportInfo item{s, {}, {}, {}, {}};
  if (s == CoreSort::Func) item.func = scope.core_funcs[index];
  if (s == CoreSort::Table) item.table = scope.core_tables[index];
  if (s == CoreSort::Memory) item.memory = scope.core_memories[index];
  if (s == CoreSort::Global) item.global = scope.core_globals[index];
  return item;
}

/// Adds one item of sort {s} with nothing known about it but, for types, {kind}.
void push_unknown(Scope& scope, Sort s, TypeKind kind = TypeKind::Unknown) {
  switch (s.kind) {
    case SortKind::Core: push_core(scope, CoreExportInfo{s.core, {}, {}, {}, {}}); return;
    case SortKind::Func: scope.funcs.push_back({}); return;
    case SortKind::Value: ++scope.values; return;
    case SortKind::Type: scope.types.push_back(type_entry(kind)); return;
    case SortKind::Component: scope.components.push_back({}); return;
    case SortKind::Instance: scope.instances.push_back({}); return;
  }
}

CoreModuleInfo module_info(const wasm::Module& m) {
  CoreModuleInfo info;
  info.known = true;
  auto func_type = [&](uint32_t f) -> std::optional<wasm::FuncType> {
    if (f >= m.funcs.size() || m.funcs[f] >= m.types.size()) return std::nullopt;
    return m.types[m.funcs[f]];
  };
  for (const wasm::Import& i : m.imports) {
    CoreImportInfo ci{i.module, i.name, CoreExportInfo{core_sort_of(i.kind), {}, {}, {}, {}}};
    if (i.kind == wasm::ExternKind::Func && i.func_type < m.types.size())
      ci.type.func = m.types[i.func_type];
    if (i.kind == wasm::ExternKind::Table) ci.type.table = i.table;
    if (i.kind == wasm::ExternKind::Memory) ci.type.memory = i.memory;
    if (i.kind == wasm::ExternKind::Global) ci.type.global = i.global;
    info.imports.push_back(std::move(ci));
  }
  for (const wasm::Export& e : m.exports) {
    CoreExportInfo ce{core_sort_of(e.kind), {}, {}, {}, {}};
    if (e.kind == wasm::ExternKind::Func) ce.func = func_type(e.index);
    if (e.kind == wasm::ExternKind::Table && e.index < m.tables.size()) ce.table = m.tables[e.index];
    if (e.kind == wasm::ExternKind::Memory && e.index < m.memories.size())
      ce.memory = m.memories[e.index];
    if (e.kind == wasm::ExternKind::Global && e.index < m.globals.size())
      ce.global = m.globals[e.index];
    info.exports.emplace(e.name, std::move(ce));
  }
  return info;
}

Result<void> validate_core_module(const CoreModule& m, Scope& scope, uint64_t offset) {
  auto ok = wasm::validate_module(*m.module);
  if (!ok) {
    // The core validator's offsets are relative to the module; move them to the component's.
    Error e = std::move(ok).error();
    e.offset = e.offset == kNoOffset ? offset : e.offset + m.offset;
    return e;
  }
  // A module's type (core:moduletype) names each import once, so a module whose imports
  // repeat a (module, name) pair has no module type; wasm-tools rejects it the same way.
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const wasm::Import& i : m.module->imports) {
    if (!seen.emplace(i.module, i.name).second)
      return error_at(offset, "duplicate import name `" + i.module + ":" + i.name + "`");
  }
  scope.core_modules.push_back(module_info(*m.module));
  return {};
}

}  // namespace

namespace {
bool limits_match(const wasm::Limits& actual, const wasm::Limits& expected) {
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

}  // namespace

std::optional<std::string> core_mismatch(const CoreExportInfo& want, const CoreExportInfo& got) {
  if (want.func && got.func && *want.func != *got.func) {
    return "expected: " + wasm::to_string(*want.func) + ", found " + wasm::to_string(*got.func);
  }
  if (want.table && got.table) {
    if (want.table->elem != got.table->elem) {
      return std::string("expected table element type ") + wasm::to_string(want.table->elem) +
             ", found " + wasm::to_string(got.table->elem);
    }
    if (!limits_match(got.table->limits, want.table->limits)) return "mismatch in table limits";
  }
  if (want.memory && got.memory) {
    if (want.memory->limits.shared != got.memory->limits.shared)
      return "mismatch in the shared flag for memories";
    if (!limits_match(got.memory->limits, want.memory->limits)) return "mismatch in memory limits";
  }
  if (want.global && got.global) {
    if (want.global->type != got.global->type) {
      return std::string("expected global type ") + wasm::to_string(want.global->type) +
             ", found " + wasm::to_string(got.global->type);
    }
    if (want.global->mut != got.global->mut) return "mismatch in global mutability";
  }
  return std::nullopt;
}

namespace {

Result<void> check_core_arg(const CoreImportInfo& imp, const CoreInstanceInfo& inst,
                            uint64_t offset) {
  if (!inst.known) return {};
  auto e = inst.exports.find(imp.name);
  if (e == inst.exports.end()) {
    return error_at(offset, "module instantiation argument `" + escape_name(imp.module) +
                                "` does not export an item named `" + escape_name(imp.name) + "`");
  }
  const std::string what =
      "type mismatch for export `" + escape_name(imp.name) + "` of module instantiation argument `" +
      escape_name(imp.module) + "`: ";
  if (e->second.sort != imp.type.sort) {
    return error_at(offset, what + "expected " + to_string(imp.type.sort) + ", found " +
                                to_string(e->second.sort));
  }
  if (auto bad = core_mismatch(imp.type, e->second)) return error_at(offset, what + *bad);
  return {};
}

Result<void> validate_core_instantiate(const CoreInstantiate& ci, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, core_sort(CoreSort::Module), idx(ci.module), offset));
  std::map<std::string, uint32_t, std::less<>> args;
  for (const CoreInstantiateArg& a : ci.args) {
    RILL_CHECK_OK(check_index(scope, core_sort(CoreSort::Instance), idx(a.instance), offset));
    if (!args.emplace(a.name, idx(a.instance)).second)
      return error_at(offset, "duplicate module instantiation argument named `" + escape_name(a.name) + "`");
  }
  const CoreModuleInfo& m = scope.core_modules[idx(ci.module)];
  CoreInstanceInfo result;
  result.known = m.known;
  result.exports = m.exports;
  if (m.known) {
    for (const CoreImportInfo& imp : m.imports) {
      auto a = args.find(imp.module);
      if (a == args.end())
        return error_at(offset, "missing module instantiation argument named `" + escape_name(imp.module) + "`");
      RILL_CHECK_OK(check_core_arg(imp, scope.core_instances[a->second], offset));
    }
  }
  scope.core_instances.push_back(std::move(result));
  return {};
}

Result<void> validate_core_instance(const CoreInstance& inst, Scope& scope, uint64_t offset) {
  if (const auto* ci = std::get_if<CoreInstantiate>(&inst))
    return validate_core_instantiate(*ci, scope, offset);
  CoreInstanceInfo info;
  info.known = true;
  for (const CoreInlineExport& e : std::get<CoreInstanceFromExports>(inst).exports) {
    RILL_CHECK_OK(check_index(scope, core_sort(e.item.sort), e.item.index, offset));
    CoreExportInfo ce = core_item(scope, e.item.sort, e.item.index);
    if (!info.exports.emplace(e.name, std::move(ce)).second)
      return error_at(offset, "export name `" + escape_name(e.name) + "` already defined");
  }
  scope.core_instances.push_back(std::move(info));
  return {};
}

ExternInfo info_of(Sort s, const Scope& scope, uint32_t index) {
  ExternInfo info{extern_kind_of(s), TypeKind::Unknown, nullptr, nullptr, std::nullopt,
                  sem_item(scope, extern_kind_of(s), index)};
  if (s.kind == SortKind::Type) {
    info.type_kind = scope.types[index].kind;
    info.type_index = index;
  }
  if (s.kind == SortKind::Func) {
    info.func = scope.funcs[index].type;
    info.func_scope = scope.funcs[index].scope;
  }
  return info;
}

/// What item {i} of sort {s} refers to by its type, for the rules on exported resources.
Resources item_resources(const Scope& scope, Sort s, uint32_t i) {
  switch (s.kind) {
    case SortKind::Func: return scope.funcs[i].resources;
    case SortKind::Type:
      return scope.types[i].kind == TypeKind::Resource ? Resources{} : scope.types[i].resources;
    case SortKind::Instance: return scope.instances[i].resources;
    case SortKind::Component: return scope.components[i].resources;
    default: return {};
  }
}

/// The weakest name item {i} of sort {s}'s type refers to.
Vis item_worst(const Scope& scope, Sort s, uint32_t i) {
  switch (s.kind) {
    case SortKind::Func:
      if (scope.funcs[i].vis_by_sem) return sem_vis(scope.funcs[i].sem, scope);
      return scope.funcs[i].worst;
    case SortKind::Type: return scope.types[i].worst;
    case SortKind::Instance:
      if (scope.instances[i].vis_by_sem) return sem_vis(scope.instances[i].sem, scope);
      return scope.instances[i].worst;
    case SortKind::Component: return scope.components[i].worst;
    default: return Vis::Imported;
  }
}

/// Binary.md "instantiate" on resolved types: the arguments' resources replace the ones the
/// component imports, each argument must be a subtype of its import, and the resources the
/// component defines are fresh in the instance it makes.
Result<InstanceInfo> instantiate_sem(const SemType& c,
                                     const std::map<std::string, ExternInfo, std::less<>>& args,
                                     Scope& scope, uint64_t offset) {
  ResourceMap map;
  for (const auto& [name, want] : c.imports) {
    auto a = args.find(name);
    if (a == args.end()) return error_at(offset, "missing import named `" + escape_name(name) + "`");
    collect_renaming(want, a->second.sem, c.imported, map);
  }
  for (const auto& [name, want] : c.imports) {
    if (auto m = sem_extern_mismatch(substitute(want, map), args.find(name)->second.sem))
      return error_at(offset, "type mismatch for import `" + escape_name(name) + "`: " + *m);
  }
  for (uint32_t r : c.defined) map[r] = scope.fresh_resource();
  auto exports = std::make_shared<SemType>();
  exports->kind = SemKind::Instance;
  exports->exports = c.exports;
  return instance_from_sem(substitute(sem_finish(std::move(exports)), map));
}

Result<void> validate_instantiate(const Instantiate& in, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Component}, idx(in.component), offset));
  std::map<std::string, ExternInfo, std::less<>> args;
  for (const InstantiateArg& a : in.args) {
    RILL_CHECK_OK(check_index(scope, a.item.sort, a.item.index, offset));
    if (a.item.sort.kind == SortKind::Core && a.item.sort.core != CoreSort::Module)
      return error_at(offset, "instantiation argument `" + escape_name(a.name) + "` is not a valid sort");
    if (!args.emplace(a.name, info_of(a.item.sort, scope, a.item.index)).second) {
      return error_at(offset, "instantiation argument `" + escape_name(a.name) +
                                  "` conflicts with previous argument `" + escape_name(a.name) + "`");
    }
  }
  const ComponentInfo& c = scope.components[idx(in.component)];
  if (c.known) {
    for (const auto& [name, want] : c.imports) {
      auto a = args.find(name);
      if (a == args.end()) return error_at(offset, "missing import named `" + escape_name(name) + "`");
      if (a->second.kind != want.kind) {
        return error_at(offset, "type mismatch for import `" + escape_name(name) + "`: expected " +
                                    to_string(want.kind) + ", found " +
                                    to_string(a->second.kind));
      }
    }
  }
  InstanceInfo made;
  if (c.sem && c.sem->kind == SemKind::Component) {
    RILL_TRY(made, instantiate_sem(*c.sem, args, scope, offset));
  } else {
    made.known = c.known;
    made.exports = c.exports;
  }
  for (const InstantiateArg& a : in.args) {
    if (a.item.sort.kind == SortKind::Type && scope.types[a.item.index].local_resource)
      made.maybe_local_resources = true;
  }
  made.vis_by_sem = made.sem != nullptr;
  scope.instances.push_back(std::move(made));
  return {};
}

Result<void> validate_instance(const Instance& inst, Scope& scope, uint64_t offset) {
  if (const auto* in = std::get_if<Instantiate>(&inst))
    return validate_instantiate(*in, scope, offset);
  InstanceInfo info;
  info.known = true;
  auto sem = std::make_shared<SemType>();
  sem->kind = SemKind::Instance;
  std::map<std::string, std::string> keys;
  std::vector<uint32_t> exported;  // type indices it exports
  for (const InlineExport& e : std::get<InstanceFromExports>(inst).exports) {
    RILL_CHECK_OK(check_index(scope, e.item.sort, e.item.index, offset));
    RILL_CHECK_OK(check_inline_name(e.name, info_of(e.item.sort, scope, e.item.index), scope, offset));
    auto [prev, fresh] = keys.emplace(strongly_unique_key(e.name.name), e.name.name);
    if (!fresh) {
      return error_at(offset, "export name `" + escape_name(e.name.name) + "` conflicts with previous name `" +
                                  escape_name(prev->second) + "`");
    }
    info.exports.emplace(e.name.name, info_of(e.item.sort, scope, e.item.index));
    sem->exports.emplace_back(e.name.name, sem_item(scope, extern_kind_of(e.item.sort), e.item.index));
    add_resources(info.resources, item_resources(scope, e.item.sort, e.item.index));
    info.worst = std::max(info.worst, item_worst(scope, e.item.sort, e.item.index));
    if (e.item.sort.kind == SortKind::Type) {
      exported.push_back(e.item.index);
      if (scope.types[e.item.index].local_resource) info.maybe_local_resources = true;
    }
  }
  // The instance exports these resources itself, so its type does not depend on them.
  for (uint32_t t : exported) {
    for (uint32_t r : scope.types[t].resources) {
      auto it = std::find(info.resources.begin(), info.resources.end(), r);
      if (it != info.resources.end() && scope.types[t].kind == TypeKind::Resource)
        info.resources.erase(it);
    }
  }
  info.sem = sem_finish(std::move(sem));
  // The types it exports are named by it (as is what they refer to, when exported too).
  info.vis_by_sem = true;
  scope.instances.push_back(std::move(info));
  return {};
}

bool outer_sort_ok(Sort s) {
  if (s.kind == SortKind::Core) return s.core == CoreSort::Module || s.core == CoreSort::Type;
  return s.kind == SortKind::Type || s.kind == SortKind::Component;
}

Result<void> validate_outer_alias(const Alias& a, Scope& scope, uint64_t offset) {
  if (!outer_sort_ok(a.sort)) {
    return error_at(offset, "outer aliases may only refer to types, modules or components, not " +
                                to_string(a.sort));
  }
  const Scope* target = &scope;
  bool crosses_component = false;
  for (uint32_t i = 0; i < a.count; ++i) {
    if (target->kind == Scope::Kind::Component) crosses_component = true;
    target = target->parent;
    if (!target)
      return error_at(offset, "invalid outer alias count of " + std::to_string(a.count));
  }
  RILL_CHECK_OK(check_index(*target, a.sort, a.index, offset));
  if (a.sort.kind == SortKind::Type) {
    const TypeEntry& t = target->types[a.index];
    if (crosses_component && t.has_resource()) {
      return error_at(offset, "outer alias of a type that transitively refers to resources");
    }
    scope.types.push_back(t);
    // The type has no name in this scope (wasm-tools): uses by imports/exports need one.
    TypeEntry& copy = scope.types.back();
    if (scope.kind != Scope::Kind::InstanceType) {
      const bool parts_nominal =
          copy.nominal() && copy.sem
              ? std::any_of(copy.sem->elems.begin(), copy.sem->elems.end(), sem_has_nominal)
              : sem_has_nominal(copy.sem);
      if (copy.nominal()) copy.name = Vis::None;
      if (parts_nominal) copy.worst = Vis::None;
    }
    if (scope.kind != Scope::Kind::Component) {
      scope.outer.insert(t.resources.begin(), t.resources.end());
    }
    return {};
  }
  if (a.sort.kind == SortKind::Component) {
    scope.components.push_back(target->components[a.index]);
    return {};
  }
  if (a.sort.core == CoreSort::Module) {
    scope.core_modules.push_back(target->core_modules[a.index]);
    return {};
  }
  scope.core_types.push_back(target->core_types[a.index]);
  return {};
}

/// Gives the item an export alias just added its resolved type {t}. What is aliased out of an
/// instance that was not imported has a name here only if its type was given one.
void set_alias_sem(Scope& scope, Sort s, const SemPtr& t, bool imported) {
  if (!t) return;
  switch (s.kind) {
    case SortKind::Type: {
      TypeEntry& e = scope.types.back();
      e.sem = t;
      if (!imported) {
        e.name = sem_vis(t, scope);
        e.worst = sem_children_vis(t, scope);
      }
      return;
    }
    case SortKind::Func:
      scope.funcs.back().sem = t;
      scope.funcs.back().vis_by_sem = !imported;
      return;
    case SortKind::Instance: {
      InstanceInfo info = instance_from_sem(t);
      info.imported = imported;
      info.vis_by_sem = !imported;
      scope.instances.back() = std::move(info);
      return;
    }
    case SortKind::Component: scope.components.back().sem = t; return;
    default: return;
  }
}

Result<void> validate_export_alias(const Alias& a, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Instance}, a.instance, offset));
  const InstanceInfo& inst = scope.instances[a.instance];
  TypeKind kind = TypeKind::Unknown;
  SemExtern sem;
  if (inst.known) {
    auto e = inst.exports.find(a.name);
    if (e == inst.exports.end()) {
      return error_at(offset, "instance " + std::to_string(a.instance) +
                                  " has no export named `" + escape_name(a.name) + "`");
    }
    if (e->second.kind != extern_kind_of(a.sort) ||
        (a.sort.kind == SortKind::Core && a.sort.core != CoreSort::Module)) {
      const std::string want = a.sort.kind == SortKind::Core ? "module" : to_string(a.sort);
      return error_at(offset, "export `" + escape_name(a.name) + "` for instance " +
                                  std::to_string(a.instance) + " is not a " + want);
    }
    kind = e->second.type_kind;
    sem = e->second.sem;
  }
  const bool imported = inst.imported;
  const bool local = inst.maybe_local_resources;
  push_unknown(scope, a.sort, kind);
  set_alias_sem(scope, a.sort, sem.type, imported);
  if (kind == TypeKind::Resource) {
    // Instantiation may have substituted one of our own resources for it (Binary.md
    // "instantiate"); that is only approximated, so resource.new/rep stay allowed then.
    TypeEntry& t = scope.types.back();
    if (!t.sem || t.sem->kind != SemKind::Resource) {
      t.sem = sem_resource(SemKind::Resource, scope.fresh_resource());
    }
    t.resources = {t.sem->resource};
    t.local_resource = local;
  }
  return {};
}

Result<void> validate_core_export_alias(const Alias& a, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, core_sort(CoreSort::Instance), a.instance, offset));
  if (a.sort.kind != SortKind::Core)
    return error_at(offset, "core export alias of a non-core sort");
  const CoreInstanceInfo& inst = scope.core_instances[a.instance];
  CoreExportInfo item{a.sort.core, {}, {}, {}, {}};
  if (inst.known) {
    auto e = inst.exports.find(a.name);
    if (e == inst.exports.end()) {
      return error_at(offset, "core instance " + std::to_string(a.instance) +
                                  " has no export named `" + escape_name(a.name) + "`");
    }
    if (e->second.sort != a.sort.core) {
      return error_at(offset, "export `" + escape_name(a.name) + "` for core instance " +
                                  std::to_string(a.instance) + " is not a " +
                                  to_string(a.sort.core));
    }
    item = e->second;
  }
  push_core(scope, item);
  return {};
}

}  // namespace

Result<void> validate_alias(const Alias& a, Scope& scope, uint64_t offset) {
  switch (a.kind) {
    case AliasKind::Outer: return validate_outer_alias(a, scope, offset);
    case AliasKind::Export: return validate_export_alias(a, scope, offset);
    case AliasKind::CoreExport: return validate_core_export_alias(a, scope, offset);
  }
  return {};
}

namespace {

Result<void> validate_body(const Component& c, Scope& scope);

Result<void> validate_nested(const Component& c, Scope& scope) {
  auto inner = std::make_shared<Scope>(Scope::Kind::Component, &scope);
  RILL_CHECK_OK(validate_body(c, *inner));
  ComponentInfo info;
  info.known = true;
  info.sem = sem_component_of(*inner);
  info.imports = std::move(inner->imports);
  info.exports = std::move(inner->exports);
  info.scope = std::move(inner);
  scope.components.push_back(std::move(info));
  return {};
}

Result<void> validate_start(const Start& s, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Func}, idx(s.func), offset));
  for (ValueIdx v : s.args) RILL_CHECK_OK(check_index(scope, Sort{SortKind::Value}, idx(v), offset));
  scope.values += s.results;
  return {};
}

Result<void> validate_import(const Import& imp, Scope& scope, uint64_t offset) {
  RILL_TRY(ExternInfo info, check_extern_type(imp.type, scope, offset));
  RILL_CHECK_OK(check_visible(scope, extern_worst(imp.type, scope), imp.type.kind, true, offset));
  RILL_CHECK_OK(check_name(imp.name, info, true, scope, offset));
  push_extern(imp.type, scope, true);
  if (imp.type.kind == ExternKind::Type) {
    name_resource(imp.name, scope, true);
    info.type_index = static_cast<uint32_t>(scope.types.size() - 1);
  }
  if (imp.type.kind == ExternKind::Func) info.type_index = imp.type.index;
  info.sem = last_item(scope, imp.type.kind);
  scope.imports.emplace_back(imp.name.name, info);
  return {};
}

/// Why an item of resolved type {got} does not have the type {t} its export ascribes.
std::optional<std::string> ascription_mismatch(const ExternType& t, const SemExtern& got,
                                               const Scope& scope) {
  SemExtern want;
  want.kind = t.kind;
  switch (t.kind) {
    case ExternKind::Func:
    case ExternKind::Component:
    case ExternKind::Instance: want.type = scope.types[t.index].sem; break;
    case ExternKind::Type:
      if (t.type_bound.kind == TypeBound::Kind::SubResource) return std::nullopt;
      want.type = scope.types[idx(t.type_bound.index)].sem;
      break;
    case ExternKind::CoreModule: {
      const auto& m = scope.core_types[t.index].module;
      if (!m) return std::nullopt;
      want.module = m;
      break;
    }
    case ExternKind::Value: return std::nullopt;
  }
  return sem_extern_mismatch(want, got);
}

/// The item an export (without ascription) added has the exported item's type {t}.
void set_export_sem(Scope& scope, Sort s, const SemPtr& t) {
  if (s.kind == SortKind::Func) scope.funcs.back().sem = t;
  if (s.kind == SortKind::Component) scope.components.back().sem = t;
  if (s.kind == SortKind::Instance && t) scope.instances.back() = instance_from_sem(t);
}

Result<void> validate_export(const Export& e, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, e.item.sort, e.item.index, offset));
  if (e.item.sort.kind == SortKind::Core && e.item.sort.core != CoreSort::Module)
    return error_at(offset, to_string(e.item.sort) + " not valid to be used as export");
  ExternInfo info = info_of(e.item.sort, scope, e.item.index);
  const Vis worst = e.type ? Vis::Imported : item_worst(scope, e.item.sort, e.item.index);
  RILL_CHECK_OK(check_visible(scope, worst, info.kind, false, offset));
  if (e.type) {
    RILL_TRY(ExternInfo ascribed, check_extern_type(*e.type, scope, offset));
    if (ascribed.kind != info.kind)
      return error_at(offset, "ascribed type of export is not compatible with item");
    if (auto m = ascription_mismatch(*e.type, info.sem, scope))
      return error_at(offset, "ascribed type of export is not compatible with item's type: " + *m);
    info = ascribed;
    RILL_CHECK_OK(check_visible(scope, extern_worst(*e.type, scope), info.kind, false, offset));
  }
  RILL_CHECK_OK(check_name(e.name, info, false, scope, offset));
  if (e.type) {
    push_extern(*e.type, scope, false);
    if (e.type->kind == ExternKind::Type) name_resource(e.name, scope, false);
    info.sem = last_item(scope, e.type->kind);
  } else if (e.item.sort.kind == SortKind::Type) {
    scope.types.push_back(scope.types[e.item.index]);
    scope.types.back().name = Vis::Exported;
    name_sem(scope.types.back().sem, Vis::Exported, scope);
    name_resource(e.name, scope, false);
  } else {
    push_unknown(scope, e.item.sort);
    set_export_sem(scope, e.item.sort, info.sem.type);
    if (e.item.sort.kind == SortKind::Instance) name_sem(info.sem.type, Vis::Exported, scope);
  }
  scope.exports.emplace(e.name.name, info);
  return {};
}

Result<void> validate_definition(const Definition& d, Scope& scope) {
  const uint64_t at = d.offset;
  return std::visit(
      [&](const auto& def) -> Result<void> {
        using T = std::decay_t<decltype(def)>;
        if constexpr (std::is_same_v<T, CoreModule>) {
          return validate_core_module(def, scope, at);
        } else if constexpr (std::is_same_v<T, CoreInstance>) {
          return validate_core_instance(def, scope, at);
        } else if constexpr (std::is_same_v<T, CoreType>) {
          RILL_TRY(auto entries, validate_core_type(def, scope));
          for (auto& e : entries) scope.core_types.push_back(std::move(e));
          return {};
        } else if constexpr (std::is_same_v<T, std::shared_ptr<const Component>>) {
          return validate_nested(*def, scope);
        } else if constexpr (std::is_same_v<T, Instance>) {
          return validate_instance(def, scope, at);
        } else if constexpr (std::is_same_v<T, Alias>) {
          return validate_alias(def, scope, at);
        } else if constexpr (std::is_same_v<T, Type>) {
          RILL_TRY(TypeEntry e, validate_type(def, scope, at));
          scope.types.push_back(e);
          return {};
        } else if constexpr (std::is_same_v<T, Canon>) {
          return validate_canon(def, scope, at);
        } else if constexpr (std::is_same_v<T, Start>) {
          return validate_start(def, scope, at);
        } else if constexpr (std::is_same_v<T, Import>) {
          return validate_import(def, scope, at);
        } else if constexpr (std::is_same_v<T, Export>) {
          return validate_export(def, scope, at);
        } else {
          RILL_CHECK_OK(check_valtype(def.type, scope, at));
          ++scope.values;
          return {};
        }
      },
      d.def);
}

Result<void> validate_body(const Component& c, Scope& scope) {
  for (const Definition& d : c.defs) {
    const ItemCounts before = item_counts(scope);
    RILL_CHECK_OK(validate_definition(d, scope));
    RILL_CHECK_OK(check_new_items(scope, before, d.offset));
  }
  return {};
}

}  // namespace
}  // namespace detail

Result<void> validate_component(const Component& c) {
  detail::Scope root;
  return detail::validate_body(c, root);
}

}  // namespace rill::component
