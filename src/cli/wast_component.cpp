#include "rill/cli/wast_component.h"

#include <cstdlib>
#include <filesystem>

#include "rill/cli/json_util.h"
#include "rill/component/decoder.h"
#include "rill/component/validator.h"
#include "rill/wasm/decoder.h"

namespace rill::cli {
namespace {

using nlohmann::json;
namespace crt = component::rt;

constexpr uint64_t kMaxWasm = uint64_t{64} << 20;

/// Parses an integer literal as the text format writes it (sign, 0x, underscores).
std::optional<uint64_t> parse_int(std::string_view s, bool& negative) {
  negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
    if (d >= base) return std::nullopt;
    v = v * base + d;
  }
  return negative ? uint64_t{0} - v : v;
}

/// Decodes the first UTF-8 code point of {s}.
char32_t first_code_point(std::string_view s) {
  if (s.empty()) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  if (p[0] < 0x80) return p[0];
  if (p[0] < 0xE0 && s.size() >= 2) return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  if (p[0] < 0xF0 && s.size() >= 3) return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  if (s.size() >= 4)
    return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
  return 0;
}

Result<Value> parse_value(const json& v);

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

/// The reference implementation's (Wasmtime's) texts for core traps, with the spec's.
constexpr std::pair<std::string_view, std::string_view> kCoreTrapTexts[] = {
    {"wasm `unreachable` instruction executed", "unreachable"},
};

/// The core runner's rule for trap texts (one a prefix of the other), after dropping the
/// reference's "wasm trap: " prefix and taking the spec's text for a core trap.
bool trap_text_matches(std::string_view expected, std::string_view got) {
  if (expected.starts_with("wasm trap: ")) expected.remove_prefix(11);
  for (const auto& [reference, spec] : kCoreTrapTexts)
    if (expected == reference) expected = spec;
  return got.starts_with(expected) || expected.starts_with(got);
}

/// A value given as a head keyword and raw ITEM arguments (record fields).
Result<Value> parse_raw(std::string_view head, const json* args, size_t first) {
  json obj = json::object();
  obj["type"] = std::string(head);
  json items = json::array();
  for (size_t i = first; args && i < args->size(); ++i) items.push_back((*args)[i]);
  const bool scalar = head.ends_with(".const") && head != "list.const" && head != "tuple.const" &&
                      head != "variant.const" && head != "enum.const" && head != "flags.const" &&
                      head != "record.const";
  if (scalar && !items.empty()) {
    const json& a = items[0];
    if (a.is_string()) obj["value"] = a;
    else if (const json* s = member(a, "string")) obj["value"] = *s;
    else obj["value"] = a;
  } else if (head == "f32" || head == "f64") {
    if (!items.empty()) obj["value"] = items[0];
  } else {
    obj["value"] = items;
  }
  return parse_value(obj);
}

std::optional<std::string> item_string(const json& item) {
  if (const json* s = member(item, "string"); s && s->is_string()) return s->get<std::string>();
  if (item.is_string()) return item.get<std::string>();
  return std::nullopt;
}

Result<Value> parse_value(const json& v) {
  auto type = string_member(v, "type");
  if (!type) return Error{"value without a type"};
  const json* val = member(v, "value");
  std::string t(*type);
  auto int_of = [&](bool is_signed, int bits) -> Result<Value> {
    std::optional<std::string> s;
    if (val && val->is_string()) s = val->get<std::string>();
    if (!s) return Error{"bad " + t + " value"};
    bool neg = false;
    auto n = parse_int(*s, neg);
    if (!n) return Error{"bad " + t + " literal " + *s};
    const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    const uint64_t raw = *n & mask;
    if (!is_signed) {
      switch (bits) {
        case 8: return Value::u8(static_cast<uint8_t>(raw));
        case 16: return Value::u16(static_cast<uint16_t>(raw));
        case 32: return Value::u32(static_cast<uint32_t>(raw));
        default: return Value::u64(raw);
      }
    }
    switch (bits) {
      case 8: return Value::s8(static_cast<int8_t>(raw));
      case 16: return Value::s16(static_cast<int16_t>(raw));
      case 32: return Value::s32(static_cast<int32_t>(raw));
      default: return Value::s64(static_cast<int64_t>(raw));
    }
  };
  if (t == "u8.const") return int_of(false, 8);
  if (t == "u16.const") return int_of(false, 16);
  if (t == "u32.const") return int_of(false, 32);
  if (t == "u64.const") return int_of(false, 64);
  if (t == "s8.const") return int_of(true, 8);
  if (t == "s16.const") return int_of(true, 16);
  if (t == "s32.const") return int_of(true, 32);
  if (t == "s64.const") return int_of(true, 64);
  if (t == "f32" || t == "f64" || t == "f32.const" || t == "f64.const") {
    if (!val || !val->is_string()) return Error{"bad float value"};
    const std::string s = val->get<std::string>();
    const uint64_t bits = std::strtoull(s.c_str(), nullptr, 10);
    return t[1] == '3' ? Value::f32_bits(static_cast<uint32_t>(bits)) : Value::f64_bits(bits);
  }
  if (t == "bool.const") {
    if (!val || !val->is_string()) return Error{"bad bool value"};
    return Value::boolean(val->get<std::string>() == "true");
  }
  if (t == "char.const") {
    if (!val || !val->is_string()) return Error{"bad char value"};
    return Value::character(first_code_point(val->get<std::string>()));
  }
  if (t == "str.const") {
    if (!val) return Error{"bad string value"};
    if (auto s = item_string(*val)) return Value::string(*s);
    return Error{"bad string value"};
  }
  const json empty = json::array();
  const json& items = val && val->is_array() ? *val : empty;
  if (t == "list.const" || t == "tuple.const") {
    std::vector<Value> out;
    for (const json& i : items) {
      RILL_TRY(Value e, parse_value(i));
      out.push_back(std::move(e));
    }
    return t == "list.const" ? Value::list(std::move(out)) : Value::tuple(std::move(out));
  }
  if (t == "variant.const" || t == "enum.const") {
    if (items.empty()) return Error{"variant without a case"};
    auto label = item_string(items[0]);
    if (!label) return Error{"bad variant case"};
    if (t == "enum.const") return Value::enumeration(*label);
    if (items.size() < 2) return Value::variant(*label);
    RILL_TRY(Value p, parse_value(items[1]));
    return Value::variant(*label, std::move(p));
  }
  if (t == "flags.const") {
    std::vector<std::string> set;
    for (const json& i : items)
      if (auto l = item_string(i)) set.push_back(*l);
    return Value::flags(std::move(set));
  }
  if (t == "option.none") return Value::none();
  if (t == "option.some" || t == "result.ok" || t == "result.err") {
    std::optional<Value> payload;
    if (!items.empty()) {
      RILL_TRY(Value p, parse_value(items[0]));
      payload = std::move(p);
    }
    if (t == "option.some") {
      if (!payload) return Error{"option.some without a payload"};
      return Value::some(std::move(*payload));
    }
    return t == "result.ok" ? Value::ok(std::move(payload)) : Value::err(std::move(payload));
  }
  if (t == "record.const") {
    std::vector<std::pair<std::string, Value>> fields;
    for (const json& f : items) {
      const json* fv = member(f, "value");
      if (!fv || !fv->is_array() || fv->size() < 2) return Error{"bad record field"};
      auto name = item_string((*fv)[0]);
      auto head = (*fv)[1].is_string() ? std::optional<std::string>((*fv)[1].get<std::string>()) : std::nullopt;
      if (!name || !head) return Error{"bad record field"};
      RILL_TRY(Value e, parse_raw(*head, fv, 2));
      fields.emplace_back(*name, std::move(e));
    }
    return Value::record(std::move(fields));
  }
  return Error{"unsupported value type " + t};
}

}  // namespace

