// The import/export name grammar of Explainer.md "Import and Export Definitions": kebab-case
// labels, [constructor]/[method]/[static] plain names, interface names `ns:pkg/iface@version`,
// semver, and the strongly-unique canonical form. The decoder keeps names as raw strings (a bad
// name is a validation error, not a malformed binary); the validator calls these.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rill/base/result.h"

namespace rill::component {

/// label ::= first-fragment ('-' fragment)*: kebab case, each fragment all lower or all upper.
bool is_label(std::string_view s);
/// words ::= first-word ('-' word)*: a lower-case label (namespaces and package names).
bool is_words(std::string_view s);
/// A valid semver per semver.org (MAJOR.MINOR.PATCH[-pre][+build], no leading zeros).
bool is_valid_semver(std::string_view s);
/// 🔗 canonversion: `N`, `0.N`, `0.0.N` (N without a leading zero, not 0) or `0.0.0`.
bool is_canon_version(std::string_view s);
/// 🔗 semversuffix ::= [0-9A-Za-z.+-]*.
bool is_semver_suffix(std::string_view s);

/// An interfacename: `ns:pkg/iface@version`; 🪺 nesting gives several namespaces/projections.
struct InterfaceName {
  std::vector<std::string_view> namespaces;  ///< at least one
  std::string_view package;
  std::vector<std::string_view> projections;  ///< at least one (the interface, then nested items)
  std::string_view version;                   ///< empty when there is none (no '@')
  bool has_version = false;
  /// 🪺: more than one namespace or projection.
  bool nested() const { return namespaces.size() > 1 || projections.size() > 1; }
};

/// What form an externname takes.
enum class NameKind : uint8_t {
  Label,        ///< plainname `l`
  Constructor,  ///< `[constructor]r`
  Method,       ///< `[method]r.m`
  Static,       ///< `[static]r.m`
  Interface,    ///< interfacename
};

/// A parsed externname; views point into the parsed string.
struct ParsedName {
  NameKind kind = NameKind::Label;
  std::string_view label;   ///< Label: the label; Constructor/Method/Static: the resource
  std::string_view member;  ///< Method/Static: the function's label
  InterfaceName interface;  ///< Interface only
};

/// Parses an externname; the error names what is wrong ("`a_b` is not in kebab case") at
/// {offset} (the name's position, passed through).
Result<ParsedName> parse_extern_name(std::string_view s, uint64_t offset = kNoOffset);
/// Parses an interfacename (the `implements` attribute's value).
Result<InterfaceName> parse_interface_name(std::string_view s, uint64_t offset = kNoOffset);

/// The strongly-unique canonical form of a valid externname (Explainer.md "Name Uniqueness"):
/// acronyms lower-cased, `[method]l.l`/`[static]l.l` become `l`, other annotations but
/// [constructor] stripped. Two names conflict when their canonical forms are equal.
std::string strongly_unique_key(std::string_view name);

}  // namespace rill::component
