// Import/export names for the component validator (Binary.md "Import and Export Definitions"
// notes): the name grammar (names.h), attributes, annotated resource names and strong
// uniqueness within a component, component type or instance type.
#include <string>

#include "rill/base/escape.h"
#include "rill/component/names.h"
#include "rill/component/validate_internal.h"

namespace rill::component::detail {
namespace {

Result<void> check_attributes(const ExternName& n, const ParsedName& parsed, ExternInfo info,
                              uint64_t offset) {
  bool seen[3] = {false, false, false};
  for (const NameAttribute& a : n.attributes) {
    const auto k = static_cast<size_t>(a.kind);
    if (k < 3 && seen[k]) {
      static const char* const kNames[] = {"implements", "versionsuffix", "external-id"};
      return error_at(a.offset, std::string("duplicate '") + kNames[k] + "' option in name");
    }
    if (k < 3) seen[k] = true;
    if (a.kind != NameAttribute::Kind::Implements) continue;
    if (info.kind != ExternKind::Instance)
      return error_at(offset, "only instances can have an `implements` attribute");
    if (parsed.kind != NameKind::Label) {
      return error_at(offset, "name `" + escape_name(n.name) + "` is not valid with `implements`");
    }
    auto in = parse_interface_name(a.value, a.offset);
    if (!in) return std::move(in).error();
  }
  return {};
}

/// The resource a handle type {t} (own or borrow, per {borrow}) points to, or nullptr.
const TypeEntry* handle_target(ValType t, const Scope& scope, bool borrow) {
  const Scope* where = &scope;
  const DefValType* dv = resolve(t, scope, &where);
  if (!dv || !where) return nullptr;
  const TypeIdx* r = nullptr;
  if (const auto* o = std::get_if<OwnType>(dv); o && !borrow) r = &o->resource;
  if (const auto* b = std::get_if<BorrowType>(dv); b && borrow) r = &b->resource;
  if (!r || idx(*r) >= where->types.size()) return nullptr;
  return &where->types[idx(*r)];
}

/// The constructor's result: (own $T) or (result (own $T) ...).
const TypeEntry* constructor_target(ValType t, const Scope& scope) {
  if (const TypeEntry* e = handle_target(t, scope, false)) return e;
  const Scope* where = &scope;
  const DefValType* dv = resolve(t, scope, &where);
  if (!dv || !where) return nullptr;
  const auto* r = std::get_if<ResultType>(dv);
  if (!r || !r->ok) return nullptr;
  return handle_target(*r->ok, *where, false);
}

using Labels = std::map<uint32_t, std::string>;

/// {e} is resource {label} in {labels}; errors say so in wasm-tools' words.
Result<void> check_resource_label(const TypeEntry* e, std::string_view label, const Labels& labels,
                                  uint64_t offset) {
  if (!e || e->kind != TypeKind::Resource || e->resources.empty()) return {};
  auto it = labels.find(e->resources.front());
  if (it == labels.end())
    return error_at(offset, "resource used in function does not have a name in this context");
  if (it->second != label) {
    return error_at(offset, "function does not match expected resource name `" + escape_name(it->second) +
                                "`");
  }
  return {};
}

Result<void> check_constructor(const FuncType& ft, const Scope& fs, std::string_view label,
                               const Labels& labels, uint64_t offset) {
  if (!ft.result) return error_at(offset, "function should return one value");
  const TypeEntry* e = constructor_target(*ft.result, fs);
  const Scope* where = &fs;
  if (!e && resolve(*ft.result, fs, &where)) {
    return error_at(offset, "function should return `(own $T)` or `(result (own $T))`");
  }
  if (!e && ft.result->is_prim())
    return error_at(offset, "function should return `(own $T)` or `(result (own $T))`");
  return check_resource_label(e, label, labels, offset);
}

Result<void> check_method(const FuncType& ft, const Scope& fs, std::string_view label,
                          const Labels& labels, uint64_t offset) {
  if (ft.params.empty()) return error_at(offset, "method should have at least one argument");
  if (ft.params[0].label != "self")
    return error_at(offset, "method should have a first argument called `self`");
  const ValType self = ft.params[0].type;
  const TypeEntry* e = handle_target(self, fs, true);
  const Scope* where = &fs;
  if (!e && (self.is_prim() || resolve(self, fs, &where)))
    return error_at(offset, "method should take a first argument of `(borrow $T)`");
  return check_resource_label(e, label, labels, offset);
}

Result<void> check_annotated(const ParsedName& parsed, ExternInfo info, const Scope& scope,
                             const Labels& labels, const std::string& name, uint64_t offset) {
  if (parsed.kind == NameKind::Label || parsed.kind == NameKind::Interface) return {};
  if (info.kind != ExternKind::Func)
    return error_at(offset, "name `" + escape_name(name) + "` is not a func");
  if (parsed.kind == NameKind::Static) {
    if (!scope.resource_names.count(std::string(parsed.label)))
      return error_at(offset, "static resource name is not known in this context");
    return {};
  }
  if (!info.func || !info.func_scope) return {};
  if (parsed.kind == NameKind::Constructor)
    return check_constructor(*info.func, *info.func_scope, parsed.label, labels, offset);
  return check_method(*info.func, *info.func_scope, parsed.label, labels, offset);
}

}  // namespace

Result<void> check_name_syntax(const ExternName& n, ExternInfo info, uint64_t offset) {
  auto parsed = parse_extern_name(n.name, n.offset);
  if (!parsed) return std::move(parsed).error();
  // 🪺 nested namespaces and projections are a feature not enabled here (as in wasm-tools).
  if (parsed->kind == NameKind::Interface && parsed->interface.nested()) {
    return error_at(n.offset, "`" + escape_name(n.name) + "` is not a valid extern name: nested namespaces "
                              "and projections are not enabled");
  }
  return check_attributes(n, *parsed, info, offset);
}

Result<void> check_name(const ExternName& n, ExternInfo info, bool is_import, Scope& scope,
                        uint64_t offset) {
  RILL_CHECK_OK(check_name_syntax(n, info, offset));
  auto parsed = parse_extern_name(n.name, n.offset);
  if (!parsed) return std::move(parsed).error();
  const Labels& labels = is_import ? scope.import_labels : scope.export_labels;
  RILL_CHECK_OK(check_annotated(*parsed, info, scope, labels, n.name, offset));
  auto& keys = is_import ? scope.import_keys : scope.export_keys;
  auto [it, fresh] = keys.emplace(strongly_unique_key(n.name), n.name);
  if (!fresh) {
    return error_at(offset, std::string(is_import ? "import" : "export") + " name `" + escape_name(n.name) +
                                "` conflicts with previous name `" + escape_name(it->second) + "`");
  }
  return {};
}

Result<void> check_inline_name(const ExternName& n, ExternInfo info, const Scope& scope,
                               uint64_t offset) {
  RILL_CHECK_OK(check_name_syntax(n, info, offset));
  auto parsed = parse_extern_name(n.name, n.offset);
  if (!parsed) return std::move(parsed).error();
  if (parsed->kind == NameKind::Static) return {};
  return check_annotated(*parsed, info, scope, scope.export_labels, n.name, offset);
}

void name_resource(const ExternName& n, Scope& scope, bool is_import) {
  if (scope.types.empty()) return;
  const TypeEntry& e = scope.types.back();
  if (e.kind != TypeKind::Resource) return;
  auto parsed = parse_extern_name(n.name, n.offset);
  if (!parsed || parsed->kind != NameKind::Label) return;
  scope.resource_names.insert(std::string(parsed->label));
  auto& labels = is_import ? scope.import_labels : scope.export_labels;
  // The first name wins: `type trailers = fields` re-exports a resource, and fields' methods
  // still go by "fields" (as in wasm-tools).
  if (!e.resources.empty()) labels.emplace(e.resources.front(), std::string(parsed->label));
}

}  // namespace rill::component::detail
