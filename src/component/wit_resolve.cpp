// WitResolver: evaluates a component's index spaces for the WIT printer, following aliases,
// instance/component types and instantiations (imports of a nested component are bound to the
// instantiation's arguments, so exported types keep the identity of what was passed in).
#include "rill/component/wit_resolve.h"

#include <tuple>
#include <type_traits>
#include <variant>

namespace rill::component::detail {

bool operator<(const WitType& a, const WitType& b) {
  auto key = [](const WitType& t) {
    const void* ptr = t.defined;
    if (t.kind == WitType::Kind::Func) ptr = t.func;
    if (t.kind == WitType::Kind::Instance) ptr = t.instance;
    if (t.kind == WitType::Kind::Component) ptr = t.component;
    const void* env = t.kind == WitType::Kind::Resource ? nullptr : t.env;
    return std::make_tuple(t.kind, ptr, env, t.resource);
  };
  return key(a) < key(b);
}

const WitItem* WitInstance::find(std::string_view name) const {
  for (const auto& [n, item] : exports) {
    if (n == name) return &item;
  }
  return nullptr;
}

WitType WitEnv::type(uint32_t i) const { return i < types.size() ? types[i] : WitType{}; }

void push_item(WitEnv& env, const WitItem& item) {
  switch (item.kind) {
    case ExternKind::Func: env.funcs.push_back(item.func); break;
    case ExternKind::Type: env.types.push_back(item.type); break;
    case ExternKind::Instance: env.instances.push_back(item.instance); break;
    case ExternKind::Component: env.components.push_back(item.component); break;
    case ExternKind::Value:
    case ExternKind::CoreModule: break;
  }
}

WitEnv& WitResolver::new_env(const WitEnv* parent) {
  WitEnv& env = envs_.emplace_back();
  env.parent = parent;
  return env;
}

Result<void> WitResolver::step() {
  if (++steps_ > kMaxSteps) return unexpected("component too large to print as WIT");
  return {};
}

/// Counts one level of nested evaluation for as long as it lives.
class WitResolver::Nesting {
 public:
  explicit Nesting(uint32_t& depth) : depth_(depth) { ++depth_; }
  ~Nesting() { --depth_; }
  Nesting(const Nesting&) = delete;
  Nesting& operator=(const Nesting&) = delete;
  bool too_deep() const { return depth_ > kMaxNesting; }

 private:
  uint32_t& depth_;
};

Result<void> WitResolver::run(const Component& c) {
  WitEnv& root = new_env(nullptr);
  WitInstance exports;
  RILL_CHECK_OK(eval_component(c, root, nullptr, &exports));
  exports_ = std::move(exports.exports);
  return {};
}

WitType WitResolver::type_of(const Type& t, WitEnv& env) {
  WitType out;
  out.env = &env;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, DefValType>) {
          out.kind = WitType::Kind::Defined;
          out.defined = &v;
        } else if constexpr (std::is_same_v<T, FuncType>) {
          out.kind = WitType::Kind::Func;
          out.func = &v;
        } else if constexpr (std::is_same_v<T, ComponentType>) {
          out.kind = WitType::Kind::Component;
          out.component = &v;
        } else if constexpr (std::is_same_v<T, InstanceType>) {
          out.kind = WitType::Kind::Instance;
          out.instance = &v;
        } else {
          out.kind = WitType::Kind::Resource;
          out.resource = next_resource_++;
        }
      },
      t.type);
  return out;
}

WitItem WitResolver::lookup(const SortIdx& s, const WitEnv& env) const {
  WitItem item;
  const uint32_t i = s.index;
  switch (s.sort.kind) {
    case SortKind::Func:
      item.kind = ExternKind::Func;
      if (i < env.funcs.size()) item.func = env.funcs[i];
      break;
    case SortKind::Type:
      item.kind = ExternKind::Type;
      item.type = env.type(i);
      break;
    case SortKind::Instance:
      item.kind = ExternKind::Instance;
      if (i < env.instances.size()) item.instance = env.instances[i];
      break;
    case SortKind::Component:
      item.kind = ExternKind::Component;
      if (i < env.components.size()) item.component = env.components[i];
      break;
    case SortKind::Core:
      item.kind = s.sort.core == CoreSort::Module ? ExternKind::CoreModule : ExternKind::Value;
      break;
    case SortKind::Value: item.kind = ExternKind::Value; break;
  }
  return item;
}

