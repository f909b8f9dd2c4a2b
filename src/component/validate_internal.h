// Shared state of the component validator: one Scope per component, component type or instance
// type, holding every index space as it is built in definition order. Entries also carry their
// resolved type (validate_sem.h) for subtyping and resource identity. Entries that cannot be
// resolved are Unknown, and every check treats Unknown as "could be right", so gaps in
// resolution never reject a valid component.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <variant>
#include <string>
#include <vector>

#include "rill/base/result.h"
#include "rill/component/component.h"
#include "rill/component/validate_sem.h"

namespace rill::component::detail {

struct Scope;

/// What a component-level type index names.
enum class TypeKind : uint8_t { Unknown, Defined, Func, Component, Instance, Resource };

/// Identities of resource types (each resourcetype, `(sub resource)` import/export and
/// resource aliased out of an instance is a fresh one), sorted and unique.
using Resources = std::vector<uint32_t>;
/// Adds {from} to {into}.
void add_resources(Resources& into, const Resources& from);

/// Explainer.md "External Visibility of Types": how a type index is named from outside. Ordered
/// from best to worst, so the weakest of several is their max.
enum class Vis : uint8_t {
  Imported,  ///< introduced by an import (or aliased from outside): usable by imports and exports
  Exported,  ///< introduced by an export: usable by exports
  None,      ///< a local definition
};

/// One entry of the type index space; {scope} is where indices inside the type resolve.
struct TypeEntry {
  TypeKind kind = TypeKind::Unknown;
  const DefValType* defined = nullptr;
  const FuncType* func = nullptr;
  const ComponentType* component = nullptr;
  const InstanceType* instance = nullptr;
  const Scope* scope = nullptr;
  bool local_resource = false;  ///< Resource defined by a resourcetype in this component
  Resources resources;          ///< the resource types it is or transitively refers to
  uint64_t size = 0;   ///< Defined: elem_size(t, 'i64') (definitions.py); 0 when unknown
  uint32_t align = 1;  ///< Defined: alignment(t, 'i64')
  Vis name = Vis::Imported;     ///< this index's own external name (see Vis)
  Vis worst = Vis::Imported;    ///< the weakest name of the nominal types it refers to
  SemPtr sem;                   ///< the resolved type (null when unknown)
  bool has_resource() const { return !resources.empty(); }
  /// Resources, records, variants, enums and flags need a name where they are used.
  bool nominal() const {
    if (kind == TypeKind::Resource) return true;
    if (kind == TypeKind::Defined && defined) {
      return std::holds_alternative<RecordType>(*defined) ||
             std::holds_alternative<VariantType>(*defined) ||
             std::holds_alternative<EnumType>(*defined) ||
             std::holds_alternative<FlagsType>(*defined);
    }
    return sem_is_nominal(sem);
  }
  /// What a reference to this type requires.
  Vis ref_vis() const { return nominal() ? name : worst; }
};

/// A TypeEntry of {kind} whose inner indices resolve in {scope}.
inline TypeEntry type_entry(TypeKind kind, const Scope* scope = nullptr, Resources res = {}) {
  TypeEntry e;
  e.kind = kind;
  e.scope = scope;
  e.resources = std::move(res);
  return e;
}

/// A core export (of an instance or module) with its function type when known.
/// Also the type of a core import, and of a core item in an index space.
struct CoreExportInfo {
  CoreSort sort = CoreSort::Func;
  std::optional<wasm::FuncType> func;  ///< Func, Tag
  std::optional<wasm::TableType> table;
  std::optional<wasm::MemoryType> memory;
  std::optional<wasm::GlobalType> global;
};
/// A core import of a module.
struct CoreImportInfo {
  std::string module;
  std::string name;
  CoreExportInfo type;
};
/// A core module: its imports and exports (known unless resolution gave up).
struct CoreModuleInfo {
  bool known = false;
  std::vector<CoreImportInfo> imports;
  std::map<std::string, CoreExportInfo, std::less<>> exports;
};
/// A core instance: its exports when known.
struct CoreInstanceInfo {
  bool known = false;
  std::map<std::string, CoreExportInfo, std::less<>> exports;
};
/// A core type: a function type, a module type (with what it declares) or another GC type.
struct CoreTypeEntry {
  bool known = false;  ///< false: resolution gave up (checks pass)
  std::optional<wasm::FuncType> func;
  std::shared_ptr<const CoreModuleInfo> module;
};

/// A component-level export or import: its sort and, for types, what kind of type.
struct ExternInfo {
  ExternKind kind = ExternKind::Func;
  TypeKind type_kind = TypeKind::Unknown;
  const FuncType* func = nullptr;  ///< Func, when known
  const Scope* func_scope = nullptr;
  /// Imports of a nested component: the type index the import added (Type) or its function
  /// type's index (Func), in ComponentInfo::scope.
  std::optional<uint32_t> type_index;
  SemExtern sem;  ///< its resolved type
};
/// A component instance: its exports when known.
struct InstanceInfo {
  bool known = false;
  /// One of our own resources went into it (as an instantiation argument or inline export),
  /// so a resource aliased out of it may be ours: resource.new/rep stay allowed.
  bool maybe_local_resources = false;
  bool imported = false;  ///< an import or aliased out of one: the types it exports are named
  SemPtr sem;             ///< its resolved instance type (null when unknown)
  bool vis_by_sem = false;  ///< {worst} is judged from {sem} where it is used (sem_vis)
  Vis worst = Vis::Imported;  ///< the weakest name its type refers to
  Resources resources;  ///< resources its type refers to (when imported)
  std::map<std::string, ExternInfo, std::less<>> exports;
};
/// A component: its imports and exports when known.
struct ComponentInfo {
  bool known = false;
  std::shared_ptr<const Scope> scope;  ///< a nested definition's index spaces (for its imports)
  SemPtr sem;                          ///< its resolved component type (null when unknown)
  Vis worst = Vis::Imported;  ///< the weakest name its type refers to
  Resources resources;  ///< resources its type refers to (when imported)
  std::vector<std::pair<std::string, ExternInfo>> imports;
  std::map<std::string, ExternInfo, std::less<>> exports;
};
/// A component function: its type when known.
struct FuncEntry {
  const FuncType* type = nullptr;
  const Scope* scope = nullptr;
  Resources resources;  ///< resources its type refers to
  Vis worst = Vis::Imported;  ///< the weakest name its type refers to
  SemPtr sem;                 ///< its resolved function type (null when unknown)
  bool vis_by_sem = false;    ///< {worst} is judged from {sem} where it is used (sem_vis)
};

/// One scope's index spaces (Binary.md "outer aliases": a component, component type or
/// instance type).
struct Scope {
  enum class Kind : uint8_t { Component, ComponentType, InstanceType };
  Scope() = default;
  Scope(Kind k, Scope* p) : kind(k), parent(p), next_resource(p->next_resource) {}
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  Kind kind = Kind::Component;
  Scope* parent = nullptr;
  uint32_t* next_resource = &root_next_resource;  ///< the root's counter of resource identities
  uint32_t root_next_resource = 0;
  std::set<uint32_t> created;  ///< resources given their identity in this scope
  std::set<uint32_t> outer;    ///< resources a type scope reaches through outer aliases
  std::set<uint32_t> imported_resources;  ///< resources its imports introduce (abstract ones)
  std::map<uint32_t, Vis> named_resources;  ///< resources imported or exported under a name
  std::vector<std::pair<SemPtr, Vis>> named_types;  ///< records, variants, ... likewise
  Vis outer_worst = Vis::Imported;  ///< the weakest name a type scope reaches by outer aliases

