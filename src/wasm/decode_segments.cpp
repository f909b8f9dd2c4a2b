// Element, data count, data and code sections, and constant expressions.
// Function bodies are only framed here (locals decoded, not expanded); their instructions are decoded later
// by CodeReader under the validator.
#include <string>
#include <utility>

#include "rill/wasm/code_reader.h"
#include "rill/wasm/decode_internal.h"

namespace rill::wasm::detail {
namespace {

/// Element segment flags (bits): 0 = passive or declarative, 1 = explicit table index (active)
/// or declarative (otherwise), 2 = items are expressions rather than function indices.
constexpr uint32_t kElemPassiveOrDecl = 0x1;
constexpr uint32_t kElemTableOrDecl = 0x2;
constexpr uint32_t kElemExprs = 0x4;
constexpr uint32_t kMaxElemFlags = 0x7;

/// Data segment flags: 0 active (memory 0), 1 passive, 2 active with a memory index.
constexpr uint32_t kDataPassive = 1;
constexpr uint32_t kDataActiveExplicit = 2;

bool opens_block(Op op) { return op == Op::Block || op == Op::Loop || op == Op::If; }

/// An element segment's item count. DecodeLimits::max_table_init bounds the whole module's
/// entries: each becomes a ConstExpr (~150 bytes), far more than its one byte of input.
Result<uint32_t> read_item_count(Reader& r, DecodeState& s) {
  const uint64_t room = s.limits.max_table_init - s.table_init_entries;
  RILL_TRY(const uint32_t n, read_count(r, room, "table initializers"));
  s.table_init_entries += n;
  return n;
}

/// An element segment's items given as function indices: each becomes `ref.func N`.
Result<void> read_func_index_items(Reader& r, DecodeState& s, ElemSegment& seg) {
  RILL_TRY(const uint32_t n, read_item_count(r, s));
  seg.items.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    ConstExpr e;
    e.offset = r.offset();
    Instr in;
    in.op = Op::RefFunc;
    in.offset = e.offset;
    RILL_TRY(in.index, r.u32());
    e.code.push_back(in);
    seg.items.push_back(std::move(e));
  }
  return {};
}

Result<void> read_expr_items(Reader& r, DecodeState& s, ElemSegment& seg) {
  RILL_TRY(const uint32_t n, read_item_count(r, s));
  seg.items.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(ConstExpr e, read_const_expr(r));
    seg.items.push_back(std::move(e));
  }
  return {};
}

Result<ElemSegment> read_elem_segment(Reader& r, DecodeState& s) {
  ElemSegment seg;
  seg.decl_offset = r.offset();
  RILL_TRY(const uint32_t flags, r.u32());
  if (flags > kMaxElemFlags) return Error{"malformed elements segment kind", seg.decl_offset};
  if (flags & kElemPassiveOrDecl) {
    seg.mode = (flags & kElemTableOrDecl) ? SegmentMode::Declarative : SegmentMode::Passive;
  } else {
    seg.mode = SegmentMode::Active;
    if (flags & kElemTableOrDecl) {
      RILL_TRY(seg.table, r.u32());
    }
    RILL_TRY(seg.offset, read_const_expr(r));
  }
  // Forms 0 and 4 have neither an element kind nor a type: funcref.
  const bool typed = (flags & (kElemPassiveOrDecl | kElemTableOrDecl)) != 0;
  if (flags & kElemExprs) {
    if (typed) {
      RILL_TRY(seg.type, read_ref_type(r));
    }
    RILL_CHECK_OK(read_expr_items(r, s, seg));
  } else {
    if (typed) {
      const uint64_t at = r.offset();
      RILL_TRY(const uint8_t kind, r.u8());
      if (kind != 0x00) return Error{"malformed element kind", at};
    }
    RILL_CHECK_OK(read_func_index_items(r, s, seg));
  }
  return seg;
}

