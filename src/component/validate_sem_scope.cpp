// Resolved types of the index spaces (validate_sem.h): building them from a scope's types and
// extern declarations, making an instance type's resources fresh, and judging by identity which
// names a resolved type refers to (Explainer.md "External Visibility of Types").
// Renaming and subtyping are validate_sem.cpp's.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "rill/component/validate_internal.h"
#include "rill/component/validate_sem.h"

namespace rill::component::detail {

SemPtr sem_of(ValType t, const Scope& scope) {
  if (t.is_prim()) return sem_prim(t.prim_type());
  const uint32_t i = idx(t.type_index());
  if (i >= scope.types.size() || !scope.types[i].sem) return sem_unknown();
  return scope.types[i].sem;
}

namespace {

SemPtr handle(SemKind kind, TypeIdx r, const Scope& scope) {
  const uint32_t i = idx(r);
  if (i >= scope.types.size()) return sem_unknown();
  const SemPtr& s = scope.types[i].sem;
  if (!s || s->kind != SemKind::Resource) return sem_unknown();
  return sem_resource(kind, s->resource);
}

}  // namespace

SemPtr sem_defval(const DefValType& dv, const Scope& scope) {
  if (const auto* p = std::get_if<PrimValType>(&dv)) return sem_prim(*p);
  if (const auto* o = std::get_if<OwnType>(&dv)) return handle(SemKind::Own, o->resource, scope);
  if (const auto* b = std::get_if<BorrowType>(&dv))
    return handle(SemKind::Borrow, b->resource, scope);
  auto t = std::make_shared<SemType>();
  auto v = [&](ValType x) { t->elems.push_back(sem_of(x, scope)); };
  auto opt = [&](const std::optional<ValType>& x) {
    t->elems.push_back(x ? sem_of(*x, scope) : SemPtr());
  };
  if (const auto* r = std::get_if<RecordType>(&dv)) {
    t->kind = SemKind::Record;
    for (const auto& f : r->fields) t->labels.push_back(f.label), v(f.type);
  } else if (const auto* va = std::get_if<VariantType>(&dv)) {
    t->kind = SemKind::Variant;
    for (const auto& c : va->cases) t->labels.push_back(c.label), opt(c.type);
  } else if (const auto* l = std::get_if<ListType>(&dv)) {
    t->kind = SemKind::List;
    t->length = l->length;
    v(l->elem);
  } else if (const auto* tu = std::get_if<TupleType>(&dv)) {
    t->kind = SemKind::Tuple;
    for (ValType e : tu->types) v(e);
  } else if (const auto* f = std::get_if<FlagsType>(&dv)) {
    t->kind = SemKind::Flags;
    t->labels = f->labels;
  } else if (const auto* e = std::get_if<EnumType>(&dv)) {
    t->kind = SemKind::Enum;
    t->labels = e->labels;
  } else if (const auto* op = std::get_if<OptionType>(&dv)) {
    t->kind = SemKind::Option;
    v(op->type);
  } else if (const auto* re = std::get_if<ResultType>(&dv)) {
    t->kind = SemKind::Result;
    opt(re->ok);
    opt(re->err);
  } else if (const auto* s = std::get_if<StreamType>(&dv)) {
    t->kind = SemKind::Stream;
    opt(s->elem);
  } else if (const auto* fu = std::get_if<FutureType>(&dv)) {
    t->kind = SemKind::Future;
    opt(fu->elem);
  } else if (const auto* m = std::get_if<MapType>(&dv)) {
    t->kind = SemKind::Map;
    v(m->key);
    v(m->value);
  }
  return sem_finish(std::move(t));
}

SemPtr sem_func(const FuncType& ft, const Scope& scope) {
  auto t = std::make_shared<SemType>();
  t->kind = SemKind::Func;
  t->async = ft.async;
  for (const LabeledValType& p : ft.params) {
    t->labels.push_back(p.label);
    t->elems.push_back(sem_of(p.type, scope));
  }
  if (ft.result) t->result = sem_of(*ft.result, scope);
  return sem_finish(std::move(t));
}

namespace {

SemExterns externs_of(const std::vector<std::pair<std::string, ExternInfo>>& list) {
  SemExterns out;
  for (const auto& [name, info] : list) out.emplace_back(name, info.sem);
  return out;
}

SemExterns externs_of(const std::map<std::string, ExternInfo, std::less<>>& list) {
  SemExterns out;
  for (const auto& [name, info] : list) out.emplace_back(name, info.sem);
  return out;
}

}  // namespace

SemPtr sem_instance_of(const Scope& inner) {
  auto t = std::make_shared<SemType>();
  t->kind = SemKind::Instance;
  t->exports = externs_of(inner.exports);
  t->defined.assign(inner.created.begin(), inner.created.end());
  return sem_finish(std::move(t));
}

SemPtr sem_component_of(const Scope& inner) {
  auto t = std::make_shared<SemType>();
  t->kind = SemKind::Component;
  t->imports = externs_of(inner.imports);
  t->exports = externs_of(inner.exports);
  t->imported.assign(inner.imported_resources.begin(), inner.imported_resources.end());
  for (uint32_t r : inner.created) {
    if (!inner.imported_resources.count(r)) t->defined.push_back(r);
  }
  return sem_finish(std::move(t));
}

SemExtern sem_item(const Scope& scope, ExternKind kind, uint32_t index) {
  SemExtern e;
  e.kind = kind;
  switch (kind) {
    case ExternKind::CoreModule:
      if (index < scope.core_modules.size())
        e.module = std::make_shared<CoreModuleInfo>(scope.core_modules[index]);
      break;
    case ExternKind::Func:
      if (index < scope.funcs.size()) e.type = scope.funcs[index].sem;
      break;
    case ExternKind::Value: break;
    case ExternKind::Type:
      if (index < scope.types.size()) e.type = scope.types[index].sem;
      break;
    case ExternKind::Component:
      if (index < scope.components.size()) e.type = scope.components[index].sem;
      break;
    case ExternKind::Instance:
      if (index < scope.instances.size()) e.type = scope.instances[index].sem;
      break;
  }
  return e;
}

SemPtr freshen(const SemPtr& t, Scope& scope, bool is_import) {
  if (!t || t->defined.empty()) return t;
  ResourceMap map;
  for (uint32_t r : t->defined) {
    const uint32_t id = scope.fresh_resource();
    if (is_import) scope.imported_resources.insert(id);
    map.emplace(r, id);
  }
  return substitute(t, map);
}

ExternInfo extern_from_sem(const SemExtern& e) {
  ExternInfo info{e.kind, TypeKind::Unknown, nullptr, nullptr, std::nullopt, e};
  if (e.kind != ExternKind::Type || !e.type) return info;
  switch (e.type->kind) {
    case SemKind::Unknown: break;
    case SemKind::Resource: info.type_kind = TypeKind::Resource; break;
    case SemKind::Func: info.type_kind = TypeKind::Func; break;
    case SemKind::Instance: info.type_kind = TypeKind::Instance; break;
    case SemKind::Component: info.type_kind = TypeKind::Component; break;
    default: info.type_kind = TypeKind::Defined; break;
  }
  return info;
}

InstanceInfo instance_from_sem(const SemPtr& t) {
  InstanceInfo info;
  if (!t || t->kind != SemKind::Instance) return info;
  info.known = true;
  info.sem = t;
  for (const auto& [name, e] : t->exports) info.exports.emplace(name, extern_from_sem(e));
  return info;
}

namespace {

/// Judges the names types refer to in one scope; {memo} keeps it linear in the size of a DAG.
class VisJudge {
 public:
  VisJudge(const Scope& scope, std::vector<SemPtr> also) : scope_(scope), also_(std::move(also)) {}

