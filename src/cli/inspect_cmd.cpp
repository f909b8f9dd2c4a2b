// `rill inspect`: decodes and validates a component or core module (with the decoders'
// offsets in every error) and prints its interface.
#include "rill/cli/inspect_cmd.h"

#include <cinttypes>
#include <span>

#include "rill/base/escape.h"
#include "rill/cli/json_util.h"
#include "rill/component/decoder.h"
#include "rill/component/validator.h"
#include "rill/component/wit.h"
#include "rill/wasm/decoder.h"
#include "rill/wasm/validator.h"

namespace rill::cli {
namespace {

/// Largest file `rill inspect` reads: far above any real component, small enough to hold.
constexpr uint64_t kMaxInspectFileSize = uint64_t{1} << 30;

std::string limits(const wasm::Limits& l) {
  std::string s = std::to_string(l.min);
  if (l.max) s += " " + std::to_string(*l.max);
  if (l.shared) s += " shared";
  return s;
}

std::string func_type(const wasm::Module& m, uint32_t type_index) {
  if (type_index >= m.types.size()) return "func (type " + std::to_string(type_index) + ")";
  return "func " + wasm::to_string(m.types[type_index]);
}

std::string global_type(const wasm::GlobalType& g) {
  const std::string t = wasm::to_string(g.type);
  return "global " + (g.mut ? "(mut " + t + ")" : t);
}

std::string export_type(const wasm::Module& m, const wasm::Export& e) {
  const uint32_t i = e.index;
  switch (e.kind) {
    case wasm::ExternKind::Func:
      return i < m.funcs.size() ? func_type(m, m.funcs[i]) : "func";
    case wasm::ExternKind::Table:
      if (i >= m.tables.size()) return "table";
      return "table " + limits(m.tables[i].limits) + " " + wasm::to_string(m.tables[i].elem);
    case wasm::ExternKind::Memory:
      return i < m.memories.size() ? "memory " + limits(m.memories[i].limits) : "memory";
    case wasm::ExternKind::Global:
      return i < m.globals.size() ? global_type(m.globals[i]) : "global";
    case wasm::ExternKind::Tag: return "tag";
  }
  return "unknown";
}

std::string import_type(const wasm::Module& m, const wasm::Import& imp) {
  switch (imp.kind) {
    case wasm::ExternKind::Func: return func_type(m, imp.func_type);
    case wasm::ExternKind::Table:
      return "table " + limits(imp.table.limits) + " " + wasm::to_string(imp.table.elem);
    case wasm::ExternKind::Memory: return "memory " + limits(imp.memory.limits);
    case wasm::ExternKind::Global: return global_type(imp.global);
    case wasm::ExternKind::Tag: return "tag";
  }
  return "unknown";
}

void print_error(std::FILE* err, const std::string& path, const Error& e) {
  std::fprintf(err, "rill inspect: %s: %s\n", path.c_str(), terminal_safe(e.to_string()).c_str());
}

}  // namespace

std::string describe_core_module(const wasm::Module& m) {
  std::string out;
  for (const wasm::Import& imp : m.imports) {
    out += "import " + escape_name(imp.module) + "::" + escape_name(imp.name) + ": " + import_type(m, imp) + "\n";
  }
  for (const wasm::Export& e : m.exports) {
    out += "export " + escape_name(e.name) + ": " + export_type(m, e) + "\n";
  }
  return out;
}

int inspect_file(const std::string& path, std::FILE* out, std::FILE* err) {
  auto text = read_file(path, kMaxInspectFileSize);
  if (!text) {
    std::fprintf(err, "rill inspect: %s\n", text.error().to_string().c_str());
    return 1;
  }
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text->data()),
                                       text->size());
  auto kind = component::detect_binary_kind(bytes);
  if (!kind) {
    print_error(err, path, kind.error());
    return 1;
  }
  if (*kind == component::BinaryKind::CoreModule) {
    auto m = wasm::decode_module(bytes);
    if (!m) {
      print_error(err, path, m.error());
      return 1;
    }
    if (auto ok = wasm::validate_module(**m); !ok) {
      print_error(err, path, ok.error());
      return 1;
    }
    std::fputs(describe_core_module(**m).c_str(), out);
    return 0;
  }
  auto c = component::decode_component(bytes);
  if (!c) {
    print_error(err, path, c.error());
    return 1;
  }
  if (auto ok = component::validate_component(**c); !ok) {
    print_error(err, path, ok.error());
    return 1;
  }
  auto wit = component::print_wit(**c);
  if (!wit) {
    print_error(err, path, wit.error());
    return 1;
  }
  std::fputs(terminal_safe(*wit).c_str(), out);
  return 0;
}

}  // namespace rill::cli
