// The immutable, decoded form of a core module. Function bodies stay as spans into {bytes}
// until the engine validates and translates them; nothing here knows about stores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rill/wasm/instr.h"
#include "rill/wasm/types.h"

namespace rill::wasm {

/// A constant expression (global init, segment offsets, element items), pre-decoded.
/// Holds the instruction sequence without the final `end`.
struct ConstExpr {
  std::vector<Instr> code;
  uint64_t offset = 0;  ///< file offset of the first instruction
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  ///< kind == Func: type index
  TableType table;         ///< kind == Table
  MemoryType memory;       ///< kind == Memory
  GlobalType global;       ///< kind == Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t table = 0;
  ConstExpr offset;            ///< Active only
  ValType type = kFuncRef;
  std::vector<ConstExpr> items;  ///< one expression per element (ref.func N for the index form)
  uint64_t decl_offset = 0;
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t memory = 0;
  ConstExpr offset;          ///< Active only
  uint64_t data_offset = 0;  ///< offset of the bytes within Module::bytes
  uint32_t size = 0;
};

/// One run of locals of the same type, as declared (`count` times `type`).
struct LocalDecl {
  uint32_t count = 0;
  ValType type;
  friend bool operator==(const LocalDecl&, const LocalDecl&) = default;
};

/// A defined function's body: local declarations and the code range in Module::bytes.
/// The locals are kept as declared, not expanded: a declaration of 50,000 locals costs one
/// LocalDecl, so a module's memory stays proportional to its bytes (see DecodeLimits).
struct FuncBody {
  std::vector<LocalDecl> local_decls;  ///< params excluded; adjacent runs of one type merged
  uint32_t num_locals = 0;             ///< sum of the counts in {local_decls}
  /// Appends the declared locals, one ValType each, to {out}.
  void expand_locals(std::vector<ValType>& out) const {
    out.reserve(out.size() + num_locals);
    for (const LocalDecl& d : local_decls) out.insert(out.end(), d.count, d.type);
  }
  uint64_t code_offset = 0;     ///< first instruction
  uint64_t end_offset = 0;      ///< one past the final `end`
  uint64_t body_offset = 0;     ///< start of the body (its size field), for error messages
};

struct CustomSection {
  std::string name;
  uint64_t data_offset = 0;
  uint32_t size = 0;
};

/// Decoded "name" section (only what backtraces need).
struct Names {
  std::string module;
  std::vector<std::pair<uint32_t, std::string>> functions;  ///< sorted by function index
  /// Name of function {f} or empty.
  std::string_view function(uint32_t f) const;
};

struct Module {
  std::vector<uint8_t> bytes;  ///< the module's binary; spans above point into it

  std::vector<FuncType> types;
  std::vector<Import> imports;

  // Index spaces, imports first.
  std::vector<uint32_t> funcs;  ///< type index of every function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globals;
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  std::vector<ConstExpr> global_inits;  ///< defined globals only
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<FuncBody> code;  ///< defined functions only
  std::vector<CustomSection> customs;
  Names names;

  const FuncType& func_type(uint32_t func) const { return types[funcs[func]]; }
  uint32_t num_defined_funcs() const { return static_cast<uint32_t>(funcs.size()) - num_imported_funcs; }
  std::span<const uint8_t> code_bytes(const FuncBody& b) const {
    return {bytes.data() + b.code_offset, static_cast<size_t>(b.end_offset - b.code_offset)};
  }
};

}  // namespace rill::wasm
