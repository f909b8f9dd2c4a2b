// CodeReader: opcode and immediate decoding for function bodies and constant expressions.
// Encoding only; whether an instruction is allowed or well-typed is the validator's job.
#include "rill/wasm/code_reader.h"

#include <cstdio>
#include <string>

#include "rill/wasm/decoder.h"

namespace rill::wasm {
namespace {

/// MemArg flags: bit 6 says a memory index follows (multi-memory); 2^7 and above are malformed.
constexpr uint32_t kMemIdxFlag = 0x40;
constexpr uint32_t kMaxMemArgFlags = 0x80;
/// Offsets of 32-bit memories (memory64 is not supported).
constexpr uint64_t kMaxMemOffset32 = 0xffff'ffffull;

Error unsupported(const char* proposal, uint64_t offset) {
  return Error{std::string(kUnsupportedPrefix) + proposal, offset};
}

/// The proposal a value-type or heap-type byte belongs to, or null when it is just malformed.
const char* proposal_of_type_byte(uint8_t b) {
  switch (b) {
    case 0x63:  // (ref null ht)
    case 0x64:  // (ref ht)
      return "typed function references";
    case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a:  // any eq i31 struct array
    case 0x71: case 0x72: case 0x73:                        // none noextern nofunc
      return "garbage collection";
    case 0x69: case 0x74:  // exn noexn
      return "exception handling";
    case 0x68: case 0x75:  // cont nocont
      return "stack switching";
    default:
      return nullptr;
  }
}

/// Reads a heap type (ref.null): func or extern; others are unsupported proposals or malformed.
Result<ValType> read_heap_type(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t b, r.u8());
  if (b == 0x70) return kFuncRef;
  if (b == 0x6f) return kExternRef;
  if (const char* p = proposal_of_type_byte(b)) return unsupported(p, at);
  // A non-negative s33 is a concrete type index (typed function references).
  if ((b & 0x40) == 0) return unsupported("typed function references", at);
  return Error{"malformed heap type", at};
}

Result<BlockType> read_block_type(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t b, r.peek_u8());
  BlockType bt;
  if (b == 0x40) {
    RILL_CHECK_OK(r.skip(1));
    return bt;
  }
  if ((b & 0xc0) == 0x40) {  // a one-byte negative s33: a value type
    RILL_TRY(bt.value, read_val_type(r));
    bt.kind = BlockType::Kind::Value;
    return bt;
  }
  RILL_TRY(const int64_t v, r.s33());
  if (v < 0) return Error{"malformed block type", at};
  bt.kind = BlockType::Kind::Index;
  bt.type_index = static_cast<uint32_t>(v);
  return bt;
}

Result<MemArg> read_mem_arg(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint32_t flags, r.u32());
  if (flags >= kMaxMemArgFlags) return Error{"malformed memop flags", at};
  MemArg m;
  m.align = flags & ~kMemIdxFlag;
  if (flags & kMemIdxFlag) {
    RILL_TRY(m.mem, r.u32());
  }
  const uint64_t off_at = r.offset();
  RILL_TRY(m.offset, r.u64());
  if (m.offset > kMaxMemOffset32) return Error{"offset out of range", off_at};
  return m;
}

Error illegal_opcode(uint8_t prefix, uint32_t code, uint64_t at) {
  char buf[48];
  if (prefix == 0) std::snprintf(buf, sizeof buf, "illegal opcode %02x", code);
  else std::snprintf(buf, sizeof buf, "illegal opcode %02x %02x", prefix, code);
  return Error{buf, at};
}