ComponentWast::ComponentWast(engine::Engine& engine, std::string dir, uint64_t deadline_ticks,
                             bool wasmtime_host)
    : engine_(engine),
      dir_(std::move(dir)),
      deadline_ticks_(deadline_ticks),
      store_(engine),
      wasmtime_host_(wasmtime_host) {}

ComponentWast::~ComponentWast() = default;

Outcome ComponentWast::run(const json& cmd) {
  auto type = string_member(cmd, "type");
  if (!type) return Outcome::fail("malformed command: no \"type\"");
  if (*type == "module") return cmd_module(cmd);
  if (*type == "component_instance") return cmd_instance(cmd);
  if (*type == "assert_invalid") return cmd_invalid(cmd, false);
  if (*type == "assert_malformed") return cmd_invalid(cmd, true);
  if (*type == "assert_uninstantiable") return cmd_uninstantiable(cmd, false);
  if (*type == "assert_unlinkable") return cmd_uninstantiable(cmd, true);
  if (*type == "action") return cmd_action(cmd, nullptr, false);
  if (*type == "assert_return") {
    const json* exp = member(cmd, "expected");
    return cmd_action(cmd, exp, false);
  }
  if (*type == "assert_trap") return cmd_action(cmd, nullptr, true);
  if (*type == "register") return Outcome::skip("register of a component is not supported");
  return Outcome::skip("command " + std::string(*type) + " is not supported for components");
}