  Vis of(const SemPtr& t) {
    if (!t || !t->has_nominal) return Vis::Imported;
    if (sem_is_nominal(t) || t->kind == SemKind::Own || t->kind == SemKind::Borrow) return named(t);
    return children(t);
  }

  /// The weakest name {t}'s parts refer to.
  Vis children(const SemPtr& t) {
    if (auto m = memo_.find(t.get()); m != memo_.end()) return m->second;
    Vis w = Vis::Imported;
    for (const SemPtr& e : t->elems) w = std::max(w, of(e));
    w = std::max(w, of(t->result));
    for (const auto& [n, e] : t->imports) w = std::max(w, of(e.type));
    for (const auto& [n, e] : t->exports) {
      const bool own_type = e.kind == ExternKind::Type && sem_is_nominal(e.type);
      w = std::max(w, own_type ? children(e.type) : of(e.type));
    }
    memo_.emplace(t.get(), w);
    return w;
  }

 private:
  /// The name nominal {t} has; records, variants, ... are found by structure.
  Vis named(const SemPtr& t) {
    const bool by_id = t->kind == SemKind::Resource || t->kind == SemKind::Own ||
                       t->kind == SemKind::Borrow;
    auto same = [&](const SemPtr& n) {
      if (by_id) return n->kind == SemKind::Resource && n->resource == t->resource;
      return n->kind == t->kind && !sem_mismatch(n, t);
    };
    if (std::any_of(also_.begin(), also_.end(), same)) return Vis::Exported;
    if (by_id) {
      auto it = scope_.named_resources.find(t->resource);
      return it == scope_.named_resources.end() ? Vis::None : it->second;
    }
    Vis best = Vis::None;
    for (const auto& [n, v] : scope_.named_types) {
      if (v < best && same(n)) best = v;
    }
    return best;
  }

