// Type well-formedness for the component validator (Binary.md "Type Definitions" notes):
// defvaltypes, function types, component/instance type declarations, resource types, core types
// and extern types. Subtyping between types is not checked here.
#include <algorithm>
#include <set>
#include <string>

#include "rill/base/escape.h"
#include "rill/component/names.h"
#include "rill/component/validate_internal.h"

namespace rill::component::detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

/// Checks labels of one type: non-empty, kebab case, strongly unique. {what} is "record field",
/// {prev} "field" as wasm-tools' messages say it.
class LabelChecker {
 public:
  LabelChecker(const char* what, const char* prev, uint64_t offset)
      : what_(what), prev_(prev), offset_(offset) {}
  Result<void> add(const std::string& label) {
    if (label.empty()) return error_at(offset_, std::string(what_) + " name cannot be empty");
    if (!is_label(label)) {
      return error_at(offset_, std::string(what_) + " name `" + escape_name(label) + "` is not in kebab case");
    }
    auto [it, fresh] = seen_.emplace(lower(label), label);
    if (!fresh) {
      return error_at(offset_, std::string(what_) + " name `" + escape_name(label) +
                                   "` conflicts with previous " + prev_ + " name `" + escape_name(it->second) +
                                   "`");
    }
    return {};
  }

 private:
  const char* what_;
  const char* prev_;
  uint64_t offset_;
  std::map<std::string, std::string> seen_;
};

const TypeEntry* entry_of(ValType t, const Scope& scope) {
  if (t.is_prim() || idx(t.type_index()) >= scope.types.size()) return nullptr;
  return &scope.types[idx(t.type_index())];
}

const Resources& resources_of(ValType t, const Scope& scope) {
  static const Resources kNone;
  const TypeEntry* e = entry_of(t, scope);
  return e ? e->resources : kNone;
}

Result<void> check_handle(TypeIdx i, const Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Type}, idx(i), offset));
  const TypeEntry& e = scope.types[idx(i)];
  if (e.kind != TypeKind::Resource && e.kind != TypeKind::Unknown)
    return error_at(offset, "type index " + std::to_string(idx(i)) + " is not a resource type");
  return {};
}

Result<void> check_labels(const std::vector<std::string>& labels, const char* what,
                          const char* prev, uint64_t offset) {
  LabelChecker lc(what, prev, offset);
  for (const std::string& l : labels) RILL_CHECK_OK(lc.add(l));
  return {};
}

Result<void> check_async_elem(const std::optional<ValType>& elem, bool stream, const Scope& scope,
                              uint64_t offset) {
  if (!elem) return {};
  RILL_CHECK_OK(check_valtype(*elem, scope, offset));
  if (stream && elem->is_prim() && elem->prim_type() == PrimValType::Char)
    return error_at(offset, "`stream<char>` is not valid at this time");
  if (contains_borrow(*elem, scope))
    return error_at(offset, "stream and future element types cannot contain a `borrow` type");
  return {};
}

