// decode_component: preamble, section framing, nested components, embedded core modules and
// the instance, alias, start, import, export, value and custom sections, plus the readers they
// share (sorts, names, extern types). Types are in decode_types.cpp, canon in decode_canon.cpp.
#include "rill/component/decoder.h"

#include <cstdio>
#include <string>
#include <utility>

#include "rill/component/decode_internal.h"
#include "rill/wasm/decoder.h"

namespace rill::component {
namespace detail {

Error invalid_leading_byte(uint8_t byte, const char* what, uint64_t offset) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "(0x%x)", byte);
  return Error{std::string("invalid leading byte ") + buf + " for " + what, offset};
}

Error too_many(const char* what, uint64_t offset) {
  return Error{std::string("too many ") + what, offset};
}

Error nesting_too_deep(uint64_t offset) { return Error{"nesting too deep", offset}; }

Result<void> count_definition(DecodeContext& ctx, uint64_t offset) {
  if (ctx.definitions >= kMaxDefinitions) return too_many("definitions", offset);
  ++ctx.definitions;
  return {};
}

Result<uint32_t> read_count(Reader& r, uint32_t limit, const char* what) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint32_t n, r.u32());
  if (n > r.remaining()) return Error{"unexpected end", r.offset() + r.remaining()};
  if (n > limit) return too_many(what, at);
  return n;
}

Result<bool> read_bool(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t b, r.u8());
  if (b > 1) return Error{"invalid boolean value", at};
  return b == 1;
}

Result<bool> read_option_flag(Reader& r, const char* what) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t b, r.u8());
  if (b > 1) return invalid_leading_byte(b, what, at);
  return b == 1;
}

Result<std::string> read_string(Reader& r) {
  RILL_TRY(const std::string_view s, r.name());
  return std::string(s);
}

namespace {

bool is_core_sort(uint8_t b) { return b <= 0x04 || (b >= 0x10 && b <= 0x12); }

/// The sort named by {kind} (and {core}, read just after it, when {kind} is 0x00) read at {at}.
Result<Sort> sort_from_bytes(uint8_t kind, uint8_t core, uint64_t at) {
  if (kind > 0x05) return invalid_leading_byte(kind, "component external kind", at);
  Sort s;
  s.kind = static_cast<SortKind>(kind);
  if (s.kind != SortKind::Core) return s;
  if (!is_core_sort(core)) return invalid_leading_byte(core, "core sort", at + 1);
  s.core = static_cast<CoreSort>(core);
  return s;
}

/// outeraliassort: core module, core type, component, type.
bool is_outer_alias_sort(Sort s) {
  if (s.kind == SortKind::Core) return s.core == CoreSort::Module || s.core == CoreSort::Type;
  return s.kind == SortKind::Component || s.kind == SortKind::Type;
}

}  // namespace

Result<CoreSort> read_core_sort(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t b, r.u8());
  if (!is_core_sort(b)) return invalid_leading_byte(b, "core sort", at);
  return static_cast<CoreSort>(b);
}

Result<Sort> read_sort(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t kind, r.u8());
  uint8_t core = 0;
  if (kind == 0x00) {
    RILL_TRY(core, r.u8());
  }
  return sort_from_bytes(kind, core, at);
}

Result<SortIdx> read_sort_idx(Reader& r) {
  SortIdx si;
  RILL_TRY(si.sort, read_sort(r));
  RILL_TRY(si.index, r.u32());
  return si;
}

Result<ExternName> read_extern_name(Reader& r) {
  ExternName n;
  n.offset = r.offset();
  RILL_TRY(n.form, r.u8());
  if (n.form > 0x02) return invalid_leading_byte(n.form, "component name", n.offset);
  RILL_TRY(n.name, read_string(r));
  if (n.form != 0x02) return n;
  RILL_TRY(const uint32_t count, read_count(r, kMaxListItems, "name attributes"));
  for (uint32_t i = 0; i < count; ++i) {
    NameAttribute a;
    a.offset = r.offset();
    RILL_TRY(const uint8_t kind, r.u8());
    if (kind > 0x02) return invalid_leading_byte(kind, "name option", a.offset);
    a.kind = static_cast<NameAttribute::Kind>(kind);
    RILL_TRY(a.value, read_string(r));
    n.attributes.push_back(std::move(a));
  }
  return n;
}