Result<std::string> ComponentWast::read_wasm(const json& cmd) const {
  auto file = string_member(cmd, "filename");
  if (!file || file->empty() || file->find('/') != std::string_view::npos)
    return Error{"malformed command: missing or bad \"filename\""};
  return read_file((std::filesystem::path(dir_) / std::string(*file)).string(), kMaxWasm);
}

Result<std::shared_ptr<const crt::CompiledComponent>> ComponentWast::compile(const json& cmd,
                                                                            std::optional<Outcome>& early) {
  if (auto text_error = string_member(cmd, "text_error"); text_error && !member(cmd, "filename")) {
    early = Outcome::skip("text_error: " + std::string(*text_error));
    return Error{"not encoded"};
  }
  auto bytes = read_wasm(cmd);
  if (!bytes) {
    early = Outcome::fail(bytes.error().message);
    return Error{"unreadable"};
  }
  std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
  return crt::compile_component(engine_, data);
}

Result<void> ComponentWast::instantiate(Entry& e, bool& trapped) {
  trapped = false;
  auto root = std::unique_ptr<crt::ComponentInstanceRt>();
  crt::MaybeTrap trap;
  if (wasmtime_host_ && !imports_) {
    drops_ = std::make_shared<WasmtimeHostDrops>();
    RILL_TRY(imports_, wasmtime_host_imports(engine_, drops_));
  }
  store_.set_epoch_deadline(deadline_ticks_);
  auto r = crt::instantiate(store_, e.compiled, imports_ ? *imports_ : crt::ImportMap{}, root, trap);
  if (root) roots_.push_back(std::move(root));
  if (trap) {
    trapped = true;
    return Error{trap->message};
  }
  if (!r) return std::move(r).error();
  e.instance = *r;
  return {};
}

Outcome ComponentWast::instantiate_entry(Entry& entry) {
  bool trapped = false;
  auto r = instantiate(entry, trapped);
  if (r) return Outcome::pass();
  entry.skip_reason = r.error().to_string();
  return Outcome::fail("component failed to instantiate: " + entry.skip_reason);
}

Outcome ComponentWast::not_instantiated(const Entry& e) {
  const std::string why = "component not instantiated: " + e.skip_reason;
  // Only a refused proposal skips what depends on it (as in the core runner).
  if (e.skip_reason.find(wasm::kUnsupportedPrefix) != std::string::npos) return Outcome::skip(why);
  return Outcome::fail(why);
}

Outcome ComponentWast::cmd_module(const json& cmd) {
  auto entry = std::make_shared<Entry>();
  std::optional<Outcome> early;
  auto c = compile(cmd, early);
  if (early) return *early;
  if (!c) {
    const std::string why = c.error().to_string();
    entry->skip_reason = why;
    current_ = entry;
    if (auto name = string_member(cmd, "name")) named_[std::string(*name)] = entry;
    // A refused proposal (as the core runner counts it); anything else not done yet fails.
    if (why.find(wasm::kUnsupportedPrefix) != std::string::npos) return Outcome::skip(why);
    return Outcome::fail("component failed to compile: " + why);
  }
  entry->compiled = *c;
  if (auto name = string_member(cmd, "name")) named_[std::string(*name)] = entry;
  current_ = entry;
  if (bool_member(cmd, "definition", false).value_or(false)) return Outcome::pass();
  return instantiate_entry(*entry);
}

Outcome ComponentWast::cmd_instance(const json& cmd) {
  auto of = string_member(cmd, "of");
  auto inst = string_member(cmd, "instance");
  if (!of || !inst) return Outcome::fail("malformed component_instance");
  auto it = named_.find(*of);
  if (it == named_.end()) return Outcome::fail("unknown component definition " + std::string(*of));
  auto entry = std::make_shared<Entry>();
  entry->compiled = it->second->compiled;
  if (!entry->compiled) {
    entry->skip_reason = it->second->skip_reason;
    current_ = entry;
    named_[std::string(*inst)] = entry;
    return not_instantiated(*entry);
  }
  current_ = entry;
  named_[std::string(*inst)] = entry;
  return instantiate_entry(*entry);
}