/// Validates {dv}; returns the resources it transitively refers to.
Result<Resources> check_defval(const DefValType& dv, const Scope& scope, uint64_t offset) {
  Resources res;
  auto vt = [&](ValType t) -> Result<void> {
    RILL_CHECK_OK(check_valtype(t, scope, offset));
    add_resources(res, resources_of(t, scope));
    return {};
  };
  auto opt = [&](const std::optional<ValType>& t) -> Result<void> {
    return t ? vt(*t) : Result<void>{};
  };
  if (const auto* r = std::get_if<RecordType>(&dv)) {
    if (r->fields.empty()) return error_at(offset, "record type must have at least one field");
    LabelChecker lc("record field", "field", offset);
    for (const auto& f : r->fields) {
      RILL_CHECK_OK(lc.add(f.label));
      RILL_CHECK_OK(vt(f.type));
    }
  } else if (const auto* v = std::get_if<VariantType>(&dv)) {
    if (v->cases.empty()) return error_at(offset, "variant type must have at least one case");
    LabelChecker lc("variant case", "case", offset);
    for (const auto& c : v->cases) {
      RILL_CHECK_OK(lc.add(c.label));
      RILL_CHECK_OK(opt(c.type));
    }
  } else if (const auto* l = std::get_if<ListType>(&dv)) {
    RILL_CHECK_OK(vt(l->elem));
    if (l->length && *l->length == 0)
      return error_at(offset, "fixed size list must have at least one element");
  } else if (const auto* t = std::get_if<TupleType>(&dv)) {
    if (t->types.empty()) return error_at(offset, "tuple type must have at least one type");
    for (ValType e : t->types) RILL_CHECK_OK(vt(e));
  } else if (const auto* f = std::get_if<FlagsType>(&dv)) {
    if (f->labels.empty()) return error_at(offset, "flags must have at least one entry");
    if (f->labels.size() > 32) return error_at(offset, "cannot have more than 32 flags");
    RILL_CHECK_OK(check_labels(f->labels, "flag", "flag", offset));
  } else if (const auto* e = std::get_if<EnumType>(&dv)) {
    if (e->labels.empty()) return error_at(offset, "enum type must have at least one variant");
    RILL_CHECK_OK(check_labels(e->labels, "enum tag", "tag", offset));
  } else if (const auto* o = std::get_if<OptionType>(&dv)) {
    RILL_CHECK_OK(vt(o->type));
  } else if (const auto* rt = std::get_if<ResultType>(&dv)) {
    RILL_CHECK_OK(opt(rt->ok));
    RILL_CHECK_OK(opt(rt->err));
  } else if (const auto* own = std::get_if<OwnType>(&dv)) {
    RILL_CHECK_OK(check_handle(own->resource, scope, offset));
    add_resources(res, scope.types[idx(own->resource)].resources);
  } else if (const auto* b = std::get_if<BorrowType>(&dv)) {
    RILL_CHECK_OK(check_handle(b->resource, scope, offset));
    add_resources(res, scope.types[idx(b->resource)].resources);
  } else if (const auto* s = std::get_if<StreamType>(&dv)) {
    RILL_CHECK_OK(check_async_elem(s->elem, true, scope, offset));
    if (s->elem) add_resources(res, resources_of(*s->elem, scope));
  } else if (const auto* fu = std::get_if<FutureType>(&dv)) {
    RILL_CHECK_OK(check_async_elem(fu->elem, false, scope, offset));
    if (fu->elem) add_resources(res, resources_of(*fu->elem, scope));
  } else if (const auto* m = std::get_if<MapType>(&dv)) {
    RILL_CHECK_OK(vt(m->key));
    RILL_CHECK_OK(vt(m->value));
  }
  return res;
}

Result<Resources> check_func_type(const FuncType& ft, const Scope& scope, uint64_t offset) {
  LabelChecker lc("function parameter", "parameter", offset);
  Resources res;
  for (const LabeledValType& p : ft.params) {
    RILL_CHECK_OK(lc.add(p.label));
    RILL_CHECK_OK(check_valtype(p.type, scope, offset));
    add_resources(res, resources_of(p.type, scope));
  }
  if (ft.result) {
    RILL_CHECK_OK(check_valtype(*ft.result, scope, offset));
    if (contains_borrow(*ft.result, scope))
      return error_at(offset, "function result cannot contain a `borrow` type");
    add_resources(res, resources_of(*ft.result, scope));
  }
  return res;
}

/// One declaration of a component or instance type.
Result<void> check_type_decl(const TypeDecl& d, Scope& inner) {
  const uint64_t at = d.offset;
  if (const auto* ct = std::get_if<CoreType>(&d.decl)) {
    RILL_TRY(auto entries, validate_core_type(*ct, inner));
    for (auto& e : entries) inner.core_types.push_back(std::move(e));
  } else if (const auto* t = std::get_if<Type>(&d.decl)) {
    RILL_TRY(TypeEntry e, validate_type(*t, inner, at));
    inner.types.push_back(e);
  } else if (const auto* a = std::get_if<Alias>(&d.decl)) {
    const bool type_sort = a->sort.kind == SortKind::Type ||
                           (a->sort.kind == SortKind::Core && a->sort.core == CoreSort::Type);
    if (a->kind == AliasKind::Outer && !type_sort)
      return error_at(at, "outer aliases in type declarations may only refer to types");
    if (a->kind == AliasKind::Export && a->sort.kind != SortKind::Type &&
        a->sort.kind != SortKind::Instance)
      return error_at(at, "export aliases in type declarations may only refer to types or instances");
    RILL_CHECK_OK(validate_alias(*a, inner, at));
  } else {
    const auto& e = std::get<ExternDecl>(d.decl);
    const bool is_import = d.kind == TypeDecl::Kind::Import;
    RILL_TRY(ExternInfo info, check_extern_type(e.type, inner, at));
    RILL_CHECK_OK(check_name(e.name, info, is_import, inner, at));
    RILL_CHECK_OK(check_visible(inner, extern_worst(e.type, inner), e.type.kind, is_import, at));
    push_extern(e.type, inner, is_import);
    if (e.type.kind == ExternKind::Type) name_resource(e.name, inner, is_import);
    info.sem = last_item(inner, e.type.kind);
    if (is_import) {
      inner.imports.emplace_back(e.name.name, info);
    } else {
      inner.exports.emplace(e.name.name, info);
    }
  }
  return {};
}