Result<ExternType> read_extern_type(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t kind, r.u8());
  ExternType t;
  switch (kind) {
    case 0x00: {
      const uint64_t sort_at = r.offset();
      RILL_TRY(const uint8_t sort, r.u8());
      if (sort != 0x11) return invalid_leading_byte(sort, "component external kind", sort_at);
      t.kind = ExternKind::CoreModule;
      RILL_TRY(t.index, r.u32());
      return t;
    }
    case 0x01:
    case 0x04:
    case 0x05: {
      t.kind = static_cast<ExternKind>(kind);
      RILL_TRY(t.index, r.u32());
      return t;
    }
    case 0x02: {
      t.kind = ExternKind::Value;
      const uint64_t bound_at = r.offset();
      RILL_TRY(const uint8_t bound, r.u8());
      if (bound == 0x00) {
        t.value_bound.kind = ValueBound::Kind::Eq;
        RILL_TRY(const uint32_t v, r.u32());
        t.value_bound.index = ValueIdx{v};
        return t;
      }
      if (bound != 0x01) return invalid_leading_byte(bound, "value bound", bound_at);
      t.value_bound.kind = ValueBound::Kind::Type;
      RILL_TRY(t.value_bound.type, read_val_type(r));
      return t;
    }
    case 0x03: {
      t.kind = ExternKind::Type;
      const uint64_t bound_at = r.offset();
      RILL_TRY(const uint8_t bound, r.u8());
      if (bound == 0x01) {
        t.type_bound.kind = TypeBound::Kind::SubResource;
        return t;
      }
      if (bound != 0x00) return invalid_leading_byte(bound, "type bound", bound_at);
      t.type_bound.kind = TypeBound::Kind::Eq;
      RILL_TRY(const uint32_t i, r.u32());
      t.type_bound.index = TypeIdx{i};
      return t;
    }
    default: return invalid_leading_byte(kind, "component external kind", at);
  }
}

Result<Alias> read_alias(Reader& r) {
  // The sort's bytes are read before the target: an outer alias reports a sort it cannot take
  // (even an unknown one) as a bad outer alias kind, as the reference decoder does.
  const uint64_t sort_at = r.offset();
  RILL_TRY(const uint8_t kind, r.u8());
  uint8_t core = 0;
  if (kind == 0x00) {
    RILL_TRY(core, r.u8());
  }
  const uint64_t target_at = r.offset();
  RILL_TRY(const uint8_t target, r.u8());
  if (target > 0x02) return invalid_leading_byte(target, "alias", target_at);
  auto sort = sort_from_bytes(kind, core, sort_at);
  Alias a;
  a.kind = static_cast<AliasKind>(target);
  if (a.kind == AliasKind::Outer && (!sort || !is_outer_alias_sort(*sort))) {
    if (kind == 0x00) return invalid_leading_byte(core, "component outer alias kind", sort_at + 1);
    return invalid_leading_byte(kind, "component outer alias kind", sort_at);
  }
  if (!sort) return sort.error();
  a.sort = *sort;
  if (a.kind == AliasKind::Outer) {
    RILL_TRY(a.count, r.u32());
    RILL_TRY(a.index, r.u32());
    return a;
  }
  RILL_TRY(a.instance, r.u32());
  RILL_TRY(a.name, read_string(r));
  return a;
}

}  // namespace detail

namespace {

using namespace detail;  // NOLINT(google-build-using-namespace): the .cpp's own helpers

constexpr uint32_t kMagic = 0x6d736100;  // "\0asm"
constexpr uint16_t kCoreVersion = 1;
constexpr uint16_t kComponentVersion = 0x0d;
constexpr uint16_t kCoreLayer = 0;
constexpr uint16_t kComponentLayer = 1;

Result<BinaryKind> read_preamble(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint32_t magic, r.u32_fixed());
  if (magic != kMagic) return Error{"magic header not detected", at};
  const uint64_t vat = r.offset();
  RILL_TRY(const uint32_t word, r.u32_fixed());
  const auto version = static_cast<uint16_t>(word & 0xffff);
  const auto layer = static_cast<uint16_t>(word >> 16);
  if (layer == kCoreLayer) {
    if (version != kCoreVersion) return Error{"unknown binary version", vat};
    return BinaryKind::CoreModule;
  }
  if (layer == kComponentLayer) {
    if (version != kComponentVersion) return Error{"unknown binary version", vat};
    return BinaryKind::Component;
  }
  return Error{"unknown binary layer", vat + 2};
}

/// Calls {fn(r)} for each item of a vec(...) section, adding the definition it returns.
template <class F>
Result<void> read_definitions(Reader& r, Component& c, DecodeContext& ctx, const char* what,
                              F&& fn) {
  RILL_TRY(const uint32_t n, read_count(r, kMaxSectionItems, what));
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t at = r.offset();
    RILL_CHECK_OK(count_definition(ctx, at));
    auto def = fn(r);
    if (!def) return std::move(def).error();
    c.defs.push_back(Definition{std::move(*def), at});
  }
  return {};
}

