// Import matching (spec 2.0 "external typing" and "import subtyping"): function types by
// canonical id, tables and memories by limits, globals by exact type and mutability.
#include "rill/engine/link.h"
#include "rill/base/escape.h"

#include <string>

namespace rill::engine {
namespace {

bool func_matches(const CompiledModule& cm, const wasm::Import& imp, const Function* fn) {
  return fn != nullptr && imp.func_type < cm.type_ids.size() &&
         fn->type_id == cm.type_ids[imp.func_type];
}

bool table_matches(const wasm::Import& imp, const Table* table) {
  if (table == nullptr) return false;
  const wasm::TableType actual = table->type();
  return actual.elem == imp.table.elem && limits_match(actual.limits, imp.table.limits);
}

bool memory_matches(const wasm::Import& imp, const Memory* memory) {
  return memory != nullptr && limits_match(memory->type().limits, imp.memory.limits);
}

bool global_matches(const wasm::Import& imp, const Global* global) {
  return global != nullptr && global->type.type == imp.global.type &&
         global->type.mut == imp.global.mut;
}

bool import_matches(const CompiledModule& cm, const wasm::Import& imp, const Extern& ext) {
  switch (imp.kind) {
    case wasm::ExternKind::Func: {
      auto* const* fn = std::get_if<Function*>(&ext);
      return fn != nullptr && func_matches(cm, imp, *fn);
    }
    case wasm::ExternKind::Table: {
      auto* const* table = std::get_if<Table*>(&ext);
      return table != nullptr && table_matches(imp, *table);
    }
    case wasm::ExternKind::Memory: {
      auto* const* memory = std::get_if<Memory*>(&ext);
      return memory != nullptr && memory_matches(imp, *memory);
    }
    case wasm::ExternKind::Global: {
      auto* const* global = std::get_if<Global*>(&ext);
      return global != nullptr && global_matches(imp, *global);
    }
    case wasm::ExternKind::Tag: return false;
  }
  return false;
}

}  // namespace

bool limits_match(const wasm::Limits& actual, const wasm::Limits& expected) {
  if (actual.is64 != expected.is64 || actual.shared != expected.shared) return false;
  if (actual.min < expected.min) return false;
  if (!expected.max) return true;
  return actual.max && *actual.max <= *expected.max;
}

Result<void> match_imports(const CompiledModule& cm, std::span<const Extern> imports) {
  const wasm::Module& m = *cm.module;
  if (imports.size() != m.imports.size()) {
    return unexpected(std::string(kUnknownImport) + ": expected " +
                      std::to_string(m.imports.size()) + " imports, got " +
                      std::to_string(imports.size()));
  }
  for (size_t i = 0; i < imports.size(); ++i) {
    const wasm::Import& imp = m.imports[i];
    if (import_matches(cm, imp, imports[i])) continue;
    return unexpected(std::string(kIncompatibleImport) + ": \"" + escape_name(imp.module) + "\" \"" + escape_name(imp.name) +
                      "\" (" + wasm::to_string(imp.kind) + ")");
  }
  return {};
}

}  // namespace rill::engine