Outcome ComponentWast::cmd_invalid(const json& cmd, bool malformed) {
  if (auto text_error = string_member(cmd, "text_error"); text_error && !member(cmd, "filename"))
    return Outcome::silent();
  auto bytes = read_wasm(cmd);
  if (!bytes) return Outcome::fail(bytes.error().message);
  std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
  auto d = component::decode_component(data);
  if (!d) {
    if (malformed) return Outcome::pass();
    Outcome o = Outcome::pass();
    o.note = "rejected while decoding: " + d.error().to_string();
    return o;
  }
  auto v = component::validate_component(**d);
  if (!v) return Outcome::pass();
  return Outcome::fail(std::string(malformed ? "malformed" : "invalid") +
                       " component was accepted (expected: " +
                       std::string(string_member(cmd, "text").value_or("")) + ")");
}

Outcome ComponentWast::cmd_uninstantiable(const json& cmd, bool unlinkable) {
  const std::string text(string_member(cmd, "text").value_or(""));
  std::optional<Outcome> early;
  auto c = compile(cmd, early);
  if (early) return *early;
  if (!c) return Outcome::fail("component failed to compile: " + c.error().to_string());
  Entry e;
  e.compiled = *c;
  bool trapped = false;
  auto r = instantiate(e, trapped);
  if (r) return Outcome::fail("component instantiated");
  if (unlinkable) return Outcome::pass();
  if (!trapped) return Outcome::fail("expected trap " + quote(text) + ", got: " + r.error().to_string());
  if (!trap_text_matches(text, r.error().message))
    return Outcome::fail("expected trap " + quote(text) + ", got " + quote(r.error().message));
  return Outcome::pass();
}

Outcome ComponentWast::cmd_action(const json& cmd, const json* expected, bool expect_trap) {
  const json* action = member(cmd, "action");
  if (!action) return Outcome::fail("malformed command: no action");
  auto atype = string_member(*action, "type");
  if (!atype || *atype != "invoke") return Outcome::skip("component action " + std::string(atype.value_or("?")));
  auto field = string_member(*action, "field");
  if (!field) return Outcome::fail("malformed action: no field");
  EntryPtr e = current_;
  if (auto m = string_member(*action, "module")) {
    auto it = named_.find(*m);
    if (it == named_.end()) return Outcome::fail("unknown component " + std::string(*m));
    e = it->second;
  }
  if (!e) return Outcome::fail("no current component");
  if (!e->instance) return not_instantiated(*e);
  const crt::Item* item = e->instance->find(*field);
  const crt::FuncPtr* f = item ? std::get_if<crt::FuncPtr>(item) : nullptr;
  if (!f) return Outcome::fail("no exported function \"" + std::string(*field) + "\"");
  std::vector<Value> args;
  if (const json* a = member(*action, "args"); a && a->is_array()) {
    for (const json& v : *a) {
      auto pv = parse_value(v);
      if (!pv) return Outcome::fail("bad argument: " + pv.error().message);
      args.push_back(std::move(*pv));
    }
  }
  std::vector<Value> results;
  store_.set_epoch_deadline(deadline_ticks_);
  crt::MaybeTrap trap = crt::call_from_host(*f, args, results);
  const std::string what = "invoke \"" + std::string(*field) + "\"";
  if (expect_trap) {
    const std::string text(string_member(cmd, "text").value_or(""));
    if (!trap) return Outcome::fail(what + ": expected trap " + quote(text) + ", returned normally");
    if (trap->kind == engine::TrapKind::Interrupted || !trap_text_matches(text, trap->message))
      return Outcome::fail(what + ": expected trap " + quote(text) + ", got " + quote(trap->message));
    return Outcome::pass();
  }
  if (trap) return Outcome::fail(what + ": trapped: " + trap->message);
  if (!expected) return Outcome::pass();
  if (!expected->is_array()) return Outcome::fail("malformed expected");
  if (expected->size() != results.size())
    return Outcome::fail(what + ": returned " + std::to_string(results.size()) + " values, expected " +
                         std::to_string(expected->size()));
  for (size_t i = 0; i < results.size(); ++i) {
    auto want = parse_value((*expected)[i]);
    if (!want) return Outcome::fail("bad expected value: " + want.error().message);
    if (*want != results[i])
      return Outcome::fail(what + ": result " + std::to_string(i) + " is " + results[i].to_string() +
                           ", expected " + want->to_string());
  }
  return Outcome::pass();
}

}  // namespace rill::cli
