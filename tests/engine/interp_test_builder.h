// A tiny wasm module builder for the interpreter tests: types, imported/defined functions,
// memory, table, globals, element segments and exports, encoded to bytes. Function bodies are
// byte lists written with the opcode constants below (see interp_exec_test.cpp for examples).
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rill/engine/engine.h"
#include "rill/engine/interp/interp.h"
#include "rill/engine/store.h"

namespace rill::interp_test {

using Bytes = std::vector<uint8_t>;

// Value types and opcodes used by the tests.
inline constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, FUNCREF = 0x70;
enum : uint8_t {
  kUnreachable = 0x00, kNop = 0x01, kBlock = 0x02, kLoop = 0x03, kIf = 0x04, kElse = 0x05, kEnd = 0x0b,
  kBr = 0x0c, kBrIf = 0x0d, kBrTable = 0x0e, kReturn = 0x0f, kCall = 0x10, kCallIndirect = 0x11,
  kReturnCall = 0x12, kDrop = 0x1a, kSelect = 0x1b, kLocalGet = 0x20, kLocalSet = 0x21, kLocalTee = 0x22,
  kGlobalGet = 0x23, kGlobalSet = 0x24, kI32Load = 0x28, kI64Load = 0x29, kI32Load8U = 0x2d,
  kI32Store = 0x36, kI64Store = 0x37, kI32Store8 = 0x3a, kI32Store16 = 0x3b, kMemorySize = 0x3f, kMemoryGrow = 0x40,
  kI32Const = 0x41, kI64Const = 0x42, kF32Const = 0x43, kF64Const = 0x44, kI32Eqz = 0x45, kI32Eq = 0x46,
  kI32Ne = 0x47, kI32LtS = 0x48, kI32LtU = 0x49, kI32GtS = 0x4a, kI32GtU = 0x4b, kI32LeS = 0x4c,
  kI32GeS = 0x4e, kI64Eqz = 0x50, kI64LtS = 0x53, kI32Add = 0x6a, kI32Sub = 0x6b, kI32Mul = 0x6c,
  kI32DivS = 0x6d, kI32DivU = 0x6e, kI32RemS = 0x6f, kI32And = 0x71, kI32Xor = 0x73, kI32Shl = 0x74,
  kI32ShrU = 0x76, kI64Add = 0x7c,
  kI64Sub = 0x7d, kI64Mul = 0x7e, kI64Xor = 0x85, kF64Add = 0xa0, kF64Sub = 0xa1, kF64Mul = 0xa2, kF64Min = 0xa4, kI32TruncF64S = 0xaa,
  kPrefixFC = 0xfc, kPrefixFD = 0xfd,
};
inline constexpr uint8_t kVoid = 0x40;  ///< empty block type

/// Unsigned LEB128.
inline Bytes leb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
  return out;
}
/// Signed LEB128.
inline Bytes sleb(int64_t v) {
  Bytes out;
  for (;;) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    const bool done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
    if (!done) b |= 0x80;
    out.push_back(b);
    if (done) return out;
  }
}

