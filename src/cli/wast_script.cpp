// Command handlers of one spec script: modules, instances, registration, actions and assertions.
// Each returns an Outcome; wast_runner counts and prints them.
#include "rill/cli/wast_script.h"

#include <filesystem>
#include <variant>

#include "rill/cli/json_util.h"
#include "rill/cli/wast_component.h"
#include "rill/cli/wast_values.h"
#include "rill/wasm/decoder.h"

namespace rill::cli {
namespace {

using nlohmann::json;

/// Largest .wasm file a script may reference (core modules are < 1 MiB).
constexpr uint64_t kMaxWasmFileSize = uint64_t{64} << 20;

/// Trap/error texts match when one is a prefix of the other ("uninitialized element 2").
bool text_matches(std::string_view expected, std::string_view got) {
  return got.starts_with(expected) || expected.starts_with(got);
}

/// Validation/decoding messages match when ours contains the reference text.
bool message_matches(std::string_view expected, std::string_view got) {
  return expected.empty() || got.find(expected) != std::string_view::npos;
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string format_values(const std::vector<wasm::ValType>& types, const std::vector<engine::Value>& values,
                          const std::vector<Expected>* hints = nullptr) {
  std::string s = "(";
  for (size_t i = 0; i < values.size() && i < types.size(); ++i) {
    if (i) s += ", ";
    const Expected* hint = hints && i < hints->size() ? &(*hints)[i] : nullptr;
    s += hint && hint->kind == Expected::Kind::V128 ? format_value(types[i], values[i], hint->lane_type)
                                                    : format_value(types[i], values[i]);
  }
  return s + ")";
}

std::string type_names(const std::vector<wasm::ValType>& types) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) s += ", ";
    switch (types[i].kind()) {
      case wasm::ValKind::I32: s += "i32"; break;
      case wasm::ValKind::I64: s += "i64"; break;
      case wasm::ValKind::F32: s += "f32"; break;
      case wasm::ValKind::F64: s += "f64"; break;
      case wasm::ValKind::V128: s += "v128"; break;
      case wasm::ValKind::FuncRef: s += "funcref"; break;
      case wasm::ValKind::ExternRef: s += "externref"; break;
      case wasm::ValKind::Bot: s += "?"; break;
    }
  }
  return s + ")";
}

std::string format_expected_list(const std::vector<Expected>& exps) {
  std::string s = "(";
  for (size_t i = 0; i < exps.size(); ++i) {
    if (i) s += ", ";
    s += format_expected(exps[i]);
  }
  return s + ")";
}

}  // namespace

bool is_unsupported(const Error& e) { return e.message.starts_with(wasm::kUnsupportedPrefix); }

WastScript::WastScript(engine::Engine& engine, std::string dir, bool verbose, uint64_t deadline_ticks)
    : engine_(engine),
      dir_(dir.empty() ? std::string(".") : std::move(dir)),
      verbose_(verbose),
      deadline_ticks_(deadline_ticks),
      store_(engine),
      spectest_(store_, verbose) {}

WastScript::~WastScript() = default;

void WastScript::arm_deadline() { store_.set_epoch_deadline(deadline_ticks_); }