void WitResolver::eval_alias(const Alias& a, WitEnv& env) const {
  if (a.sort.kind == SortKind::Core || a.sort.kind == SortKind::Value) return;
  WitItem item = lookup(SortIdx{a.sort, ~uint32_t{0}}, env);  // an Unknown of the right sort
  if (a.kind == AliasKind::Export) {
    if (a.instance < env.instances.size() && env.instances[a.instance]) {
      if (const WitItem* found = env.instances[a.instance]->find(a.name);
          found && found->kind == item.kind) {
        item = *found;
      }
    }
  } else if (a.kind == AliasKind::Outer) {
    const WitEnv* target = &env;
    for (uint32_t n = 0; n < a.count && target; n++) target = target->parent;
    if (target) item = lookup(SortIdx{a.sort, a.index}, *target);
  }
  push_item(env, item);
}

Result<WitItem> WitResolver::item_from_extern(const ExternType& t, WitEnv& env) {
  WitItem item;
  item.kind = t.kind;
  switch (t.kind) {
    case ExternKind::Func: {
      const WitType ft = env.type(t.index);
      if (ft.kind == WitType::Kind::Func) item.func = WitFunc{ft.func, ft.env};
      break;
    }
    case ExternKind::Type:
      if (t.type_bound.kind == TypeBound::Kind::Eq) {
        item.type = env.type(idx(t.type_bound.index));
      } else {
        item.type.kind = WitType::Kind::Resource;
        item.type.resource = next_resource_++;
      }
      break;
    case ExternKind::Instance: {
      const WitType it = env.type(t.index);
      if (it.kind != WitType::Kind::Instance) break;
      RILL_TRY(auto inst, eval_instance_type(*it.instance, it.env));
      item.instance = std::move(inst);
      break;
    }
    case ExternKind::Component: {
      const WitType ct = env.type(t.index);
      if (ct.kind == WitType::Kind::Component) item.component = {nullptr, ct.component, ct.env};
      break;
    }
    case ExternKind::Value:
    case ExternKind::CoreModule: break;
  }
  return item;
}

Result<void> WitResolver::eval_decl(const TypeDecl& d, WitEnv& env, const Args* args,
                                    WitInstance& out) {
  RILL_CHECK_OK(step());
  switch (d.kind) {
    case TypeDecl::Kind::CoreType: return {};
    case TypeDecl::Kind::Type:
      if (const auto* t = std::get_if<Type>(&d.decl)) env.types.push_back(type_of(*t, env));
      return {};
    case TypeDecl::Kind::Alias:
      if (const auto* a = std::get_if<Alias>(&d.decl)) eval_alias(*a, env);
      return {};
    case TypeDecl::Kind::Import: {
      if (!std::holds_alternative<ExternDecl>(d.decl)) return {};
      const auto& decl = std::get<ExternDecl>(d.decl);
      const WitItem* arg = args ? args->find(decl.name.name) : nullptr;
      if (arg && arg->kind == decl.type.kind) {
        push_item(env, *arg);
        return {};
      }
      RILL_TRY(auto item, item_from_extern(decl.type, env));
      push_item(env, item);
      return {};
    }
    case TypeDecl::Kind::Export: {
      if (!std::holds_alternative<ExternDecl>(d.decl)) return {};
      const auto& decl = std::get<ExternDecl>(d.decl);
      RILL_TRY(auto item, item_from_extern(decl.type, env));
      push_item(env, item);
      out.exports.emplace_back(decl.name.name, std::move(item));
      return {};
    }
  }
  return {};
}

Result<std::shared_ptr<const WitInstance>> WitResolver::eval_instance_type(const InstanceType& t,
                                                                           const WitEnv* parent) {
  const Nesting nesting(depth_);
  if (nesting.too_deep()) return unexpected("component nests too deeply to print as WIT");
  WitEnv& env = new_env(parent);
  auto out = std::make_shared<WitInstance>();
  for (const TypeDecl& d : t.decls) {
    RILL_CHECK_OK(eval_decl(d, env, nullptr, *out));
  }
  return std::shared_ptr<const WitInstance>(std::move(out));
}

