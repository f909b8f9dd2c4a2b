// Instantiation: evaluates a component's definitions in order (Explainer.md), building each
// scope's index spaces, instantiating core modules and nested components, and turning canon
// definitions into lifted component functions and lowered core host functions.
#include "rill/base/escape.h"
#include "rill/component/decoder.h"
#include "rill/component/rt/builtins.h"
#include "rill/component/rt/linker.h"
#include "rill/component/rt/resolve.h"
#include "rill/component/validator.h"

namespace rill::component::rt {

std::optional<CoreItem> CoreInstanceRt::get(std::string_view name) const {
  if (inst) {
    auto e = inst->get_export(name);
    if (!e) return std::nullopt;
    return std::visit(
        [](auto* p) -> CoreItem {
          using P = std::remove_pointer_t<decltype(p)>;
          if constexpr (std::is_same_v<P, engine::Function>) return CoreFuncRt{p, {}};
          else return p;
        },
        *e);
  }
  for (const auto& [n, item] : exports)
    if (n == name) return item;
  return std::nullopt;
}

const Item* InstanceRt::find(std::string_view name) const {
  for (const auto& [n, item] : exports)
    if (n == name) return &item;
  return nullptr;
}

namespace {

void collect_modules(const Component& c, engine::Engine& engine, CompiledComponent& out,
                     std::optional<Error>& err) {
  for (const Definition& d : c.defs) {
    if (err) return;
    if (const auto* m = std::get_if<CoreModule>(&d.def)) {
      // validate_component validated the module in full: translate its functions lazily.
      auto r = engine.compile_validated(m->module);
      if (!r) {
        err = Error{r.error().message, r.error().offset};
        return;
      }
      out.modules[m->module.get()] = *r;
    } else if (const auto* n = std::get_if<std::shared_ptr<const Component>>(&d.def)) {
      collect_modules(**n, engine, out, err);
    }
  }
}

struct Ctx {
  engine::Store& store;
  std::shared_ptr<const CompiledComponent> compiled;
  MaybeTrap trap;
  bool stub_missing = false;
};

Error at(uint64_t offset, std::string msg) { return Error{std::move(msg), offset}; }

Result<engine::Function*> concrete_func(ScopeRt& s, uint32_t index, const wasm::FuncType& want,
                                        uint64_t offset) {
  if (index >= s.core_funcs.size()) return at(offset, "unknown core func " + std::to_string(index));
  engine::Function* f = s.core_funcs[index].get(want);
  if (!f) return at(offset, "core func " + std::to_string(index) + " cannot be used here");
  return f;
}


/// A core built-in the runtime does not implement yet: it keeps the may_leave rule and
/// otherwise traps with its name.
CoreFuncRt unsupported_builtin(Ctx& cx, ComponentInstanceRt* inst, CanonKind kind) {
  CoreFuncRt f;
  engine::Store* store = &cx.store;
  f.make = [store, inst, kind](const wasm::FuncType& t) {
    return store->create_host_function(
        t, [inst, kind](engine::Caller&, std::span<const engine::Value>,
                        std::span<engine::Value>) -> std::optional<engine::Trap> {
          if (!inst->may_leave) return component_trap(ComponentTrap::CannotLeave);
          return component_trap(ComponentTrap::NotSupported, std::string("canon ") + to_string(kind));
        });
  };
  return f;
}

Result<void> run_canon(const Canon& c, ScopeRt& s, Ctx& cx, uint64_t offset) {
  ComponentInstanceRt* inst = s.inst;
  switch (c.kind) {
    case CanonKind::Lift: {
      const uint32_t ti = idx(c.func_type);
      if (ti >= s.types.size() || s.types[ti].kind != TypeRt::Kind::Func)
        return at(offset, "canon lift: type " + std::to_string(ti) + " is not a function type");
      auto f = std::make_shared<LiftedFunc>();
      f->type = s.types[ti].func;
      RILL_TRY(f->opts, resolve_opts(c.opts, s, offset));
      const bool async = f->type->async || f->opts.async;
      RILL_TRY(f->core, concrete_func(s, c.index,
                                      async ? lift_signature_async(*f->type, f->opts.callback != nullptr)
                                            : lift_signature(*f->type),
                                      offset));
      f->inst = inst;
      s.funcs.push_back(std::move(f));
      return {};
    }
    case CanonKind::Lower: {
      if (c.index >= s.funcs.size()) return at(offset, "canon lower: unknown func");
      FuncPtr callee = s.funcs[c.index];
      RILL_TRY(CanonOpts opts, resolve_opts(c.opts, s, offset));
      engine::Function* fn = cx.store.create_host_function(
          opts.async ? lower_signature_async(*callee->type) : lower_signature(*callee->type),
          [callee, opts, inst](engine::Caller&, std::span<const engine::Value> args,
                               std::span<engine::Value> results) -> std::optional<engine::Trap> {
            return call_lowered(callee, opts, inst, args, results);
          });
      s.core_funcs.push_back(CoreFuncRt{fn, {}});
      return {};
    }
    case CanonKind::ResourceNew:
    case CanonKind::ResourceDrop:
    case CanonKind::ResourceRep: {
      if (c.index >= s.types.size() || s.types[c.index].kind != TypeRt::Kind::Resource)
        return at(offset, "type " + std::to_string(c.index) + " is not a resource type");
      std::shared_ptr<const ResourceTypeRt> rt = s.types[c.index].resource;
      engine::Function* fn = nullptr;
      if (c.kind == CanonKind::ResourceNew) {
        fn = cx.store.create_host_function(
            wasm::FuncType{{wasm::kI32}, {wasm::kI32}},
            [inst, rt](engine::Caller&, std::span<const engine::Value> a,
                       std::span<engine::Value> r) -> std::optional<engine::Trap> {
              uint32_t i = 0;
              if (auto t = resource_new(inst, rt, a[0].i32, i)) return t;
              r[0] = engine::Value::from_i32(i);
              return std::nullopt;
            });
      } else if (c.kind == CanonKind::ResourceDrop) {
        fn = cx.store.create_host_function(
            wasm::FuncType{{wasm::kI32}, {}},
            [inst, rt](engine::Caller&, std::span<const engine::Value> a,
                       std::span<engine::Value>) -> std::optional<engine::Trap> {
              return resource_drop(inst, rt, a[0].i32);
            });
      } else {
        fn = cx.store.create_host_function(
            wasm::FuncType{{wasm::kI32}, {wasm::kI32}},
            [inst, rt](engine::Caller&, std::span<const engine::Value> a,
                       std::span<engine::Value> r) -> std::optional<engine::Trap> {
              uint32_t rep = 0;
              if (auto t = resource_rep(inst, rt, a[0].i32, rep)) return t;
              r[0] = engine::Value::from_i32(rep);
              return std::nullopt;
            });
      }
      s.core_funcs.push_back(CoreFuncRt{fn, {}});
      return {};
    }
    default: {
      RILL_TRY(bool made, make_task_builtin(c, s, cx.store, offset));
      if (!made) {
        RILL_TRY(made, make_stream_builtin(c, s, cx.store, offset));
      }
      if (!made) s.core_funcs.push_back(unsupported_builtin(cx, inst, c.kind));
      return {};
    }
  }
}

Result<void> run_core_instance(const CoreInstance& ci, ScopeRt& s, Ctx& cx, uint64_t offset) {
  auto out = std::make_shared<CoreInstanceRt>();
  if (const auto* inl = std::get_if<CoreInstanceFromExports>(&ci)) {
    for (const CoreInlineExport& e : inl->exports) {
      const uint32_t i = e.item.index;
      CoreItem item;
      switch (e.item.sort) {
        case CoreSort::Func:
          if (i >= s.core_funcs.size()) return at(offset, "unknown core func");
          item = s.core_funcs[i];
          break;
        case CoreSort::Table:
          if (i >= s.core_tables.size()) return at(offset, "unknown core table");
          item = s.core_tables[i];
          break;
        case CoreSort::Memory:
          if (i >= s.core_memories.size()) return at(offset, "unknown core memory");
          item = s.core_memories[i];
          break;
        case CoreSort::Global:
          if (i >= s.core_globals.size()) return at(offset, "unknown core global");
          item = s.core_globals[i];
          break;
        default: return at(offset, std::string("core ") + to_string(e.item.sort) + " exports are not supported");
      }
      out->exports.emplace_back(e.name, std::move(item));
    }
    s.core_instances.push_back(std::move(out));
    return {};
  }
  const auto& inst = std::get<CoreInstantiate>(ci);
  const uint32_t mi = idx(inst.module);
  if (mi >= s.core_modules.size()) return at(offset, "unknown core module");
  const auto& compiled = s.core_modules[mi]->compiled;
  const wasm::Module& m = *compiled->module;
  std::vector<engine::Extern> imports;
  imports.reserve(m.imports.size());
  for (const wasm::Import& imp : m.imports) {
    const CoreInstanceRt* from = nullptr;
    for (const auto& a : inst.args)
      if (a.name == imp.module) {
        if (idx(a.instance) >= s.core_instances.size()) return at(offset, "unknown core instance");
        from = s.core_instances[idx(a.instance)].get();
      }
    if (!from) return at(offset, "core instantiation: no argument for module \"" + escape_name(imp.module) + "\"");
    std::optional<CoreItem> item = from->get(imp.name);
    if (!item)
      return at(offset, "core instantiation: unknown import \"" + escape_name(imp.module) + "\" \"" + escape_name(imp.name) + "\"");
    switch (imp.kind) {
      case wasm::ExternKind::Func: {
        auto* f = std::get_if<CoreFuncRt>(&*item);
        if (!f) return at(offset, "core instantiation: import \"" + escape_name(imp.name) + "\" is not a function");
        engine::Function* fn = f->fn ? f->fn : f->make ? f->make(m.types[imp.func_type]) : nullptr;
        imports.emplace_back(fn);
        break;
      }
      case wasm::ExternKind::Table:
        if (!std::holds_alternative<engine::Table*>(*item)) return at(offset, "import \"" + escape_name(imp.name) + "\" is not a table");
        imports.emplace_back(std::get<engine::Table*>(*item));
        break;
      case wasm::ExternKind::Memory:
        if (!std::holds_alternative<engine::Memory*>(*item)) return at(offset, "import \"" + escape_name(imp.name) + "\" is not a memory");
        imports.emplace_back(std::get<engine::Memory*>(*item));
        break;
      case wasm::ExternKind::Global:
        if (!std::holds_alternative<engine::Global*>(*item)) return at(offset, "import \"" + escape_name(imp.name) + "\" is not a global");
        imports.emplace_back(std::get<engine::Global*>(*item));
        break;
      default: return at(offset, "core tag imports are not supported");
    }
  }
  engine::InstantiateResult r;
  {
    StartScope start(s.inst);  // a start function's built-ins run in a sync task
    r = cx.store.instantiate(compiled, imports);
  }
  if (r.link_error) return at(offset, "core instantiation: " + r.link_error->message);
  if (r.trap) {
    cx.trap = std::move(r.trap);
    return at(offset, "core instance start function trapped");
  }
  out->inst = r.instance;
  s.core_instances.push_back(std::move(out));
  return {};
}

/// Pushes {item} into the index space of {sort} (import, export or alias).
Result<void> push_item(ScopeRt& s, SortKind sort, Item item, uint64_t offset) {
  auto wrong = [&] { return at(offset, std::string("expected an item of another sort, found a ") + item_kind(item)); };
  switch (sort) {
    case SortKind::Func:
      if (auto* f = std::get_if<FuncPtr>(&item)) s.funcs.push_back(*f);
      else return wrong();
      return {};
    case SortKind::Type:
      if (auto* t = std::get_if<TypeRt>(&item)) s.types.push_back(*t);
      else return wrong();
      return {};
    case SortKind::Component:
      if (auto* c = std::get_if<std::shared_ptr<ComponentClosure>>(&item)) s.components.push_back(*c);
      else return wrong();
      return {};
    case SortKind::Instance:
      if (auto* i = std::get_if<std::shared_ptr<InstanceRt>>(&item)) s.instances.push_back(*i);
      else return wrong();
      return {};
    case SortKind::Value:
      if (auto* v = std::get_if<std::shared_ptr<Value>>(&item)) s.values.push_back(*v);
      else return wrong();
      return {};
    case SortKind::Core:
      if (auto* m = std::get_if<std::shared_ptr<CoreModuleRt>>(&item)) s.core_modules.push_back(*m);
      else return wrong();
      return {};
  }
  return {};
}

Result<Item> get_item(const ScopeRt& s, SortIdx si, uint64_t offset) {
  const uint32_t i = si.index;
  auto oob = [&] { return at(offset, "unknown " + to_string(si.sort) + " " + std::to_string(i)); };
  switch (si.sort.kind) {
    case SortKind::Func: if (i >= s.funcs.size()) return oob(); return Item{s.funcs[i]};
    case SortKind::Type: if (i >= s.types.size()) return oob(); return Item{s.types[i]};
    case SortKind::Component: if (i >= s.components.size()) return oob(); return Item{s.components[i]};
    case SortKind::Instance: if (i >= s.instances.size()) return oob(); return Item{s.instances[i]};
    case SortKind::Value: if (i >= s.values.size()) return oob(); return Item{s.values[i]};
    case SortKind::Core:
      if (si.sort.core == CoreSort::Module) {
        if (i >= s.core_modules.size()) return oob();
        return Item{s.core_modules[i]};
      }
      return at(offset, "core " + std::string(to_string(si.sort.core)) + " cannot be a component-level item");
  }
  return oob();
}

Result<void> run_alias(const Alias& a, ScopeRt& s, uint64_t offset) {
  switch (a.kind) {
    case AliasKind::Export: {
      if (a.instance >= s.instances.size()) return at(offset, "unknown instance");
      const Item* item = s.instances[a.instance]->find(a.name);
      if (!item) return at(offset, "instance has no export \"" + escape_name(a.name) + "\"");
      return push_item(s, a.sort.kind, *item, offset);
    }
    case AliasKind::CoreExport: {
      if (a.instance >= s.core_instances.size()) return at(offset, "unknown core instance");
      std::optional<CoreItem> item = s.core_instances[a.instance]->get(a.name);
      if (!item) return at(offset, "core instance has no export \"" + escape_name(a.name) + "\"");
      switch (a.sort.core) {
        case CoreSort::Func:
          if (auto* f = std::get_if<CoreFuncRt>(&*item)) s.core_funcs.push_back(*f);
          else return at(offset, "core export \"" + escape_name(a.name) + "\" is not a function");
          return {};
        case CoreSort::Table:
          if (auto* t = std::get_if<engine::Table*>(&*item)) s.core_tables.push_back(*t);
          else return at(offset, "core export \"" + escape_name(a.name) + "\" is not a table");
          return {};
        case CoreSort::Memory:
          if (auto* m = std::get_if<engine::Memory*>(&*item)) s.core_memories.push_back(*m);
          else return at(offset, "core export \"" + escape_name(a.name) + "\" is not a memory");
          return {};
        case CoreSort::Global:
          if (auto* g = std::get_if<engine::Global*>(&*item)) s.core_globals.push_back(*g);
          else return at(offset, "core export \"" + escape_name(a.name) + "\" is not a global");
          return {};
        default: return at(offset, "core tag aliases are not supported");
      }
    }
    case AliasKind::Outer: {
      RILL_TRY(const ScopeRt* o, outer_scope(s, a.count));
      if (a.sort.kind == SortKind::Core) {
        if (a.sort.core == CoreSort::Type) {
          s.core_types++;
          return {};
        }
        if (a.index >= o->core_modules.size()) return at(offset, "outer alias of an unknown core module");
        s.core_modules.push_back(o->core_modules[a.index]);
        return {};
      }
      if (a.sort.kind == SortKind::Type) {
        if (a.index >= o->types.size()) return at(offset, "outer alias of an unknown type");
        s.types.push_back(o->types[a.index]);
        return {};
      }
      if (a.sort.kind == SortKind::Component) {
        if (a.index >= o->components.size()) return at(offset, "outer alias of an unknown component");
        s.components.push_back(o->components[a.index]);
        return {};
      }
      return at(offset, "outer alias of a " + to_string(a.sort));
    }
  }
  return {};
}

Result<std::shared_ptr<InstanceRt>> instantiate_in(Ctx& cx, const ComponentClosure& c,
                                                   const ImportMap& args, ComponentInstanceRt* inst,
                                                   bool check);

Result<void> run_instance(const Instance& def, ScopeRt& s, Ctx& cx, uint64_t offset) {
  if (const auto* inl = std::get_if<InstanceFromExports>(&def)) {
    auto out = std::make_shared<InstanceRt>();
    for (const InlineExport& e : inl->exports) {
      RILL_TRY(Item item, get_item(s, e.item, offset));
      out->exports.emplace_back(e.name.name, std::move(item));
    }
    s.instances.push_back(std::move(out));
    return {};
  }
  const auto& in = std::get<Instantiate>(def);
  if (idx(in.component) >= s.components.size()) return at(offset, "unknown component");
  const ComponentClosure& closure = *s.components[idx(in.component)];
  ImportMap args;
  for (const InstantiateArg& a : in.args) {
    RILL_TRY(Item item, get_item(s, a.item, offset));
    args.define(a.name, std::move(item));
  }
  auto child = std::make_unique<ComponentInstanceRt>();
  child->store = &cx.store;
  child->handles.set_limit(cx.store.engine().config().max_component_handles);
  child->parent = s.inst;
  ComponentInstanceRt* raw = child.get();
  s.inst->children.push_back(std::move(child));
  RILL_TRY(auto out, instantiate_in(cx, closure, args, raw, false));
  s.instances.push_back(std::move(out));
  return {};
}

/// A made-up item for an import of type {et} declared in {s} (see instantiate's stub_missing).
Result<Item> stub_item(const ExternType& et, const std::shared_ptr<ScopeRt>& s) {
  switch (et.kind) {
    case ExternKind::Func: {
      auto h = std::make_shared<HostFuncRt>();
      h->fn = [](std::span<const Value>, std::vector<Value>&) -> MaybeTrap { return std::nullopt; };
      if (et.index < s->types.size() && s->types[et.index].kind == TypeRt::Kind::Func) {
        h->type = s->types[et.index].func;
        if (const RTypePtr& r = h->type->result) {
          h->fn = [r](std::span<const Value>, std::vector<Value>& out) -> MaybeTrap {
            out.push_back(zero_value_of(*r));
            return std::nullopt;
          };
        }
      }
      if (!h->type) return Error{"stub: unresolved function type"};
      return Item{FuncPtr(std::move(h))};
    }
    case ExternKind::Type: {
      if (et.type_bound.kind == TypeBound::Kind::SubResource) {
        auto rt = std::make_shared<ResourceTypeRt>();
        rt->name = "stub";
        TypeRt t;
        t.kind = TypeRt::Kind::Resource;
        t.resource = std::move(rt);
        return Item{std::move(t)};
      }
      const uint32_t b = idx(et.type_bound.index);
      if (b >= s->types.size()) return Error{"stub: unknown type"};
      return Item{s->types[b]};
    }
    case ExternKind::Instance: {
      if (et.index >= s->types.size() || s->types[et.index].kind != TypeRt::Kind::Instance)
        return Error{"stub: unresolved instance type"};
      const TypeRt& it = s->types[et.index];
      auto tmp = std::make_shared<ScopeRt>();
      tmp->parent = it.scope.lock();
      auto out = std::make_shared<InstanceRt>();
      for (const TypeDecl& d : it.instance->decls) {
        if (const auto* t = std::get_if<Type>(&d.decl)) {
          RILL_TRY(TypeRt r, resolve_type(*t, tmp));
          tmp->types.push_back(std::move(r));
        } else if (const auto* a = std::get_if<Alias>(&d.decl)) {
          if (a->kind != AliasKind::Outer || a->sort.kind != SortKind::Type) continue;
          RILL_TRY(const ScopeRt* o, outer_scope(*tmp, a->count));
          if (a->index >= o->types.size()) return Error{"stub: outer alias of an unknown type"};
          tmp->types.push_back(o->types[a->index]);
        } else if (const auto* e = std::get_if<ExternDecl>(&d.decl)) {
          RILL_TRY(Item item, stub_item(e->type, tmp));
          if (e->type.kind == ExternKind::Type) tmp->types.push_back(std::get<TypeRt>(item));
          out->exports.emplace_back(e->name.name, std::move(item));
        }
      }
      return Item{std::move(out)};
    }
    default: return Error{"stub: imports of this kind cannot be made up"};
  }
}

Result<void> run_import(const Import& imp, const std::shared_ptr<ScopeRt>& sp, const ImportMap& args,
                        bool check, uint64_t offset, bool stub_missing) {
  ScopeRt& s = *sp;
  const Item* item = args.find(imp.name.name);
  Item stub;
  if (!item && stub_missing) {
    auto r = stub_item(imp.type, sp);
    if (!r) return at(offset, r.error().message);
    stub = std::move(*r);
    item = &stub;
  }
  if (!item) {
    const char* kind = "item";
    switch (imp.type.kind) {
      case ExternKind::Func: kind = "func"; break;
      case ExternKind::Instance: kind = "instance"; break;
      case ExternKind::Type: kind = "type"; break;
      case ExternKind::Component: kind = "component"; break;
      case ExternKind::CoreModule: kind = "core module"; break;
      case ExternKind::Value: kind = "value"; break;
    }
    return at(offset, std::string("unknown import: ") + kind + " \"" + escape_name(imp.name.name) + "\" is not defined");
  }
  Item checked;
  if (check) {
    auto r = check_import(imp.name.name, imp.type, *item, sp);
    if (!r) return at(offset, r.error().message);
    checked = std::move(*r);
    item = &checked;
  }
  switch (imp.type.kind) {
    case ExternKind::Func: return push_item(s, SortKind::Func, *item, offset);
    case ExternKind::Instance: return push_item(s, SortKind::Instance, *item, offset);
    case ExternKind::Component: return push_item(s, SortKind::Component, *item, offset);
    case ExternKind::CoreModule: return push_item(s, SortKind::Core, *item, offset);
    case ExternKind::Value: return push_item(s, SortKind::Value, *item, offset);
    case ExternKind::Type: {
      if (imp.type.type_bound.kind == TypeBound::Kind::Eq) {
        const uint32_t b = idx(imp.type.type_bound.index);
        if (b >= s.types.size()) return at(offset, "unknown type");
        // A resource imported with an eq bound is the bound's resource; otherwise keep what
        // was supplied (they are equal by validation or by the check above).
        s.types.push_back(s.types[b]);
        return {};
      }
      return push_item(s, SortKind::Type, *item, offset);
    }
  }
  return {};
}

Result<std::shared_ptr<InstanceRt>> instantiate_in(Ctx& cx, const ComponentClosure& c,
                                                   const ImportMap& args, ComponentInstanceRt* inst,
                                                   bool check) {
  auto sp = std::make_shared<ScopeRt>();
  sp->parent = c.outer.lock();
  if (!sp->parent && c.nested) return Error{"component definition outlived the instance that defined it"};
  sp->inst = inst;
  inst->scopes.push_back(sp);
  ScopeRt& s = *sp;
  auto out = std::make_shared<InstanceRt>();
  out->inst = inst;
  for (const Definition& d : c.def->defs) {
    const uint64_t off = d.offset;
    Result<void> r = std::visit(
        [&](const auto& def) -> Result<void> {
          using T = std::decay_t<decltype(def)>;
          if constexpr (std::is_same_v<T, CoreModule>) {
            auto it = cx.compiled->modules.find(def.module.get());
            if (it == cx.compiled->modules.end()) return at(off, "core module was not compiled");
            s.core_modules.push_back(std::make_shared<CoreModuleRt>(CoreModuleRt{it->second}));
            return {};
          } else if constexpr (std::is_same_v<T, CoreInstance>) {
            return run_core_instance(def, s, cx, off);
          } else if constexpr (std::is_same_v<T, CoreType>) {
            if (const auto* rec = std::get_if<CoreRecType>(&def.type)) s.core_types += static_cast<uint32_t>(rec->types.size());
            else s.core_types++;
            return {};
          } else if constexpr (std::is_same_v<T, std::shared_ptr<const Component>>) {
            s.components.push_back(std::make_shared<ComponentClosure>(ComponentClosure{def.get(), sp, cx.compiled, true}));
            return {};
          } else if constexpr (std::is_same_v<T, Instance>) {
            return run_instance(def, s, cx, off);
          } else if constexpr (std::is_same_v<T, Alias>) {
            return run_alias(def, s, off);
          } else if constexpr (std::is_same_v<T, Type>) {
            if (const auto* res = std::get_if<ResourceType>(&def.type)) {
              auto rt = std::make_shared<ResourceTypeRt>();
              rt->impl = inst;
              if (res->dtor) {
                RILL_TRY(rt->dtor, concrete_func(s, idx(*res->dtor), wasm::FuncType{{wasm::kI32}, {}}, off));
              }
              rt->name = "resource";
              TypeRt t;
              t.kind = TypeRt::Kind::Resource;
              t.resource = std::move(rt);
              s.types.push_back(std::move(t));
              return {};
            }
            {
              std::lock_guard<std::mutex> lock(cx.compiled->type_cache_mutex);
              auto it = cx.compiled->type_cache.find(&def);
              if (it != cx.compiled->type_cache.end()) {
                s.types.push_back(*static_cast<const TypeRt*>(it->second.get()));
                return {};
              }
            }
            auto t = resolve_type(def, sp);
            if (!t) return at(off, t.error().message);
            bool shareable = false;
            if (t->kind == TypeRt::Kind::Val) {
              shareable = !t->value->has_own && !t->value->has_borrow;
            } else if (t->kind == TypeRt::Kind::Func) {
              shareable = !t->func->params_tuple->has_own && !t->func->params_tuple->has_borrow &&
                          !t->func->results_tuple->has_own;
            }
            if (shareable) {
              std::lock_guard<std::mutex> lock(cx.compiled->type_cache_mutex);
              cx.compiled->type_cache.emplace(&def, std::make_shared<const TypeRt>(*t));
            }
            s.types.push_back(std::move(*t));
            return {};
          } else if constexpr (std::is_same_v<T, Canon>) {
            return run_canon(def, s, cx, off);
          } else if constexpr (std::is_same_v<T, Start>) {
            return at(off, "component start functions are not supported yet");
          } else if constexpr (std::is_same_v<T, Import>) {
            return run_import(def, sp, args, check, off, check && cx.stub_missing);
          } else if constexpr (std::is_same_v<T, Export>) {
            RILL_TRY(Item item, get_item(s, def.item, off));
            out->exports.emplace_back(def.name.name, item);
            // An export adds a fresh index to its sort's space.
            if (def.item.sort.kind == SortKind::Core) return push_item(s, SortKind::Core, std::move(item), off);
            if (auto* t = std::get_if<TypeRt>(&item); t && t->kind == TypeRt::Kind::Resource) {
              // Name the resource for messages.
              std::const_pointer_cast<ResourceTypeRt>(t->resource)->name = def.name.name;
            }
            return push_item(s, def.item.sort.kind, std::move(item), off);
          } else {
            static_assert(std::is_same_v<T, component::Value>);
            return at(off, "component value definitions are not supported yet");
          }
        },
        d.def);
    if (!r) return std::move(r).error();
  }
  return out;
}

}  // namespace

Result<CanonOpts> resolve_opts(const std::vector<CanonOpt>& opts, ScopeRt& s, uint64_t offset) {
  CanonOpts o;
  static const wasm::FuncType kRealloc{{wasm::kI32, wasm::kI32, wasm::kI32, wasm::kI32}, {wasm::kI32}};
  for (const CanonOpt& opt : opts) {
    switch (opt.kind) {
      case CanonOptKind::Utf8: o.encoding = CanonOpts::Encoding::Utf8; break;
      case CanonOptKind::Utf16: o.encoding = CanonOpts::Encoding::Utf16; break;
      case CanonOptKind::Latin1Utf16: o.encoding = CanonOpts::Encoding::Latin1Utf16; break;
      case CanonOptKind::Memory:
        if (opt.index >= s.core_memories.size()) return Error{"unknown core memory", offset};
        o.memory = s.core_memories[opt.index];
        break;
      case CanonOptKind::Realloc: {
        RILL_TRY(o.realloc, concrete_func(s, opt.index, kRealloc, offset));
        break;
      }
      case CanonOptKind::PostReturn: {
        RILL_TRY(o.post_return, concrete_func(s, opt.index, wasm::FuncType{}, offset));
        break;
      }
      case CanonOptKind::Async: o.async = true; break;
      case CanonOptKind::Callback: {
        RILL_TRY(o.callback, concrete_func(s, opt.index, wasm::FuncType{}, offset));
        break;
      }
    }
  }
  return o;
}

Result<std::shared_ptr<const CompiledComponent>> compile_component(engine::Engine& engine,
                                                                   std::span<const uint8_t> bytes) {
  RILL_TRY(auto c, decode_component(bytes));
  RILL_CHECK_OK(validate_component(*c));
  auto out = std::make_shared<CompiledComponent>();
  out->root = c;
  std::optional<Error> err;
  collect_modules(*c, engine, *out, err);
  if (err) return *err;
  return std::shared_ptr<const CompiledComponent>(std::move(out));
}

Result<std::shared_ptr<InstanceRt>> instantiate(engine::Store& store,
                                                const std::shared_ptr<const CompiledComponent>& c,
                                                const ImportMap& imports,
                                                std::unique_ptr<ComponentInstanceRt>& root,
                                                MaybeTrap& start_trap, bool stub_missing) {
  Ctx cx{store, c, std::nullopt, stub_missing};
  root = std::make_unique<ComponentInstanceRt>();
  root->store = &store;
  root->handles.set_limit(store.engine().config().max_component_handles);
  ComponentClosure closure{c->root.get(), {}, c, false};
  auto r = instantiate_in(cx, closure, imports, root.get(), true);
  start_trap = std::move(cx.trap);
  return r;
}

}  // namespace rill::component::rt