/// Frames one function body: size, local declarations (checked against the per-function and
/// module-wide limits; kept as declared, not expanded), code.
Result<FuncBody> read_func_body(Reader& r, DecodeState& s, uint32_t defined_index) {
  const Module& m = s.m;
  FuncBody body;
  body.body_offset = r.offset();
  RILL_TRY(const uint32_t size, r.u32());
  if (size > r.remaining()) return Error{kUnexpectedEndOfSection, r.offset() + r.remaining()};
  if (size > s.limits.max_function_size) return Error{"function body too large", body.body_offset};
  const uint64_t start = r.offset();
  RILL_TRY(const auto bytes, r.bytes(size));
  Reader br(bytes, start);

  // Params count against the same limit; an invalid type index is the validator's to report.
  uint64_t total = 0;
  const uint32_t func = m.num_imported_funcs + defined_index;
  if (func < m.funcs.size() && m.funcs[func] < m.types.size()) {
    total = m.types[m.funcs[func]].params.size();
  }
  RILL_TRY(const uint32_t ndecls, read_count(br, s.limits.max_locals, "locals"));
  for (uint32_t i = 0; i < ndecls; ++i) {
    const uint64_t at = br.offset();
    RILL_TRY(const uint32_t count, br.u32());
    total += count;
    if (total > s.limits.max_locals) return Error{"too many locals", at};
    // The module-wide bound: validation and translation cost time per declared local.
    s.module_locals += count;
    if (s.module_locals > s.limits.max_module_locals) {
      return Error{"too many locals: the module's functions declare more than " +
                       std::to_string(s.limits.max_module_locals) + " in total",
                   at};
    }
    RILL_TRY(const ValType t, read_val_type(br));
    if (count == 0) continue;
    if (!body.local_decls.empty() && body.local_decls.back().type == t) {
      body.local_decls.back().count += count;
    } else {
      body.local_decls.push_back({count, t});
    }
    body.num_locals += count;
  }
  body.code_offset = br.offset();
  body.end_offset = start + size;
  // The body must close with `end`; whether that byte really is the final `end` (and not an
  // immediate) is checked when the validator reads the instructions.
  if (br.at_end() || bytes.back() != 0x0b) {
    const bool at_eof = body.end_offset == m.bytes.size();
    return Error{at_eof ? kUnexpectedEndOfSection : "END opcode expected", body.end_offset};
  }
  return body;
}

}  // namespace

Result<ConstExpr> read_const_expr(Reader& r) {
  ConstExpr e;
  e.offset = r.offset();
  CodeReader cr(r.data().subspan(r.pos()), r.offset());
  uint32_t depth = 0;  // open blocks: their `end`s belong to the expression
  Instr in;
  for (;;) {
    RILL_CHECK_OK(cr.next(in));
    if (in.op == Op::End) {
      if (depth == 0) break;
      --depth;
    } else if (in.op == Op::Else && depth == 0) {
      return Error{"END opcode expected", in.offset};
    } else if (opens_block(in.op)) {
      ++depth;
    }
    if (e.code.size() >= kMaxConstExprLength) return Error{"constant expression too long", in.offset};
    e.code.push_back(in);
    e.code.back().br_table = {};  // the labels live in {cr}; constant expressions never branch
  }
  RILL_CHECK_OK(r.skip(static_cast<size_t>(cr.offset() - r.offset())));
  return e;
}

Result<void> decode_element_section(Reader& r, DecodeState& s) {
  RILL_TRY(const uint32_t n, read_count(r, s.limits.max_elem_segments, "element segments"));
  s.m.elems.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(ElemSegment seg, read_elem_segment(r, s));
    s.m.elems.push_back(std::move(seg));
  }
  return {};
}

Result<void> decode_data_count_section(Reader& r, DecodeState& s) {
  RILL_TRY(s.m.data_count, r.u32());
  return {};
}

Result<void> decode_data_section(Reader& r, DecodeState& s) {
  Module& m = s.m;
  s.has_data = true;
  const uint64_t at = r.offset();
  RILL_TRY(const uint32_t n, read_count(r, s.limits.max_data_segments, "data segments"));
  if (m.data_count && *m.data_count != n) {
    return Error{"data count and data section have inconsistent lengths", at};
  }
  m.datas.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    DataSegment seg;
    const uint64_t flags_at = r.offset();
    RILL_TRY(const uint32_t flags, r.u32());
    if (flags > kDataActiveExplicit) return Error{"malformed data segment kind", flags_at};
    if (flags == kDataPassive) {
      seg.mode = SegmentMode::Passive;
    } else {
      seg.mode = SegmentMode::Active;
      if (flags == kDataActiveExplicit) {
        RILL_TRY(seg.memory, r.u32());
      }
      RILL_TRY(seg.offset, read_const_expr(r));
    }
    RILL_TRY(seg.size, r.u32());
    seg.data_offset = r.offset();
    if (seg.size > r.remaining()) return Error{kUnexpectedEndOfSection, r.offset() + r.remaining()};
    RILL_CHECK_OK(r.skip(seg.size));
    m.datas.push_back(std::move(seg));
  }
  return {};
}

Result<void> decode_code_section(Reader& r, DecodeState& s) {
  s.code_count_offset = r.offset();
  RILL_TRY(const uint32_t n, read_count(r, s.limits.max_functions, "functions"));
  s.code_count = n;  // compared with the function section once every section is seen
  s.m.code.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    RILL_TRY(FuncBody body, read_func_body(r, s, i));
    s.m.code.push_back(std::move(body));
  }
  return {};
}

}  // namespace rill::wasm::detail
