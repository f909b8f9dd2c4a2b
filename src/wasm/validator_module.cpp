// Module-level validation: limits, constant expressions, segments, exports, start function, and
// the driver that feeds every function body through CodeReader into FuncValidator.
// Checks run in section order so the first error reported is the earliest in the file.
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "rill/base/reader.h"
#include "rill/wasm/code_reader.h"
#include "rill/wasm/decoder.h"
#include "rill/wasm/validator.h"
#include "rill/wasm/validator_internal.h"

namespace rill::wasm {

using namespace detail;  // NOLINT(google-build-using-namespace): validator-internal names

namespace {

/// Binary section ids (spec: binary/modules.html).
enum SectionId : uint8_t {
  kImportSection = 2,
  kFunctionSection = 3,
  kTableSection = 4,
  kMemorySection = 5,
  kExportSection = 7,
  kStartSection = 8,
  kSectionIdCount = 14,
};

/// File offset of each section's contents. Module items without their own offset report the
/// offset of their section, which keeps "earliest error first" meaningful.
class SectionOffsets {
 public:
  explicit SectionOffsets(const Module& m) {
    constexpr size_t kHeaderSize = 8;  // magic + version
    Reader r(m.bytes);
    if (!r.skip(kHeaderSize)) return;
    while (!r.at_end()) {
      auto id = r.u8();
      if (!id) return;
      auto size = r.u32();
      if (!size) return;
      if (*id < kSectionIdCount && at_[*id] == kNoOffset) at_[*id] = r.offset();
      if (!r.skip(*size)) return;
    }
  }
  uint64_t of(SectionId id) const { return at_[id]; }

