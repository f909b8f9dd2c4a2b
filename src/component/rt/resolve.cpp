// Type resolution at run time: value, function and resource types of one ScopeRt, and the
// checks of imported items against the types a component declares for them.
#include "rill/component/rt/resolve.h"

#include "rill/base/escape.h"
#include "rill/component/names.h"

namespace rill::component::rt {

Result<RTypePtr> resolve_val(ValType t, const ScopeRt& s) {
  if (t.is_prim()) {
    switch (t.prim_type()) {
      case PrimValType::Bool: return prim(TK::Bool);
      case PrimValType::S8: return prim(TK::S8);
      case PrimValType::U8: return prim(TK::U8);
      case PrimValType::S16: return prim(TK::S16);
      case PrimValType::U16: return prim(TK::U16);
      case PrimValType::S32: return prim(TK::S32);
      case PrimValType::U32: return prim(TK::U32);
      case PrimValType::S64: return prim(TK::S64);
      case PrimValType::U64: return prim(TK::U64);
      case PrimValType::F32: return prim(TK::F32);
      case PrimValType::F64: return prim(TK::F64);
      case PrimValType::Char: return prim(TK::Char);
      case PrimValType::String: return prim(TK::String);
      case PrimValType::ErrorContext: return prim(TK::ErrorContext);
    }
    return Error{"unknown primitive type"};
  }
  const uint32_t i = idx(t.type_index());
  if (i >= s.types.size()) return Error{"type index " + std::to_string(i) + " out of bounds"};
  const TypeRt& e = s.types[i];
  if (e.kind != TypeRt::Kind::Val || !e.value)
    return Error{"type index " + std::to_string(i) + " is not a value type"};
  return e.value;
}

namespace {
Result<RTypePtr> opt_val(const std::optional<ValType>& t, const ScopeRt& s) {
  if (!t) return RTypePtr{};
  return resolve_val(*t, s);
}
Result<std::shared_ptr<const ResourceTypeRt>> resource_at(TypeIdx t, const ScopeRt& s) {
  const uint32_t i = idx(t);
  if (i >= s.types.size() || s.types[i].kind != TypeRt::Kind::Resource)
    return Error{"type index " + std::to_string(i) + " is not a resource type"};
  return s.types[i].resource;
}
}  // namespace

Result<RTypePtr> resolve_defval(const DefValType& d, const ScopeRt& s) {
  return std::visit(
      [&](const auto& t) -> Result<RTypePtr> {
        using T = std::decay_t<decltype(t)>;
        if constexpr (std::is_same_v<T, PrimValType>) {
          return resolve_val(ValType::prim(t), s);
        } else if constexpr (std::is_same_v<T, RecordType>) {
          std::vector<std::string> labels;
          std::vector<RTypePtr> fields;
          for (const auto& f : t.fields) {
            labels.push_back(f.label);
            RILL_TRY(RTypePtr ft, resolve_val(f.type, s));
            fields.push_back(std::move(ft));
          }
          return make_record(std::move(labels), std::move(fields));
        } else if constexpr (std::is_same_v<T, VariantType>) {
          std::vector<std::string> labels;
          std::vector<RTypePtr> cases;
          for (const auto& c : t.cases) {
            labels.push_back(c.label);
            RILL_TRY(RTypePtr ct, opt_val(c.type, s));
            cases.push_back(std::move(ct));
          }
          return make_variant(TK::Variant, std::move(labels), std::move(cases));
        } else if constexpr (std::is_same_v<T, ListType>) {
          RILL_TRY(RTypePtr e, resolve_val(t.elem, s));
          if (t.length) return make_fixed_list(std::move(e), *t.length);
          return make_list(std::move(e));
        } else if constexpr (std::is_same_v<T, TupleType>) {
          std::vector<RTypePtr> fields;
          for (const auto& f : t.types) {
            RILL_TRY(RTypePtr ft, resolve_val(f, s));
            fields.push_back(std::move(ft));
          }
          return make_tuple(std::move(fields));
        } else if constexpr (std::is_same_v<T, FlagsType>) {
          return make_flags(t.labels);
        } else if constexpr (std::is_same_v<T, EnumType>) {
          return make_variant(TK::Enum, t.labels, std::vector<RTypePtr>(t.labels.size()));
        } else if constexpr (std::is_same_v<T, OptionType>) {
          RILL_TRY(RTypePtr e, resolve_val(t.type, s));
          return make_variant(TK::Option, {"none", "some"}, {nullptr, std::move(e)});
        } else if constexpr (std::is_same_v<T, ResultType>) {
          RILL_TRY(RTypePtr ok, opt_val(t.ok, s));
          RILL_TRY(RTypePtr err, opt_val(t.err, s));
          return make_variant(TK::Result, {"ok", "error"}, {std::move(ok), std::move(err)});
        } else if constexpr (std::is_same_v<T, OwnType>) {
          RILL_TRY(auto r, resource_at(t.resource, s));
          return make_handle(TK::Own, std::move(r));
        } else if constexpr (std::is_same_v<T, BorrowType>) {
          RILL_TRY(auto r, resource_at(t.resource, s));
          return make_handle(TK::Borrow, std::move(r));
        } else if constexpr (std::is_same_v<T, StreamType>) {
          RILL_TRY(RTypePtr e, opt_val(t.elem, s));
          return make_async(TK::Stream, std::move(e));
        } else if constexpr (std::is_same_v<T, FutureType>) {
          RILL_TRY(RTypePtr e, opt_val(t.elem, s));
          return make_async(TK::Future, std::move(e));
        } else {
          static_assert(std::is_same_v<T, MapType>);
          RILL_TRY(RTypePtr k, resolve_val(t.key, s));
          RILL_TRY(RTypePtr v, resolve_val(t.value, s));
          return make_map(std::move(k), std::move(v));
        }
      },
      d);
}

Result<FuncTypePtr> resolve_func(const FuncType& f, const ScopeRt& s) {
  std::vector<std::string> names;
  std::vector<RTypePtr> params;
  for (const auto& p : f.params) {
    names.push_back(p.label);
    RILL_TRY(RTypePtr t, resolve_val(p.type, s));
    params.push_back(std::move(t));
  }
  RILL_TRY(RTypePtr r, opt_val(f.result, s));
  return make_func_type(f.async, std::move(names), std::move(params), std::move(r));
}

Result<TypeRt> resolve_type(const Type& t, const std::shared_ptr<ScopeRt>& s) {
  TypeRt out;
  if (const auto* d = std::get_if<DefValType>(&t.type)) {
    RILL_TRY(out.value, resolve_defval(*d, *s));
    out.kind = TypeRt::Kind::Val;
  } else if (const auto* f = std::get_if<FuncType>(&t.type)) {
    RILL_TRY(out.func, resolve_func(*f, *s));
    out.kind = TypeRt::Kind::Func;
  } else if (const auto* c = std::get_if<ComponentType>(&t.type)) {
    out.kind = TypeRt::Kind::Component;
    out.component = c;
    out.scope = s;
  } else if (const auto* i = std::get_if<InstanceType>(&t.type)) {
    out.kind = TypeRt::Kind::Instance;
    out.instance = i;
    out.scope = s;
  } else {
    return Error{"resource type outside a component definition"};
  }
  return out;
}

Result<const ScopeRt*> outer_scope(const ScopeRt& s, uint32_t count) {
  const ScopeRt* p = &s;
  for (uint32_t i = 0; i < count; ++i) {
    if (!p->parent) return Error{"outer alias count " + std::to_string(count) + " out of bounds"};
    p = p->parent.get();
  }
  return p;
}

const char* item_kind(const Item& item) {
  switch (item.index()) {
    case 0: return "func";
    case 1: return "type";
    case 2: return "component";
    case 3: return "instance";
    case 4: return "core module";
    default: return "value";
  }
}

namespace {

/// "string", "list<u32>", ... for a shape.
std::string shape_string(const ValueShape& s) {
  if (s.any) return "Value";
  if (s.none) return "_";
  std::string out = rill::to_string(s.kind);
  if (!s.elems.empty()) {
    out += "<";
    for (size_t i = 0; i < s.elems.size(); ++i) out += (i ? ", " : "") + shape_string(s.elems[i]);
    out += ">";
  }
  return out;
}

std::optional<std::string> value_shape_mismatch(const ValueShape& want, const RType& t) {
  auto fail = [&] { return "C++ " + shape_string(want) + " for " + to_string(t); };
  if (want.any) return std::nullopt;
  switch (t.kind) {
    case TK::Bool: return want.kind == ValueKind::Bool && !want.none ? std::nullopt : std::optional(fail());
    case TK::S8: case TK::U8: case TK::S16: case TK::U16: case TK::S32: case TK::U32:
    case TK::S64: case TK::U64: case TK::F32: case TK::F64: case TK::Char: case TK::String: {
      static constexpr ValueKind kinds[] = {ValueKind::Bool, ValueKind::S8, ValueKind::U8, ValueKind::S16,
                                            ValueKind::U16, ValueKind::S32, ValueKind::U32, ValueKind::S64,
                                            ValueKind::U64, ValueKind::F32, ValueKind::F64, ValueKind::Char,
                                            ValueKind::String};
      if (want.none || want.kind != kinds[static_cast<size_t>(t.kind)]) return fail();
      return std::nullopt;
    }
    case TK::List: case TK::Map: case TK::FixedList:
      if (want.kind != ValueKind::List || want.elems.size() != 1) return fail();
      return value_shape_mismatch(want.elems[0], *t.elems[0]);
    case TK::Option:
      if (want.kind != ValueKind::Option || want.elems.size() != 1) return fail();
      return value_shape_mismatch(want.elems[0], *t.elems[1]);
    case TK::Result:
      if (want.kind != ValueKind::Result || want.elems.size() != 2) return fail();
      for (size_t i = 0; i < 2; ++i) {
        if (!t.elems[i]) {
          if (!want.elems[i].none && !want.elems[i].any) return fail();
        } else if (want.elems[i].none) {
          return fail();
        } else if (auto m = value_shape_mismatch(want.elems[i], *t.elems[i])) {
          return m;
        }
      }
      return std::nullopt;
    case TK::Tuple: case TK::Record:
      if (want.kind != (t.kind == TK::Tuple ? ValueKind::Tuple : ValueKind::Record) ||
          want.elems.size() != t.elems.size() || (t.kind == TK::Record && want.labels != t.labels))
        return fail();
      for (size_t i = 0; i < t.elems.size(); ++i)
        if (auto m = value_shape_mismatch(want.elems[i], *t.elems[i])) return m;
      return std::nullopt;
    default:
      return fail();  // variants, enums, flags, handles, streams: use rill::Value
  }
}

std::optional<std::string> shape_mismatch(const FuncShape& shape, const FuncTypeRt& ft) {
  if (shape.params.size() != ft.params.size())
    return "it takes " + std::to_string(shape.params.size()) + " parameters, the import " +
           std::to_string(ft.params.size());
  for (size_t i = 0; i < ft.params.size(); ++i)
    if (auto m = value_shape_mismatch(shape.params[i], *ft.params[i]))
      return "parameter " + ft.param_names[i] + ": " + *m;
  if (!shape.result != !ft.result) return ft.result ? "it returns nothing" : "it returns a value";
  if (ft.result)
    if (auto m = value_shape_mismatch(*shape.result, *ft.result)) return "result: " + *m;
  return std::nullopt;
}

Result<Item> check_item(const std::string& name, const ExternType& et, const Item& got,
                        const std::shared_ptr<ScopeRt>& s, TypeRt* bound_out);

Result<Item> check_instance(const std::string& name, const InstanceType& it,
                            const std::shared_ptr<ScopeRt>& where,
                            const std::shared_ptr<InstanceRt>& got) {
  auto tmp = std::make_shared<ScopeRt>();
  tmp->parent = where;
  std::shared_ptr<InstanceRt> adjusted;  // a copy when a host function or value type was adopted
  for (const TypeDecl& d : it.decls) {
    if (std::holds_alternative<CoreType>(d.decl)) {
      tmp->core_types++;
    } else if (const auto* t = std::get_if<Type>(&d.decl)) {
      RILL_TRY(TypeRt r, resolve_type(*t, tmp));
      tmp->types.push_back(std::move(r));
    } else if (const auto* a = std::get_if<Alias>(&d.decl)) {
      if (a->kind != AliasKind::Outer || a->sort.kind != SortKind::Type) {
        if (a->sort.kind == SortKind::Core && a->sort.core == CoreSort::Type) tmp->core_types++;
        continue;
      }
      RILL_TRY(const ScopeRt* o, outer_scope(*tmp, a->count));
      if (a->index >= o->types.size()) return Error{"outer alias of an unknown type"};
      tmp->types.push_back(o->types[a->index]);
    } else if (const auto* e = std::get_if<ExternDecl>(&d.decl)) {
      const InstanceRt& cur = adjusted ? *adjusted : *got;
      const Item* item = cur.find(e->name.name);
      if (!item && e->type.kind == ExternKind::Type && e->type.type_bound.kind == TypeBound::Kind::Eq) {
        // A type export equal to a value type (a record, enum, variant... of an interface) is
        // fully given by the importer's declaration: a provider without it (a host instance,
        // which defines only functions and resources) gets the importer's type.
        const uint32_t b = idx(e->type.type_bound.index);
        if (b < tmp->types.size() && tmp->types[b].kind != TypeRt::Kind::Resource) {
          if (!adjusted) adjusted = std::make_shared<InstanceRt>(*got);
          adjusted->exports.emplace_back(e->name.name, Item{tmp->types[b]});
          tmp->types.push_back(tmp->types[b]);
          continue;
        }
      }
      if (!item)
        return Error{"import \"" + escape_name(name) + "\": the provided instance has no export \"" + escape_name(e->name.name) + "\""};
      TypeRt bound;
      RILL_TRY(Item use, check_item(name + "\" export \"" + e->name.name, e->type, *item, tmp, &bound));
      if (e->type.kind == ExternKind::Type) tmp->types.push_back(std::move(bound));
      // A host function that took its type, or a nested instance holding one, replaces the
      // provided item in the instance the importer sees.
      const bool adopted =
          use.index() == item->index() &&
          ((use.index() == 0 && std::get<FuncPtr>(use) != std::get<FuncPtr>(*item)) ||
           (std::holds_alternative<std::shared_ptr<InstanceRt>>(use) &&
            std::get<std::shared_ptr<InstanceRt>>(use) != std::get<std::shared_ptr<InstanceRt>>(*item)));
      if (adopted) {
        if (!adjusted) adjusted = std::make_shared<InstanceRt>(*got);
        for (auto& [n, x] : adjusted->exports)
          if (n == e->name.name) x = use;
      }
    }
  }
  return Item{adjusted ? adjusted : got};
}

Result<Item> check_item(const std::string& name, const ExternType& et, const Item& got,
                        const std::shared_ptr<ScopeRt>& s, TypeRt* bound_out) {
  auto mismatch = [&](const char* want) {
    return Error{"import \"" + escape_name(name) + "\": expected a " + want + ", found a " + item_kind(got)};
  };
  switch (et.kind) {
    case ExternKind::Func: {
      const auto* f = std::get_if<FuncPtr>(&got);
      if (!f) return mismatch("func");
      const bool known = et.index < s->types.size() && s->types[et.index].kind == TypeRt::Kind::Func;
      if (!(*f)->type) {
        // A host function defined without a type takes the import's.
        if (!known) return Error{"import \"" + escape_name(name) + "\": its function type could not be resolved"};
        auto host = std::dynamic_pointer_cast<HostFuncRt>(*f);
        if (!host) return Error{"import \"" + escape_name(name) + "\": untyped function"};
        if (host->shape) {
          if (auto m = shape_mismatch(*host->shape, *s->types[et.index].func))
            return Error{"import \"" + escape_name(name) + "\": the host function does not match " +
                         to_string(*s->types[et.index].func) + ": " + *m};
        }
        auto copy = std::make_shared<HostFuncRt>(*host);
        copy->type = s->types[et.index].func;
        return Item{FuncPtr(std::move(copy))};
      }
      if (!known) return got;
      if (auto m = func_type_mismatch(*s->types[et.index].func, *(*f)->type))
        return Error{"import \"" + escape_name(name) + "\": function type mismatch: " + *m};
      return got;
    }
    case ExternKind::Instance: {
      const auto* i = std::get_if<std::shared_ptr<InstanceRt>>(&got);
      if (!i) return mismatch("instance");
      if (et.index < s->types.size() && s->types[et.index].kind == TypeRt::Kind::Instance)
        if (auto where = s->types[et.index].scope.lock())
          return check_instance(name, *s->types[et.index].instance, where, *i);
      return got;
    }
    case ExternKind::Type: {
      const auto* t = std::get_if<TypeRt>(&got);
      if (!t) return mismatch("type");
      if (et.type_bound.kind == TypeBound::Kind::SubResource) {
        if (t->kind != TypeRt::Kind::Resource) return mismatch("resource type");
        if (bound_out) *bound_out = *t;
        return got;
      }
      const uint32_t b = idx(et.type_bound.index);
      if (b < s->types.size()) {
        const TypeRt& want = s->types[b];
        if (want.kind == TypeRt::Kind::Resource &&
            (t->kind != TypeRt::Kind::Resource || t->resource != want.resource))
          return Error{"import \"" + escape_name(name) + "\": a different resource type"};
        if (want.kind == TypeRt::Kind::Val && want.value &&
            (t->kind != TypeRt::Kind::Val || !t->value || type_mismatch(*want.value, *t->value)))
          return Error{"import \"" + escape_name(name) + "\": type mismatch"};
        if (bound_out) *bound_out = want;
      } else if (bound_out) {
        *bound_out = *t;
      }
      return got;
    }
    case ExternKind::Component:
      if (!std::holds_alternative<std::shared_ptr<ComponentClosure>>(got)) return mismatch("component");
      return got;
    case ExternKind::CoreModule:
      if (!std::holds_alternative<std::shared_ptr<CoreModuleRt>>(got)) return mismatch("core module");
      return got;
    case ExternKind::Value:
      if (!std::holds_alternative<std::shared_ptr<Value>>(got)) return mismatch("value");
      return got;
  }
  return got;
}

}  // namespace

Result<Item> check_import(const std::string& name, const ExternType& et, const Item& got,
                          const std::shared_ptr<ScopeRt>& s) {
  return check_item(name, et, got, s, nullptr);
}

// ---- semver-aware import lookup ---------------------------------------------------------------

namespace {
struct Versioned {
  std::string_view base;  ///< the name before '@'
  uint64_t major = 0, minor = 0, patch = 0;
  bool has_version = false;
  bool pre = false;  ///< a pre-release or build suffix: exact matches only
};

Versioned split_version(std::string_view name) {
  Versioned v;
  const size_t at = name.rfind('@');
  v.base = name.substr(0, at);
  if (at == std::string_view::npos) return v;
  std::string_view ver = name.substr(at + 1);
  uint64_t parts[3] = {0, 0, 0};
  size_t k = 0, i = 0;
  for (; k < 3; ++k) {
    if (i >= ver.size() || ver[i] < '0' || ver[i] > '9') return Versioned{name, 0, 0, 0, false, true};
    while (i < ver.size() && ver[i] >= '0' && ver[i] <= '9') parts[k] = parts[k] * 10 + (ver[i++] - '0');
    if (k < 2) {
      if (i >= ver.size() || ver[i] != '.') return Versioned{name, 0, 0, 0, false, true};
      ++i;
    }
  }
  v.pre = i != ver.size();
  v.major = parts[0];
  v.minor = parts[1];
  v.patch = parts[2];
  v.has_version = true;
  return v;
}

/// The semver-compatibility track of a version: same major (>= 1), minor (0.x) or patch (0.0.x).
bool compatible(const Versioned& a, const Versioned& b) {
  if (a.major != b.major) return false;
  if (a.major > 0) return true;
  if (a.minor != b.minor) return false;
  if (a.minor > 0) return true;
  return a.patch == b.patch;
}
}  // namespace

const Item* ImportMap::find(std::string_view name) const {
  if (auto it = items_.find(name); it != items_.end()) return &it->second;
  const Versioned want = split_version(name);
  if (!want.has_version || want.pre) return nullptr;
  const Item* best = nullptr;
  Versioned best_v;
  for (const auto& [k, item] : items_) {
    const Versioned have = split_version(k);
    if (!have.has_version || have.pre || have.base != want.base || !compatible(want, have)) continue;
    if (!best || std::tie(have.major, have.minor, have.patch) > std::tie(best_v.major, best_v.minor, best_v.patch)) {
      best = &item;
      best_v = have;
    }
  }
  return best;
}

}  // namespace rill::component::rt
