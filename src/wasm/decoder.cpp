// decode_module: header, section framing and order, and the type, import, function, table,
// memory, global, export, start and custom sections. Segments and code are in
// decode_segments.cpp; the name section in names.cpp.
#include "rill/wasm/decoder.h"

#include <algorithm>
#include <string>
#include <utility>

#include "rill/wasm/code_reader.h"
#include "rill/wasm/decode_internal.h"

namespace rill::wasm {
namespace detail {

Error unsupported_feature(const char* proposal, uint64_t offset) {
  return Error{std::string(kUnsupportedPrefix) + proposal, offset};
}

Result<uint32_t> read_count(Reader& r, uint64_t limit, const char* what) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint32_t n, r.u32());
  if (n > r.remaining()) return Error{kUnexpectedEndOfSection, r.offset() + r.remaining()};
  if (n > limit) return Error{std::string("too many ") + what, at};
  return n;
}

Result<ValType> read_ref_type(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t b, r.peek_u8());
  if (b == 0x70 || b == 0x6f) return read_val_type(r);
  auto t = read_val_type(r);  // names the proposal of GC / typed-reference types
  if (!t && t.error().message.starts_with(kUnsupportedPrefix)) return t.error();
  return Error{"malformed reference type", at};
}

}  // namespace detail

namespace {

using detail::DecodeState;
using detail::read_count;
using detail::unsupported_feature;

constexpr uint32_t kMagic = 0x6d736100;  // "\0asm"
constexpr uint32_t kVersion = 1;

/// Section ids in the binary format.
enum SectionId : uint8_t {
  kCustomId = 0, kTypeId, kImportId, kFunctionId, kTableId, kMemoryId, kGlobalId, kExportId,
  kStartId, kElementId, kCodeId, kDataId, kDataCountId, kTagId, kMaxSectionId = kTagId,
};

/// Position of each non-custom section in the required order (data count precedes code; the
/// tag section would sit between memory and global).
constexpr uint8_t kSectionRank[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};

/// Limits flags: bit 0 = has max, bit 1 = shared (threads), bit 2 = 64-bit (memory64).
constexpr uint8_t kLimitsHasMax = 0x01;
constexpr uint8_t kLimitsShared = 0x02;
constexpr uint8_t kLimits64 = 0x04;

Result<Limits> read_limits(Reader& r, bool memory) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t flags, r.u8());
  if (flags > 0x07) return Error{"malformed limits flags", at};
  if (flags & kLimits64) return unsupported_feature("memory64", at);
  if (flags & kLimitsShared) {
    if (!memory) return Error{"malformed limits flags", at};
    return unsupported_feature("threads", at);
  }
  // The binary format reads limits as u64 LEBs even for 32-bit memories and tables; bounds
  // ("memory size", "table size") are the validator's to check, as the spec suite expects.
  Limits l;
  RILL_TRY(l.min, r.u64());
  if (flags & kLimitsHasMax) {
    RILL_TRY(l.max, r.u64());
  }
  return l;
}

Result<TableType> read_table_type(Reader& r) {
  TableType t;
  RILL_TRY(t.elem, detail::read_ref_type(r));
  RILL_TRY(t.limits, read_limits(r, /*memory=*/false));
  return t;
}

Result<GlobalType> read_global_type(Reader& r) {
  GlobalType g;
  RILL_TRY(g.type, read_val_type(r));
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t mut, r.u8());
  if (mut > 1) return Error{"malformed mutability", at};
  g.mut = mut == 1;
  return g;
}

Result<std::vector<ValType>> read_result_types(Reader& r, uint32_t limit, const char* what) {
  RILL_TRY(const uint32_t n, read_count(r, limit, what));
  std::vector<ValType> types;
  types.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(const ValType t, read_val_type(r));
    types.push_back(t);
  }
  return types;
}

Result<void> decode_type_section(Reader& r, DecodeState& s) {
  RILL_TRY(const uint32_t n, read_count(r, s.limits.max_types, "types"));
  s.m.types.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t at = r.offset();
    RILL_TRY(const uint8_t form, r.u8());
    if (form != 0x60) {
      switch (form) {
        case 0x4e: case 0x50: case 0x4f: case 0x5e: case 0x5f:  // rec, sub, sub final, array, struct
          return unsupported_feature("garbage collection", at);
        case 0x5d:  // cont
          return unsupported_feature("stack switching", at);
        default:
          // The form is an s7 in the spec grammar: a continuation bit makes it overlong.
          if (form & 0x80) return Error{"integer representation too long", at};
          return Error{"malformed function type", at};
      }
    }
    FuncType ft;
    RILL_TRY(ft.params, read_result_types(r, s.limits.max_params, "parameters"));
    RILL_TRY(ft.results, read_result_types(r, s.limits.max_results, "results"));
    s.m.types.push_back(std::move(ft));
  }
  return {};
}

