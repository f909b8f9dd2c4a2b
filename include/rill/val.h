// Public value vocabulary of the embedding API: value/extern types, Val, Trap and TrapOr<T>.
// Nothing here depends on engine internals; handles (Func, Memory, ...) live in rill/extern.h.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rill {

/// A WebAssembly value type.
enum class ValType : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };

/// "i32", "f64", "funcref", ...
const char* to_string(ValType t);

/// A function signature.
struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;

  friend bool operator==(const FuncType&, const FuncType&) = default;
  /// "(i32, i32) -> i32"
  std::string to_string() const;
};

/// What an import or export names.
enum class ExternKind : uint8_t { Func, Table, Memory, Global };

/// "func", "table", "memory" or "global".
const char* to_string(ExternKind k);

/// A linear memory's limits, in 64 KiB pages.
struct MemoryType {
  uint64_t min = 0;
  std::optional<uint64_t> max;
};

/// A table's element type and limits, in elements.
struct TableType {
  ValType elem = ValType::FuncRef;
  uint64_t min = 0;
  std::optional<uint64_t> max;
};

/// A global's value type and mutability.
struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
};

/// One import of a module.
struct ImportType {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  FuncType func;      ///< kind == Func
  TableType table;    ///< kind == Table
  MemoryType memory;  ///< kind == Memory
  GlobalType global;  ///< kind == Global
};

/// One export of a module or instance.
struct ExportType {
  std::string name;
  ExternKind kind = ExternKind::Func;
};

/// A 128-bit SIMD value, lane 0 first (little-endian).
struct V128 {
  uint8_t bytes[16] = {};
  friend bool operator==(const V128& a, const V128& b) {
    return std::memcmp(a.bytes, b.bytes, 16) == 0;
  }
};

/// A typed WebAssembly value. References are opaque pointers (null = nullptr).
class Val {
 public:
  Val() = default;
  static Val from_i32(int32_t v) { return Val(ValType::I32, static_cast<uint32_t>(v)); }
  static Val from_i64(int64_t v) { return Val(ValType::I64, static_cast<uint64_t>(v)); }
  static Val from_f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return Val(ValType::F32, b);
  }
  static Val from_f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return Val(ValType::F64, b);
  }
  static Val from_f32_bits(uint32_t b) { return Val(ValType::F32, b); }
  static Val from_f64_bits(uint64_t b) { return Val(ValType::F64, b); }
  static Val from_v128(const V128& v) {
    Val x(ValType::V128, 0);
    x.v128_ = v;
    return x;
  }
  /// A reference of type {t} (FuncRef or ExternRef); {r} == nullptr is the null reference.
  static Val from_ref(ValType t, void* r) {
    Val x(t, 0);
    x.ref_ = r;
    return x;
  }
  /// The zero value of {t} (0, +0.0, all-zero v128, null reference).
  static Val zero(ValType t) { return Val(t, 0); }

  ValType type() const { return type_; }
  int32_t i32() const { return static_cast<int32_t>(static_cast<uint32_t>(bits_)); }
  int64_t i64() const { return static_cast<int64_t>(bits_); }
  uint32_t f32_bits() const { return static_cast<uint32_t>(bits_); }
  uint64_t f64_bits() const { return bits_; }
  float f32() const {
    float f;
    uint32_t b = f32_bits();
    std::memcpy(&f, &b, 4);
    return f;
  }
  double f64() const {
    double d;
    std::memcpy(&d, &bits_, 8);
    return d;
  }
  const V128& v128() const { return v128_; }
  void* ref() const { return ref_; }

 private:
  Val(ValType t, uint64_t bits) : type_(t), bits_(bits) {}

  ValType type_ = ValType::I32;
  uint64_t bits_ = 0;    ///< i32/f32 in the low 32 bits
  void* ref_ = nullptr;  ///< reference types
  V128 v128_;            ///< V128
};

/// Why execution stopped abnormally; messages equal the spec test suite's texts.
enum class TrapKind : uint8_t {
  Unreachable,          ///< "unreachable"
  MemoryOutOfBounds,    ///< "out of bounds memory access"
  TableOutOfBounds,     ///< "out of bounds table access"
  IndirectCallNull,     ///< "uninitialized element"
  IndirectCallBadSig,   ///< "indirect call type mismatch"
  UndefinedElement,     ///< "undefined element"
  IntegerDivideByZero,  ///< "integer divide by zero"
  IntegerOverflow,      ///< "integer overflow"
  InvalidConversion,    ///< "invalid conversion to integer"
  StackExhausted,       ///< "call stack exhausted"
  Interrupted,          ///< "interrupted" (the store's epoch deadline was reached)
  NullReference,        ///< "null reference"
  HostError,            ///< a host function failed; the message says why
  Exit,                 ///< a host function ended the program (e.g. proc_exit); see exit_code
  Component,            ///< a component-model trap (canonical ABI, handles, instance flags)
};

/// One wasm frame of a trap's backtrace.
struct Frame {
  uint32_t func_index = 0;
  std::string func_name;    ///< from the name section, or empty
  std::string module_name;  ///< from the name section, or empty
};

/// A trap: kind, message and the wasm frames active when it happened.
struct Trap {
  TrapKind kind = TrapKind::HostError;
  std::string message;
  int exit_code = 0;          ///< kind == Exit
  std::vector<Frame> frames;  ///< innermost first
  /// kind == Component: which component trap (the runtime's ComponentTrap kinds, whose texts
  /// are the component spec suite's; the message starts with that text).
  uint16_t component_code = 0;

  /// A HostError trap with {msg}; return it from a host function to abort the wasm caller.
  static Trap host(std::string msg) { return Trap{TrapKind::HostError, std::move(msg), 0, {}, 0}; }
  /// An Exit trap carrying {code}.
  static Trap exit(int code) { return Trap{TrapKind::Exit, "exit", code, {}, 0}; }
  /// One line per frame: "  0: module!func (func 3)".
  std::string backtrace() const;
  /// "wasm trap: <message>" followed by the backtrace lines.
  std::string to_string() const;
};

/// A value of type T or a Trap: what calls into wasm (and host functions that may fail) return.
template <class T>
class [[nodiscard]] TrapOr {
 public:
  TrapOr(T v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT(google-explicit-constructor)
  TrapOr(Trap t)
      : v_(std::in_place_index<1>, std::move(t)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Trap& trap() const& { return std::get<1>(v_); }
  Trap&& trap() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Trap> v_;
};

/// Success or a Trap.
template <>
class [[nodiscard]] TrapOr<void> {
 public:
  TrapOr() = default;
  TrapOr(Trap t) : trap_(std::move(t)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return !trap_.has_value(); }
  explicit operator bool() const { return has_value(); }
  const Trap& trap() const& { return *trap_; }
  Trap&& trap() && { return std::move(*trap_); }

 private:
  std::optional<Trap> trap_;
};

}  // namespace rill
