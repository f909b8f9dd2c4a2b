// The type model of a decoded component (Binary.md "Type Definitions"): value types, function,
// component, instance and resource types, and core types (functions and module types).
// Only structure lives here; whether an index names the right kind of type is the validator's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "rill/wasm/types.h"

namespace rill::component {

/// Typed indices into a component's index spaces (spec: typeidx, funcidx, core:funcidx, ...).
enum class TypeIdx : uint32_t {};
enum class FuncIdx : uint32_t {};
enum class ValueIdx : uint32_t {};
enum class InstanceIdx : uint32_t {};
enum class ComponentIdx : uint32_t {};
enum class CoreTypeIdx : uint32_t {};
enum class CoreFuncIdx : uint32_t {};
enum class CoreTableIdx : uint32_t {};
enum class CoreMemIdx : uint32_t {};
enum class CoreModuleIdx : uint32_t {};
enum class CoreInstanceIdx : uint32_t {};

/// The number of a typed index.
template <class E>
constexpr uint32_t idx(E e) {
  return static_cast<uint32_t>(e);
}

/// primvaltype; enumerators are the binary opcodes.
enum class PrimValType : uint8_t {
  Bool = 0x7f,
  S8 = 0x7e,
  U8 = 0x7d,
  S16 = 0x7c,
  U16 = 0x7b,
  S32 = 0x7a,
  U32 = 0x79,
  S64 = 0x78,
  U64 = 0x77,
  F32 = 0x76,
  F64 = 0x75,
  Char = 0x74,
  String = 0x73,
  ErrorContext = 0x64,
};

/// "bool", "s8", ..., "error-context" (the text format's spelling).
const char* to_string(PrimValType t);
/// True when {byte} is the opcode of a primvaltype.
bool is_prim_val_type(uint8_t byte);

/// valtype: a primitive type or an index into the type index space.
class ValType {
 public:
  constexpr ValType() = default;
  static constexpr ValType prim(PrimValType p) { return ValType(true, static_cast<uint32_t>(p)); }
  static constexpr ValType index(TypeIdx i) { return ValType(false, idx(i)); }

  constexpr bool is_prim() const { return prim_; }
  /// Only meaningful when is_prim().
  constexpr PrimValType prim_type() const { return static_cast<PrimValType>(bits_); }
  /// Only meaningful when !is_prim().
  constexpr TypeIdx type_index() const { return TypeIdx{bits_}; }

  friend constexpr bool operator==(ValType, ValType) = default;