 private:
  uint64_t at_[kSectionIdCount] = {kNoOffset, kNoOffset, kNoOffset, kNoOffset, kNoOffset,
                                   kNoOffset, kNoOffset, kNoOffset, kNoOffset, kNoOffset,
                                   kNoOffset, kNoOffset, kNoOffset, kNoOffset};
};

Error unsupported(const char* proposal, uint64_t offset) {
  return Error{std::string(kUnsupportedPrefix) + proposal, offset};
}

Result<void> check_table_type(const TableType& t, uint64_t offset) {
  constexpr uint64_t kMaxTableLimit = 0xffff'ffffull;  // 32-bit table index space
  if (t.limits.is64) return unsupported("memory64", offset);
  if (t.limits.shared) return unsupported("threads", offset);
  if (!t.elem.is_ref()) return Error{kTypeMismatch, offset};
  if (t.limits.min > kMaxTableLimit) return Error{kTableSize, offset};
  if (t.limits.max && *t.limits.max > kMaxTableLimit) return Error{kTableSize, offset};
  if (t.limits.max && t.limits.min > *t.limits.max) return Error{kLimitsOrder, offset};
  return {};
}

Result<void> check_memory_type(const MemoryType& mt, uint64_t offset) {
  const Limits& l = mt.limits;
  if (l.is64) return unsupported("memory64", offset);
  if (l.shared) return unsupported("threads", offset);
  if (l.min > kMaxPages32) return Error{kMemorySize, offset};
  if (l.max && *l.max > kMaxPages32) return Error{kMemorySize, offset};
  if (l.max && l.min > *l.max) return Error{kLimitsOrder, offset};
  return {};
}

/// Spec: constant expressions. {visible_globals} is how many globals global.get may name
/// (those before the global being initialised, or all of them for segment offsets).
Result<void> check_const_expr(const Module& m, const ConstExpr& e, ValType expected,
                              size_t visible_globals) {
  std::vector<ValType> stack;
  auto binary = [&stack](ValType t, uint64_t at) -> Result<void> {
    if (stack.size() < 2 || stack.back() != t || stack[stack.size() - 2] != t) {
      return Error{kTypeMismatch, at};
    }
    stack.pop_back();
    return {};
  };
  for (const Instr& in : e.code) {
    switch (in.op) {
      case Op::I32Const: stack.push_back(kI32); break;
      case Op::I64Const: stack.push_back(kI64); break;
      case Op::F32Const: stack.push_back(kF32); break;
      case Op::F64Const: stack.push_back(kF64); break;
      case Op::V128Const: stack.push_back(kV128); break;
      case Op::RefNull:
        if (!in.heap_type.is_ref()) return Error{kTypeMismatch, in.offset};
        stack.push_back(in.heap_type);
        break;
      case Op::RefFunc:
        if (in.index >= m.funcs.size()) return unknown_index("function", in.index, in.offset);
        stack.push_back(kFuncRef);
        break;
      case Op::GlobalGet:
        if (in.index >= visible_globals) return unknown_index("global", in.index, in.offset);
        if (m.globals[in.index].mut) return Error{kConstRequired, in.offset};
        stack.push_back(m.globals[in.index].type);
        break;
      case Op::I32Add: case Op::I32Sub: case Op::I32Mul:  // extended constant expressions
        RILL_CHECK_OK(binary(kI32, in.offset));
        break;
      case Op::I64Add: case Op::I64Sub: case Op::I64Mul:
        RILL_CHECK_OK(binary(kI64, in.offset));
        break;
      default:
        return Error{kConstRequired, in.offset};
    }
  }
  if (stack.size() != 1 || stack[0] != expected) return Error{kTypeMismatch, e.offset};
  return {};
}

Result<void> check_func_type(const Module& m, uint32_t f, const SectionOffsets& at) {
  if (m.funcs[f] < m.types.size()) return {};
  const SectionId s = f < m.num_imported_funcs ? kImportSection : kFunctionSection;
  return unknown_index("type", m.funcs[f], at.of(s));
}

/// Imports, then the function, table and memory sections' own entries (file order).
Result<void> check_imports_and_funcs(const Module& m, const SectionOffsets& at) {
  const uint64_t import_off = at.of(kImportSection);
  for (const Import& imp : m.imports) {
    if (imp.kind == ExternKind::Tag) return unsupported("exception handling", import_off);
  }
  if (m.num_imported_funcs > m.funcs.size() || m.num_imported_tables > m.tables.size() ||
      m.num_imported_memories > m.memories.size()) {
    return Error{"inconsistent import counts", import_off};
  }
  for (uint32_t f = 0; f < m.num_imported_funcs; ++f) RILL_CHECK_OK(check_func_type(m, f, at));
  for (uint32_t t = 0; t < m.num_imported_tables; ++t) {
    RILL_CHECK_OK(check_table_type(m.tables[t], import_off));
  }
  for (uint32_t i = 0; i < m.num_imported_memories; ++i) {
    RILL_CHECK_OK(check_memory_type(m.memories[i], import_off));
  }
  for (size_t f = m.num_imported_funcs; f < m.funcs.size(); ++f) {
    RILL_CHECK_OK(check_func_type(m, static_cast<uint32_t>(f), at));
  }
  if (m.code.size() != m.num_defined_funcs()) {
    return Error{"function and code section have inconsistent lengths", at.of(kFunctionSection)};
  }
  for (size_t t = m.num_imported_tables; t < m.tables.size(); ++t) {
    RILL_CHECK_OK(check_table_type(m.tables[t], at.of(kTableSection)));
  }
  for (size_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
    RILL_CHECK_OK(check_memory_type(m.memories[i], at.of(kMemorySection)));
  }
  return {};
}

Result<void> check_globals(const Module& m) {
  if (m.num_imported_globals > m.globals.size() ||
      m.global_inits.size() != m.globals.size() - m.num_imported_globals) {
    return Error{"global section and initialisers have inconsistent lengths", kNoOffset};
  }
  for (size_t i = 0; i < m.global_inits.size(); ++i) {
    const size_t g = m.num_imported_globals + i;
    RILL_CHECK_OK(check_const_expr(m, m.global_inits[i], m.globals[g].type, g));
  }
  return {};
}

Result<void> check_exports_and_start(const Module& m, const SectionOffsets& at) {
  const uint64_t off = at.of(kExportSection);
  std::unordered_set<std::string_view> names;
  names.reserve(m.exports.size());
  for (const Export& e : m.exports) {
    switch (e.kind) {
      case ExternKind::Func:
        if (e.index >= m.funcs.size()) return unknown_index("function", e.index, off);
        break;
      case ExternKind::Table:
        if (e.index >= m.tables.size()) return unknown_index("table", e.index, off);
        break;
      case ExternKind::Memory:
        if (e.index >= m.memories.size()) return unknown_index("memory", e.index, off);
        break;
      case ExternKind::Global:
        if (e.index >= m.globals.size()) return unknown_index("global", e.index, off);
        break;
      case ExternKind::Tag:
        return unsupported("exception handling", off);
    }
  }
  // As the reference interpreter: every export's index first, then the names' uniqueness.
  for (const Export& e : m.exports) {
    if (!names.insert(e.name).second) return Error{kDuplicateExport, off};
  }
  if (!m.start) return {};
  const uint64_t start_off = at.of(kStartSection);
  if (*m.start >= m.funcs.size()) return unknown_index("function", *m.start, start_off);
  const FuncType& ft = m.func_type(*m.start);
  if (!ft.params.empty() || !ft.results.empty()) return Error{kStartFunction, start_off};
  return {};
}

Result<void> check_elems(const Module& m) {
  for (const ElemSegment& seg : m.elems) {
    if (!seg.type.is_ref()) return Error{kTypeMismatch, seg.decl_offset};
    if (seg.mode == SegmentMode::Active) {
      if (seg.table >= m.tables.size()) return unknown_index("table", seg.table, seg.decl_offset);
      RILL_CHECK_OK(check_const_expr(m, seg.offset, kI32, m.globals.size()));
      if (m.tables[seg.table].elem != seg.type) return Error{kTypeMismatch, seg.decl_offset};
    }
    for (const ConstExpr& item : seg.items) {
      RILL_CHECK_OK(check_const_expr(m, item, seg.type, m.globals.size()));
    }
  }
  return {};
}

Result<void> check_datas(const Module& m) {
  if (m.data_count && *m.data_count != m.datas.size()) {
    return Error{"data count and data section have inconsistent lengths", kNoOffset};
  }
  for (const DataSegment& seg : m.datas) {
    if (seg.mode != SegmentMode::Active) continue;
    if (seg.memory >= m.memories.size()) {
      return unknown_index("memory", seg.memory, seg.offset.offset);
    }
    RILL_CHECK_OK(check_const_expr(m, seg.offset, kI32, m.globals.size()));
  }
  return {};
}

/// Spec C.refs: functions named outside function bodies (exports, element segments, globals'
/// and segments' constant expressions) may be named by ref.func inside them.
void collect_declared_funcs(const Module& m, std::vector<uint8_t>& declared) {
  declared.assign(m.funcs.size(), 0);
  auto scan = [&](const ConstExpr& e) {
    for (const Instr& in : e.code) {
      if (in.op == Op::RefFunc && in.index < declared.size()) declared[in.index] = 1;
    }
  };
  for (const Export& e : m.exports) {
    if (e.kind == ExternKind::Func && e.index < declared.size()) declared[e.index] = 1;
  }
  for (const ConstExpr& e : m.global_inits) scan(e);
  for (const ElemSegment& seg : m.elems) {
    scan(seg.offset);
    for (const ConstExpr& item : seg.items) scan(item);
  }
  for (const DataSegment& seg : m.datas) scan(seg.offset);
}

/// Everything before the code section.
Result<void> check_header_before_code(const Module& m, ModuleContext& ctx) {
  const SectionOffsets at(m);
  RILL_CHECK_OK(check_imports_and_funcs(m, at));
  RILL_CHECK_OK(check_globals(m));
  RILL_CHECK_OK(check_exports_and_start(m, at));
  RILL_CHECK_OK(check_elems(m));
  ctx.module = &m;
  collect_declared_funcs(m, ctx.declared_funcs);
  return {};
}

/// Validates defined function {defined_index} with {v}, which is reset first (its storage is
/// reused from body to body).
Result<void> validate_body(FuncValidator& v, const ModuleContext& ctx, uint32_t defined_index) {
  const Module& m = *ctx.module;
  const FuncBody& body = m.code[defined_index];
  v.reset(m.num_imported_funcs + defined_index);
  RILL_CHECK_OK(v.begin());
  CodeReader reader(m.code_bytes(body), body.code_offset);
  Instr in;
  while (!reader.at_end()) {
    if (!reader.try_next(in)) RILL_CHECK_OK(reader.next(in));
    if (!v.try_step(in)) RILL_CHECK_OK(v.step(in));
  }
  return v.finish(body.end_offset);
}

}  // namespace

Result<void> validate_module_header(const Module& m, ModuleContext& ctx) {
  RILL_CHECK_OK(check_header_before_code(m, ctx));
  return check_datas(m);
}

Result<void> validate_module(const Module& m) {
  ModuleContext ctx;
  RILL_CHECK_OK(check_header_before_code(m, ctx));
  FuncValidator v(ctx, m.num_imported_funcs);
  for (uint32_t i = 0; i < m.code.size(); ++i) RILL_CHECK_OK(validate_body(v, ctx, i));
  return check_datas(m);
}

}  // namespace rill::wasm
