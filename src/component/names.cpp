// Import/export name grammar (Explainer.md "Import and Export Definitions") and the
// strongly-unique canonical form ("Name Uniqueness"). Messages follow the reference validator's.
#include "rill/component/names.h"
#include "rill/base/escape.h"

#include <utility>

namespace rill::component {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }

/// Splits {s} at {sep} into non-empty pieces; false when a piece is empty.
template <class F>
bool for_each_piece(std::string_view s, char sep, F&& f) {
  size_t start = 0;
  for (;;) {
    const size_t end = s.find(sep, start);
    const std::string_view piece =
        s.substr(start, end == std::string_view::npos ? end : end - start);
    if (piece.empty() || !f(piece)) return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

/// word / acronym: all [0-9a-z] or all [0-9A-Z]; {first} also needs a leading letter.
bool is_fragment(std::string_view f, bool first, bool lower_only) {
  if (first && !is_lower(f[0]) && !is_upper(f[0])) return false;
  bool lower = false, upper = false;
  for (char c : f) {
    if (is_lower(c))
      lower = true;
    else if (is_upper(c))
      upper = true;
    else if (!is_digit(c))
      return false;
  }
  if (lower_only) return !upper;
  return !(lower && upper);
}

bool is_kebab(std::string_view s, bool lower_only) {
  bool first = true;
  return for_each_piece(s, '-', [&](std::string_view f) {
    const bool ok = is_fragment(f, first, lower_only);
    first = false;
    return ok;
  });
}

/// A numeric identifier: digits, no leading zero unless it is "0".
bool is_numeric_id(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return s.size() == 1 || s[0] != '0';
}

/// A dot-separated list of [0-9A-Za-z-]+ identifiers; {prerelease} forbids leading zeros in
/// numeric ones (semver.org items 9 and 10).
bool is_semver_ids(std::string_view s, bool prerelease) {
  return for_each_piece(s, '.', [&](std::string_view id) {
    bool numeric = true;
    for (char c : id) {
      if (!is_alnum(c) && c != '-') return false;
      if (!is_digit(c)) numeric = false;
    }
    return !(prerelease && numeric && !is_numeric_id(id));
  });
}

Error name_error(std::string_view s, const char* what, uint64_t offset) {
  return Error{"`" + escape_name(s) + "` " + what, offset};
}

Result<void> check_label(std::string_view label, uint64_t offset) {
  if (!is_label(label)) return name_error(label, "is not in kebab case", offset);
  return {};
}

/// `[method]r.m` / `[static]r.m`: the text after the annotation.
Result<ParsedName> parse_dotted(NameKind kind, std::string_view rest, uint64_t offset) {
  const size_t dot = rest.find('.');
  if (dot == std::string_view::npos) {
    return name_error(rest, "is not a valid extern name: failed to find `.` character", offset);
  }
  ParsedName n;
  n.kind = kind;
  n.label = rest.substr(0, dot);
  n.member = rest.substr(dot + 1);
  RILL_CHECK_OK(check_label(n.label, offset));
  RILL_CHECK_OK(check_label(n.member, offset));
  return n;
}

}  // namespace

bool is_label(std::string_view s) { return is_kebab(s, /*lower_only=*/false); }
bool is_words(std::string_view s) { return is_kebab(s, /*lower_only=*/true); }

bool is_valid_semver(std::string_view s) {
  const size_t plus = s.find('+');
  if (plus != std::string_view::npos) {
    if (!is_semver_ids(s.substr(plus + 1), /*prerelease=*/false)) return false;
    s = s.substr(0, plus);
  }
  const size_t dash = s.find('-');
  if (dash != std::string_view::npos) {
    if (!is_semver_ids(s.substr(dash + 1), /*prerelease=*/true)) return false;
    s = s.substr(0, dash);
  }
  int parts = 0;
  const bool ok = for_each_piece(s, '.', [&](std::string_view p) {
    ++parts;
    return is_numeric_id(p);
  });
  return ok && parts == 3;
}

bool is_canon_version(std::string_view s) {
  if (s == "0.0.0") return true;
  if (s.starts_with("0.0."))
    s.remove_prefix(4);
  else if (s.starts_with("0."))
    s.remove_prefix(2);
  return is_numeric_id(s) && s[0] != '0';
}

bool is_semver_suffix(std::string_view s) {
  for (char c : s) {
    if (!is_alnum(c) && c != '.' && c != '+' && c != '-') return false;
  }
  return true;
}

Result<InterfaceName> parse_interface_name(std::string_view s, uint64_t offset) {
  InterfaceName n;
  std::string_view rest = s;
  const size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    n.version = rest.substr(at + 1);
    n.has_version = true;
    rest = rest.substr(0, at);
    if (!is_valid_semver(n.version) && !is_canon_version(n.version)) {
      return name_error(n.version, "is not a valid semver", offset);
    }
  }
  // <namespace>+ <words> <projection>+ : colons end namespaces, the first '/' ends the package.
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return name_error(s, "is not a valid extern name", offset);
  std::string_view head = rest.substr(0, slash);
  const size_t last_colon = head.rfind(':');
  if (last_colon == std::string_view::npos)
    return name_error(s, "is not a valid extern name", offset);
  bool ok = for_each_piece(head.substr(0, last_colon), ':', [&](std::string_view ns) {
    n.namespaces.push_back(ns);
    return true;
  });
  n.package = head.substr(last_colon + 1);
  ok = ok && for_each_piece(rest.substr(slash + 1), '/', [&](std::string_view p) {
         n.projections.push_back(p);
         return true;
       });
  if (!ok || n.package.empty())
    return name_error(s, "is not a valid extern name: empty identifier segment", offset);
  for (std::string_view ns : n.namespaces) {
    if (!is_words(ns)) return name_error(ns, "is not in kebab case", offset);
  }
  if (!is_words(n.package)) return name_error(n.package, "is not in kebab case", offset);
  for (std::string_view p : n.projections) RILL_CHECK_OK(check_label(p, offset));
  return n;
}

Result<ParsedName> parse_extern_name(std::string_view s, uint64_t offset) {
  if (s.starts_with("[constructor]")) {
    ParsedName n;
    n.kind = NameKind::Constructor;
    n.label = s.substr(13);
    RILL_CHECK_OK(check_label(n.label, offset));
    return n;
  }
  if (s.starts_with("[method]")) return parse_dotted(NameKind::Method, s.substr(8), offset);
  if (s.starts_with("[static]")) return parse_dotted(NameKind::Static, s.substr(8), offset);
  if (s.find(':') != std::string_view::npos) {
    ParsedName n;
    n.kind = NameKind::Interface;
    RILL_TRY(n.interface, parse_interface_name(s, offset));
    return n;
  }
  ParsedName n;
  n.kind = NameKind::Label;
  n.label = s;
  RILL_CHECK_OK(check_label(s, offset));
  return n;
}

std::string strongly_unique_key(std::string_view name) {
  std::string key(name);
  for (char& c : key) {
    if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  for (std::string_view prefix : {std::string_view("[method]"), std::string_view("[static]")}) {
    if (!std::string_view(key).starts_with(prefix)) continue;
    std::string rest = key.substr(prefix.size());
    const size_t dot = rest.find('.');
    if (dot != std::string::npos && rest.compare(0, dot, rest, dot + 1) == 0)
      return rest.substr(0, dot);
    return rest;
  }
  return key;
}

}  // namespace rill::component