Outcome WastScript::run(const json& cmd) {
  auto type = string_member(cmd, "type");
  if (!type) return Outcome::fail("malformed command: no \"type\"");
  uint64_t line = uint_member(cmd, "line").value_or(0);
  auto kind = string_member(cmd, "kind");
  const bool component_cmd = (kind && *kind == "component") || *type == "component_instance";
  if (component_cmd) component_mode_ = true;
  if (component_cmd || (component_mode_ && !kind && *type != "register" && *type != "unsupported")) {
    if (!component_) component_ = std::make_unique<ComponentWast>(engine_, dir_, deadline_ticks_, wasmtime_host_);
    return component_->run(cmd);
  }
  if (*type == "module") return cmd_module(cmd, line);
  if (*type == "module_instance") return cmd_module_instance(cmd, line);
  if (*type == "register") return cmd_register(cmd);
  if (*type == "action") return cmd_action(cmd);
  if (*type == "assert_return") return cmd_assert_return(cmd);
  if (*type == "assert_trap") return cmd_assert_trap(cmd, false);
  if (*type == "assert_exhaustion") return cmd_assert_trap(cmd, true);
  if (*type == "assert_invalid") return cmd_assert_invalid(cmd, false);
  if (*type == "assert_malformed") return cmd_assert_invalid(cmd, true);
  if (*type == "assert_unlinkable") return cmd_assert_unlinkable(cmd);
  if (*type == "assert_uninstantiable") return cmd_assert_uninstantiable(cmd);
  if (*type == "assert_exception") return Outcome::skip("unsupported proposal: exception handling");
  if (*type == "assert_suspension") return Outcome::skip("unsupported proposal: stack switching");
  if (*type == "unsupported") {
    std::string form(string_member(cmd, "form").value_or("?"));
    auto err = string_member(cmd, "error");
    return Outcome::skip("form " + quote(form) + " not converted" + (err ? ": " + std::string(*err) : ""));
  }
  return Outcome::fail("unknown command type " + quote(*type));
}

// --- modules -------------------------------------------------------------------------------

WastScript::Compiled WastScript::compile(const json& cmd) {
  Compiled c;
  auto kind = string_member(cmd, "kind");
  if (kind && *kind == "component") {
    c.early = Outcome::skip("unsupported feature: component model");
    return c;
  }
  if (auto text_error = string_member(cmd, "text_error"); text_error && !member(cmd, "filename")) {
    c.early = Outcome::skip("text_error: " + std::string(*text_error));
    return c;
  }
  auto file = string_member(cmd, "filename");
  if (!file || file->empty() || file->find('/') != std::string_view::npos) {
    c.early = Outcome::fail("malformed command: missing or bad \"filename\"");
    return c;
  }
  auto bytes = read_file((std::filesystem::path(dir_) / std::string(*file)).string(), kMaxWasmFileSize);
  if (!bytes) {
    c.early = Outcome::fail(bytes.error().message);
    return c;
  }
  arm_deadline();
  auto compiled = engine_.compile(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size()));
  if (!compiled && is_unsupported(compiled.error())) {
    c.early = Outcome::skip(compiled.error().message);
  } else if (!compiled) {
    c.error = compiled.error();
  } else if (!*compiled || !(*compiled)->module) {
    c.early = Outcome::fail("engine returned no module");
  } else {
    c.module = std::move(*compiled);
  }
  return c;
}

WastScript::Imports WastScript::resolve_imports(const wasm::Module& m) {
  Imports out;
  out.externs.reserve(m.imports.size());
  for (const wasm::Import& imp : m.imports) {
    std::optional<engine::Extern> ext;
    if (auto reg = registered_.find(imp.module); reg != registered_.end()) {
      const ModuleEntry& entry = *reg->second;
      if (!entry.skip_reason.empty()) {
        out.skip = entry.skip_reason;
        return out;
      }
      ext = entry.instance->get_export(imp.name);
    } else if (imp.module == "spectest") {
      auto found = spectest_.lookup(imp.name);
      if (!found) {
        out.link_error = found.error();
        return out;
      }
      ext = *found;
    }
    if (!ext) {
      out.link_error = Error{"unknown import " + quote(imp.module) + " " + quote(imp.name)};
      return out;
    }
    out.externs.push_back(*ext);
  }
  return out;
}

std::optional<Outcome> WastScript::instantiate(const std::shared_ptr<const engine::CompiledModule>& compiled,
                                               engine::Instance*& out) {
  Imports imports = resolve_imports(*compiled->module);
  if (imports.skip) return Outcome::skip(*imports.skip);
  if (imports.link_error) return Outcome::fail("link error: " + imports.link_error->message);
  arm_deadline();
  engine::InstantiateResult r = store_.instantiate(compiled, imports.externs);
  if (r.link_error) return Outcome::fail("link error: " + r.link_error->to_string());
  if (r.trap) return Outcome::fail("instantiation trapped: " + r.trap->message);
  if (!r.instance) return Outcome::fail("instantiation returned no instance");
  out = r.instance;
  return std::nullopt;
}