 private:
  constexpr ValType(bool prim, uint32_t bits) : prim_(prim), bits_(bits) {}
  bool prim_ = true;
  uint32_t bits_ = static_cast<uint32_t>(PrimValType::Bool);
};

/// A label with its value type (record fields, function parameters).
struct LabeledValType {
  std::string label;
  ValType type;
  friend bool operator==(const LabeledValType&, const LabeledValType&) = default;
};

/// (record (field l t)+); emptiness is a validation error.
struct RecordType {
  std::vector<LabeledValType> fields;
};
/// One case of a variant; the payload type is optional.
struct VariantCase {
  std::string label;
  std::optional<ValType> type;
};
/// (variant (case l t?)+).
struct VariantType {
  std::vector<VariantCase> cases;
};
/// (list t) or, with {length}, the fixed-size (list t len) of opcode 0x67.
struct ListType {
  ValType elem;
  std::optional<uint32_t> length;
};
/// (tuple t+).
struct TupleType {
  std::vector<ValType> types;
};
/// (flags l+); more than 32 is a validation error.
struct FlagsType {
  std::vector<std::string> labels;
};
/// (enum l+).
struct EnumType {
  std::vector<std::string> labels;
};
/// (option t).
struct OptionType {
  ValType type;
};
/// (result t? (error u)?).
struct ResultType {
  std::optional<ValType> ok;
  std::optional<ValType> err;
};
/// (own i): an owned handle to resource type {resource}.
struct OwnType {
  TypeIdx resource;
};
/// (borrow i): a borrowed handle to resource type {resource}.
struct BorrowType {
  TypeIdx resource;
};
/// (stream t?); no element type is a stream of bare readiness signals.
struct StreamType {
  std::optional<ValType> elem;
};
/// (future t?).
struct FutureType {
  std::optional<ValType> elem;
};
/// 🗺️ (map k v); whether {key} is a keytype is a validation rule.
struct MapType {
  ValType key;
  ValType value;
};

/// defvaltype: a primitive or one of the type constructors.
using DefValType =
    std::variant<PrimValType, RecordType, VariantType, ListType, TupleType, FlagsType, EnumType,
                 OptionType, ResultType, OwnType, BorrowType, StreamType, FutureType, MapType>;

/// functype (0x40, or 0x43 for `async`). {result} is absent for the empty result list.
struct FuncType {
  bool async = false;
  std::vector<LabeledValType> params;
  std::optional<ValType> result;
};

/// resourcetype: (resource (rep t) (dtor f)?).
struct ResourceType {
  wasm::ValType rep;
  std::optional<CoreFuncIdx> dtor;
};

/// core:sort; enumerators are the binary opcodes.
enum class CoreSort : uint8_t {
  Func = 0x00,
  Table = 0x01,
  Memory = 0x02,
  Global = 0x03,
  Tag = 0x04,
  Type = 0x10,
  Module = 0x11,
  Instance = 0x12,
};

/// The component-level sort; Core carries a CoreSort alongside.
enum class SortKind : uint8_t {
  Core = 0x00,
  Func = 0x01,
  Value = 0x02,
  Type = 0x03,
  Component = 0x04,
  Instance = 0x05,
};

/// sort: a component sort or `core` with a core sort.
struct Sort {
  SortKind kind = SortKind::Func;
  CoreSort core = CoreSort::Func;  ///< only when kind == Core
  friend bool operator==(const Sort&, const Sort&) = default;
};

/// "func", "core module", ... (the text format's spelling).
std::string to_string(Sort s);
const char* to_string(CoreSort s);

/// sortidx / core:sortidx: an index into the index space of {sort}.
struct SortIdx {
  Sort sort;
  uint32_t index = 0;
};
/// core:sortidx.
struct CoreSortIdx {
  CoreSort sort = CoreSort::Func;
  uint32_t index = 0;
};

/// One `attribute` of a `nameattributes` (0x02 form).
struct NameAttribute {
  enum class Kind : uint8_t {
    Implements = 0x00,     ///< (implements "interfacename")
    VersionSuffix = 0x01,  ///< (versionsuffix "semversuffix")
    ExternalId = 0x02,     ///< (external-id "name")
  };
  Kind kind = Kind::Implements;
  std::string value;
  uint64_t offset = 0;  ///< of the attribute's opcode
};

/// nameattributes: an import/export name with its attributes. The name's grammar is not checked
/// here (that is a validation error, see names.h); only that it is well-formed UTF-8.
struct ExternName {
  std::string name;
  uint8_t form = 0;  ///< the leading byte: 0x00, 0x01 (same meaning) or 0x02 (with attributes)
  std::vector<NameAttribute> attributes;
  uint64_t offset = 0;  ///< of the nameattributes (its leading byte)
};

/// typebound: (eq i) or (sub resource).
struct TypeBound {
  enum class Kind : uint8_t { Eq = 0x00, SubResource = 0x01 };
  Kind kind = Kind::SubResource;
  TypeIdx index{};  ///< Eq only
};

/// valuebound: (eq i) or a value type.
struct ValueBound {
  enum class Kind : uint8_t { Eq = 0x00, Type = 0x01 };
  Kind kind = Kind::Type;
  ValueIdx index{};  ///< Eq only
  ValType type;      ///< Type only
};

/// externtype's discriminant; enumerators are the binary opcodes.
enum class ExternKind : uint8_t {
  CoreModule = 0x00,  ///< (core module (type i)): {index} is a core type index
  Func = 0x01,
  Value = 0x02,
  Type = 0x03,
  Component = 0x04,
  Instance = 0x05,
};

/// "module", "func", "value", "type", "component" or "instance".
const char* to_string(ExternKind k);

/// externtype: what an import or export declares.
struct ExternType {
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;      ///< the type index (core type index for CoreModule); not for Value/Type
  TypeBound type_bound;    ///< Type only
  ValueBound value_bound;  ///< Value only
};

/// importdecl / exportdecl.
struct ExternDecl {
  ExternName name;
  ExternType type;
};

/// Where an alias points (Binary.md "Alias Definitions").
enum class AliasKind : uint8_t {
  Export = 0x00,      ///< (alias export i n): instance {instance}'s export {name}
  CoreExport = 0x01,  ///< (alias core export i n)
  Outer = 0x02,       ///< (alias outer ct idx): {count} scopes out, index {index}
};

/// alias (and core:alias, whose sort is always core type and kind always Outer).
struct Alias {
  Sort sort;
  AliasKind kind = AliasKind::Export;
  uint32_t instance = 0;  ///< Export, CoreExport
  std::string name;       ///< Export, CoreExport
  uint32_t count = 0;     ///< Outer
  uint32_t index = 0;     ///< Outer
};

// Core types. A module type's declarations may hold further core types.
struct ModuleDecl;

/// core:moduletype: (module md*).
struct ModuleType {
  std::vector<ModuleDecl> decls;
};

/// A packed field storage type of WebAssembly 3.0 (GC); enumerators are the binary opcodes.
enum class PackedType : uint8_t { I8 = 0x78, I16 = 0x77 };

/// fieldtype: a storage type (value or packed) and its mutability.
struct CoreFieldType {
  std::variant<wasm::ValType, PackedType> storage;
  bool mut = false;
};
/// struct (0x5f): its fields.
struct CoreStructType {
  std::vector<CoreFieldType> fields;
};
/// array (0x5e): its element field.
struct CoreArrayType {
  CoreFieldType elem;
};
/// comptype: func (0x60), struct (0x5f) or array (0x5e).
using CoreCompType = std::variant<wasm::FuncType, CoreStructType, CoreArrayType>;

/// subtype: a composite type with its declared supertypes; `final` unless written `sub`.
struct CoreSubType {
  bool final = true;
  std::vector<CoreTypeIdx> supertypes;
  CoreCompType comp;
};

/// rectype: a recursion group (0x4e), or the one-element group of a lone subtype.
struct CoreRecType {
  std::vector<CoreSubType> types;
  bool explicit_group = false;  ///< written as (rec ...)
};

/// core:type: a plain function type (0x60, the common case), a WebAssembly 3.0 rectype of any
/// other form, or a module type.
struct CoreType {
  std::variant<wasm::FuncType, CoreRecType, ModuleType> type;
  uint64_t offset = 0;
};

/// core:import / the type of a core:exportdecl.
struct CoreExternType {
  wasm::ExternKind kind = wasm::ExternKind::Func;
  CoreTypeIdx func_type{};  ///< Func, Tag
  wasm::TableType table;    ///< Table
  wasm::MemoryType memory;  ///< Memory
  wasm::GlobalType global;  ///< Global
};

/// core:import in a module type: (import "module" "name" type).
struct CoreImportDecl {
  std::string module;
  std::string name;
  CoreExternType type;
};
/// core:exportdecl: (export "name" type).
struct CoreExportDecl {
  std::string name;
  CoreExternType type;
};

/// core:moduledecl.
struct ModuleDecl {
  std::variant<CoreImportDecl, CoreType, Alias, CoreExportDecl> decl;
  uint64_t offset = 0;
};

// Component and instance types. Their declarations may hold further types.
struct TypeDecl;

/// componenttype: (component cd*). Imports appear only here.
struct ComponentType {
  std::vector<TypeDecl> decls;
};
/// instancetype: (instance id*).
struct InstanceType {
  std::vector<TypeDecl> decls;
};

/// type / deftype.
struct Type {
  std::variant<DefValType, FuncType, ComponentType, InstanceType, ResourceType> type;
  uint64_t offset = 0;
};

/// componentdecl / instancedecl.
struct TypeDecl {
  enum class Kind : uint8_t {
    CoreType = 0x00,
    Type = 0x01,
    Alias = 0x02,
    Import = 0x03,  ///< componenttype only
    Export = 0x04,
  };
  Kind kind = Kind::Type;
  std::variant<CoreType, Type, Alias, ExternDecl> decl;
  uint64_t offset = 0;
};

}  // namespace rill::component