  /// A fresh resource identity, created in this scope.
  uint32_t fresh_resource() {
    const uint32_t id = (*next_resource)++;
    created.insert(id);
    return id;
  }

  std::vector<TypeEntry> types;
  std::vector<FuncEntry> funcs;
  uint32_t values = 0;
  std::vector<InstanceInfo> instances;
  std::vector<ComponentInfo> components;

  std::vector<std::optional<wasm::FuncType>> core_funcs;
  std::vector<std::optional<wasm::TableType>> core_tables;
  std::vector<std::optional<wasm::MemoryType>> core_memories;
  std::vector<std::optional<wasm::GlobalType>> core_globals;
  uint32_t core_tags = 0;
  std::vector<CoreTypeEntry> core_types;
  std::vector<CoreModuleInfo> core_modules;
  std::vector<CoreInstanceInfo> core_instances;

  std::map<std::string, std::string> import_keys;  ///< strongly-unique key -> import name
  std::map<std::string, std::string> export_keys;  ///< ... and of exports
  std::set<std::string> resource_names;  ///< plain names of resource imports/exports
  /// Resource identity -> the plain name an import (or an export) gives it; annotated import
  /// names look in the first, export names in the second.
  std::map<uint32_t, std::string> import_labels;
  std::map<uint32_t, std::string> export_labels;
  std::vector<std::pair<std::string, ExternInfo>> imports;
  std::map<std::string, ExternInfo, std::less<>> exports;