Outcome WastScript::cmd_module(const json& cmd, uint64_t line) {
  auto definition = bool_member(cmd, "definition", false);
  if (!definition) return Outcome::fail("malformed command: \"definition\" must be a bool");
  auto name = string_member(cmd, "name");
  auto entry = std::make_shared<ModuleEntry>();
  entry->line = line;
  auto finish = [&](Outcome o) {
    if (o.status == Outcome::Status::Skip) entry->skip_reason = o.detail;
    if (o.status == Outcome::Status::Fail) {
      entry->skip_reason = "depends on the module at line " + std::to_string(line) + ", which failed";
    }
    if (name) {
      definitions_[std::string(*name)] = entry;
      if (!*definition) instances_[std::string(*name)] = entry;
    }
    if (!*definition) current_ = entry;
    return o;
  };
  Compiled c = compile(cmd);
  if (c.early) return finish(*c.early);
  if (c.error) return finish(Outcome::fail("compile error: " + c.error->to_string()));
  entry->compiled = c.module;
  if (*definition) return finish(Outcome::pass());
  if (auto o = instantiate(c.module, entry->instance)) return finish(*o);
  return finish(Outcome::pass());
}

Outcome WastScript::cmd_module_instance(const json& cmd, uint64_t line) {
  auto of = string_member(cmd, "of");
  if (!of) return Outcome::fail("malformed command: no \"of\"");
  auto def = definitions_.find(*of);
  if (def == definitions_.end()) return Outcome::fail("unknown module definition " + std::string(*of));
  auto entry = std::make_shared<ModuleEntry>();
  entry->line = line;
  Outcome o = Outcome::pass();
  if (!def->second->skip_reason.empty()) {
    o = Outcome::skip(def->second->skip_reason);
    entry->skip_reason = o.detail;
  } else if (auto failed = instantiate(def->second->compiled, entry->instance)) {
    o = *failed;
    entry->skip_reason = o.status == Outcome::Status::Skip
                             ? o.detail
                             : "depends on the instance at line " + std::to_string(line) + ", which failed";
  }
  if (auto name = string_member(cmd, "instance")) instances_[std::string(*name)] = entry;
  current_ = entry;
  return o;
}

Result<WastScript::EntryPtr> WastScript::find_instance(const json& obj, const char* key) {
  EntryPtr entry = current_;
  if (const json* name = member(obj, key)) {
    const auto* s = name->get_ptr<const std::string*>();
    if (!s) return unexpected(std::string("malformed command: \"") + key + "\" must be a string");
    auto it = instances_.find(*s);
    if (it == instances_.end()) return unexpected("unknown module instance " + *s);
    entry = it->second;
  }
  if (!entry) return unexpected("no module instantiated yet");
  if (entry->skip_reason.empty() && !entry->instance) return unexpected("module is not instantiated");
  return entry;
}

Outcome WastScript::cmd_register(const json& cmd) {
  auto as = string_member(cmd, "as");
  if (!as) return Outcome::fail("malformed command: no \"as\"");
  auto target = find_instance(cmd, "name");
  if (!target) return Outcome::fail("register: " + target.error().message);
  registered_[std::string(*as)] = *target;
  return Outcome::silent();
}

// --- actions and assertions --------------------------------------------------------------