Result<CoreInstance> read_core_instance(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t form, r.u8());
  if (form == 0x00) {
    CoreInstantiate inst;
    RILL_TRY(const uint32_t m, r.u32());
    inst.module = CoreModuleIdx{m};
    RILL_TRY(const uint32_t n, read_count(r, kMaxListItems, "instantiation arguments"));
    for (uint32_t i = 0; i < n; ++i) {
      CoreInstantiateArg arg;
      RILL_TRY(arg.name, read_string(r));
      const uint64_t kind_at = r.offset();
      RILL_TRY(const uint8_t kind, r.u8());
      if (kind != 0x12) return invalid_leading_byte(kind, "instantiation arg kind", kind_at);
      RILL_TRY(const uint32_t instance, r.u32());
      arg.instance = CoreInstanceIdx{instance};
      inst.args.push_back(std::move(arg));
    }
    return CoreInstance{std::move(inst)};
  }
  if (form != 0x01) return invalid_leading_byte(form, "core instance", at);
  CoreInstanceFromExports inst;
  RILL_TRY(const uint32_t n, read_count(r, kMaxListItems, "inline exports"));
  for (uint32_t i = 0; i < n; ++i) {
    CoreInlineExport e;
    RILL_TRY(e.name, read_string(r));
    RILL_TRY(e.item.sort, read_core_sort(r));
    RILL_TRY(e.item.index, r.u32());
    inst.exports.push_back(std::move(e));
  }
  return CoreInstance{std::move(inst)};
}

Result<Instance> read_instance(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t form, r.u8());
  if (form == 0x00) {
    Instantiate inst;
    RILL_TRY(const uint32_t c, r.u32());
    inst.component = ComponentIdx{c};
    RILL_TRY(const uint32_t n, read_count(r, kMaxListItems, "instantiation arguments"));
    for (uint32_t i = 0; i < n; ++i) {
      InstantiateArg arg;
      RILL_TRY(arg.name, read_string(r));
      RILL_TRY(arg.item, read_sort_idx(r));
      inst.args.push_back(std::move(arg));
    }
    return Instance{std::move(inst)};
  }
  if (form != 0x01) return invalid_leading_byte(form, "instance", at);
  InstanceFromExports inst;
  RILL_TRY(const uint32_t n, read_count(r, kMaxListItems, "inline exports"));
  for (uint32_t i = 0; i < n; ++i) {
    InlineExport e;
    RILL_TRY(e.name, read_extern_name(r));
    RILL_TRY(e.item, read_sort_idx(r));
    inst.exports.push_back(std::move(e));
  }
  return Instance{std::move(inst)};
}

Result<Start> read_start(Reader& r) {
  Start s;
  RILL_TRY(const uint32_t f, r.u32());
  s.func = FuncIdx{f};
  RILL_TRY(const uint32_t n, read_count(r, kMaxListItems, "start arguments"));
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(const uint32_t v, r.u32());
    s.args.push_back(ValueIdx{v});
  }
  RILL_TRY(s.results, r.u32());
  return s;
}

Result<Import> read_import(Reader& r) {
  Import imp;
  RILL_TRY(imp.name, read_extern_name(r));
  RILL_TRY(imp.type, read_extern_type(r));
  return imp;
}

Result<Export> read_export(Reader& r) {
  Export e;
  RILL_TRY(e.name, read_extern_name(r));
  RILL_TRY(e.item, read_sort_idx(r));
  RILL_TRY(const bool has_type, read_option_flag(r, "optional component export type"));
  if (has_type) {
    RILL_TRY(e.type, read_extern_type(r));
  }
  return e;
}

Result<Value> read_value(Reader& r) {
  Value v;
  RILL_TRY(v.type, read_val_type(r));
  RILL_TRY(v.size, r.u32());
  v.offset = r.offset();
  RILL_CHECK_OK(r.skip(v.size));
  return v;
}

/// A core module section: the payload is a whole core module, decoded by the core decoder.
/// Its offsets are relative to the module, so errors are moved to the component's.
Result<void> read_core_module(Reader& r, Component& c) {
  const uint64_t at = r.offset();
  Reader pre(r.data().subspan(r.pos()), at);
  auto kind = read_preamble(pre);
  if (kind && *kind == BinaryKind::Component) {
    return Error{"expected a version header for a module", at + 4};
  }
  auto m = wasm::decode_module(r.data().subspan(r.pos()));
  if (!m) {
    Error e = std::move(m).error();
    if (e.offset != kNoOffset) e.offset += at;
    return e;
  }
  CoreModule cm{std::move(*m), at, r.remaining()};
  r.advance(r.remaining());
  c.defs.push_back(Definition{std::move(cm), at});
  return {};
}

