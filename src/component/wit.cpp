// print_wit: a component's imports and exports as WIT. Each type is printed under the name its
// first importing/exporting interface gave it; other interfaces `use` it from there. Resolution
// of indices is wit_resolve.cpp's.
#include "rill/component/wit.h"

#include <array>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rill/base/escape.h"
#include "rill/component/names.h"
#include "rill/component/wit_resolve.h"

namespace rill::component {
namespace {

using detail::WitEnv;
using detail::WitFunc;
using detail::WitInstance;
using detail::WitItem;
using detail::WitItems;
using detail::WitResolver;
using detail::WitType;

/// Where a type got its name: an interface (the import/export name) or the world (empty).
struct Owner {
  std::string iface;
  std::string name;
};
using Registry = std::map<WitType, Owner>;

/// Type references printed per print_wit call; past this the output is refused (a chain of
/// `tuple<t, t>` doubles the text with each definition).
constexpr uint64_t kMaxRefs = 4'000'000;
/// Nesting of inline types before the printer gives up (keeps the native stack bounded).
constexpr int kMaxDepth = 100;

constexpr std::array<std::string_view, 43> kKeywords = {
    "as",      "async",   "bool",    "borrow",  "char",     "constructor", "enum",    "export",
    "f32",     "f64",     "flags",   "from",    "func",     "future",      "import",  "include",
    "interface", "list",  "option",  "own",     "package",  "record",      "resource", "result",
    "s16",     "s32",     "s64",     "s8",      "static",   "stream",      "string",  "tuple",
    "type",    "u16",     "u32",     "u64",     "u8",       "use",         "variant", "with",
    "world",   "error-context", "map"};

/// A WIT identifier: `%`-escaped when it is a keyword.
std::string ident(std::string_view name) {
  for (std::string_view k : kKeywords) {
    if (k == name) return "%" + std::string(name);
  }
  return std::string(name);
}

/// An interface name split for printing: `ns:pkg@ver` and the interface's own name.
struct IfaceId {
  bool ok = false;  ///< a plain (not nested) interfacename
  std::string package;  ///< `ns:pkg@ver`, each identifier escaped
  std::string name;     ///< the interface's own name (not escaped)
  std::string path;     ///< `ns:pkg/iface@ver`, each identifier escaped
};

IfaceId split_iface(std::string_view full) {
  auto parsed = parse_interface_name(full);
  if (!parsed || parsed->nested()) return {};
  IfaceId id;
  id.ok = true;
  const std::string base = ident(parsed->namespaces[0]) + ":" + ident(parsed->package);
  const std::string version = parsed->has_version ? "@" + std::string(parsed->version) : "";
  id.name = std::string(parsed->projections[0]);
  id.package = base + version;
  id.path = base + "/" + ident(id.name) + version;
  return id;
}

/// Prints the items of one interface (or of the world), collecting the `use`s they need.
class BodyPrinter {
 public:
  BodyPrinter(const Registry& reg, std::string self, std::string indent, uint64_t& refs)
      : reg_(reg), self_(std::move(self)), indent_(std::move(indent)), refs_(refs) {}

  /// Gives the types among {items} their local names (before anything is printed).
  void declare(const WitItems& items) {
    for (const auto& [name, item] : items) {
      if (item.kind == ExternKind::Type) local_.emplace(item.type, name);
    }
  }
  /// The lines of {items}; functions and interfaces get {prefix} ("import ", "export " or "").
  std::string print(const WitItems& items, std::string_view prefix);
  /// The `use` lines the printed items need.
  std::string uses() const;
  /// Definitions of the types the printed items need but cannot `use` (their owner is the world
  /// or an interface without an interfacename). Call before uses(): they may need more uses.
  std::string hoisted();
  /// hoisted() then uses(): what goes before the printed items.
  std::string preamble() {
    const std::string defs = hoisted();
    return uses() + defs;
  }
  bool overflow() const { return overflow_; }