Result<void> check_type_decls(const std::vector<TypeDecl>& decls, Scope& inner) {
  for (const TypeDecl& d : decls) {
    const uint64_t at = d.offset;
    const ItemCounts before = item_counts(inner);
    RILL_CHECK_OK(check_type_decl(d, inner));
    RILL_CHECK_OK(check_new_items(inner, before, at));
  }
  return {};
}

/// The resources a finished type scope {inner} reached through outer aliases (not its own);
/// they are also reached by {parent} when that is a type scope.
Resources reached_resources(const Scope& inner, Scope& parent) {
  if (parent.kind != Scope::Kind::Component)
    parent.outer_worst = std::max(parent.outer_worst, inner.outer_worst);
  Resources out;
  for (uint32_t r : inner.outer) {
    if (inner.created.count(r)) continue;
    out.push_back(r);
    if (parent.kind != Scope::Kind::Component) parent.outer.insert(r);
  }
  return out;
}

Vis ref_vis(ValType t, const Scope& scope) {
  const TypeEntry* e = entry_of(t, scope);
  return e ? e->ref_vis() : Vis::Imported;
}

Vis handle_vis(TypeIdx i, const Scope& scope) { return ref_vis(ValType::index(i), scope); }

/// The weakest name {dv}'s parts refer to (not counting {dv}'s own).
Vis defval_worst(const DefValType& dv, const Scope& scope) {
  Vis w = Vis::Imported;
  auto v = [&](ValType t) { w = std::max(w, ref_vis(t, scope)); };
  auto opt = [&](const std::optional<ValType>& t) {
    if (t) v(*t);
  };
  if (const auto* r = std::get_if<RecordType>(&dv)) {
    for (const auto& f : r->fields) v(f.type);
  } else if (const auto* va = std::get_if<VariantType>(&dv)) {
    for (const auto& c : va->cases) opt(c.type);
  } else if (const auto* l = std::get_if<ListType>(&dv)) {
    v(l->elem);
  } else if (const auto* t = std::get_if<TupleType>(&dv)) {
    for (ValType e : t->types) v(e);
  } else if (const auto* o = std::get_if<OptionType>(&dv)) {
    v(o->type);
  } else if (const auto* rt = std::get_if<ResultType>(&dv)) {
    opt(rt->ok);
    opt(rt->err);
  } else if (const auto* own = std::get_if<OwnType>(&dv)) {
    w = std::max(w, handle_vis(own->resource, scope));
  } else if (const auto* b = std::get_if<BorrowType>(&dv)) {
    w = std::max(w, handle_vis(b->resource, scope));
  } else if (const auto* s = std::get_if<StreamType>(&dv)) {
    opt(s->elem);
  } else if (const auto* fu = std::get_if<FutureType>(&dv)) {
    opt(fu->elem);
  } else if (const auto* m = std::get_if<MapType>(&dv)) {
    v(m->key);
    v(m->value);
  }
  return w;
}

constexpr uint64_t kMaxElemSize = uint64_t{1} << 28;

/// elem_size and alignment (definitions.py "Alignment", "Element Size") with 64-bit pointers.
struct Layout {
  uint64_t size = 0;
  uint32_t align = 1;
};

uint64_t align_to(uint64_t n, uint32_t a) { return (n + a - 1) / a * a; }