WastScript::ActionResult WastScript::perform(const json& cmd) {
  ActionResult r;
  const json* action = member(cmd, "action");
  auto type = action ? string_member(*action, "type") : std::nullopt;
  auto field = action ? string_member(*action, "field") : std::nullopt;
  if (!type || !field) {
    r.early = Outcome::fail("malformed command: bad \"action\"");
    return r;
  }
  r.what = std::string(*type) + " " + quote(*field);
  auto target = find_instance(*action, "module");
  if (!target) {
    r.early = Outcome::fail(r.what + ": " + target.error().message);
    return r;
  }
  if (!(*target)->skip_reason.empty()) {
    r.early = Outcome::skip((*target)->skip_reason);
    return r;
  }
  auto ext = (*target)->instance->get_export(*field);
  if (!ext) {
    r.early = Outcome::fail(r.what + ": no such export");
    return r;
  }
  if (*type == "get") {
    engine::Global* const* g = std::get_if<engine::Global*>(&*ext);
    if (!g || !*g) {
      r.early = Outcome::fail(r.what + ": export is not a global");
      return r;
    }
    r.types = {(*g)->type.type};
    r.values = {engine::load_value((*g)->value, (*g)->type.type)};
    return r;
  }
  engine::Function* const* fn = std::get_if<engine::Function*>(&*ext);
  if (*type != "invoke" || !fn || !*fn || !(*fn)->type) {
    r.early = Outcome::fail(r.what + (*type != "invoke" ? ": unknown action type" : ": export is not a function"));
    return r;
  }
  const wasm::FuncType& ft = *(*fn)->type;
  std::vector<engine::Value> args;
  const json* jargs = member(*action, "args");
  if (jargs && !jargs->is_array()) {
    r.early = Outcome::fail(r.what + ": malformed \"args\"");
    return r;
  }
  if (jargs) {
    for (const json& a : *jargs) {
      auto v = parse_arg(a);
      if (!v) {
        r.early = Outcome::fail(r.what + ": bad argument: " + v.error().message);
        return r;
      }
      args.push_back(*v);
    }
  }
  bool types_ok = args.size() == ft.params.size();
  for (size_t i = 0; types_ok && i < args.size(); ++i) types_ok = args[i].type == ft.params[i];
  if (!types_ok) {
    r.early = Outcome::fail(r.what + ": arguments " + format_values(ft.params, args) +
                            " do not match the parameters " + type_names(ft.params));
    return r;
  }
  r.what += format_values(ft.params, args);
  arm_deadline();
  std::vector<engine::Value> results;
  r.trap = store_.call(*fn, args, results);
  if (r.trap) return r;
  if (results.size() != ft.results.size()) {
    r.early = Outcome::fail(r.what + ": engine returned " + std::to_string(results.size()) + " results, type has " +
                            std::to_string(ft.results.size()));
    return r;
  }
  r.types = ft.results;
  r.values = std::move(results);
  return r;
}

Outcome WastScript::cmd_action(const json& cmd) {
  ActionResult r = perform(cmd);
  if (r.early) return *r.early;
  if (r.trap) return Outcome::fail(r.what + ": trapped: " + r.trap->message);
  return Outcome::pass();
}

Outcome WastScript::cmd_assert_return(const json& cmd) {
  ActionResult r = perform(cmd);
  if (r.early) return *r.early;
  if (r.trap) return Outcome::fail(r.what + ": trapped: " + r.trap->message);
  const json* jexp = member(cmd, "expected");
  if (!jexp || !jexp->is_array()) return Outcome::fail("malformed command: no \"expected\" array");
  std::vector<Expected> exps;
  for (const json& e : *jexp) {
    auto parsed = parse_expected(e);
    if (!parsed) return Outcome::fail(r.what + ": bad expected value: " + parsed.error().message);
    exps.push_back(std::move(*parsed));
  }
  bool ok = exps.size() == r.values.size();
  for (size_t i = 0; ok && i < exps.size(); ++i) ok = matches(exps[i], r.types[i], r.values[i]);
  if (ok) return Outcome::pass();
  return Outcome::fail(r.what + ": expected " + format_expected_list(exps) + ", got " +
                       format_values(r.types, r.values, &exps));
}

