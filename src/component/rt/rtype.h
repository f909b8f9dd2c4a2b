// Runtime value types: a component's value types with every index resolved, resource types
// bound to their runtime identity, and the canonical ABI's layout (definitions.py: alignment,
// elem_size, flatten_type, discriminant_type) computed once when the type is built.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rill/wasm/types.h"

namespace rill::engine {
struct Function;
}

namespace rill::component::rt {

struct ComponentInstanceRt;

/// A resource type at run time (definitions.py ResourceType): each `(resource ...)` definition
/// evaluated by an instantiation, or a host-defined resource. Identity is the object's address.
struct ResourceTypeRt {
  ComponentInstanceRt* impl = nullptr;  ///< the defining instance; null for a host resource
  engine::Function* dtor = nullptr;     ///< core destructor (guest resources)
  std::function<void(uint32_t rep)> host_dtor;  ///< host resources
  std::string name;                     ///< for messages
};

/// The constructors, after despecialization keeps its own kind for messages and values.
enum class TK : uint8_t {
  Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String, ErrorContext,
  List, FixedList, Record, Tuple, Variant, Enum, Option, Result, Flags, Own, Borrow,
  Stream, Future, Map,
};

struct RType;
using RTypePtr = std::shared_ptr<const RType>;

/// A resolved value type with its canonical-ABI layout (32-bit pointers).
struct RType {
  TK kind = TK::Bool;
  /// List/FixedList/Stream/Future: [elem] (null: no element type); Record/Tuple: the fields;
  /// Variant/Enum/Option/Result: one entry per case, null when the case has no payload
  /// (Option: none, some; Result: ok, error); Map: [tuple<k, v>].
  std::vector<RTypePtr> elems;
  /// Record fields, Variant/Enum cases, Flags; Option "none","some", Result "ok","error".
  std::vector<std::string> labels;
  uint32_t length = 0;                          ///< FixedList
  std::shared_ptr<const ResourceTypeRt> resource;  ///< Own/Borrow

  // Layout (ptr_type i32).
  uint32_t size = 0;
  uint32_t align = 1;
  std::vector<wasm::ValType> flat;      ///< flatten_type
  std::vector<uint32_t> offsets;        ///< Record/Tuple: field offsets
  uint8_t disc_size = 0;                ///< variant-like: discriminant bytes
  uint32_t payload_offset = 0;          ///< variant-like: offset of the payload
  bool has_borrow = false;              ///< contains_borrow
  bool has_own = false;                 ///< contains an own handle

  bool variant_like() const {
    return kind == TK::Variant || kind == TK::Enum || kind == TK::Option || kind == TK::Result;
  }
  bool record_like() const { return kind == TK::Record || kind == TK::Tuple; }
  bool list_like() const { return kind == TK::List || kind == TK::Map; }
};

/// The shared instance of a primitive type.
RTypePtr prim(TK k);

/// Builders: each computes the layout of the new type.
RTypePtr make_list(RTypePtr elem);
RTypePtr make_fixed_list(RTypePtr elem, uint32_t length);
RTypePtr make_record(std::vector<std::string> labels, std::vector<RTypePtr> fields);
RTypePtr make_tuple(std::vector<RTypePtr> fields);
/// Variant, Enum, Option or Result from per-case labels and payloads.
RTypePtr make_variant(TK kind, std::vector<std::string> labels, std::vector<RTypePtr> payloads);
RTypePtr make_flags(std::vector<std::string> labels);
RTypePtr make_handle(TK kind, std::shared_ptr<const ResourceTypeRt> resource);
RTypePtr make_async(TK kind, RTypePtr elem);
RTypePtr make_map(RTypePtr key, RTypePtr value);

/// A resolved function type.
struct FuncTypeRt {
  bool async = false;
  std::vector<std::string> param_names;
  std::vector<RTypePtr> params;
  RTypePtr result;  ///< null: no result
  /// The tuple of the parameters / of the result (for the spilled, in-memory forms).
  RTypePtr params_tuple;
  RTypePtr results_tuple;
  std::vector<wasm::ValType> flat_params;   ///< flatten_types(params)
  std::vector<wasm::ValType> flat_results;  ///< flatten_types(result)
  bool params_borrow = false;  ///< some parameter contains a borrow
};
using FuncTypePtr = std::shared_ptr<const FuncTypeRt>;
FuncTypePtr make_func_type(bool async, std::vector<std::string> names, std::vector<RTypePtr> params,
                           RTypePtr result);

inline constexpr uint32_t kMaxFlatParams = 16;
inline constexpr uint32_t kMaxFlatResults = 1;

/// WIT-like text of a type ("list<u32>", "record { a: u8 }"), for messages.
std::string to_string(const RType& t);
std::string to_string(const FuncTypeRt& t);
/// Why {got} is not usable where {want} is expected (component-model subtyping: same shape,
/// labels and resources), or nullopt when it is.
std::optional<std::string> type_mismatch(const RType& want, const RType& got);
std::optional<std::string> func_type_mismatch(const FuncTypeRt& want, const FuncTypeRt& got);

}  // namespace rill::component::rt
