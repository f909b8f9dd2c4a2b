// Resolved types of the component validator (validate_sem.h): renaming of resources and
// subtyping (Explainer.md "Subtyping"; value types must be equal, as in wasm-tools). Building
// them from a scope's types is validate_sem_scope.cpp's.
#include "rill/component/validate_sem.h"

#include <algorithm>
#include <set>
#include <string>

#include "rill/base/escape.h"
#include "rill/component/validate_internal.h"

namespace rill::component::detail {

SemPtr sem_unknown() {
  static const SemPtr kUnknown = std::make_shared<const SemType>();
  return kUnknown;
}

SemPtr sem_prim(PrimValType p) {
  auto t = std::make_shared<SemType>();
  t->kind = SemKind::Prim;
  t->prim = p;
  return t;
}

SemPtr sem_resource(SemKind kind, uint32_t id) {
  auto t = std::make_shared<SemType>();
  t->kind = kind;
  t->resource = id;
  t->has_nominal = true;
  return t;
}

namespace {

uint32_t rename(uint32_t id, const ResourceMap& map) {
  auto it = map.find(id);
  return it == map.end() ? id : it->second;
}

using Memo = std::map<const SemType*, SemPtr>;
SemPtr subst(const SemPtr& t, const ResourceMap& map, Memo& memo);

SemExterns substitute_all(const SemExterns& es, const ResourceMap& map, Memo& memo,
                          bool& changed) {
  SemExterns out;
  out.reserve(es.size());
  for (const auto& [name, e] : es) {
    SemExtern s = e;
    s.type = subst(e.type, map, memo);
    changed = changed || s.type != e.type;
    out.emplace_back(name, std::move(s));
  }
  return out;
}

/// Renames in {t}; {memo} keeps a node shared by several parts shared in the result (the
/// identity of records and variants is their node, see sem_vis).
SemPtr subst(const SemPtr& t, const ResourceMap& map, Memo& memo) {
  if (!t || map.empty()) return t;
  if (auto m = memo.find(t.get()); m != memo.end()) return m->second;
  bool changed = false;
  auto copy = std::make_shared<SemType>(*t);
  if (t->kind == SemKind::Own || t->kind == SemKind::Borrow || t->kind == SemKind::Resource) {
    copy->resource = rename(t->resource, map);
    changed = copy->resource != t->resource;
  }
  for (SemPtr& e : copy->elems) {
    SemPtr s = subst(e, map, memo);
    changed = changed || s != e;
    e = std::move(s);
  }
  copy->result = subst(t->result, map, memo);
  changed = changed || copy->result != t->result;
  copy->imports = substitute_all(t->imports, map, memo, changed);
  copy->exports = substitute_all(t->exports, map, memo, changed);
  for (uint32_t& r : copy->defined) r = rename(r, map);
  for (uint32_t& r : copy->imported) r = rename(r, map);
  changed = changed || copy->defined != t->defined || copy->imported != t->imported;
  SemPtr out = changed ? SemPtr(std::move(copy)) : t;
  memo.emplace(t.get(), out);
  return out;
}

}  // namespace

SemPtr substitute(const SemPtr& t, const ResourceMap& map) {
  Memo memo;
  return subst(t, map, memo);
}

SemExtern substitute(const SemExtern& e, const ResourceMap& map) {
  SemExtern out = e;
  out.type = substitute(e.type, map);
  return out;
}

namespace {

const SemExtern* find_extern(const SemExterns& es, std::string_view name) {
  for (const auto& [n, e] : es) {
    if (n == name) return &e;
  }
  return nullptr;
}

}  // namespace

namespace {

using PairSet = std::set<std::pair<const SemType*, const SemType*>>;

void collect(const SemExtern& want, const SemExtern& got, const std::vector<uint32_t>& abstract,
             ResourceMap& map, PairSet& seen) {
  if (!want.type || !got.type || want.kind != got.kind) return;
  const SemType& w = *want.type;
  const SemType& g = *got.type;
  if (w.kind == SemKind::Resource && g.kind == SemKind::Resource) {
    if (std::find(abstract.begin(), abstract.end(), w.resource) != abstract.end())
      map.emplace(w.resource, g.resource);
    return;
  }
  if (w.kind != SemKind::Instance || g.kind != SemKind::Instance) return;
  if (!seen.emplace(&w, &g).second) return;
  for (const auto& [name, we] : w.exports) {
    if (const SemExtern* ge = find_extern(g.exports, name)) collect(we, *ge, abstract, map, seen);
  }
}

}  // namespace

void collect_renaming(const SemExtern& want, const SemExtern& got,
                      const std::vector<uint32_t>& abstract, ResourceMap& map) {
  PairSet seen;
  collect(want, got, abstract, map, seen);
}

const char* sem_extern_word(const SemExtern& e) { return to_string(e.kind); }

namespace {

const char* sem_name(SemKind k) {
  static const char* const kNames[] = {"unknown", "primitive", "record",   "variant",  "list",
                                       "tuple",   "flags",     "enum",     "option",   "result",
                                       "own",     "borrow",    "stream",   "future",   "map",
                                       "func",    "resource",  "instance", "component"};
  return kNames[static_cast<size_t>(k)];
}

std::optional<std::string> opt_mismatch(const SemPtr& w, const SemPtr& g, const char* what) {
  if (!w && !g) return std::nullopt;
  if (w && !g) return std::string("expected ") + what + " type, but found none";
  if (!w) return std::string("expected ") + what + " type to not be present";
  return sem_mismatch(w, g);
}

/// Records, variants and tuples: {what} names members as wasm-tools does.
struct Members {
  const char* plural;  ///< "fields"
  const char* named;   ///< "field name"
  const char* in;      ///< "record field"
};

std::optional<std::string> members_mismatch(const SemType& w, const SemType& g, const Members& m) {
  if (w.elems.size() != g.elems.size()) {
    return "expected " + std::to_string(w.elems.size()) + " " + m.plural + ", found " +
           std::to_string(g.elems.size());
  }
  const bool labeled = !w.labels.empty();
  for (size_t i = 0; i < w.elems.size(); ++i) {
    if (labeled && w.labels[i] != g.labels[i]) {
      return std::string("expected ") + m.named + " `" + escape_name(w.labels[i]) + "`, found `" + escape_name(g.labels[i]) +
             "`";
    }
    const std::string label = labeled ? "`" + escape_name(w.labels[i]) + "`" : std::to_string(i);
    const SemPtr& we = w.elems[i];
    const SemPtr& ge = g.elems[i];
    if (we && !ge) return "expected case " + label + " to have a type, found none";
    if (!we && ge) return "expected case " + label + " to have no type";
    if (!we) continue;
    if (auto mm = sem_mismatch(we, ge))
      return std::string("type mismatch in ") + m.in + " " + label + ": " + *mm;
  }
  return std::nullopt;
}

std::optional<std::string> func_sem_mismatch(const SemType& w, const SemType& g) {
  if (w.elems.size() != g.elems.size()) {
    return "expected " + std::to_string(w.elems.size()) + " parameters, found " +
           std::to_string(g.elems.size());
  }
  for (size_t i = 0; i < w.elems.size(); ++i) {
    if (w.labels[i] != g.labels[i])
      return "expected parameter named `" + escape_name(w.labels[i]) + "`, found `" + escape_name(g.labels[i]) + "`";
    if (auto m = sem_mismatch(w.elems[i], g.elems[i]))
      return "type mismatch in function parameter `" + escape_name(w.labels[i]) + "`: " + *m;
  }
  // wasm-tools words these from the argument's side.
  if (w.result && !g.result) return "expected no result, found one";
  if (!w.result && g.result) return "expected a result, found none";
  if (w.result) {
    if (auto m = sem_mismatch(w.result, g.result)) return "type mismatch with result type: " + *m;
  }
  return std::nullopt;
}

/// Instance subtyping: every export {want} has, {got} has, of a subtype.
std::optional<std::string> exports_mismatch(const SemExterns& want, const SemExterns& got,
                                            const char* where) {
  for (const auto& [name, we] : want) {
    const SemExtern* ge = find_extern(got, name);
    if (!ge) return "missing expected export `" + escape_name(name) + "`";
    if (auto m = sem_extern_mismatch(we, *ge))
      return std::string("type mismatch in ") + where + " `" + escape_name(name) + "`: " + *m;
  }
  return std::nullopt;
}

/// Component subtyping: {got} may import less, and each of its imports must accept what
/// {want}'s import would be given; its exports as for instances. {got}'s own abstract and
/// defined resources are first renamed to the ones of {want} they stand for.
std::optional<std::string> component_mismatch(const SemType& w, const SemType& g_in) {
  ResourceMap map;
  for (const auto& [name, ge] : g_in.imports) {
    if (const SemExtern* we = find_extern(w.imports, name))
      collect_renaming(ge, *we, g_in.imported, map);
  }
  for (const auto& [name, we] : w.exports) {
    if (const SemExtern* ge = find_extern(g_in.exports, name))
      collect_renaming(*ge, we, g_in.defined, map);
  }
  const SemPtr renamed = substitute(std::make_shared<SemType>(g_in), map);
  const SemType& g = *renamed;
  for (const auto& [name, ge] : g.imports) {
    const SemExtern* we = find_extern(w.imports, name);
    if (!we) return "missing expected import `" + escape_name(name) + "`";
    if (auto m = sem_extern_mismatch(ge, *we))
      return "type mismatch in import `" + escape_name(name) + "`: " + *m;
  }
  return exports_mismatch(w.exports, g.exports, "export");
}

std::optional<std::string> same_kind_mismatch(const SemType& w, const SemType& g) {
  switch (w.kind) {
    case SemKind::Prim:
      if (w.prim == g.prim) return std::nullopt;
      return std::string("expected primitive `") + to_string(w.prim) + "` found primitive `" +
             to_string(g.prim) + "`";
    case SemKind::Record:
      return members_mismatch(w, g, {"fields", "field name", "record field"});
    case SemKind::Variant:
      return members_mismatch(w, g, {"cases", "case named", "variant case"});
    case SemKind::Tuple: return members_mismatch(w, g, {"types", "", "tuple field"});
    case SemKind::Flags:
      if (w.labels != g.labels) return "mismatch in flags elements";
      return std::nullopt;
    case SemKind::Enum:
      if (w.labels != g.labels) return "mismatch in enum elements";
      return std::nullopt;
    case SemKind::List:
      if (w.length != g.length) return "mismatch in list length";
      if (auto m = sem_mismatch(w.elems[0], g.elems[0])) return "type mismatch in list: " + *m;
      return std::nullopt;
    case SemKind::Option:
      if (auto m = sem_mismatch(w.elems[0], g.elems[0])) return "type mismatch in option: " + *m;
      return std::nullopt;
    case SemKind::Result: {
      if (auto m = opt_mismatch(w.elems[0], g.elems[0], "ok")) {
        if (w.elems[0] && g.elems[0]) return "type mismatch in ok variant: " + *m;
        return m;
      }
      if (auto m = opt_mismatch(w.elems[1], g.elems[1], "err")) {
        if (w.elems[1] && g.elems[1]) return "type mismatch in err variant: " + *m;
        return m;
      }
      return std::nullopt;
    }
    case SemKind::Map:
    case SemKind::Stream:
    case SemKind::Future:
      for (size_t i = 0; i < w.elems.size() && i < g.elems.size(); ++i) {
        if (auto m = opt_mismatch(w.elems[i], g.elems[i], "element")) return m;
      }
      return std::nullopt;
    case SemKind::Own:
    case SemKind::Borrow:
    case SemKind::Resource:
      if (w.resource != g.resource) return "resource types are not the same";
      return std::nullopt;
    case SemKind::Func: return func_sem_mismatch(w, g);
    case SemKind::Instance: return exports_mismatch(w.exports, g.exports, "instance export");
    case SemKind::Component: return component_mismatch(w, g);
    case SemKind::Unknown: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

namespace {
/// Pairs of nodes already found equal in the outermost sem_mismatch running on this thread:
/// types are DAGs (a tuple of two uses of one type, nested), so without it a comparison could
/// take time exponential in the component's size.
thread_local std::set<std::pair<const SemType*, const SemType*>>* t_equal = nullptr;
}  // namespace

std::optional<std::string> sem_mismatch(const SemPtr& want, const SemPtr& got) {
  if (!want || !got || want->kind == SemKind::Unknown || got->kind == SemKind::Unknown)
    return std::nullopt;
  if (want == got) return std::nullopt;
  if (want->kind == got->kind) {
    std::set<std::pair<const SemType*, const SemType*>> local;
    const bool outermost = t_equal == nullptr;
    if (outermost) t_equal = &local;
    std::optional<std::string> m;
    if (!t_equal->count({want.get(), got.get()})) {
      m = same_kind_mismatch(*want, *got);
      if (!m) t_equal->emplace(want.get(), got.get());
    }
    if (outermost) t_equal = nullptr;
    return m;
  }
  auto word = [](const SemType& t) {
    return t.kind == SemKind::Prim ? to_string(t.prim) : sem_name(t.kind);
  };
  return std::string("expected ") + word(*want) + ", found " + word(*got);
}

std::optional<std::string> sem_extern_mismatch(const SemExtern& want, const SemExtern& got) {
  if (want.kind != got.kind) {
    return std::string("expected ") + sem_extern_word(want) + ", found " + sem_extern_word(got);
  }
  if (want.kind == ExternKind::CoreModule) {
    if (!want.module || !got.module) return std::nullopt;
    return module_mismatch(*want.module, *got.module);
  }
  if (want.kind == ExternKind::Type && want.type && got.type) {
    const bool wr = want.type->kind == SemKind::Resource;
    const bool gr = got.type->kind == SemKind::Resource;
    if (wr && !gr && got.type->kind != SemKind::Unknown) return "expected resource, found defined type";
    if (!wr && gr && want.type->kind != SemKind::Unknown) return "expected defined type, found resource";
    const SemKind gk = got.type->kind;
    if (want.type->kind == SemKind::Prim && gk != SemKind::Prim && gk != SemKind::Unknown)
      return std::string("expected primitive, found ") + sem_name(gk);
  }
  return sem_mismatch(want.type, got.type);
}

std::optional<std::string> module_mismatch(const CoreModuleInfo& want, const CoreModuleInfo& got) {
  if (!want.known || !got.known) return std::nullopt;
  for (const CoreImportInfo& gi : got.imports) {
    const std::string name = gi.module + "::" + gi.name;
    auto wi = std::find_if(want.imports.begin(), want.imports.end(), [&](const CoreImportInfo& i) {
      return i.module == gi.module && i.name == gi.name;
    });
    if (wi == want.imports.end()) return "missing expected import `" + escape_name(name) + "`";
    if (wi->type.sort != gi.type.sort)
      return "type mismatch in import `" + escape_name(name) + "`: expected " + to_string(gi.type.sort) +
             ", found " + to_string(wi->type.sort);
    if (auto m = core_mismatch(gi.type, wi->type))
      return "type mismatch in import `" + escape_name(name) + "`: " + *m;
  }
  for (const auto& [name, we] : want.exports) {
    auto ge = got.exports.find(name);
    if (ge == got.exports.end()) return "missing expected export `" + escape_name(name) + "`";
    if (ge->second.sort != we.sort) {
      return "type mismatch in export `" + escape_name(name) + "`: expected " + to_string(we.sort) +
             ", found " + to_string(ge->second.sort);
    }
    if (auto m = core_mismatch(we, ge->second)) return "type mismatch in export `" + escape_name(name) + "`: " + *m;
  }
  return std::nullopt;
}

bool sem_is_nominal(const SemPtr& t) {
  if (!t) return false;
  switch (t->kind) {
    case SemKind::Record:
    case SemKind::Variant:
    case SemKind::Enum:
    case SemKind::Flags:
    case SemKind::Resource: return true;
    default: return false;
  }
}

bool sem_has_nominal(const SemPtr& t) { return t && t->has_nominal; }

SemPtr sem_finish(std::shared_ptr<SemType> t) {
  const bool leaf = t->kind == SemKind::Prim || t->kind == SemKind::Own ||
                    t->kind == SemKind::Borrow || t->kind == SemKind::Resource ||
                    t->kind == SemKind::Unknown;
  uint32_t deepest = 0;
  uint64_t size = 1;
  auto part = [&](const SemPtr& p) {
    if (!p) return;
    deepest = std::max(deepest, p->depth);
    size = std::min(size + p->size, kMaxTypeSize + 1);
  };
  for (const SemPtr& e : t->elems) part(e);
  part(t->result);
  for (const auto& [name, e] : t->imports) part(e.type);
  for (const auto& [name, e] : t->exports) part(e.type);
  t->depth = leaf ? 0 : std::min(deepest, kMaxTypeDepth) + 1;
  t->size = size;
  auto any = [](const SemExterns& es) {
    return std::any_of(es.begin(), es.end(), [](const auto& e) { return sem_has_nominal(e.second.type); });
  };
  t->has_nominal = sem_is_nominal(t) || t->kind == SemKind::Own || t->kind == SemKind::Borrow ||
                   sem_has_nominal(t->result) ||
                   std::any_of(t->elems.begin(), t->elems.end(), sem_has_nominal) ||
                   any(t->imports) || any(t->exports);
  return t;
}

std::optional<std::string> sem_limit_error(const SemPtr& t) {
  if (!t) return std::nullopt;
  const bool value = t->kind != SemKind::Func && t->kind != SemKind::Instance &&
                     t->kind != SemKind::Component;
  if (t->depth > (value ? kMaxValueTypeDepth : kMaxTypeDepth)) {
    return "type nesting is too deep (" + std::string(value ? "a value type" : "a type") +
           " may nest at most " + std::to_string(value ? kMaxValueTypeDepth : kMaxTypeDepth) +
           " levels)";
  }
  if (t->size > kMaxTypeSize)
    return "effective type size exceeds the limit of " + std::to_string(kMaxTypeSize);
  return std::nullopt;
}

}  // namespace rill::component::detail
