// Import/export names for the component validator (Binary.md "Import and Export Definitions"
// notes): the name grammar (names.h), attributes, annotated resource names and strong
// uniqueness within a component, component type or instance type.
#include <string>

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
      return error_at(offset, "name `" + n.name + "` is not valid with `implements`");
    }
    auto in = parse_interface_name(a.value, a.offset);
    if (!in) return std::move(in).error();
  }
  return {};
}

Result<void> check_annotated(const ParsedName& parsed, ExternInfo info, const Scope& scope,
                             const std::string& name, uint64_t offset) {
  if (parsed.kind == NameKind::Label || parsed.kind == NameKind::Interface) return {};
  if (info.kind != ExternKind::Func)
    return error_at(offset, "name `" + name + "` is not a func");
  if (!scope.resource_names.count(std::string(parsed.label))) {
    return error_at(offset, "resource used in name `" + name +
                                "` is not known in this context: static resource name is not "
                                "known in this context");
  }
  return {};
}

}  // namespace

Result<void> check_name(const ExternName& n, ExternInfo info, bool is_import, Scope& scope,
                        uint64_t offset) {
  auto parsed = parse_extern_name(n.name, n.offset);
  if (!parsed) return std::move(parsed).error();
  RILL_CHECK_OK(check_attributes(n, *parsed, info, offset));
  RILL_CHECK_OK(check_annotated(*parsed, info, scope, n.name, offset));
  auto& keys = is_import ? scope.import_keys : scope.export_keys;
  auto [it, fresh] = keys.emplace(strongly_unique_key(n.name), n.name);
  if (!fresh) {
    return error_at(offset, std::string(is_import ? "import" : "export") + " name `" + n.name +
                                "` conflicts with previous name `" + it->second + "`");
  }
  if (info.kind == ExternKind::Type && info.type_kind == TypeKind::Resource &&
      parsed->kind == NameKind::Label) {
    scope.resource_names.insert(std::string(parsed->label));
  }
  return {};
}

}  // namespace rill::component::detail
