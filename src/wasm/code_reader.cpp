// CodeReader: opcode and immediate decoding for function bodies and constant expressions.
// Encoding only; whether an instruction is allowed or well-typed is the validator's job.
#include "rill/wasm/code_reader.h"

#include <cstdio>
#include <iterator>
#include <string>
#include <type_traits>

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


// ---- fast path: the encodings real code uses, without Result traffic ----

constexpr uint16_t kNoOp = 0xffff;

/// Immediate classes try_next() decodes without a switch; the rest go through fast_immediates().
constexpr uint8_t kClsNone = 0;   ///< no immediate
constexpr uint8_t kClsIndex = 1;  ///< one u32 LEB in Instr::index
constexpr uint8_t kClsI32 = 2;    ///< one s32 LEB in Instr::num.i32
constexpr uint8_t kClsOther = 3;

/// An opcode and its immediate kind, by encoding.
struct FastOp {
  uint16_t op = kNoOp;
  ImmKind imm = ImmKind::None;
  uint8_t cls = kClsOther;
};

struct FastTables {
  FastOp single[256];
  FastOp fc[32];
  FastOp fd[256];
  constexpr void add(uint8_t prefix, uint32_t code, Op op, ImmKind imm) {
    FastOp* slot = nullptr;
    if (prefix == 0) slot = &single[code];
    else if (prefix == 0xFC) slot = &fc[code];
    else slot = &fd[code];
    slot->op = static_cast<uint16_t>(op);
    slot->imm = imm;
    slot->cls = imm == ImmKind::None    ? kClsNone
                : imm == ImmKind::Index ? kClsIndex
                : imm == ImmKind::I32   ? kClsI32
                                        : kClsOther;
  }
  constexpr FastTables() {
#define RILL_OP(name, prefix, code, text, imm, sig) add(prefix, code, Op::name, ImmKind::imm);
#include "rill/wasm/opcodes.def"
  }
};
constexpr FastTables kFast;

/// The value type a type byte encodes, or Bot for anything the slow path must judge.
constexpr ValType fast_val_type(uint8_t b) {
  switch (b) {
    case 0x7f: return kI32;
    case 0x7e: return kI64;
    case 0x7d: return kF32;
    case 0x7c: return kF64;
    case 0x7b: return kV128;
    case 0x70: return kFuncRef;
    case 0x6f: return kExternRef;
    default: return ValType{};
  }
}

/// Unsigned LEB128 exactly as Reader::leb accepts it; false (p unchanged) for what it rejects.
template <class U, int Bits>
inline bool fast_uleb(const uint8_t*& p, const uint8_t* end, U& v) {
  if (p < end && *p < 0x80) {
    v = *p++;
    return true;
  }
  constexpr int kMaxBytes = (Bits + 6) / 7;
  U result = 0;
  for (int i = 0; i < kMaxBytes; ++i) {
    if (p + i >= end) return false;
    const uint8_t b = p[i];
    if (i == kMaxBytes - 1) {
      const int used = Bits - 7 * i;
      if ((b & 0x80) || ((b & 0x7f) >> used)) return false;
    }
    result |= static_cast<U>(static_cast<U>(b & 0x7f) << (7 * i));
    if (!(b & 0x80)) {
      v = result;
      p += i + 1;
      return true;
    }
  }
  return false;
}

/// Signed LEB128 (Bits == the width of T) exactly as Reader::leb accepts it.
template <class T>
inline bool fast_sleb(const uint8_t*& p, const uint8_t* end, T& v) {
  using U = std::make_unsigned_t<T>;
  constexpr int kBits = static_cast<int>(sizeof(T) * 8);
  if (p < end && *p < 0x80) {
    const uint8_t b = *p++;
    v = static_cast<T>((b & 0x40) ? static_cast<int>(b) - 0x80 : static_cast<int>(b));
    return true;
  }
  constexpr int kMaxBytes = (kBits + 6) / 7;
  U result = 0;
  for (int i = 0; i < kMaxBytes; ++i) {
    if (p + i >= end) return false;
    const uint8_t b = p[i];
    const int shift = 7 * i;
    if (i == kMaxBytes - 1) {
      const int used = kBits - shift;
      if (b & 0x80) return false;
      const auto sign_bits = static_cast<uint8_t>(static_cast<uint8_t>(b & 0x7f) >> (used - 1));
      const auto all = static_cast<uint8_t>(0x7f >> (used - 1));
      if (sign_bits != 0 && sign_bits != all) return false;
    }
    result |= static_cast<U>(static_cast<U>(b & 0x7f) << shift);
    if (!(b & 0x80)) {
      if (shift + 7 < kBits && (b & 0x40)) result |= static_cast<U>(~U{0} << (shift + 7));
      v = static_cast<T>(result);
      p += i + 1;
      return true;
    }
  }
  return false;
}

inline bool fast_mem_arg(const uint8_t*& p, const uint8_t* end, MemArg& out) {
  uint32_t flags;
  if (!fast_uleb<uint32_t, 32>(p, end, flags) || flags >= kMaxMemArgFlags) return false;
  MemArg m;
  m.align = flags & ~kMemIdxFlag;
  if ((flags & kMemIdxFlag) && !fast_uleb<uint32_t, 32>(p, end, m.mem)) return false;
  if (!fast_uleb<uint64_t, 64>(p, end, m.offset) || m.offset > kMaxMemOffset32) return false;
  out = m;
  return true;
}