  /// Number of entries in {s}'s index space.
  uint32_t size(Sort s) const;
};

/// An error at {offset}.
inline Error error_at(uint64_t offset, std::string msg) { return Error{std::move(msg), offset}; }

/// "unknown <sort> N: <sort> index out of bounds" when {index} is not below {s}'s size.
Result<void> check_index(const Scope& scope, Sort s, uint32_t index, uint64_t offset);

// validate_types.cpp
/// Validates a type definition (deftype) and returns its type index entry.
Result<TypeEntry> validate_type(const Type& t, Scope& scope, uint64_t offset);
/// Validates a valtype used in {scope}.
Result<void> check_valtype(ValType t, const Scope& scope, uint64_t offset);
/// Validates a core type definition and returns its entries (a rec group may add several).
Result<std::vector<CoreTypeEntry>> validate_core_type(const CoreType& t, const Scope& scope);
/// Validates an externtype and returns what it adds to the index space.
Result<ExternInfo> check_extern_type(const ExternType& t, const Scope& scope, uint64_t offset);
/// Explainer.md "External Visibility of Types": the nominal types an import's type uses must
/// have been imported, an export's imported or exported ({worst} is the weakest it uses). In a
/// component/instance type a violation makes the type itself unusable by imports and exports.
Result<void> check_visible(Scope& scope, Vis worst, ExternKind kind, bool is_import,
                           uint64_t offset);
/// The name grammar and attribute rules alone (inline instance exports).
Result<void> check_name_syntax(const ExternName& n, ExternInfo info, uint64_t offset);
/// After an import/export of a type was added: a resource named by a plain label gets that
/// name (for [constructor]/[method]/[static] names).
void name_resource(const ExternName& n, Scope& scope, bool is_import);
/// An inline instance export's name: its grammar, and annotated names against the resources
/// the component's exports name.
Result<void> check_inline_name(const ExternName& n, ExternInfo info, const Scope& scope,
                               uint64_t offset);
/// Adds the item an import/export declaration of type {t} introduces to {scope}.
void push_extern(const ExternType& t, Scope& scope, bool is_import);
/// The resolved type of the item an import/export of kind {kind} just added to {scope}.
SemExtern last_item(const Scope& scope, ExternKind kind);
/// The index-space sort of extern kind {kind} (not Value).
Sort sort_of(ExternKind kind);
/// The core sort of a core extern kind.
CoreSort core_sort_of(wasm::ExternKind k);
/// The weakest name the type of an import/export of {t} refers to.
Vis extern_worst(const ExternType& t, const Scope& scope);
/// The resolved defvaltype behind {t} (nullptr for primitives and unresolved types).
const DefValType* resolve(ValType t, const Scope& scope, const Scope** where);
/// True when {t} transitively contains a borrow handle.
bool contains_borrow(ValType t, const Scope& scope);

// validator.cpp
/// Validates an alias (definition or declarator) and adds its entry to {scope}.
Result<void> validate_alias(const Alias& a, Scope& scope, uint64_t offset);
// validate_names.cpp
/// Checks an import/export name and records it for strong uniqueness.
Result<void> check_name(const ExternName& n, ExternInfo info, bool is_import, Scope& scope,
                        uint64_t offset);

/// Core import matching (core spec "Import Subtyping"): why {got} does not match {want}.
std::optional<std::string> core_mismatch(const CoreExportInfo& want, const CoreExportInfo& got);

// validate_sem_scope.cpp: resolved types of the index spaces
/// The resolved type of valtype {t} in {scope}.
SemPtr sem_of(ValType t, const Scope& scope);
/// The resolved type of a defvaltype / function type defined in {scope}.
SemPtr sem_defval(const DefValType& dv, const Scope& scope);
SemPtr sem_func(const FuncType& ft, const Scope& scope);
/// The resolved instance or component type of a finished type scope or nested component.
SemPtr sem_instance_of(const Scope& inner);
SemPtr sem_component_of(const Scope& inner);
/// The resolved type of item {index} of extern kind {kind} in {scope}.
SemExtern sem_item(const Scope& scope, ExternKind kind, uint32_t index);
/// {t} (an instance type) with the resources it defines made fresh in {scope}.
SemPtr freshen(const SemPtr& t, Scope& scope, bool is_import);
/// An instance's index-space entry for resolved instance type {t}.
InstanceInfo instance_from_sem(const SemPtr& t);
/// An export's entry for its resolved type.
ExternInfo extern_from_sem(const SemExtern& e);
/// The weakest name a type resolved as {t} refers to in {scope} (Explainer.md "External
/// Visibility of Types"), judged by identity: resources by id, the other nominal types by node.
Vis sem_vis(const SemPtr& t, const Scope& scope);
/// The weakest name the parts of {t} refer to (not {t}'s own).
Vis sem_children_vis(const SemPtr& t, const Scope& scope);
/// Records that the type {t} (or, for an instance, each type it exports) has a name of {vis} in {scope}.
void name_sem(const SemPtr& t, Vis vis, Scope& scope);

/// How many items each component-level index space holds (to find what a definition added).
struct ItemCounts {
  size_t types = 0, funcs = 0, instances = 0, components = 0;
};
ItemCounts item_counts(const Scope& scope);
/// The items added to {scope} since {before}: their resolved types must be within the limits
/// of validate_sem.h (nesting depth, effective size), else an error at {offset}. Called after
/// each definition and declaration, so no resolved type is ever more than one level past a
/// limit, and nothing walks one recursively before it is rejected.
Result<void> check_new_items(const Scope& scope, const ItemCounts& before, uint64_t offset);

// validate_canon.cpp
/// Validates a canonical definition and adds what it defines to {scope}.
Result<void> validate_canon(const Canon& c, Scope& scope, uint64_t offset);

}  // namespace rill::component::detail