Layout prim_layout(PrimValType p) {
  switch (p) {
    case PrimValType::Bool:
    case PrimValType::S8:
    case PrimValType::U8: return {1, 1};
    case PrimValType::S16:
    case PrimValType::U16: return {2, 2};
    case PrimValType::S64:
    case PrimValType::U64:
    case PrimValType::F64: return {8, 8};
    case PrimValType::String: return {16, 8};
    default: return {4, 4};
  }
}

Layout layout_of(ValType t, const Scope& scope) {
  if (t.is_prim()) return prim_layout(t.prim_type());
  const TypeEntry* e = entry_of(t, scope);
  if (!e || e->kind != TypeKind::Defined) return {};
  return {e->size, e->align};
}

Layout record_layout(const std::vector<Layout>& fields) {
  Layout out;
  for (const Layout& f : fields) {
    out.size = align_to(out.size, f.align) + f.size;
    out.align = std::max(out.align, f.align);
  }
  out.size = align_to(out.size, out.align);
  return out;
}

Layout variant_layout(size_t cases, const std::vector<Layout>& payloads) {
  const Layout disc = cases <= 256 ? Layout{1, 1} : (cases <= 65536 ? Layout{2, 2} : Layout{4, 4});
  uint32_t case_align = 1;
  uint64_t case_size = 0;
  for (const Layout& p : payloads) {
    case_align = std::max(case_align, p.align);
    case_size = std::max(case_size, p.size);
  }
  const uint32_t align = std::max(disc.align, case_align);
  return {align_to(align_to(disc.size, case_align) + case_size, align), align};
}

Layout layout(const DefValType& dv, const Scope& scope) {
  auto of = [&](ValType t) { return layout_of(t, scope); };
  std::vector<Layout> parts;
  auto opt = [&](const std::optional<ValType>& t) {
    if (t) parts.push_back(of(*t));
  };
  if (const auto* p = std::get_if<PrimValType>(&dv)) return prim_layout(*p);
  if (const auto* r = std::get_if<RecordType>(&dv)) {
    for (const auto& f : r->fields) parts.push_back(of(f.type));
    return record_layout(parts);
  }
  if (const auto* t = std::get_if<TupleType>(&dv)) {
    for (ValType e : t->types) parts.push_back(of(e));
    return record_layout(parts);
  }
  if (const auto* v = std::get_if<VariantType>(&dv)) {
    for (const auto& c : v->cases) opt(c.type);
    return variant_layout(v->cases.size(), parts);
  }
  if (const auto* o = std::get_if<OptionType>(&dv)) return variant_layout(2, {of(o->type)});
  if (const auto* rt = std::get_if<ResultType>(&dv)) {
    opt(rt->ok);
    opt(rt->err);
    return variant_layout(2, parts);
  }
  if (const auto* e = std::get_if<EnumType>(&dv)) return variant_layout(e->labels.size(), {});
  if (const auto* f = std::get_if<FlagsType>(&dv)) {
    const uint32_t n = f->labels.size() <= 8 ? 1 : (f->labels.size() <= 16 ? 2 : 4);
    return {n, n};
  }
  if (const auto* l = std::get_if<ListType>(&dv)) {
    if (!l->length) return {16, 8};
    const Layout e = of(l->elem);
    return {e.size * *l->length, e.align};  // each part is < 2^28, so no overflow
  }
  if (std::holds_alternative<MapType>(dv)) return {16, 8};
  return {4, 4};  // own, borrow, stream, future
}

Result<TypeEntry> check_resource(const ResourceType& r, Scope& scope, uint64_t offset) {
  if (scope.kind != Scope::Kind::Component)
    return error_at(offset, "resources can only be defined within a concrete component");
  if (r.rep != wasm::kI32) return error_at(offset, "resources can only be represented by `i32`");
  if (r.dtor) {
    RILL_CHECK_OK(
        check_index(scope, Sort{SortKind::Core, CoreSort::Func}, idx(*r.dtor), offset));
    const auto& ft = scope.core_funcs[idx(*r.dtor)];
    if (ft && *ft != wasm::FuncType{{wasm::kI32}, {}})
      return error_at(offset, "wrong signature for a destructor");
  }
  TypeEntry e = type_entry(TypeKind::Resource, &scope, {scope.fresh_resource()});
  e.sem = sem_resource(SemKind::Resource, e.resources.front());
  e.local_resource = true;
  e.name = Vis::None;
  return e;
}

