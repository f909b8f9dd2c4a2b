// Resolved ("semantic") types of the component validator: types with every index replaced by
// what it names, and resources by their identity, so types from different scopes compare
// directly. Instantiation substitutes resource identities in them (Explainer.md "Subtyping",
// "Type Definitions" generativity). Building them from a scope is validate_sem_scope.cpp's.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rill/component/types.h"

namespace rill::component::detail {

struct SemType;
struct CoreModuleInfo;
/// A resolved type; never null where a type is present (unresolved ones are SemKind::Unknown).
using SemPtr = std::shared_ptr<const SemType>;

/// What a resolved type is.
enum class SemKind : uint8_t {
  Unknown,  ///< resolution gave up: matches anything
  Prim,
  Record,
  Variant,
  List,
  Tuple,
  Flags,
  Enum,
  Option,
  Result,
  Own,
  Borrow,
  Stream,
  Future,
  Map,
  Func,
  Resource,
  Instance,
  Component,
};

/// The type of an import or export: its kind and resolved type (null when unknown).
struct SemExtern {
  ExternKind kind = ExternKind::Func;
  SemPtr type;                                   ///< Func, Type, Instance, Component
  std::shared_ptr<const CoreModuleInfo> module;  ///< CoreModule
};
/// Named imports or exports, in declaration order.
using SemExterns = std::vector<std::pair<std::string, SemExtern>>;

/// One resolved type. Children that are absent (a case without payload, no result) are null.
struct SemType {
  SemKind kind = SemKind::Unknown;
  PrimValType prim = PrimValType::Bool;  ///< Prim
  /// Record fields, variant cases, flags, enum tags, function parameters.
  std::vector<std::string> labels;
  /// Record/tuple/variant members, list/option/stream/future element, result ok and err, map
  /// key and value, function parameters.
  std::vector<SemPtr> elems;
  SemPtr result;                   ///< Func
  std::optional<uint32_t> length;  ///< List
  bool async = false;              ///< Func
  bool has_nominal = false;        ///< it or a part is nominal or a handle (sem_has_nominal)
  uint32_t resource = 0;           ///< Own, Borrow, Resource: the resource's identity
  SemExterns imports;              ///< Component
  SemExterns exports;              ///< Instance, Component
  /// Instance: resources each declaration of the type makes fresh; Component: resources each
  /// instantiation makes fresh (defined inside it).
  std::vector<uint32_t> defined;
  std::vector<uint32_t> imported;  ///< Component: resources its imports introduce
  /// Nesting: 0 for primitives, handles, resources and Unknown, else 1 + the deepest part
  /// (list<u8> is 1; a function, instance or component counts its parameters, result, imports
  /// and exports). Set by sem_finish; a copy (substitute) keeps its parts' shape.
  uint32_t depth = 0;
  /// The "effective type size": 1 + the sizes of all parts, each shared part counted wherever
  /// it occurs (what the tree walks of printers and the canonical ABI visit); saturates at
  /// kMaxTypeSize + 1.
  uint64_t size = 1;
};

/// Deepest value type (Wasmtime's MAX_TYPE_DEPTH: "type nesting is too deep").
inline constexpr uint32_t kMaxValueTypeDepth = 100;
/// Deepest type of any kind: room for a function over the deepest value types inside the
/// decoder's 100 levels of nested component and instance types, and a bound on the validator's
/// recursion over resolved types (chains of instance types through aliases would be unbounded).
inline constexpr uint32_t kMaxTypeDepth = 256;
/// Largest effective type size (wasmparser's MAX_TYPE_SIZE); a type built by sharing a part
/// twice at each level would otherwise be exponential to walk.
inline constexpr uint64_t kMaxTypeSize = 1000000;

/// Renaming of resource identities.
using ResourceMap = std::map<uint32_t, uint32_t>;

/// The shared Unknown type.
SemPtr sem_unknown();
/// A primitive type.
SemPtr sem_prim(PrimValType p);
/// A handle or resource type of resource {id}.
SemPtr sem_resource(SemKind kind, uint32_t id);
/// {t}, a node whose parts are final, with its has_nominal, depth and size set.
SemPtr sem_finish(std::shared_ptr<SemType> t);
/// {t} with its resources renamed by {map} (shares unchanged parts).
SemPtr substitute(const SemPtr& t, const ResourceMap& map);
/// {e} with its resources renamed by {map}.
SemExtern substitute(const SemExtern& e, const ResourceMap& map);
/// Records in {map} the resources of {want} (those in {abstract}) that {got} puts in their place.
void collect_renaming(const SemExtern& want, const SemExtern& got,
                      const std::vector<uint32_t>& abstract, ResourceMap& map);
/// The TypeKind-like word of an extern: "func", "instance", ...
const char* sem_extern_word(const SemExtern& e);

/// Why {got} cannot be used where {want} is expected (value types: equal), or nullopt.
std::optional<std::string> sem_mismatch(const SemPtr& want, const SemPtr& got);
/// Why extern {got} is not a subtype of {want} (Explainer.md "Subtyping"), or nullopt.
std::optional<std::string> sem_extern_mismatch(const SemExtern& want, const SemExtern& got);
/// Why core module {got} cannot be used where a module of type {want} is expected.
std::optional<std::string> module_mismatch(const CoreModuleInfo& want, const CoreModuleInfo& got);
/// True when {t} is a record, variant, enum, flags or resource.
bool sem_is_nominal(const SemPtr& t);
/// True when {t} or its parts name a record, variant, enum, flags or resource.
bool sem_has_nominal(const SemPtr& t);
/// The error for a type resolved as {t} past kMaxValueTypeDepth (value types), kMaxTypeDepth
/// or kMaxTypeSize, or nullopt.
std::optional<std::string> sem_limit_error(const SemPtr& t);

}  // namespace rill::component::detail
