// Readers for the core type section and the core types inside component and instance types:
// core function types, WebAssembly 3.0 rec/sub/struct/array types, and module types with their
// import, type, alias and export declarations. Component-level types are in decode_types.cpp.
#include <string>
#include <utility>

#include "rill/component/decode_internal.h"
#include "rill/wasm/code_reader.h"

namespace rill::component::detail {
namespace {

// Core types.

Result<std::vector<wasm::ValType>> read_core_val_types(Reader& r, const char* what) {
  return read_vec<wasm::ValType>(r, kMaxCoreFuncValues, what, wasm::read_val_type);
}

Result<wasm::Limits> read_limits(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t flags, r.u8());
  if (flags > 0x07) return invalid_leading_byte(flags, "limits", at);
  wasm::Limits l;
  l.shared = (flags & 0x02) != 0;
  l.is64 = (flags & 0x04) != 0;
  RILL_TRY(l.min, r.u64());
  if (flags & 0x01) {
    RILL_TRY(l.max, r.u64());
  }
  return l;
}

Result<CoreExternType> read_core_extern_type(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t kind, r.u8());
  CoreExternType t;
  switch (kind) {
    case 0x00: {
      RILL_TRY(const uint32_t i, r.u32());
      t.func_type = CoreTypeIdx{i};
      break;
    }
    case 0x01: {
      const uint64_t ref_at = r.offset();
      RILL_TRY(t.table.elem, wasm::read_val_type(r));
      if (!t.table.elem.is_ref()) return Error{"malformed reference type", ref_at};
      RILL_TRY(t.table.limits, read_limits(r));
      break;
    }
    case 0x02: {
      RILL_TRY(t.memory.limits, read_limits(r));
      break;
    }
    case 0x03: {
      RILL_TRY(t.global.type, wasm::read_val_type(r));
      RILL_TRY(t.global.mut, read_bool(r));
      break;
    }
    case 0x04: {
      const uint64_t attr_at = r.offset();
      RILL_TRY(const uint8_t attr, r.u8());
      if (attr != 0x00) return invalid_leading_byte(attr, "tag attribute", attr_at);
      RILL_TRY(const uint32_t i, r.u32());
      t.func_type = CoreTypeIdx{i};
      break;
    }
    default: return invalid_leading_byte(kind, "core external kind", at);
  }
  t.kind = static_cast<wasm::ExternKind>(kind);
  return t;
}

/// core:alias inside a module type: 0x10 (core type) 0x01 (outer) ct idx.
Result<Alias> read_core_alias(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t sort, r.u8());
  if (sort != 0x10) return invalid_leading_byte(sort, "outer alias kind", at);
  const uint64_t target_at = r.offset();
  RILL_TRY(const uint8_t target, r.u8());
  if (target != 0x01) return invalid_leading_byte(target, "outer alias target", target_at);
  Alias a;
  a.sort = Sort{SortKind::Core, CoreSort::Type};
  a.kind = AliasKind::Outer;
  RILL_TRY(a.count, r.u32());
  RILL_TRY(a.index, r.u32());
  return a;
}

Result<ModuleDecl> read_module_decl(Reader& r, DecodeContext& ctx) {
  ModuleDecl d;
  d.offset = r.offset();
  RILL_CHECK_OK(count_definition(ctx, d.offset));
  RILL_TRY(const uint8_t kind, r.u8());
  switch (kind) {
    case 0x00: {
      CoreImportDecl imp;
      RILL_TRY(imp.module, read_string(r));
      RILL_TRY(imp.name, read_string(r));
      RILL_TRY(imp.type, read_core_extern_type(r));
      d.decl = std::move(imp);
      return d;
    }
    case 0x01: {
      RILL_TRY(CoreType t, read_core_type(r, ctx));
      d.decl = std::move(t);
      return d;
    }
    case 0x02: {
      RILL_TRY(Alias a, read_core_alias(r));
      d.decl = std::move(a);
      return d;
    }
    case 0x03: {
      CoreExportDecl e;
      RILL_TRY(e.name, read_string(r));
      RILL_TRY(e.type, read_core_extern_type(r));
      d.decl = std::move(e);
      return d;
    }
    default:
      return invalid_leading_byte(kind, "type definition", d.offset);  // the reference's words
  }
}

Result<wasm::FuncType> read_core_func_type(Reader& r) {
  wasm::FuncType f;
  RILL_TRY(f.params, read_core_val_types(r, "parameters"));
  RILL_TRY(f.results, read_core_val_types(r, "results"));
  return f;
}