  const Scope& scope_;
  std::vector<SemPtr> also_;
  std::map<const SemType*, Vis> memo_;
};

/// The types an instance type exports (and its instances export), which its export names.
void exported_types(const SemPtr& t, std::vector<SemPtr>& out, std::set<const SemType*>& seen) {
  if (!t || t->kind != SemKind::Instance || !seen.insert(t.get()).second) return;
  for (const auto& [n, e] : t->exports) {
    if (e.kind == ExternKind::Type && e.type) out.push_back(e.type);
    if (e.kind == ExternKind::Instance) exported_types(e.type, out, seen);
  }
}

void name_all(const SemPtr& t, Vis vis, Scope& scope, std::set<const SemType*>& seen) {
  if (!t) return;
  if (t->kind == SemKind::Resource) {
    auto [it, fresh] = scope.named_resources.emplace(t->resource, vis);
    if (!fresh) it->second = std::min(it->second, vis);
  } else if (sem_is_nominal(t)) {
    scope.named_types.emplace_back(t, vis);
  } else if (t->kind == SemKind::Instance && seen.insert(t.get()).second) {
    for (const auto& [n, e] : t->exports) {
      if (e.kind == ExternKind::Type || e.kind == ExternKind::Instance)
        name_all(e.type, vis, scope, seen);
    }
  }
}

}  // namespace

Vis sem_vis(const SemPtr& t, const Scope& scope) {
  std::vector<SemPtr> own;
  std::set<const SemType*> seen;
  exported_types(t, own, seen);
  return VisJudge(scope, std::move(own)).of(t);
}

Vis sem_children_vis(const SemPtr& t, const Scope& scope) {
  if (!t) return Vis::Imported;
  return VisJudge(scope, {}).children(t);
}

void name_sem(const SemPtr& t, Vis vis, Scope& scope) {
  std::set<const SemType*> seen;
  name_all(t, vis, scope, seen);
}

ItemCounts item_counts(const Scope& scope) {
  return {scope.types.size(), scope.funcs.size(), scope.instances.size(), scope.components.size()};
}

Result<void> check_new_items(const Scope& scope, const ItemCounts& before, uint64_t offset) {
  auto check = [&](const SemPtr& t) -> Result<void> {
    if (auto e = sem_limit_error(t)) return error_at(offset, *e);
    return {};
  };
  for (size_t i = before.types; i < scope.types.size(); ++i) RILL_CHECK_OK(check(scope.types[i].sem));
  for (size_t i = before.funcs; i < scope.funcs.size(); ++i) RILL_CHECK_OK(check(scope.funcs[i].sem));
  for (size_t i = before.instances; i < scope.instances.size(); ++i)
    RILL_CHECK_OK(check(scope.instances[i].sem));
  for (size_t i = before.components; i < scope.components.size(); ++i)
    RILL_CHECK_OK(check(scope.components[i].sem));
  return {};
}

}  // namespace rill::component::detail