Result<std::shared_ptr<const WitInstance>> WitResolver::eval_component_type(
    const ComponentType& t, const WitEnv* parent, const Args& args) {
  const Nesting nesting(depth_);
  if (nesting.too_deep()) return unexpected("component nests too deeply to print as WIT");
  WitEnv& env = new_env(parent);
  auto out = std::make_shared<WitInstance>();
  for (const TypeDecl& d : t.decls) {
    RILL_CHECK_OK(eval_decl(d, env, &args, *out));
  }
  return std::shared_ptr<const WitInstance>(std::move(out));
}

Result<std::shared_ptr<const WitInstance>> WitResolver::eval_instance(const Instance& inst,
                                                                      WitEnv& env) {
  auto out = std::make_shared<WitInstance>();
  if (const auto* from = std::get_if<InstanceFromExports>(&inst)) {
    for (const InlineExport& e : from->exports) {
      out->exports.emplace_back(e.name.name, lookup(e.item, env));
    }
    return std::shared_ptr<const WitInstance>(std::move(out));
  }
  const auto& inst_of = std::get<Instantiate>(inst);
  const uint32_t c = idx(inst_of.component);
  if (c >= env.components.size()) return std::shared_ptr<const WitInstance>(std::move(out));
  Args args;
  for (const InstantiateArg& a : inst_of.args) {
    args.exports.emplace_back(a.name, lookup(a.item, env));
  }
  const WitComponentRef ref = env.components[c];
  if (ref.type) return eval_component_type(*ref.type, ref.env, args);
  if (!ref.component) return std::shared_ptr<const WitInstance>(std::move(out));
  WitEnv& nested = new_env(ref.env);
  RILL_CHECK_OK(eval_component(*ref.component, nested, &args, out.get()));
  return std::shared_ptr<const WitInstance>(std::move(out));
}

Result<void> WitResolver::eval_component(const Component& c, WitEnv& env, const Args* args,
                                         WitInstance* out) {
  const Nesting nesting(depth_);
  if (nesting.too_deep()) return unexpected("component nests too deeply to print as WIT");
  const bool root = args == nullptr;
  for (const Definition& def : c.defs) {
    RILL_CHECK_OK(step());
    if (const auto* nested = std::get_if<std::shared_ptr<const Component>>(&def.def)) {
      env.components.push_back(WitComponentRef{nested->get(), nullptr, &env});
    } else if (const auto* inst = std::get_if<Instance>(&def.def)) {
      RILL_TRY(auto made, eval_instance(*inst, env));
      env.instances.push_back(std::move(made));
    } else if (const auto* alias = std::get_if<Alias>(&def.def)) {
      eval_alias(*alias, env);
    } else if (const auto* type = std::get_if<Type>(&def.def)) {
      env.types.push_back(type_of(*type, env));
    } else if (const auto* canon = std::get_if<Canon>(&def.def)) {
      if (canon->kind != CanonKind::Lift) continue;
      const WitType ft = env.type(idx(canon->func_type));
      env.funcs.push_back(ft.kind == WitType::Kind::Func ? WitFunc{ft.func, ft.env} : WitFunc{});
    } else if (const auto* imp = std::get_if<Import>(&def.def)) {
      const WitItem* arg = args ? args->find(imp->name.name) : nullptr;
      WitItem item;
      if (arg && arg->kind == imp->type.kind) {
        item = *arg;
      } else {
        RILL_TRY(auto fresh, item_from_extern(imp->type, env));
        item = std::move(fresh);
      }
      push_item(env, item);
      if (root) imports_.emplace_back(imp->name.name, std::move(item));
    } else if (const auto* exp = std::get_if<Export>(&def.def)) {
      WitItem item = lookup(exp->item, env);
      // A function's ascribed type names the types the export's own scope gave names to.
      if (exp->type && exp->type->kind == ExternKind::Func && item.kind == ExternKind::Func) {
        const WitType ft = env.type(exp->type->index);
        if (ft.kind == WitType::Kind::Func) item.func = WitFunc{ft.func, ft.env};
      }
      push_item(env, item);
      if (out) out->exports.emplace_back(exp->name.name, std::move(item));
    }
  }
  return {};
}

}  // namespace rill::component::detail