Result<void> decode_import_section(Reader& r, DecodeState& s) {
  Module& m = s.m;
  RILL_TRY(const uint32_t n, read_count(r, s.limits.max_imports, "imports"));
  m.imports.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Import imp;
    RILL_TRY(const std::string_view module, r.name());
    RILL_TRY(const std::string_view name, r.name());
    imp.module = module;
    imp.name = name;
    const uint64_t at = r.offset();
    RILL_TRY(const uint8_t kind, r.u8());
    switch (kind) {
      case 0: {
        imp.kind = ExternKind::Func;
        RILL_TRY(imp.func_type, r.u32());
        if (m.funcs.size() >= s.limits.max_functions) return Error{"too many functions", at};
        m.funcs.push_back(imp.func_type);
        ++m.num_imported_funcs;
        break;
      }
      case 1: {
        imp.kind = ExternKind::Table;
        RILL_TRY(imp.table, read_table_type(r));
        if (m.tables.size() >= detail::kMaxTables) return Error{"too many tables", at};
        m.tables.push_back(imp.table);
        ++m.num_imported_tables;
        break;
      }
      case 2: {
        imp.kind = ExternKind::Memory;
        RILL_TRY(imp.memory.limits, read_limits(r, /*memory=*/true));
        if (m.memories.size() >= detail::kMaxMemories) return Error{"too many memories", at};
        m.memories.push_back(imp.memory);
        ++m.num_imported_memories;
        break;
      }
      case 3: {
        imp.kind = ExternKind::Global;
        RILL_TRY(imp.global, read_global_type(r));
        if (m.globals.size() >= s.limits.max_globals) return Error{"too many globals", at};
        m.globals.push_back(imp.global);
        ++m.num_imported_globals;
        break;
      }
      case 4:
        return unsupported_feature("exception handling", at);
      default:
        return Error{"malformed import kind", at};
    }
    m.imports.push_back(std::move(imp));
  }
  return {};
}

Result<void> decode_function_section(Reader& r, DecodeState& s) {
  Module& m = s.m;
  const uint64_t room = s.limits.max_functions - std::min<uint64_t>(m.funcs.size(), s.limits.max_functions);
  RILL_TRY(const uint32_t n, read_count(r, room, "functions"));
  m.funcs.reserve(m.funcs.size() + n);
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(const uint32_t type, r.u32());
    m.funcs.push_back(type);
  }
  s.declared_funcs = n;
  return {};
}

Result<void> decode_table_section(Reader& r, DecodeState& s) {
  Module& m = s.m;
  const uint64_t room = detail::kMaxTables - m.tables.size();
  RILL_TRY(const uint32_t n, read_count(r, room, "tables"));
  m.tables.reserve(m.tables.size() + n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t at = r.offset();
    RILL_TRY(const uint8_t first, r.peek_u8());
    // 0x40 0x00 introduces a table with an initializer expression.
    if (first == 0x40) return unsupported_feature("typed function references", at);
    RILL_TRY(const TableType t, read_table_type(r));
    m.tables.push_back(t);
  }
  return {};
}

Result<void> decode_memory_section(Reader& r, DecodeState& s) {
  Module& m = s.m;
  const uint64_t room = detail::kMaxMemories - m.memories.size();
  RILL_TRY(const uint32_t n, read_count(r, room, "memories"));
  m.memories.reserve(m.memories.size() + n);
  for (uint32_t i = 0; i < n; ++i) {
    MemoryType t;
    RILL_TRY(t.limits, read_limits(r, /*memory=*/true));
    m.memories.push_back(t);
  }
  return {};
}

Result<void> decode_global_section(Reader& r, DecodeState& s) {
  Module& m = s.m;
  const uint64_t room = s.limits.max_globals - std::min<uint64_t>(m.globals.size(), s.limits.max_globals);
  RILL_TRY(const uint32_t n, read_count(r, room, "globals"));
  m.globals.reserve(m.globals.size() + n);
  m.global_inits.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(const GlobalType g, read_global_type(r));
    RILL_TRY(ConstExpr init, detail::read_const_expr(r));
    m.globals.push_back(g);
    m.global_inits.push_back(std::move(init));
  }
  return {};
}

