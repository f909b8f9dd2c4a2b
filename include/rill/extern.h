// Handles to runtime objects owned by a Store (Func, Memory, Table, Global) and the Caller a host
// function receives. A handle is two pointers, cheap to copy, and valid while its Store lives.
// Typed calls and typed host functions (templates) are in rill/typed.h.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "rill/base/result.h"
#include "rill/val.h"

namespace rill::engine {
struct Function;
class Memory;
class Table;
struct Global;
struct Caller;
}  // namespace rill::engine

namespace rill {

class Caller;
class Store;
template <class Sig>
class TypedFunc;

namespace detail {
struct StoreImpl;
struct Access;
}  // namespace detail

/// An untyped host function: reads {args}, writes every entry of {results} (already sized to the
/// function type, each preset to the zero value of its type). Return a Trap to abort the caller.
using HostCallback = std::function<
    std::optional<Trap>(Caller& caller, std::span<const Val> args, std::span<Val> results)>;

/// A function instance: wasm code of an instance or a host function.
class Func {
 public:
  /// The function's signature.
  FuncType type() const;
  /// Call with dynamically typed {args}; a count or type mismatch is a HostError trap.
  TrapOr<std::vector<Val>> call(std::span<const Val> args) const;
  TrapOr<std::vector<Val>> call(std::initializer_list<Val> args) const {
    return call(std::span<const Val>(args.begin(), args.size()));
  }
  /// A statically typed view, e.g. typed<int32_t(int32_t)>(); an Error when the signature differs.
  template <class Sig>
  Result<TypedFunc<Sig>> typed() const;

  /// A host function in {store} whose wasm type is deduced from the C++ callable {f} (see typed.h).
  template <class F>
  static Func wrap(Store& store, F&& f);
  /// A host function in {store} with an explicit {type}.
  static Func create(Store& store, FuncType type, HostCallback cb);

  /// This function as a funcref value.
  Val to_val() const { return Val::from_ref(ValType::FuncRef, fn_); }
  /// The function a non-null funcref {v} obtained from {store} refers to.
  static std::optional<Func> from_val(Store& store, const Val& v);

  friend bool operator==(const Func& a, const Func& b) { return a.fn_ == b.fn_; }

 private:
  friend struct detail::Access;
  template <class Sig>
  friend class TypedFunc;
  Func(detail::StoreImpl* s, engine::Function* f) : store_(s), fn_(f) {}

  detail::StoreImpl* store_ = nullptr;
  engine::Function* fn_ = nullptr;
};

/// A linear memory. Its base address never moves (growing only maps more of a fixed reservation),
/// so spans stay valid while the memory lives; their length is only what was in bounds then.
class Memory {
 public:
  /// Base address of the memory.
  uint8_t* data() const;
  /// Current size in bytes.
  uint64_t size() const;
  /// Current size in 64 KiB pages.
  uint64_t pages() const;
  /// Current type (min = current size).
  MemoryType type() const;
  /// The whole memory.
  std::span<uint8_t> span() const { return {data(), static_cast<size_t>(size())}; }
  /// The bytes [offset, offset+len), or an "out of bounds memory access" Error.
  Result<std::span<uint8_t>> span(uint64_t offset, uint64_t len) const;
  /// Copy out.size() bytes at {offset} into {out}.
  Result<void> read(uint64_t offset, std::span<uint8_t> out) const;
  /// Copy {in} to {offset}.
  Result<void> write(uint64_t offset, std::span<const uint8_t> in) const;
  /// Read {len} bytes at {offset} as a string.
  Result<std::string> read_string(uint64_t offset, uint64_t len) const;
  /// Load a trivially copyable T (little-endian, unaligned) at {offset}.
  template <class T>
  Result<T> load(uint64_t offset) const {
    static_assert(std::is_trivially_copyable_v<T>);
    T v;
    auto r = read(offset, std::span<uint8_t>(reinterpret_cast<uint8_t*>(&v), sizeof(T)));
    if (!r)
      return std::move(r).error();
    return v;
  }
  /// Store a trivially copyable T at {offset}.
  template <class T>
  Result<void> store(uint64_t offset, const T& v) const {
    static_assert(std::is_trivially_copyable_v<T>);
    return write(offset, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&v), sizeof(T)));
  }
  /// Grow by {delta} pages: the old size in pages, or nullopt (past the maximum or the limit).
  std::optional<uint64_t> grow(uint64_t delta) const;

  friend bool operator==(const Memory& a, const Memory& b) { return a.mem_ == b.mem_; }

 private:
  friend struct detail::Access;
  Memory(detail::StoreImpl* s, engine::Memory* m) : store_(s), mem_(m) {}

  detail::StoreImpl* store_ = nullptr;
  engine::Memory* mem_ = nullptr;
};

/// A table of references.
class Table {
 public:
  /// Current type (min = current size).
  TableType type() const;
  /// Number of elements.
  uint32_t size() const;
  /// Element {index}, or nullopt when out of bounds.
  std::optional<Val> get(uint32_t index) const;
  /// Set element {index}; an Error when out of bounds or {v} has the wrong type.
  Result<void> set(uint32_t index, const Val& v) const;
  /// Grow by {delta} elements filled with {init}: the old size, or nullopt.
  std::optional<uint32_t> grow(uint32_t delta, const Val& init) const;

  friend bool operator==(const Table& a, const Table& b) { return a.table_ == b.table_; }

 private:
  friend struct detail::Access;
  Table(detail::StoreImpl* s, engine::Table* t) : store_(s), table_(t) {}

  detail::StoreImpl* store_ = nullptr;
  engine::Table* table_ = nullptr;
};

/// A global variable.
class Global {
 public:
  GlobalType type() const;
  Val get() const;
  /// Set the value; an Error when the global is immutable or {v} has the wrong type.
  Result<void> set(const Val& v) const;

  friend bool operator==(const Global& a, const Global& b) { return a.global_ == b.global_; }

 private:
  friend struct detail::Access;
  Global(detail::StoreImpl* s, engine::Global* g) : store_(s), global_(g) {}

  detail::StoreImpl* store_ = nullptr;
  engine::Global* global_ = nullptr;
};

/// Anything an import can be satisfied with or an export can name.
using Extern = std::variant<Func, Memory, Table, Global>;

/// The kind of {e}.
inline ExternKind kind_of(const Extern& e) {
  switch (e.index()) {
    case 0:
      return ExternKind::Func;
    case 1:
      return ExternKind::Memory;
    case 2:
      return ExternKind::Table;
    default:
      return ExternKind::Global;
  }
}

/// What a host function sees of its caller: the calling instance's memories and exports.
/// Valid only during the host call it was passed to.
class Caller {
 public:
  /// The calling instance's memory {idx}, or nullopt (no memory, or called from the host).
  std::optional<Memory> memory(uint32_t idx = 0) const;
  /// An export of the calling instance, or nullopt.
  std::optional<Extern> get_export(std::string_view name) const;

 private:
  friend struct detail::Access;
  Caller(detail::StoreImpl* s, engine::Caller* c) : store_(s), caller_(c) {}

  detail::StoreImpl* store_ = nullptr;
  engine::Caller* caller_ = nullptr;
};

}  // namespace rill