Outcome WastScript::cmd_assert_trap(const json& cmd, bool exhaustion) {
  std::string text(string_member(cmd, "text").value_or(""));
  ActionResult r = perform(cmd);
  if (r.early) return *r.early;
  if (!r.trap) {
    return Outcome::fail(r.what + ": expected trap " + quote(text) + ", got " + format_values(r.types, r.values));
  }
  const engine::Trap& trap = *r.trap;
  bool exhausted = trap.kind == engine::TrapKind::StackExhausted;
  if (trap.kind == engine::TrapKind::Interrupted || trap.kind == engine::TrapKind::HostError ||
      (exhaustion && !exhausted)) {
    return Outcome::fail(r.what + ": expected trap " + quote(text) + ", got " + quote(trap.message));
  }
  Outcome o = Outcome::pass();
  if (!text_matches(text, trap.message)) {
    o.warning = r.what + ": expected trap " + quote(text) + ", got " + quote(trap.message);
  }
  return o;
}

Outcome WastScript::cmd_assert_invalid(const json& cmd, bool malformed) {
  std::string text(string_member(cmd, "text").value_or(""));
  if (malformed && !member(cmd, "filename") && member(cmd, "text_error")) {
    return Outcome::skip("text-only malformed module");
  }
  Compiled c = compile(cmd);
  if (c.early) return *c.early;
  if (!c.error) return Outcome::fail("module compiled, expected error " + quote(text));
  Outcome o = Outcome::pass();
  if (!message_matches(text, c.error->message)) {
    o.note = "expected " + quote(text) + ", got " + quote(c.error->to_string());
  }
  return o;
}

Outcome WastScript::cmd_assert_unlinkable(const json& cmd) {
  std::string text(string_member(cmd, "text").value_or(""));
  Compiled c = compile(cmd);
  if (c.early) return *c.early;
  if (c.error) return Outcome::fail("compile error: " + c.error->to_string());
  Imports imports = resolve_imports(*c.module->module);
  if (imports.skip) return Outcome::skip(*imports.skip);
  std::optional<Error> link_error = imports.link_error;
  if (!link_error) {
    arm_deadline();
    engine::InstantiateResult r = store_.instantiate(c.module, imports.externs);
    if (r.trap) return Outcome::fail("expected link error " + quote(text) + ", instantiation trapped: " + r.trap->message);
    if (!r.link_error) return Outcome::fail("expected link error " + quote(text) + ", module instantiated");
    link_error = r.link_error;
  }
  Outcome o = Outcome::pass();
  if (!message_matches(text, link_error->message)) {
    o.note = "expected " + quote(text) + ", got " + quote(link_error->message);
  }
  return o;
}

Outcome WastScript::cmd_assert_uninstantiable(const json& cmd) {
  std::string text(string_member(cmd, "text").value_or(""));
  Compiled c = compile(cmd);
  if (c.early) return *c.early;
  if (c.error) return Outcome::fail("compile error: " + c.error->to_string());
  Imports imports = resolve_imports(*c.module->module);
  if (imports.skip) return Outcome::skip(*imports.skip);
  if (imports.link_error) return Outcome::fail("link error: " + imports.link_error->message);
  arm_deadline();
  engine::InstantiateResult r = store_.instantiate(c.module, imports.externs);
  if (r.link_error) return Outcome::fail("expected trap " + quote(text) + ", got link error: " + r.link_error->message);
  if (!r.trap) return Outcome::fail("expected trap " + quote(text) + ", module instantiated");
  if (r.trap->kind == engine::TrapKind::Interrupted || r.trap->kind == engine::TrapKind::HostError) {
    return Outcome::fail("expected trap " + quote(text) + ", got " + quote(r.trap->message));
  }
  Outcome o = Outcome::pass();
  if (!text_matches(text, r.trap->message)) {
    o.warning = "expected trap " + quote(text) + ", got " + quote(r.trap->message);
  }
  return o;
}

}  // namespace rill::cli