 private:
  std::string type_item(const std::string& name, const WitType& t, const WitItems& items);
  std::string definition(const std::string& name, const WitType& t, const WitItems& items);
  /// True when types owned by {o} can be named here with a `use`.
  bool usable(const Owner& o) const { return split_iface(o.iface).ok; }
  std::string func_item(const std::string& name, const WitFunc& f, const WitItems& items,
                        const std::string& prefix);
  std::string instance_item(const std::string& name, const WitInstance* inst,
                            const std::string& prefix);
  std::string resource(const std::string& name, const WitItems& items);
  std::string ref(const WitType& t, int depth);
  std::string valtype(ValType v, const WitEnv* env, int depth);
  std::string opt_valtype(const std::optional<ValType>& v, const WitEnv* env, int depth);
  std::string structure(const WitType& t, int depth);
  std::string defined(const DefValType& d, const WitEnv* env, int depth);
  std::string func(const WitFunc& f, bool skip_self, std::string_view keyword);
  void add_use(const Owner& owner, const std::string& as);
  bool charge(int depth);

  const Registry& reg_;
  std::string self_;
  std::string indent_;
  uint64_t& refs_;
  bool overflow_ = false;
  std::map<WitType, std::string> local_;
  /// Interface -> (its name, our name), in first-use order.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> uses_;
  std::vector<std::pair<std::string, WitType>> hoisted_;
};

bool BodyPrinter::charge(int depth) {
  if (++refs_ > kMaxRefs || depth > kMaxDepth) overflow_ = true;
  return !overflow_;
}

void BodyPrinter::add_use(const Owner& owner, const std::string& as) {
  for (auto& [iface, names] : uses_) {
    if (iface != owner.iface) continue;
    for (const auto& n : names) {
      if (n.second == as) return;
    }
    names.emplace_back(owner.name, as);
    return;
  }
  uses_.push_back({owner.iface, {{owner.name, as}}});
}

std::string BodyPrinter::uses() const {
  const IfaceId me = split_iface(self_);
  std::string out;
  for (const auto& [iface, names] : uses_) {
    const IfaceId it = split_iface(iface);
    const bool same_package = me.ok && it.ok && me.package == it.package;
    out += indent_ + "use " + (same_package ? ident(it.name) : it.ok ? it.path : iface) + ".{";
    for (size_t i = 0; i < names.size(); i++) {
      if (i) out += ", ";
      out += ident(names[i].first);
      if (names[i].second != names[i].first) out += " as " + ident(names[i].second);
    }
    out += "};\n";
  }
  return out;
}

std::string BodyPrinter::ref(const WitType& t, int depth) {
  if (!charge(depth)) return "";
  if (auto it = local_.find(t); it != local_.end()) return ident(it->second);
  if (auto it = reg_.find(t); it != reg_.end()) {
    if (it->second.iface != self_ && usable(it->second)) add_use(it->second, it->second.name);
    if (it->second.iface != self_ && !usable(it->second)) {
      local_.emplace(t, it->second.name);
      hoisted_.emplace_back(it->second.name, t);
    }
    return ident(it->second.name);
  }
  return structure(t, depth);
}

std::string BodyPrinter::valtype(ValType v, const WitEnv* env, int depth) {
  if (v.is_prim()) return to_string(v.prim_type());
  if (!env) return "unknown";
  return ref(env->type(idx(v.type_index())), depth + 1);
}

std::string BodyPrinter::opt_valtype(const std::optional<ValType>& v, const WitEnv* env,
                                     int depth) {
  return v ? valtype(*v, env, depth) : "_";
}

std::string BodyPrinter::structure(const WitType& t, int depth) {
  switch (t.kind) {
    case WitType::Kind::Defined: return defined(*t.defined, t.env, depth);
    case WitType::Kind::Resource: return "unnamed-resource";
    case WitType::Kind::Func: return "func-type";
    case WitType::Kind::Instance: return "instance-type";
    case WitType::Kind::Component: return "component-type";
    case WitType::Kind::Unknown: break;
  }
  return "unknown";
}

// WIT has no inline records, variants, enums or flags; an unnamed one (impossible in a valid
// component's imports and exports) is printed in the same braces as a definition.
std::string BodyPrinter::defined(const DefValType& d, const WitEnv* env, int depth) {
  auto list = [&](std::string_view head, const std::vector<std::string>& parts) {
    std::string s(head);
    s += "<";
    for (size_t i = 0; i < parts.size(); i++) s += (i ? ", " : "") + parts[i];
    return s + ">";
  };
  if (const auto* p = std::get_if<PrimValType>(&d)) return to_string(*p);
  if (const auto* l = std::get_if<ListType>(&d)) {
    std::vector<std::string> parts{valtype(l->elem, env, depth)};
    if (l->length) parts.push_back(std::to_string(*l->length));
    return list("list", parts);
  }
  if (const auto* o = std::get_if<OptionType>(&d)) {
    return list("option", {valtype(o->type, env, depth)});
  }
  if (const auto* tu = std::get_if<TupleType>(&d)) {
    std::vector<std::string> parts;
    for (ValType v : tu->types) parts.push_back(valtype(v, env, depth));
    return list("tuple", parts);
  }
  if (const auto* r = std::get_if<ResultType>(&d)) {
    if (!r->ok && !r->err) return "result";
    if (!r->err) return list("result", {valtype(*r->ok, env, depth)});
    return list("result", {opt_valtype(r->ok, env, depth), valtype(*r->err, env, depth)});
  }
  if (const auto* o = std::get_if<OwnType>(&d)) {
    return env ? ref(env->type(idx(o->resource)), depth + 1) : "unknown";
  }
  if (const auto* b = std::get_if<BorrowType>(&d)) {
    return list("borrow", {env ? ref(env->type(idx(b->resource)), depth + 1) : "unknown"});
  }
  if (const auto* s = std::get_if<StreamType>(&d)) {
    return s->elem ? list("stream", {valtype(*s->elem, env, depth)}) : "stream";
  }
  if (const auto* f = std::get_if<FutureType>(&d)) {
    return f->elem ? list("future", {valtype(*f->elem, env, depth)}) : "future";
  }
  if (const auto* m = std::get_if<MapType>(&d)) {
    return list("map", {valtype(m->key, env, depth), valtype(m->value, env, depth)});
  }
  std::string s;
  if (const auto* r = std::get_if<RecordType>(&d)) {
    s = "record {";
    for (const auto& f : r->fields) {
      s += " " + ident(f.label) + ": " + valtype(f.type, env, depth) + ",";
    }
  } else if (const auto* v = std::get_if<VariantType>(&d)) {
    s = "variant {";
    for (const auto& c : v->cases) {
      s += " " + ident(c.label);
      if (c.type) s += "(" + valtype(*c.type, env, depth) + ")";
      s += ",";
    }
  } else {
    const auto& labels = std::holds_alternative<EnumType>(d) ? std::get<EnumType>(d).labels
                                                              : std::get<FlagsType>(d).labels;
    s = std::holds_alternative<EnumType>(d) ? "enum {" : "flags {";
    for (const auto& l : labels) s += " " + ident(l) + ",";
  }
  return s + " }";
}

std::string BodyPrinter::func(const WitFunc& f, bool skip_self, std::string_view keyword) {
  if (!f.type) return std::string(keyword) + "() /* unresolved type */";
  std::string s = f.type->async ? "async " : "";
  s += keyword;
  s += "(";
  bool first = true;
  for (size_t i = 0; i < f.type->params.size(); i++) {
    if (i == 0 && skip_self) continue;
    const auto& p = f.type->params[i];
    s += (first ? "" : ", ") + ident(p.label) + ": " + valtype(p.type, f.env, 0);
    first = false;
  }
  s += ")";
  if (f.type->result) s += " -> " + valtype(*f.type->result, f.env, 0);
  return s;
}

std::string BodyPrinter::resource(const std::string& name, const WitItems& items) {
  std::string members;
  for (const auto& [fname, item] : items) {
    if (item.kind != ExternKind::Func) continue;
    auto parsed = parse_extern_name(fname);
    if (!parsed || parsed->kind == NameKind::Label || parsed->kind == NameKind::Interface ||
        parsed->label != name) {
      continue;
    }
    const std::string in = indent_ + "  ";
    if (parsed->kind == NameKind::Constructor) {
      std::string sig = func(item.func, false, "constructor");
      // `-> own<r>` is implied; a fallible constructor keeps its `-> result<r, e>`.
      const WitType own_self = item.func.type && item.func.type->result &&
                                       !item.func.type->result->is_prim() && item.func.env
                                   ? item.func.env->type(idx(item.func.type->result->type_index()))
                                   : WitType{};
      if (own_self.kind == WitType::Kind::Defined &&
          std::holds_alternative<OwnType>(*own_self.defined)) {
        sig = sig.substr(0, sig.rfind(" -> "));
      }
      members += in + sig + ";\n";
    } else if (parsed->kind == NameKind::Method) {
      members += in + ident(parsed->member) + ": " + func(item.func, true, "func") + ";\n";
    } else {
      members += in + ident(parsed->member) + ": static " + func(item.func, false, "func") + ";\n";
    }
  }
  if (members.empty()) return indent_ + "resource " + ident(name) + ";\n";
  return indent_ + "resource " + ident(name) + " {\n" + members + indent_ + "}\n";
}

std::string BodyPrinter::type_item(const std::string& name, const WitType& t,
                                   const WitItems& items) {
  if (auto it = reg_.find(t); it != reg_.end()) {
    if (it->second.iface != self_ && usable(it->second)) {
      add_use(it->second, name);
      return "";
    }
    if (it->second.iface == self_ && it->second.name != name) {
      return indent_ + "type " + ident(name) + " = " + ident(it->second.name) + ";\n";
    }
  }
  return definition(name, t, items);
}

std::string BodyPrinter::hoisted() {
  std::string out;
  for (size_t i = 0; i < hoisted_.size() && !overflow_; i++) {
    const auto [name, t] = hoisted_[i];  // a copy: definition() may add entries
    out += definition(name, t, {});
  }
  return out;
}

std::string BodyPrinter::definition(const std::string& name, const WitType& t,
                                    const WitItems& items) {
  const std::string head = indent_;
  if (t.kind == WitType::Kind::Resource) return resource(name, items);
  if (t.kind != WitType::Kind::Defined) {
    return head + "// type " + escape_name(name) + ": " + structure(t, 0) + "\n";
  }
  const DefValType& d = *t.defined;
  const WitEnv* env = t.env;
  auto block = [&](std::string_view kw, const std::vector<std::string>& lines) {
    std::string s = head + std::string(kw) + " " + ident(name) + " {\n";
    for (const auto& l : lines) s += head + "  " + l + ",\n";
    return s + head + "}\n";
  };
  std::vector<std::string> lines;
  if (const auto* r = std::get_if<RecordType>(&d)) {
    for (const auto& f : r->fields) {
      lines.push_back(ident(f.label) + ": " + valtype(f.type, env, 0));
    }
    return block("record", lines);
  }
  if (const auto* v = std::get_if<VariantType>(&d)) {
    for (const auto& c : v->cases) {
      lines.push_back(ident(c.label) + (c.type ? "(" + valtype(*c.type, env, 0) + ")" : ""));
    }
    return block("variant", lines);
  }
  if (const auto* e = std::get_if<EnumType>(&d)) {
    for (const auto& l : e->labels) lines.push_back(ident(l));
    return block("enum", lines);
  }
  if (const auto* f = std::get_if<FlagsType>(&d)) {
    for (const auto& l : f->labels) lines.push_back(ident(l));
    return block("flags", lines);
  }
  return head + "type " + ident(name) + " = " + defined(d, env, 0) + ";\n";
}

std::string BodyPrinter::print(const WitItems& items, std::string_view prefix) {
  std::string out;
  for (const auto& [name, item] : items) {
    if (overflow_) break;
    const std::string pre(prefix);
    switch (item.kind) {
      case ExternKind::Type: out += type_item(name, item.type, items); break;
      case ExternKind::Func: out += func_item(name, item.func, items, pre); break;
      case ExternKind::Instance: out += instance_item(name, item.instance.get(), pre); break;
      // Not expressible in WIT: noted as comments so nothing is silently dropped.
      case ExternKind::Component: out += indent_ + "// " + pre + escape_name(name) + ": component\n"; break;
      case ExternKind::CoreModule: out += indent_ + "// " + pre + escape_name(name) + ": core module\n"; break;
      case ExternKind::Value: out += indent_ + "// " + pre + escape_name(name) + ": value\n"; break;
    }
  }
  return out;
}

std::string BodyPrinter::func_item(const std::string& name, const WitFunc& f,
                                   const WitItems& items, const std::string& prefix) {
  auto parsed = parse_extern_name(name);
  const std::string sig = func(f, false, "func");
  if (!parsed || parsed->kind == NameKind::Label) {
    return indent_ + prefix + ident(name) + ": " + sig + ";\n";
  }
  // Members of a resource declared among {items} are printed inside it.
  for (const auto& [n, it] : items) {
    if (it.kind == ExternKind::Type && n == parsed->label) return "";
  }
  return indent_ + "// " + prefix + escape_name(name) + ": " + sig + ";\n";
}

std::string BodyPrinter::instance_item(const std::string& name, const WitInstance* inst,
                                       const std::string& prefix) {
  if (const IfaceId id = split_iface(name); id.ok) return indent_ + prefix + id.path + ";\n";
  if (!self_.empty()) return indent_ + "// " + escape_name(name) + ": instance (WIT has no nested interfaces)\n";
  BodyPrinter inner(reg_, name, indent_ + "  ", refs_);
  const WitItems empty;
  const WitItems& exports = inst ? inst->exports : empty;
  inner.declare(exports);
  const std::string body = inner.print(exports, "");
  overflow_ = overflow_ || inner.overflow();
  return indent_ + prefix + ident(name) + ": interface {\n" + inner.preamble() + body +
         indent_ + "}\n";
}

/// Names every type the root's imports and exports give a name to; the first name wins.
void register_names(const WitItems& items, Registry& reg) {
  for (const auto& [name, item] : items) {
    if (item.kind == ExternKind::Type) reg.emplace(item.type, Owner{"", name});
    if (item.kind != ExternKind::Instance || !item.instance) continue;
    for (const auto& [n, it] : item.instance->exports) {
      if (it.kind == ExternKind::Type) reg.emplace(it.type, Owner{name, n});
    }
  }
}

/// The interfaces named by interfacenames, grouped by package in first-seen order.
using Packages =
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, const WitItem*>>>>;

void collect_packages(const WitItems& items, Packages& pkgs, std::set<std::string>& seen) {
  for (const auto& [name, item] : items) {
    if (item.kind != ExternKind::Instance || !seen.insert(name).second) continue;
    const IfaceId id = split_iface(name);
    if (!id.ok) continue;
    auto it = pkgs.begin();
    while (it != pkgs.end() && it->first != id.package) ++it;
    if (it == pkgs.end()) it = pkgs.insert(pkgs.end(), {id.package, {}});
    it->second.emplace_back(name, &item);
  }
}

}  // namespace

Result<std::string> print_wit(const Component& c) {
  WitResolver resolver;
  RILL_CHECK_OK(resolver.run(c));
  Registry reg;
  register_names(resolver.imports(), reg);
  register_names(resolver.exports(), reg);

  uint64_t refs = 0;
  bool overflow = false;
  BodyPrinter world(reg, "", "  ", refs);
  world.declare(resolver.imports());
  world.declare(resolver.exports());
  std::string body = world.print(resolver.imports(), "import ");
  const std::string exports = world.print(resolver.exports(), "export ");
  if (!body.empty() && !exports.empty()) body += "\n";
  body += exports;
  std::string uses = world.preamble();
  if (!uses.empty() && !body.empty()) uses += "\n";
  overflow = world.overflow();
  std::string out = "package root:component;\n\nworld root {\n" + uses + body + "}\n";

  Packages pkgs;
  std::set<std::string> seen;
  collect_packages(resolver.imports(), pkgs, seen);
  collect_packages(resolver.exports(), pkgs, seen);
  for (const auto& [pkg, ifaces] : pkgs) {
    out += "\npackage " + pkg + " {\n";
    for (size_t i = 0; i < ifaces.size(); i++) {
      const auto& [name, item] = ifaces[i];
      BodyPrinter p(reg, name, "    ", refs);
      const WitItems empty;
      const WitItems& items = item->instance ? item->instance->exports : empty;
      p.declare(items);
      const std::string members = p.print(items, "");
      overflow = overflow || p.overflow();
      if (i) out += "\n";
      out += "  interface " + ident(split_iface(name).name) + " {\n" + p.preamble() + members +
             "  }\n";
    }
    out += "}\n";
  }
  if (overflow) return unexpected("component too large to print as WIT");
  return out;
}

}  // namespace rill::component