/// Concatenates byte pieces: code({kLocalGet, 0}, i32c(5), {kI32Add}).
inline Bytes code(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
inline Bytes i32c(int32_t v) { return code({{kI32Const}, sleb(v)}); }
inline Bytes i64c(int64_t v) { return code({{kI64Const}, sleb(v)}); }

class ModuleBuilder {
 public:
  uint32_t type(Bytes params, Bytes results) {
    Bytes t = {0x60};
    append(t, leb(params.size()));
    append(t, params);
    append(t, leb(results.size()));
    append(t, results);
    types_.push_back(std::move(t));
    return static_cast<uint32_t>(types_.size() - 1);
  }
  /// Imports must come before defined functions (they take the first indices).
  uint32_t import_func(const std::string& module, const std::string& name, uint32_t type) {
    Bytes e;
    append(e, str(module));
    append(e, str(name));
    e.push_back(0x00);
    append(e, leb(type));
    imports_.push_back(std::move(e));
    return num_imported_++;
  }
  /// {locals}: one type byte per local. {body} excludes the final `end`.
  uint32_t func(uint32_t type, Bytes locals, Bytes body, const std::string& export_name = "") {
    const uint32_t index = num_imported_ + static_cast<uint32_t>(funcs_.size());
    funcs_.push_back(type);
    Bytes b;
    append(b, leb(locals.size()));
    for (uint8_t t : locals) {
      b.push_back(1);
      b.push_back(t);
    }
    append(b, body);
    b.push_back(kEnd);
    bodies_.push_back(std::move(b));
    if (!export_name.empty()) export_func(export_name, index);
    return index;
  }
  void export_func(const std::string& name, uint32_t index) {
    Bytes e = str(name);
    e.push_back(0x00);
    append(e, leb(index));
    exports_.push_back(std::move(e));
  }
  void memory(uint32_t min_pages, std::optional<uint32_t> max_pages = std::nullopt) {
    memory_ = Bytes{static_cast<uint8_t>(max_pages ? 1 : 0)};
    append(*memory_, leb(min_pages));
    if (max_pages) append(*memory_, leb(*max_pages));
  }
  /// Table 0 (replaces an earlier one; add_table adds more).
  void table(uint32_t min) {
    if (tables_.empty()) tables_.emplace_back();
    tables_[0] = Bytes{FUNCREF, 0x00};
    append(tables_[0], leb(min));
  }
  /// Another funcref table; returns its index.
  uint32_t add_table(uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    Bytes t = {FUNCREF, static_cast<uint8_t>(max ? 1 : 0)};
    append(t, leb(min));
    if (max) append(t, leb(*max));
    tables_.push_back(std::move(t));
    return static_cast<uint32_t>(tables_.size() - 1);
  }
  /// A mutable or immutable global with a constant initialiser ({init} without `end`).
  uint32_t global(uint8_t type, bool mut, Bytes init) {
    Bytes g = {type, static_cast<uint8_t>(mut ? 1 : 0)};
    append(g, init);
    g.push_back(kEnd);
    globals_.push_back(std::move(g));
    return static_cast<uint32_t>(globals_.size() - 1);
  }
  /// Active element segment for table 0 at {offset}.
  void elem(uint32_t offset, std::vector<uint32_t> funcs) {
    Bytes e = {0x00};
    append(e, i32c(static_cast<int32_t>(offset)));
    e.push_back(kEnd);
    append(e, leb(funcs.size()));
    for (uint32_t f : funcs) append(e, leb(f));
    elems_.push_back(std::move(e));
  }

  Bytes build() const {
    Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    section(out, 1, types_);
    section(out, 2, imports_);
    std::vector<Bytes> fs;
    for (uint32_t t : funcs_) fs.push_back(leb(t));
    section(out, 3, fs);
    section(out, 4, tables_);
    if (memory_) section(out, 5, {*memory_});
    section(out, 6, globals_);
    section(out, 7, exports_);
    section(out, 9, elems_);
    std::vector<Bytes> bodies;
    for (const Bytes& b : bodies_) bodies.push_back(code({leb(b.size()), b}));
    section(out, 10, bodies);
    return out;
  }

 private:
  static void append(Bytes& to, const Bytes& from) { to.insert(to.end(), from.begin(), from.end()); }
  static Bytes str(const std::string& s) {
    Bytes b = leb(s.size());
    b.insert(b.end(), s.begin(), s.end());
    return b;
  }
  static void section(Bytes& out, uint8_t id, const std::vector<Bytes>& items) {
    if (items.empty()) return;
    Bytes body = leb(items.size());
    for (const Bytes& i : items) append(body, i);
    out.push_back(id);
    append(out, leb(body.size()));
    append(out, body);
  }

  std::vector<Bytes> types_, imports_, bodies_, exports_, globals_, elems_, tables_;
  std::vector<uint32_t> funcs_;
  std::optional<Bytes> memory_;
  uint32_t num_imported_ = 0;
};

/// An engine + store + one instance of a module, with helpers to call exports.
struct Harness {
  engine::Engine engine;
  engine::Store store{engine};
  engine::Instance* instance = nullptr;
  std::string error;  ///< compile / link error, or the start function's trap

  explicit Harness(engine::Config config = {}) : engine(config) {}

  /// Compiles and instantiates {bytes} with {imports}; false (and {error}) on failure.
  bool load(const Bytes& bytes, std::vector<engine::Extern> imports = {}) {
    auto compiled = engine.compile(bytes);
    if (!compiled) {
      error = compiled.error().to_string();
      return false;
    }
    engine::InstantiateResult r = store.instantiate(*compiled, imports);
    if (r.link_error) error = r.link_error->to_string();
    if (r.trap) error = r.trap->to_string();
    instance = r.instance;
    return instance != nullptr && !r.link_error && !r.trap;
  }

  engine::Function* func(const std::string& name) const {
    auto e = instance->get_export(name);
    if (!e) return nullptr;
    auto* f = std::get_if<engine::Function*>(&*e);
    return f != nullptr ? *f : nullptr;
  }

  /// Calls export {name}; the trap, if any, in {trap}.
  std::vector<engine::Value> call(const std::string& name, std::vector<engine::Value> args,
                                  std::optional<engine::Trap>* trap = nullptr) {
    std::vector<engine::Value> results;
    engine::Function* f = func(name);
    if (f == nullptr) {
      if (trap != nullptr) *trap = engine::Trap::host("no export " + name);
      return results;
    }
    std::optional<engine::Trap> t = store.call(f, args, results);
    if (trap != nullptr) *trap = t;
    return results;
  }
};

inline engine::Value vi32(int32_t v) { return engine::Value::from_i32(static_cast<uint32_t>(v)); }
inline engine::Value vi64(int64_t v) { return engine::Value::from_i64(static_cast<uint64_t>(v)); }
inline engine::Value vf64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  return engine::Value::from_f64_bits(bits);
}

}  // namespace rill::interp_test