Result<std::optional<wasm::FuncType>> core_func_type(const CoreExternType& t,
                                                     const std::vector<CoreTypeEntry>& types,
                                                     uint64_t offset) {
  if (t.kind != wasm::ExternKind::Func && t.kind != wasm::ExternKind::Tag)
    return std::optional<wasm::FuncType>{};
  const uint32_t i = idx(t.func_type);
  if (i >= types.size()) {
    return error_at(offset,
                    "unknown type " + std::to_string(i) + ": type index out of bounds");
  }
  if (types[i].known && !types[i].func)
    return error_at(offset, "type index " + std::to_string(i) + " is not a function type");
  return types[i].func;
}

/// The type of a module type's import or export; memories are checked against the 32-bit limit.
Result<CoreExportInfo> core_extern(const CoreExternType& t, const std::vector<CoreTypeEntry>& types,
                                   uint64_t offset) {
  CoreExportInfo info{core_sort_of(t.kind), {}, {}, {}, {}};
  RILL_TRY(info.func, core_func_type(t, types, offset));
  if (t.kind == wasm::ExternKind::Table) info.table = t.table;
  if (t.kind == wasm::ExternKind::Global) info.global = t.global;
  if (t.kind == wasm::ExternKind::Memory) {
    const wasm::Limits& l = t.memory.limits;
    if (!l.is64 && (l.min > wasm::kMaxPages32 || (l.max && *l.max > wasm::kMaxPages32)))
      return error_at(offset, "memory size must be at most 65536 pages (4GiB)");
    info.memory = t.memory;
  }
  return info;
}

Result<CoreTypeEntry> check_module_type(const ModuleType& mt, const Scope& scope) {
  std::vector<CoreTypeEntry> types;
  std::set<std::string> import_names;
  auto info = std::make_shared<CoreModuleInfo>();
  info->known = true;
  for (const ModuleDecl& d : mt.decls) {
    if (const auto* imp = std::get_if<CoreImportDecl>(&d.decl)) {
      RILL_TRY(CoreExportInfo type, core_extern(imp->type, types, d.offset));
      const std::string both = imp->module + ":" + imp->name;
      if (!import_names.insert(both).second)
        return error_at(d.offset, "duplicate import name `" + escape_name(both) + "`");
      info->imports.push_back({imp->module, imp->name, std::move(type)});
    } else if (const auto* exp = std::get_if<CoreExportDecl>(&d.decl)) {
      RILL_TRY(CoreExportInfo type, core_extern(exp->type, types, d.offset));
      if (!info->exports.emplace(exp->name, std::move(type)).second)
        return error_at(d.offset, "export name `" + escape_name(exp->name) + "` already defined");
    } else if (const auto* ct = std::get_if<CoreType>(&d.decl)) {
      if (std::holds_alternative<ModuleType>(ct->type))
        return error_at(d.offset, "module types cannot be nested in module types");
      RILL_TRY(auto entries, validate_core_type(*ct, scope));
      for (auto& e : entries) types.push_back(std::move(e));
    } else {
      const auto& a = std::get<Alias>(d.decl);
      if (a.count == 0) {
        if (a.index >= types.size())
          return error_at(d.offset, "unknown type " + std::to_string(a.index) +
                                        ": type index out of bounds");
        types.push_back(types[a.index]);
        continue;
      }
      const Scope* target = &scope;
      for (uint32_t i = 1; i < a.count && target; ++i) target = target->parent;
      if (!target)
        return error_at(d.offset, "invalid outer alias count of " + std::to_string(a.count));
      RILL_CHECK_OK(check_index(*target, Sort{SortKind::Core, CoreSort::Type}, a.index, d.offset));
      const CoreTypeEntry& e = target->core_types[a.index];
      if (e.module) return error_at(d.offset, "module types cannot be aliased into module types");
      types.push_back(e);
    }
  }
  CoreTypeEntry e;
  e.known = true;
  e.module = std::move(info);
  return e;
}

}  // namespace

