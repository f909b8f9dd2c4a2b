// Readers for the type section (defvaltype, functype, componenttype, instancetype,
// resourcetype) and the core type section (core function and module types), and the names of
// primitive types and sorts. Framing is in decoder.cpp.
#include <string>
#include <utility>

#include "rill/component/decode_internal.h"
#include "rill/wasm/code_reader.h"

namespace rill::component {

const char* to_string(PrimValType t) {
  switch (t) {
    case PrimValType::Bool: return "bool";
    case PrimValType::S8: return "s8";
    case PrimValType::U8: return "u8";
    case PrimValType::S16: return "s16";
    case PrimValType::U16: return "u16";
    case PrimValType::S32: return "s32";
    case PrimValType::U32: return "u32";
    case PrimValType::S64: return "s64";
    case PrimValType::U64: return "u64";
    case PrimValType::F32: return "f32";
    case PrimValType::F64: return "f64";
    case PrimValType::Char: return "char";
    case PrimValType::String: return "string";
    case PrimValType::ErrorContext: return "error-context";
  }
  return "?";
}

bool is_prim_val_type(uint8_t byte) { return (byte >= 0x73 && byte <= 0x7f) || byte == 0x64; }

const char* to_string(CoreSort s) {
  switch (s) {
    case CoreSort::Func: return "func";
    case CoreSort::Table: return "table";
    case CoreSort::Memory: return "memory";
    case CoreSort::Global: return "global";
    case CoreSort::Tag: return "tag";
    case CoreSort::Type: return "type";
    case CoreSort::Module: return "module";
    case CoreSort::Instance: return "instance";
  }
  return "?";
}

const char* to_string(ExternKind k) {
  switch (k) {
    case ExternKind::CoreModule: return "module";
    case ExternKind::Func: return "func";
    case ExternKind::Value: return "value";
    case ExternKind::Type: return "type";
    case ExternKind::Component: return "component";
    case ExternKind::Instance: return "instance";
  }
  return "?";
}

std::string to_string(Sort s) {
  switch (s.kind) {
    case SortKind::Core: return std::string("core ") + to_string(s.core);
    case SortKind::Func: return "func";
    case SortKind::Value: return "value";
    case SortKind::Type: return "type";
    case SortKind::Component: return "component";
    case SortKind::Instance: return "instance";
  }
  return "?";
}

namespace detail {
namespace {

Result<std::optional<ValType>> read_optional_val_type(Reader& r, const char* what) {
  RILL_TRY(const bool present, read_option_flag(r, what));
  if (!present) return std::optional<ValType>{};
  RILL_TRY(const ValType t, read_val_type(r));
  return std::optional<ValType>{t};
}

Result<LabeledValType> read_labeled(Reader& r) {
  LabeledValType l;
  RILL_TRY(l.label, read_string(r));
  RILL_TRY(l.type, read_val_type(r));
  return l;
}

Result<VariantCase> read_case(Reader& r) {
  VariantCase c;
  RILL_TRY(c.label, read_string(r));
  RILL_TRY(c.type, read_optional_val_type(r, "optional variant case type"));
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t zero, r.u8());
  if (zero != 0x00) return invalid_leading_byte(zero, "zero byte required", at);
  return c;
}

Result<TypeIdx> read_type_idx(Reader& r) {
  RILL_TRY(const uint32_t i, r.u32());
  return TypeIdx{i};
}

/// defvaltype after its opcode {op} (read at {at}).
Result<DefValType> read_def_val_type(uint8_t op, Reader& r, uint64_t at) {
  if (is_prim_val_type(op)) return DefValType{static_cast<PrimValType>(op)};
  switch (op) {
    case 0x72: {
      RILL_TRY(auto fields,
               read_vec<LabeledValType>(r, kMaxTypeMembers, "record fields", read_labeled));
      return DefValType{RecordType{std::move(fields)}};
    }
    case 0x71: {
      RILL_TRY(auto cases, read_vec<VariantCase>(r, kMaxTypeMembers, "variant cases", read_case));
      return DefValType{VariantType{std::move(cases)}};
    }
    case 0x70: {
      RILL_TRY(const ValType elem, read_val_type(r));
      return DefValType{ListType{elem, std::nullopt}};
    }
    case 0x67: {
      RILL_TRY(const ValType elem, read_val_type(r));
      RILL_TRY(const uint32_t len, r.u32());
      return DefValType{ListType{elem, len}};
    }
    case 0x6f: {
      RILL_TRY(auto types, read_vec<ValType>(r, kMaxTypeMembers, "tuple types", read_val_type));
      return DefValType{TupleType{std::move(types)}};
    }
    case 0x6e:
    case 0x6d: {
      RILL_TRY(auto labels,
               read_vec<std::string>(r, kMaxTypeMembers, op == 0x6e ? "flags" : "enum cases",
                                     read_string));
      if (op == 0x6e) return DefValType{FlagsType{std::move(labels)}};
      return DefValType{EnumType{std::move(labels)}};
    }
    case 0x6b: {
      RILL_TRY(const ValType t, read_val_type(r));
      return DefValType{OptionType{t}};
    }
    case 0x6a: {
      ResultType res;
      RILL_TRY(res.ok, read_optional_val_type(r, "optional result type"));
      RILL_TRY(res.err, read_optional_val_type(r, "optional result error type"));
      return DefValType{res};
    }
    case 0x69: {
      RILL_TRY(const TypeIdx i, read_type_idx(r));
      return DefValType{OwnType{i}};
    }
    case 0x68: {
      RILL_TRY(const TypeIdx i, read_type_idx(r));
      return DefValType{BorrowType{i}};
    }
    case 0x66: {
      RILL_TRY(auto elem, read_optional_val_type(r, "optional stream type"));
      return DefValType{StreamType{elem}};
    }
    case 0x65: {
      RILL_TRY(auto elem, read_optional_val_type(r, "optional future type"));
      return DefValType{FutureType{elem}};
    }
    case 0x63: {
      MapType m;
      RILL_TRY(m.key, read_val_type(r));
      RILL_TRY(m.value, read_val_type(r));
      return DefValType{m};
    }
    default: return invalid_leading_byte(op, "component defined type", at);
  }
}

Result<FuncType> read_func_type(bool async, Reader& r) {
  FuncType f;
  f.async = async;
  RILL_TRY(f.params,
           read_vec<LabeledValType>(r, kMaxFuncParams, "function parameters", read_labeled));
  RILL_TRY(f.result, read_result_list(r));
  return f;
}

Result<ResourceType> read_resource_type(Reader& r) {
  ResourceType t;
  RILL_TRY(t.rep, wasm::read_val_type(r));
  RILL_TRY(const bool has_dtor, read_option_flag(r, "optional resource destructor"));
  if (has_dtor) {
    RILL_TRY(const uint32_t f, r.u32());
    t.dtor = CoreFuncIdx{f};
  }
  return t;
}

/// componentdecl (when {component}) or instancedecl.
Result<TypeDecl> read_type_decl(Reader& r, DecodeContext& ctx, bool component) {
  TypeDecl d;
  d.offset = r.offset();
  RILL_CHECK_OK(count_definition(ctx, d.offset));
  RILL_TRY(const uint8_t kind, r.u8());
  switch (kind) {
    case 0x00: {
      RILL_TRY(CoreType t, read_core_type(r, ctx));
      d.decl = std::move(t);
      break;
    }
    case 0x01: {
      RILL_TRY(Type t, read_type(r, ctx));
      d.decl = std::move(t);
      break;
    }
    case 0x02: {
      RILL_TRY(Alias a, read_alias(r));
      d.decl = std::move(a);
      break;
    }
    case 0x03:
    case 0x04: {
      if (kind == 0x03 && !component) {
        return invalid_leading_byte(kind, "component or instance type declaration", d.offset);
      }
      ExternDecl e;
      RILL_TRY(e.name, read_extern_name(r));
      RILL_TRY(e.type, read_extern_type(r));
      d.decl = std::move(e);
      break;
    }
    default: return invalid_leading_byte(kind, "component or instance type declaration", d.offset);
  }
  d.kind = static_cast<TypeDecl::Kind>(kind);
  return d;
}

Result<std::vector<TypeDecl>> read_type_decls(Reader& r, DecodeContext& ctx, bool component) {
  const uint64_t at = r.offset();
  if (ctx.depth >= kMaxNestingDepth) return nesting_too_deep(at);
  ++ctx.depth;
  auto decls = read_vec<TypeDecl>(r, kMaxTypeDecls, "type declarations",
                                  [&](Reader& rr) { return read_type_decl(rr, ctx, component); });
  --ctx.depth;
  return decls;
}

}  // namespace

Result<ValType> read_val_type(Reader& r) {
  // valtype follows core wasm's negative-SLEB128 scheme (Binary.md notes on type opcodes):
  // a negative s33 is a one-byte primitive opcode, a non-negative one a type index.
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t first, r.peek_u8());
  RILL_TRY(const int64_t v, r.s33());
  if (v >= 0) return ValType::index(TypeIdx{static_cast<uint32_t>(v)});
  if (r.offset() == at + 1 && is_prim_val_type(first)) {
    return ValType::prim(static_cast<PrimValType>(first));
  }
  return invalid_leading_byte(first, "component value type", at);
}