/// Immediates of {imm} at {p}; false when the slow path must decide.
inline bool fast_immediates(ImmKind imm, const uint8_t*& p, const uint8_t* end, Instr& out) {
  switch (imm) {
    case ImmKind::None:
      return true;
    case ImmKind::Index:
      return fast_uleb<uint32_t, 32>(p, end, out.index);
    case ImmKind::IndexPair:
      return fast_uleb<uint32_t, 32>(p, end, out.index) &&
             fast_uleb<uint32_t, 32>(p, end, out.index2);
    case ImmKind::I32:
      return fast_sleb<int32_t>(p, end, out.num.i32);
    case ImmKind::I64:
      return fast_sleb<int64_t>(p, end, out.num.i64);
    case ImmKind::MemArg:
      return fast_mem_arg(p, end, out.mem);
    case ImmKind::Block: {
      if (p >= end) return false;
      const uint8_t b = *p;
      BlockType bt;
      if (b == 0x40) {
        ++p;
      } else if (b & 0x80) {  // a type index (multi-value): let the slow path read the s33
        return false;
      } else {
        bt.value = fast_val_type(b);
        if (bt.value == ValType{}) return false;
        bt.kind = BlockType::Kind::Value;
        ++p;
      }
      out.block = bt;
      return true;
    }
    case ImmKind::F32:
      if (end - p < 4) return false;
      std::memcpy(&out.num.f32_bits, p, 4);
      p += 4;
      return true;
    case ImmKind::F64:
      if (end - p < 8) return false;
      std::memcpy(&out.num.f64_bits, p, 8);
      p += 8;
      return true;
    case ImmKind::Shuffle:
    case ImmKind::V128:
      if (end - p < 16) return false;
      std::memcpy(out.v128.bytes, p, 16);
      p += 16;
      return true;
    case ImmKind::Lane:
      if (p >= end) return false;
      out.lane = *p++;
      return true;
    case ImmKind::MemArgLane:
      if (!fast_mem_arg(p, end, out.mem) || p >= end) return false;
      out.lane = *p++;
      return true;
    case ImmKind::HeapType: {
      if (p >= end || (*p != 0x70 && *p != 0x6f)) return false;
      out.heap_type = *p++ == 0x70 ? kFuncRef : kExternRef;
      return true;
    }
    case ImmKind::BrTable:
    case ImmKind::SelectT:
      return false;
  }
  return false;
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

bool CodeReader::try_next(Instr& out) {
  const std::span<const uint8_t> data = r_.data();
  const uint8_t* const begin = data.data() + r_.pos();
  const uint8_t* const end = data.data() + data.size();
  if (begin >= end) return false;
  const uint8_t* p = begin;
  const uint8_t b = *p++;
  FastOp f = kFast.single[b];
  if (b == 0xFC || b == 0xFD) {
    uint32_t code;
    if (!fast_uleb<uint32_t, 32>(p, end, code)) return false;
    if (b == 0xFC) {
      if (code >= std::size(kFast.fc)) return false;
      f = kFast.fc[code];
    } else {
      if (code >= std::size(kFast.fd)) return false;
      f = kFast.fd[code];
    }
  }
  if (f.op == kNoOp) return false;
  // As read_instr: index and index2 are reset for every instruction; the other immediates'
  // fields are written only by the opcodes that have them.
  out.index = 0;
  out.index2 = 0;
  if (f.cls != kClsOther) {
    // No immediate, or one single-byte LEB (index or i32): without branching on which, since
    // the kind of the next instruction is what a branch predictor cannot guess.
    // (num.i32 is written for every such opcode: it is meaningless for those without an I32.)
    const uint32_t next = p < end ? *p : 0xff;
    const uint32_t has_leb = f.cls != kClsNone ? 1 : 0;
    if ((has_leb & (next >> 7)) != 0) {  // a longer LEB (or the end of the input)
      if (f.cls == kClsIndex ? !fast_uleb<uint32_t, 32>(p, end, out.index)
                             : !fast_sleb<int32_t>(p, end, out.num.i32)) {
        return false;
      }
    } else {
      out.index = next & (0u - static_cast<uint32_t>(f.cls == kClsIndex));
      out.num.i32 = static_cast<int32_t>(next << 25) >> 25;
      p += has_leb;
    }
  } else if (!fast_immediates(f.imm, p, end, out)) {
    return false;
  }
  out.op = static_cast<Op>(f.op);
  out.offset = r_.offset();
  r_.advance(static_cast<size_t>(p - begin));
  return true;
}

Result<void> CodeReader::next_slow(Instr& out) {
  auto res = read_instr(r_, max_br_table_, br_targets_, out);
  if (!res && res.error().message == "unexpected end") {
    // Code always lives inside a section or a function body; say which bound was hit.
    return Error{"unexpected end of section or function", res.error().offset};
  }
  return res;
}

}  // namespace rill::wasm