void add_resources(Resources& into, const Resources& from) {
  for (uint32_t r : from) {
    auto it = std::lower_bound(into.begin(), into.end(), r);
    if (it == into.end() || *it != r) into.insert(it, r);
  }
}

Result<void> check_valtype(ValType t, const Scope& scope, uint64_t offset) {
  if (t.is_prim()) return {};
  const uint32_t i = idx(t.type_index());
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Type}, i, offset));
  const TypeKind k = scope.types[i].kind;
  if (k != TypeKind::Defined && k != TypeKind::Unknown)
    return error_at(offset, "type index " + std::to_string(i) + " is not a defined type");
  return {};
}

const DefValType* resolve(ValType t, const Scope& scope, const Scope** where) {
  const TypeEntry* e = entry_of(t, scope);
  if (!e || e->kind != TypeKind::Defined) return nullptr;
  if (where) *where = e->scope;
  return e->defined;
}

bool contains_borrow(ValType t, const Scope& scope) {
  const Scope* s = &scope;
  const DefValType* dv = resolve(t, scope, &s);
  if (!dv) return false;
  auto any = [&](const std::optional<ValType>& v) { return v && contains_borrow(*v, *s); };
  if (std::holds_alternative<BorrowType>(*dv)) return true;
  if (const auto* r = std::get_if<RecordType>(dv)) {
    return std::any_of(r->fields.begin(), r->fields.end(),
                       [&](const auto& f) { return contains_borrow(f.type, *s); });
  }
  if (const auto* v = std::get_if<VariantType>(dv)) {
    return std::any_of(v->cases.begin(), v->cases.end(), [&](const auto& c) { return any(c.type); });
  }
  if (const auto* tu = std::get_if<TupleType>(dv)) {
    return std::any_of(tu->types.begin(), tu->types.end(),
                       [&](ValType e) { return contains_borrow(e, *s); });
  }
  if (const auto* l = std::get_if<ListType>(dv)) return contains_borrow(l->elem, *s);
  if (const auto* o = std::get_if<OptionType>(dv)) return contains_borrow(o->type, *s);
  if (const auto* r = std::get_if<ResultType>(dv)) return any(r->ok) || any(r->err);
  if (const auto* m = std::get_if<MapType>(dv))
    return contains_borrow(m->key, *s) || contains_borrow(m->value, *s);
  return false;
}

Result<TypeEntry> validate_type(const Type& t, Scope& scope, uint64_t offset) {
  if (const auto* dv = std::get_if<DefValType>(&t.type)) {
    RILL_TRY(Resources res, check_defval(*dv, scope, offset));
    TypeEntry e = type_entry(TypeKind::Defined, &scope, res);
    e.defined = dv;
    e.sem = sem_defval(*dv, scope);
    e.name = Vis::None;
    e.worst = defval_worst(*dv, scope);
    const Layout l = layout(*dv, scope);
    // Binary.md: "elem_size(t, 'i64') is less than 2^28" for every defvaltype.
    if (l.size >= kMaxElemSize) {
      return error_at(offset, "value type of " + std::to_string(l.size) +
                                  " bytes exceeds maximum byte size of 2^28");
    }
    e.size = l.size;
    e.align = l.align;
    return e;
  }
  if (const auto* ft = std::get_if<FuncType>(&t.type)) {
    RILL_TRY(Resources res, check_func_type(*ft, scope, offset));
    TypeEntry e = type_entry(TypeKind::Func, &scope, res);
    e.func = ft;
    e.sem = sem_func(*ft, scope);
    e.name = Vis::None;
    for (const auto& p : ft->params) e.worst = std::max(e.worst, ref_vis(p.type, scope));
    if (ft->result) e.worst = std::max(e.worst, ref_vis(*ft->result, scope));
    return e;
  }
  if (const auto* ct = std::get_if<ComponentType>(&t.type)) {
    Scope inner(Scope::Kind::ComponentType, &scope);
    RILL_CHECK_OK(check_type_decls(ct->decls, inner));
    TypeEntry e = type_entry(TypeKind::Component, &scope, reached_resources(inner, scope));
    e.component = ct;
    e.sem = sem_component_of(inner);
    e.name = Vis::None;
    e.worst = inner.outer_worst;
    return e;
  }
  if (const auto* it = std::get_if<InstanceType>(&t.type)) {
    Scope inner(Scope::Kind::InstanceType, &scope);
    RILL_CHECK_OK(check_type_decls(it->decls, inner));
    TypeEntry e = type_entry(TypeKind::Instance, &scope, reached_resources(inner, scope));
    e.instance = it;
    e.sem = sem_instance_of(inner);
    e.name = Vis::None;
    e.worst = inner.outer_worst;
    return e;
  }
  return check_resource(std::get<ResourceType>(t.type), scope, offset);
}