Result<std::shared_ptr<const Component>> read_component(Reader& r, DecodeContext& ctx);

Result<void> read_custom(Reader& r, Component& c) {
  CustomSection s;
  RILL_TRY(s.name, read_string(r));
  s.offset = r.offset();
  s.size = r.remaining();
  if (s.name == "component-name") decode_name_section(r, c.names);
  r.advance(r.remaining());
  c.customs.push_back(std::move(s));
  return {};
}

Result<void> read_section(uint8_t id, Reader& r, Component& c, DecodeContext& ctx) {
  switch (id) {
    case kCustomSection: return read_custom(r, c);
    case kCoreModuleSection: {
      RILL_CHECK_OK(count_definition(ctx, r.offset()));
      return read_core_module(r, c);
    }
    case kCoreInstanceSection:
      return read_definitions(r, c, ctx, "core instances", read_core_instance);
    case kCoreTypeSection:
      return read_definitions(r, c, ctx, "core types",
                              [&](Reader& rr) { return read_core_type(rr, ctx); });
    case kComponentSection: {
      const uint64_t at = r.offset();
      RILL_CHECK_OK(count_definition(ctx, at));
      RILL_TRY(auto nested, read_component(r, ctx));
      c.defs.push_back(Definition{std::move(nested), at});
      return {};
    }
    case kInstanceSection: return read_definitions(r, c, ctx, "instances", read_instance);
    case kAliasSection: return read_definitions(r, c, ctx, "aliases", read_alias);
    case kTypeSection:
      return read_definitions(r, c, ctx, "types", [&](Reader& rr) { return read_type(rr, ctx); });
    case kCanonSection: return read_definitions(r, c, ctx, "canonical functions", read_canon);
    case kStartSection: {
      const uint64_t at = r.offset();
      RILL_CHECK_OK(count_definition(ctx, at));
      RILL_TRY(Start s, read_start(r));
      c.defs.push_back(Definition{std::move(s), at});
      return {};
    }
    case kImportSection: return read_definitions(r, c, ctx, "imports", read_import);
    case kExportSection: return read_definitions(r, c, ctx, "exports", read_export);
    case kValueSection: return read_definitions(r, c, ctx, "values", read_value);
    default: return invalid_leading_byte(id, "component section id", r.offset());
  }
}

/// A component from its preamble to the end of {r} (a whole input or a component section).
Result<std::shared_ptr<const Component>> read_component(Reader& r, DecodeContext& ctx) {
  const uint64_t start = r.offset();
  if (ctx.depth >= kMaxNestingDepth) return nesting_too_deep(start);
  RILL_TRY(const BinaryKind kind, read_preamble(r));
  if (kind != BinaryKind::Component)
    return Error{"expected a version header for a component", start + 4};
  auto c = std::make_shared<Component>();
  c->offset = start;
  c->size = r.remaining() + 8;
  ++ctx.depth;
  while (!r.at_end()) {
    const uint64_t id_at = r.offset();
    RILL_TRY(const uint8_t id, r.u8());
    if (id > kValueSection) return Error{"malformed section id", id_at};
    const uint64_t size_at = r.offset();
    RILL_TRY(const uint32_t size, r.u32());
    if (size > r.remaining()) return Error{"unexpected end: section size out of bounds", size_at};
    SectionInfo info{id, r.offset(), size, static_cast<uint32_t>(c->defs.size()), 0};
    Reader sr(r.data().subspan(r.pos(), size), r.offset());
    r.advance(size);
    RILL_CHECK_OK(read_section(id, sr, *c, ctx));
    if (!sr.at_end()) return Error{"section size mismatch", sr.offset()};
    info.num_defs = static_cast<uint32_t>(c->defs.size()) - info.first_def;
    c->sections.push_back(info);
  }
  --ctx.depth;
  return std::shared_ptr<const Component>(std::move(c));
}

}  // namespace

Result<BinaryKind> detect_binary_kind(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  return read_preamble(r);
}

Result<std::shared_ptr<const Component>> decode_component(std::span<const uint8_t> bytes) {
  Reader r(bytes);
  DecodeContext ctx;
  return read_component(r, ctx);
}

}  // namespace rill::component