/// fieldtype: storagetype (a valtype or packed i8/i16) then mutability.
Result<CoreFieldType> read_field_type(Reader& r) {
  CoreFieldType f;
  RILL_TRY(const uint8_t b, r.peek_u8());
  if (b == static_cast<uint8_t>(PackedType::I8) || b == static_cast<uint8_t>(PackedType::I16)) {
    r.advance(1);
    f.storage = static_cast<PackedType>(b);
  } else {
    RILL_TRY(const wasm::ValType t, wasm::read_val_type(r));
    f.storage = t;
  }
  RILL_TRY(f.mut, read_bool(r));
  return f;
}

/// comptype after its opcode {op} (read at {at}).
Result<CoreCompType> read_comp_type(uint8_t op, Reader& r, uint64_t at) {
  switch (op) {
    case 0x60: {
      RILL_TRY(wasm::FuncType f, read_core_func_type(r));
      return CoreCompType{std::move(f)};
    }
    case 0x5f: {
      RILL_TRY(auto fields,
               read_vec<CoreFieldType>(r, kMaxTypeMembers, "struct fields", read_field_type));
      return CoreCompType{CoreStructType{std::move(fields)}};
    }
    case 0x5e: {
      RILL_TRY(CoreFieldType elem, read_field_type(r));
      return CoreCompType{CoreArrayType{elem}};
    }
    default: return invalid_leading_byte(op, "core composite type", at);
  }
}

/// subtype: `0x50 x* ct` (non-final; written 0x00 0x50 at the top of a core:deftype), `0x4f x* ct`
/// (final) or a bare comptype. {op} has been read at {at}.
Result<CoreSubType> read_sub_type(uint8_t op, Reader& r, uint64_t at) {
  CoreSubType s;
  if (op == 0x50 || op == 0x4f) {
    s.final = op == 0x4f;
    auto read_idx = [](Reader& rr) -> Result<CoreTypeIdx> {
      RILL_TRY(const uint32_t i, rr.u32());
      return CoreTypeIdx{i};
    };
    RILL_TRY(s.supertypes, read_vec<CoreTypeIdx>(r, kMaxTypeMembers, "supertypes", read_idx));
    at = r.offset();
    RILL_TRY(op, r.u8());
  }
  RILL_TRY(s.comp, read_comp_type(op, r, at));
  return s;
}

Result<CoreRecType> read_rec_group(Reader& r) {
  CoreRecType rec;
  rec.explicit_group = true;
  auto read_one = [](Reader& rr) -> Result<CoreSubType> {
    const uint64_t at = rr.offset();
    RILL_TRY(const uint8_t op, rr.u8());
    return read_sub_type(op, rr, at);
  };
  RILL_TRY(rec.types, read_vec<CoreSubType>(r, kMaxTypeDecls, "recursion group types", read_one));
  return rec;
}

}  // namespace

Result<CoreType> read_core_type(Reader& r, DecodeContext& ctx) {
  CoreType t;
  t.offset = r.offset();
  RILL_TRY(const uint8_t op, r.u8());
  switch (op) {
    case 0x60: {
      RILL_TRY(wasm::FuncType f, read_core_func_type(r));
      t.type = std::move(f);
      return t;
    }
    case 0x50: {
      if (ctx.depth >= kMaxNestingDepth) return nesting_too_deep(t.offset);
      ++ctx.depth;
      auto decls = read_vec<ModuleDecl>(r, kMaxTypeDecls, "module type declarations",
                                        [&](Reader& rr) { return read_module_decl(rr, ctx); });
      --ctx.depth;
      if (!decls) return std::move(decls).error();
      t.type = ModuleType{std::move(*decls)};
      return t;
    }
    case 0x4e: {
      RILL_TRY(CoreRecType rec, read_rec_group(r));
      t.type = std::move(rec);
      return t;
    }
    case 0x00: {
      // Binary.md: a non-final `sub` at the top of a core:deftype is 0x00 0x50, since a bare
      // 0x50 is a module type.
      const uint64_t at = r.offset();
      RILL_TRY(const uint8_t sub, r.u8());
      if (sub != 0x50) return invalid_leading_byte(sub, "non-final sub type", at);
      RILL_TRY(CoreSubType st, read_sub_type(sub, r, at));
      t.type = CoreRecType{{std::move(st)}, false};
      return t;
    }
    case 0x4f:
    case 0x5e:
    case 0x5f: {
      RILL_TRY(CoreSubType st, read_sub_type(op, r, t.offset));
      t.type = CoreRecType{{std::move(st)}, false};
      return t;
    }
    default: return invalid_leading_byte(op, "core type", t.offset);
  }
}

}  // namespace rill::component::detail