Result<std::vector<CoreTypeEntry>> validate_core_type(const CoreType& t, const Scope& scope) {
  if (const auto* f = std::get_if<wasm::FuncType>(&t.type)) {
    CoreTypeEntry e;
    e.known = true;
    e.func = *f;
    return std::vector<CoreTypeEntry>{std::move(e)};
  }
  if (const auto* mt = std::get_if<ModuleType>(&t.type)) {
    RILL_TRY(CoreTypeEntry e, check_module_type(*mt, scope));
    return std::vector<CoreTypeEntry>{std::move(e)};
  }
  std::vector<CoreTypeEntry> out;
  for (const CoreSubType& st : std::get<CoreRecType>(t.type).types) {
    CoreTypeEntry e;
    e.known = true;
    if (const auto* f = std::get_if<wasm::FuncType>(&st.comp)) e.func = *f;
    out.push_back(std::move(e));
  }
  return out;
}

Result<ExternInfo> check_extern_type(const ExternType& t, const Scope& scope, uint64_t offset) {
  ExternInfo info{t.kind, TypeKind::Unknown, nullptr, nullptr, std::nullopt, {}};
  auto type_of = [&](TypeKind want, const char* what) -> Result<void> {
    RILL_CHECK_OK(check_index(scope, Sort{SortKind::Type}, t.index, offset));
    const TypeKind k = scope.types[t.index].kind;
    if (k != want && k != TypeKind::Unknown) {
      return error_at(offset, "type index " + std::to_string(t.index) + " is not " + what);
    }
    return {};
  };
  switch (t.kind) {
    case ExternKind::CoreModule: {
      RILL_CHECK_OK(check_index(scope, Sort{SortKind::Core, CoreSort::Type}, t.index, offset));
      const CoreTypeEntry& e = scope.core_types[t.index];
      if (e.known && !e.module) {
        return error_at(offset,
                        "core type index " + std::to_string(t.index) + " is not a module type");
      }
      return info;
    }
    case ExternKind::Func:
      RILL_CHECK_OK(type_of(TypeKind::Func, "a function type"));
      info.func = scope.types[t.index].func;
      info.func_scope = scope.types[t.index].scope;
      return info;
    case ExternKind::Component:
      RILL_CHECK_OK(type_of(TypeKind::Component, "a component type"));
      return info;
    case ExternKind::Instance:
      RILL_CHECK_OK(type_of(TypeKind::Instance, "an instance type"));
      return info;
    case ExternKind::Value:
      if (t.value_bound.kind == ValueBound::Kind::Eq) {
        RILL_CHECK_OK(check_index(scope, Sort{SortKind::Value}, idx(t.value_bound.index), offset));
        return info;
      }
      RILL_CHECK_OK(check_valtype(t.value_bound.type, scope, offset));
      return info;
    case ExternKind::Type:
      if (t.type_bound.kind == TypeBound::Kind::SubResource) {
        info.type_kind = TypeKind::Resource;
        return info;
      }
      RILL_CHECK_OK(check_index(scope, Sort{SortKind::Type}, idx(t.type_bound.index), offset));
      info.type_kind = scope.types[idx(t.type_bound.index)].kind;
      return info;
  }
  return info;
}