/// Decodes one instruction from {r} into {out}; {targets} holds br_table labels.
Result<void> read_instr(Reader& r, uint32_t max_br_table, std::vector<uint32_t>& targets,
                        Instr& out) {
  out.offset = r.offset();
  out.index = 0;
  out.index2 = 0;
  RILL_TRY(const uint8_t b, r.u8());
  uint8_t prefix = 0;
  uint32_t code = b;
  if (b == 0xFC || b == 0xFD) {
    prefix = b;
    RILL_TRY(code, r.u32());
  }
  const auto op = lookup_op(prefix, code);
  if (!op) {
    if (const char* p = unsupported_proposal(prefix, code)) return unsupported(p, out.offset);
    return illegal_opcode(prefix, code, out.offset);
  }
  out.op = *op;
  switch (op_info(*op).imm) {
    case ImmKind::None:
      break;
    case ImmKind::Block: {
      RILL_TRY(out.block, read_block_type(r));
      break;
    }
    case ImmKind::Index: {
      RILL_TRY(out.index, r.u32());
      break;
    }
    case ImmKind::IndexPair: {
      RILL_TRY(out.index, r.u32());
      RILL_TRY(out.index2, r.u32());
      break;
    }
    case ImmKind::BrTable: {
      const uint64_t at = r.offset();
      RILL_TRY(const uint32_t n, r.u32());
      // Each label takes at least one byte, so a count past the input is a truncation.
      if (n > r.remaining()) return Error{"unexpected end", r.offset() + r.remaining()};
      if (n > max_br_table) return Error{"br_table has too many targets", at};
      targets.clear();
      targets.reserve(n);
      for (uint32_t i = 0; i < n; ++i) {
        RILL_TRY(const uint32_t t, r.u32());
        targets.push_back(t);
      }
      RILL_TRY(out.index, r.u32());
      out.br_table = targets;
      break;
    }
    case ImmKind::SelectT: {
      // The count is kept in {index}; anything but 1 is "invalid result arity" for the validator.
      RILL_TRY(const uint32_t n, r.u32());
      out.index = n;
      out.select_type = ValType{};
      for (uint32_t i = 0; i < n; ++i) {  // each type is >= 1 byte: bounded by the input
        RILL_TRY(const ValType t, read_val_type(r));
        if (i == 0) out.select_type = t;
      }
      break;
    }
    case ImmKind::MemArg: {
      RILL_TRY(out.mem, read_mem_arg(r));
      break;
    }
    case ImmKind::MemArgLane: {
      RILL_TRY(out.mem, read_mem_arg(r));
      RILL_TRY(out.lane, r.u8());
      break;
    }
    case ImmKind::Lane: {
      RILL_TRY(out.lane, r.u8());
      break;
    }
    case ImmKind::Shuffle:
    case ImmKind::V128: {
      RILL_TRY(const auto bytes, r.bytes(16));
      std::memcpy(out.v128.bytes, bytes.data(), 16);
      break;
    }
    case ImmKind::I32: {
      RILL_TRY(out.num.i32, r.s32());
      break;
    }
    case ImmKind::I64: {
      RILL_TRY(out.num.i64, r.s64());
      break;
    }
    case ImmKind::F32: {
      RILL_TRY(out.num.f32_bits, r.u32_fixed());
      break;
    }
    case ImmKind::F64: {
      RILL_TRY(out.num.f64_bits, r.u64_fixed());
      break;
    }
    case ImmKind::HeapType: {
      RILL_TRY(out.heap_type, read_heap_type(r));
      break;
    }
  }
  return {};
}

}  // namespace

Result<ValType> read_val_type(Reader& r) {
  const uint64_t at = r.offset();
  RILL_TRY(const uint8_t b, r.u8());
  switch (b) {
    case 0x7f: return kI32;
    case 0x7e: return kI64;
    case 0x7d: return kF32;
    case 0x7c: return kF64;
    case 0x7b: return kV128;
    case 0x70: return kFuncRef;
    case 0x6f: return kExternRef;
    default: break;
  }
  if (const char* p = proposal_of_type_byte(b)) return unsupported(p, at);
  return Error{"malformed value type", at};
}

Result<void> CodeReader::next(Instr& out) {
  auto res = read_instr(r_, max_br_table_, br_targets_, out);
  if (!res && res.error().message == "unexpected end") {
    // Code always lives inside a section or a function body; say which bound was hit.
    return Error{"unexpected end of section or function", res.error().offset};
  }
  return res;
}

}  // namespace rill::wasm