Result<std::optional<ValType>> read_result_list(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t form, r.u8());
  if (form == 0x00) {
    RILL_TRY(const ValType t, read_val_type(r));
    return std::optional<ValType>{t};
  }
  if (form != 0x01) return invalid_leading_byte(form, "component function results", at);
  const uint64_t zero_at = r.offset();
  RILL_TRY(const uint8_t zero, r.u8());
  if (zero != 0x00) return invalid_leading_byte(zero, "number of results", zero_at);
  return std::optional<ValType>{};
}

Result<Type> read_type(Reader& r, DecodeContext& ctx) {
  Type t;
  t.offset = r.offset();
  RILL_TRY(const uint8_t op, r.u8());
  switch (op) {
    case 0x40:
    case 0x43: {
      RILL_TRY(FuncType f, read_func_type(op == 0x43, r));
      t.type = std::move(f);
      return t;
    }
    case 0x41: {
      RILL_TRY(auto decls, read_type_decls(r, ctx, /*component=*/true));
      t.type = ComponentType{std::move(decls)};
      return t;
    }
    case 0x42: {
      RILL_TRY(auto decls, read_type_decls(r, ctx, /*component=*/false));
      t.type = InstanceType{std::move(decls)};
      return t;
    }
    case 0x3f: {
      RILL_TRY(ResourceType rt, read_resource_type(r));
      t.type = rt;
      return t;
    }
    default: {
      RILL_TRY(DefValType dv, read_def_val_type(op, r, t.offset));
      t.type = std::move(dv);
      return t;
    }
  }
}

}  // namespace detail
}  // namespace rill::component
