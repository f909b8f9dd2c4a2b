// Value, function, table, memory and global types of a core module.
// ValType is one 32-bit word so typed references (a heap type index) can be added without
// changing every signature; today only the WebAssembly 2.0 types are produced by the decoder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rill::wasm {

/// Typed indices into a module's index spaces (spec: typeidx, funcidx, ...).
enum class TypeIdx : uint32_t {};
enum class FuncIdx : uint32_t {};
enum class TableIdx : uint32_t {};
enum class MemIdx : uint32_t {};
enum class GlobalIdx : uint32_t {};
enum class ElemIdx : uint32_t {};
enum class DataIdx : uint32_t {};
enum class LocalIdx : uint32_t {};
enum class LabelIdx : uint32_t {};

template <class E>
constexpr uint32_t idx(E e) { return static_cast<uint32_t>(e); }

/// Kinds of value type. Values match the binary encoding's type byte where one exists.
enum class ValKind : uint8_t {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
  /// Validator-only: the unknown type of an unreachable stack slot.
  Bot = 0x00,
};

/// A value type. Cheap to copy and compare.
class ValType {
 public:
  constexpr ValType() = default;
  constexpr ValType(ValKind k) : kind_(k) {}  // NOLINT(google-explicit-constructor)

  constexpr ValKind kind() const { return kind_; }
  constexpr bool is_num() const {
    return kind_ == ValKind::I32 || kind_ == ValKind::I64 || kind_ == ValKind::F32 || kind_ == ValKind::F64;
  }
  constexpr bool is_vec() const { return kind_ == ValKind::V128; }
  constexpr bool is_ref() const { return kind_ == ValKind::FuncRef || kind_ == ValKind::ExternRef; }
  /// Number of 8-byte interpreter slots a value of this type occupies.
  constexpr uint32_t slots() const { return kind_ == ValKind::V128 ? 2 : 1; }

  friend constexpr bool operator==(ValType a, ValType b) { return a.kind_ == b.kind_; }

 private:
  ValKind kind_ = ValKind::Bot;
};

inline constexpr ValType kI32{ValKind::I32};
inline constexpr ValType kI64{ValKind::I64};
inline constexpr ValType kF32{ValKind::F32};
inline constexpr ValType kF64{ValKind::F64};
inline constexpr ValType kV128{ValKind::V128};
inline constexpr ValType kFuncRef{ValKind::FuncRef};
inline constexpr ValType kExternRef{ValKind::ExternRef};

/// "i32", "funcref", ...
const char* to_string(ValType t);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};
std::string to_string(const FuncType& t);

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;
};

struct TableType {
  ValType elem = kFuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;
};

struct GlobalType {
  ValType type;
  bool mut = false;
};

/// What an import or export names.
enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
const char* to_string(ExternKind k);

/// Page size of a linear memory (64 KiB) and the 32-bit page limit.
inline constexpr uint64_t kPageSize = 65536;
inline constexpr uint64_t kMaxPages32 = 65536;
/// Largest table size the engine accepts (validation limit is 2^32-1; this is the runtime cap).
inline constexpr uint64_t kMaxTableSize = 10'000'000;

}  // namespace rill::wasm
