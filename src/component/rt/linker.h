// Instantiation of a component (Explainer.md "Instance Definitions"): the run-time index spaces
// of each component scope, the items that flow through imports, exports and aliases, and the
// compiled form of a component (its core modules translated once).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "rill/base/result.h"
#include "rill/component/component.h"
#include "rill/component/rt/instance.h"
#include "rill/engine/engine.h"

namespace rill::component::rt {

/// A validated component with every embedded core module compiled.
struct CompiledComponent {
  std::shared_ptr<const Component> root;
  std::unordered_map<const wasm::Module*, std::shared_ptr<const engine::CompiledModule>> modules;
  /// Resolved value and function types that hold no resource handle: the same in every
  /// instantiation, so resolved once (the first instantiation fills it).
  mutable std::mutex type_cache_mutex;
  mutable std::unordered_map<const Type*, std::shared_ptr<const void>> type_cache;
};
/// Decodes, validates and compiles {bytes}.
Result<std::shared_ptr<const CompiledComponent>> compile_component(engine::Engine& engine,
                                                                   std::span<const uint8_t> bytes);

struct ScopeRt;

/// An entry of the type index space.
struct TypeRt {
  enum class Kind : uint8_t { Val, Resource, Func, Component, Instance };
  Kind kind = Kind::Val;
  RTypePtr value;
  std::shared_ptr<const ResourceTypeRt> resource;
  FuncTypePtr func;
  const ComponentType* component = nullptr;
  const InstanceType* instance = nullptr;
  /// Where a component/instance type's decls resolve. Weak: scopes are owned by their
  /// component instance (ComponentInstanceRt::scopes) and hold their own types.
  std::weak_ptr<ScopeRt> scope;
};

/// A core function: concrete, or a built-in made on first use with the type its user expects.
struct CoreFuncRt {
  engine::Function* fn = nullptr;
  std::function<engine::Function*(const wasm::FuncType&)> make;
  engine::Function* get(const wasm::FuncType& want) {
    if (!fn && make) fn = make(want);
    return fn;
  }
};
using CoreItem = std::variant<CoreFuncRt, engine::Table*, engine::Memory*, engine::Global*>;

struct CoreInstanceRt {
  engine::Instance* inst = nullptr;  ///< an instantiated module, or
  std::vector<std::pair<std::string, CoreItem>> exports;  ///< inline exports
  std::optional<CoreItem> get(std::string_view name) const;
};

struct CoreModuleRt {
  std::shared_ptr<const engine::CompiledModule> compiled;
};

struct InstanceRt;
/// A component definition with the scope its outer aliases see.
struct ComponentClosure {
  const Component* def = nullptr;
  std::weak_ptr<ScopeRt> outer;  ///< owned by the defining instance (see TypeRt::scope)
  std::shared_ptr<const CompiledComponent> compiled;
  bool nested = false;  ///< defined inside another component (so {outer} must be alive)
};

/// Anything a component-level import, export or alias carries.
using Item = std::variant<FuncPtr, TypeRt, std::shared_ptr<ComponentClosure>,
                          std::shared_ptr<InstanceRt>, std::shared_ptr<CoreModuleRt>,
                          std::shared_ptr<Value>>;

/// A component instance's exports (or an instance made of inline exports).
struct InstanceRt {
  std::vector<std::pair<std::string, Item>> exports;
  ComponentInstanceRt* inst = nullptr;  ///< the instantiated component, if any
  const Item* find(std::string_view name) const;
};

/// One component's run-time index spaces.
struct ScopeRt {
  std::shared_ptr<ScopeRt> parent;
  ComponentInstanceRt* inst = nullptr;
  std::vector<FuncPtr> funcs;
  std::vector<TypeRt> types;
  std::vector<std::shared_ptr<ComponentClosure>> components;
  std::vector<std::shared_ptr<InstanceRt>> instances;
  std::vector<std::shared_ptr<Value>> values;
  std::vector<std::shared_ptr<CoreModuleRt>> core_modules;
  std::vector<std::shared_ptr<CoreInstanceRt>> core_instances;
  std::vector<CoreFuncRt> core_funcs;
  std::vector<engine::Table*> core_tables;
  std::vector<engine::Memory*> core_memories;
  std::vector<engine::Global*> core_globals;
  uint32_t core_types = 0;
};

/// Import values by name. Lookup falls back to a semver-compatible version of the name.
class ImportMap {
 public:
  void define(std::string name, Item item) { items_[std::move(name)] = std::move(item); }
  /// The item for {name}: exact, else the highest compatible version (wasi:cli/run@0.2.0 is
  /// satisfied by @0.2.6: same major, or same minor for 0.x, or same patch for 0.0.x).
  const Item* find(std::string_view name) const;
  const std::map<std::string, Item, std::less<>>& items() const { return items_; }

 private:
  std::map<std::string, Item, std::less<>> items_;
};

/// Instantiates {c} in {store} with {imports}. Imports are checked against the component's
/// declared types (kinds, function signatures, instance exports). {root} receives the owning
/// top-level runtime instance. With {stub_missing}, an import that {imports} lacks is made up
/// from its declared type: functions return zero values, resources are fresh host resources
/// (for fuzzing and `rill inspect`-style tooling; never for running programs).
Result<std::shared_ptr<InstanceRt>> instantiate(engine::Store& store,
                                                const std::shared_ptr<const CompiledComponent>& c,
                                                const ImportMap& imports,
                                                std::unique_ptr<ComponentInstanceRt>& root,
                                                MaybeTrap& start_trap, bool stub_missing = false);

/// The zero value of {t} (0, "", [], first case, none, ...; handles refer to rep 0).
Value zero_value_of(const RType& t);

/// "func", "type", "instance", ... for messages.
const char* item_kind(const Item& item);

}  // namespace rill::component::rt