Result<void> decode_export_section(Reader& r, DecodeState& s) {
  RILL_TRY(const uint32_t n, read_count(r, s.limits.max_exports, "exports"));
  s.m.exports.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Export e;
    RILL_TRY(const std::string_view name, r.name());
    e.name = name;
    const uint64_t at = r.offset();
    RILL_TRY(const uint8_t kind, r.u8());
    if (kind == 4) return unsupported_feature("exception handling", at);
    if (kind > 3) return Error{"malformed export kind", at};
    e.kind = static_cast<ExternKind>(kind);
    RILL_TRY(e.index, r.u32());
    s.m.exports.push_back(std::move(e));
  }
  return {};
}

Result<void> decode_start_section(Reader& r, DecodeState& s) {
  RILL_TRY(s.m.start, r.u32());
  return {};
}

/// A custom section: recorded, and the name section decoded. Only its name can make the module
/// fail (it must be well-formed UTF-8); the payload is never an error.
Result<void> decode_custom_section(Reader& r, DecodeState& s) {
  RILL_TRY(const std::string_view name, r.name());
  CustomSection c;
  c.name = name;
  c.data_offset = r.offset();
  c.size = static_cast<uint32_t>(r.remaining());
  if (name == "name") {
    detail::decode_name_section(r.data().subspan(r.pos()), r.offset(), s.limits, s.m.names);
  }
  s.m.customs.push_back(std::move(c));
  return r.skip(r.remaining());
}

Result<void> decode_section(uint8_t id, Reader& r, DecodeState& s) {
  switch (id) {
    case kTypeId: return decode_type_section(r, s);
    case kImportId: return decode_import_section(r, s);
    case kFunctionId: return decode_function_section(r, s);
    case kTableId: return decode_table_section(r, s);
    case kMemoryId: return decode_memory_section(r, s);
    case kGlobalId: return decode_global_section(r, s);
    case kExportId: return decode_export_section(r, s);
    case kStartId: return decode_start_section(r, s);
    case kElementId: return detail::decode_element_section(r, s);
    case kCodeId: return detail::decode_code_section(r, s);
    case kDataId: return detail::decode_data_section(r, s);
    case kDataCountId: return detail::decode_data_count_section(r, s);
    default: return Error{"malformed section id", r.offset()};
  }
}

Result<void> decode_header(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint32_t magic, r.u32_fixed());
  if (magic != kMagic) return Error{"magic header not detected", at};
  const uint64_t vat = r.offset();
  RILL_TRY(const uint32_t version, r.u32_fixed());
  if (version != kVersion) return Error{"unknown binary version", vat};
  return {};
}

Result<void> decode_sections(Reader& r, DecodeState& s) {
  uint8_t last_rank = 0;
  while (!r.at_end()) {
    const uint64_t id_at = r.offset();
    RILL_TRY(const uint8_t id, r.u8());
    if (id > kMaxSectionId) return Error{"malformed section id", id_at};
    const uint64_t size_at = r.offset();
    RILL_TRY(const uint32_t size, r.u32());
    if (size > r.remaining()) return Error{"length out of bounds", size_at};
    const uint64_t start = r.offset();
    RILL_TRY(const auto payload, r.bytes(size));
    Reader sr(payload, start);
    if (id == kCustomId) {
      RILL_CHECK_OK(decode_custom_section(sr, s));
      continue;
    }
    if (id == kTagId) return unsupported_feature("exception handling", id_at);
    if (kSectionRank[id] <= last_rank) return Error{"unexpected content after last section", id_at};
    last_rank = kSectionRank[id];
    auto res = decode_section(id, sr, s);
    if (!res) {
      Error e = std::move(res).error();
      // The section reader is bounded by the section, so running out means the section ended.
      if (e.message == detail::kUnexpectedEnd) e.message = detail::kUnexpectedEndOfSection;
      return e;
    }
    if (!sr.at_end()) return Error{"section size mismatch", sr.offset()};
  }
  // Counts that must agree across sections, checked once all sections are seen (as the
  // reference interpreter does, so ordering errors are reported first).
  if (s.code_count.value_or(0) != s.declared_funcs) {
    return Error{"function and code section have inconsistent lengths",
                 s.code_count ? s.code_count_offset : r.offset()};
  }
  if (!s.has_data && s.m.data_count && *s.m.data_count != 0) {
    return Error{"data count and data section have inconsistent lengths", r.offset()};
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes,
                                                    const DecodeLimits& limits) {
  auto m = std::make_shared<Module>();
  m->bytes.assign(bytes.begin(), bytes.end());
  Reader r(m->bytes);
  DecodeState s(limits, *m);
  RILL_CHECK_OK(decode_header(r));
  RILL_CHECK_OK(decode_sections(r, s));
  return std::shared_ptr<const Module>(std::move(m));
}

}  // namespace rill::wasm
