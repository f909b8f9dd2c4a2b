// Reader for the canon section (Binary.md "Canonical Definitions"): lift, lower and every
// built-in of canon.def, with their canonopts. Which options a definition may take, and their
// uniqueness, are validation rules (CanonicalABI.md), not checked here.
#include <utility>

#include "rill/component/decode_internal.h"
#include "rill/wasm/code_reader.h"

namespace rill::component {

const char* to_string(CanonKind k) {
  switch (k) {
#define RILL_CANON(name, opcode, text, imm) \
  case CanonKind::name:                     \
    return text;
#include "rill/component/canon.def"
#undef RILL_CANON
  }
  return "?";
}

const char* to_string(CanonOptKind k) {
  switch (k) {
    case CanonOptKind::Utf8: return "string-encoding=utf8";
    case CanonOptKind::Utf16: return "string-encoding=utf16";
    case CanonOptKind::Latin1Utf16: return "string-encoding=latin1+utf16";
    case CanonOptKind::Memory: return "memory";
    case CanonOptKind::Realloc: return "realloc";
    case CanonOptKind::PostReturn: return "post-return";
    case CanonOptKind::Async: return "async";
    case CanonOptKind::Callback: return "callback";
  }
  return "?";
}

namespace detail {
namespace {

/// The immediate forms named in canon.def.
enum class Imm : uint8_t {
  Lift,
  Lower,
  None,
  Type,
  TaskReturn,
  Context,
  Async,
  TypeOpts,
  TypeAsync,
  Opts,
  CancelMemory,
  Cancel,
  TypeTable,
  SharedType,
  SharedTypeTable,
  Shared,
};

struct CanonInfo {
  bool known = false;
  Imm imm = Imm::None;
};

/// Opcode -> immediates, built from canon.def (opcodes are below 0x80).
constexpr auto kCanonTable = [] {
  struct Table {
    CanonInfo info[0x80];
  } t{};
#define RILL_CANON(name, opcode, text, immediates) \
  t.info[opcode] = CanonInfo{true, Imm::immediates};
#include "rill/component/canon.def"
#undef RILL_CANON
  return t;
}();

Result<std::vector<CanonOpt>> read_opts(Reader& r) {
  RILL_TRY(const uint32_t n, read_count(r, kMaxCanonOpts, "canonical options"));
  std::vector<CanonOpt> opts;
  for (uint32_t i = 0; i < n; ++i) {
    CanonOpt o;
    o.offset = r.offset();
    RILL_TRY(const uint8_t kind, r.u8());
    if (kind > 0x07) return invalid_leading_byte(kind, "canonical option", o.offset);
    o.kind = static_cast<CanonOptKind>(kind);
    switch (o.kind) {
      case CanonOptKind::Memory:
      case CanonOptKind::Realloc:
      case CanonOptKind::PostReturn:
      case CanonOptKind::Callback: {
        RILL_TRY(o.index, r.u32());
        break;
      }
      default: break;
    }
    opts.push_back(o);
  }
  return opts;
}

/// The 0x00 that follows lift/lower: the `func` sort of the lifted/lowered function.
Result<void> read_func_sort(Reader& r, const char* what) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t b, r.u8());
  if (b != 0x00) return invalid_leading_byte(b, what, at);
  return {};
}

Result<void> read_immediates(Imm imm, Reader& r, Canon& c) {
  switch (imm) {
    case Imm::None: return {};
    case Imm::Lift: {
      RILL_CHECK_OK(read_func_sort(r, "canonical function lift"));
      RILL_TRY(c.index, r.u32());
      RILL_TRY(c.opts, read_opts(r));
      RILL_TRY(const uint32_t ft, r.u32());
      c.func_type = TypeIdx{ft};
      return {};
    }
    case Imm::Lower: {
      RILL_CHECK_OK(read_func_sort(r, "canonical function lower"));
      RILL_TRY(c.index, r.u32());
      RILL_TRY(c.opts, read_opts(r));
      return {};
    }
    case Imm::Type: {
      RILL_TRY(c.index, r.u32());
      return {};
    }
    case Imm::TaskReturn: {
      RILL_TRY(c.result, read_result_list(r));
      RILL_TRY(c.opts, read_opts(r));
      return {};
    }
    case Imm::Context: {
      RILL_TRY(c.core_type, wasm::read_val_type(r));
      RILL_TRY(c.slot, r.u32());
      return {};
    }
    case Imm::Async: {
      RILL_TRY(c.async, read_bool(r));
      return {};
    }
    case Imm::TypeOpts: {
      RILL_TRY(c.index, r.u32());
      RILL_TRY(c.opts, read_opts(r));
      return {};
    }
    case Imm::TypeAsync: {
      RILL_TRY(c.index, r.u32());
      RILL_TRY(c.async, read_bool(r));
      return {};
    }
    case Imm::Opts: {
      RILL_TRY(c.opts, read_opts(r));
      return {};
    }
    case Imm::CancelMemory: {
      RILL_TRY(c.cancellable, read_bool(r));
      RILL_TRY(const uint32_t m, r.u32());
      c.memory = CoreMemIdx{m};
      return {};
    }
    case Imm::Cancel: {
      RILL_TRY(c.cancellable, read_bool(r));
      return {};
    }
    case Imm::TypeTable:
    case Imm::SharedType:
    case Imm::SharedTypeTable:
    case Imm::Shared: {
      if (imm != Imm::TypeTable) {
        RILL_TRY(c.shared, read_bool(r));
      }
      if (imm == Imm::Shared) return {};
      RILL_TRY(const uint32_t ft, r.u32());
      c.core_func_type = CoreTypeIdx{ft};
      if (imm == Imm::SharedType) return {};
      RILL_TRY(const uint32_t tbl, r.u32());
      c.table = CoreTableIdx{tbl};
      return {};
    }
  }
  return {};
}

}  // namespace

Result<Canon> read_canon(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t op, r.u8());
  if (op >= 0x80 || !kCanonTable.info[op].known)
    return invalid_leading_byte(op, "canonical function", at);
  Canon c;
  c.kind = static_cast<CanonKind>(op);
  RILL_CHECK_OK(read_immediates(kCanonTable.info[op].imm, r, c));
  return c;
}

}  // namespace detail
}  // namespace rill::component