namespace {

ExternInfo decl_info(const ExternType& t) {
  ExternInfo info{t.kind, TypeKind::Unknown, nullptr, nullptr, std::nullopt, {}};
  if (t.kind == ExternKind::Type && t.type_bound.kind == TypeBound::Kind::SubResource)
    info.type_kind = TypeKind::Resource;
  return info;
}

void collect(const std::vector<TypeDecl>& decls, std::vector<std::pair<std::string, ExternInfo>>* imports,
             std::map<std::string, ExternInfo, std::less<>>& exports) {
  for (const TypeDecl& d : decls) {
    const auto* e = std::get_if<ExternDecl>(&d.decl);
    if (!e) continue;
    if (d.kind == TypeDecl::Kind::Import) {
      if (imports) imports->emplace_back(e->name.name, decl_info(e->type));
    } else {
      exports.emplace(e->name.name, decl_info(e->type));
    }
  }
}

}  // namespace

Result<void> check_visible(Scope& scope, Vis worst, ExternKind kind, bool is_import,
                           uint64_t offset) {
  if (worst <= (is_import ? Vis::Imported : Vis::Exported)) return {};
  // wasm-tools checks component types like components, but an instance type that breaks the
  // rule only makes itself unusable by imports and exports.
  if (scope.kind == Scope::Kind::InstanceType) {
    scope.outer_worst = Vis::None;
    return {};
  }
  const char* what = kind == ExternKind::Func        ? "func"
                     : kind == ExternKind::Type      ? "type"
                     : kind == ExternKind::Instance  ? "instance"
                     : kind == ExternKind::Component ? "component"
                                                     : "item";
  return error_at(offset, std::string(what) + " not valid to be used as " +
                              (is_import ? "import" : "export") +
                              ": its type refers to a type without an external name");
}

SemExtern last_item(const Scope& scope, ExternKind kind) {
  const uint32_t n = kind == ExternKind::Value ? 0 : scope.size(sort_of(kind));
  return sem_item(scope, kind, n == 0 ? 0 : n - 1);
}

Vis extern_worst(const ExternType& t, const Scope& scope) {
  switch (t.kind) {
    case ExternKind::Func:
    case ExternKind::Component:
    case ExternKind::Instance: return scope.types[t.index].worst;
    case ExternKind::Type:
      if (t.type_bound.kind == TypeBound::Kind::Eq) return scope.types[idx(t.type_bound.index)].worst;
      return Vis::Imported;
    default: return Vis::Imported;
  }
}

void push_extern(const ExternType& t, Scope& scope, bool is_import) {
  const Vis name = is_import ? Vis::Imported : Vis::Exported;
  switch (t.kind) {
    case ExternKind::CoreModule: {
      const auto& m = scope.core_types[t.index].module;
      scope.core_modules.push_back(m ? *m : CoreModuleInfo{});
      return;
    }
    case ExternKind::Func: {
      const TypeEntry& e = scope.types[t.index];
      scope.funcs.push_back(FuncEntry{e.func, e.scope, e.resources, e.worst, e.sem, false});
      return;
    }
    case ExternKind::Value: ++scope.values; return;
    case ExternKind::Type:
      if (t.type_bound.kind == TypeBound::Kind::SubResource) {
        const uint32_t id = scope.fresh_resource();
        if (is_import) scope.imported_resources.insert(id);
        scope.types.push_back(type_entry(TypeKind::Resource, nullptr, {id}));
        scope.types.back().sem = sem_resource(SemKind::Resource, id);
      } else {
        scope.types.push_back(scope.types[idx(t.type_bound.index)]);
      }
      scope.types.back().name = name;
      name_sem(scope.types.back().sem, name, scope);
      return;
    case ExternKind::Component: {
      const TypeEntry& e = scope.types[t.index];
      ComponentInfo info;
      info.resources = e.resources;
      info.worst = e.worst;
      info.sem = e.sem;
      if (e.component) {
        info.known = true;
        collect(e.component->decls, &info.imports, info.exports);
      }
      scope.components.push_back(std::move(info));
      return;
    }
    case ExternKind::Instance: {
      const TypeEntry& e = scope.types[t.index];
      InstanceInfo info;
      if (e.sem) {
        info = instance_from_sem(freshen(e.sem, scope, is_import));
      } else if (e.instance) {
        info.known = true;
        collect(e.instance->decls, nullptr, info.exports);
      }
      info.resources = e.resources;
      info.worst = e.worst;
      info.imported = is_import;
      name_sem(info.sem, name, scope);
      scope.instances.push_back(std::move(info));
      return;
    }
  }
}

}  // namespace rill::component::detail
