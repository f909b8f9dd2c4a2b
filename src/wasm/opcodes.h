// Opcode enumeration and metadata generated from opcodes.def.
// Op values are dense (0..kOpCount-1) so they index handler tables; the binary encoding is in OpInfo.
#pragma once

#include <cstdint>
#include <optional>

namespace rill::wasm {

/// Kinds of immediate operand an instruction carries.
enum class ImmKind : uint8_t {
  None,        ///< no immediate
  Block,       ///< block type (empty, value type or type index)
  Index,       ///< one u32 index (label, local, global, func, table, memory, elem, data)
  IndexPair,   ///< two u32 indices (call_indirect type+table, memory.init data+mem, table.copy dst+src, ...)
  BrTable,     ///< vector of labels plus default
  SelectT,     ///< vector of value types (select with types)
  MemArg,      ///< align, (memory index), offset
  MemArgLane,  ///< memarg followed by a lane index byte
  Lane,        ///< one lane index byte
  Shuffle,     ///< 16 lane index bytes
  I32,         ///< signed LEB i32
  I64,         ///< signed LEB i64
  F32,         ///< 4 raw bytes
  F64,         ///< 8 raw bytes
  V128,        ///< 16 raw bytes
  HeapType,    ///< ref.null's heap type
};

enum class Op : uint16_t {
#define RILL_OP(name, prefix, code, text, imm, sig) name,
#include "rill/wasm/opcodes.def"
  Count
};

inline constexpr uint32_t kOpCount = static_cast<uint32_t>(Op::Count);

/// Static facts about one opcode.
struct OpInfo {
  const char* name;     ///< text format mnemonic, e.g. "i32.add"
  uint8_t prefix;       ///< 0, 0xFC or 0xFD
  uint32_t code;        ///< opcode byte or LEB sub-opcode after the prefix
  ImmKind imm;
  const char* sig;      ///< "params:results" (i,l,f,d,v) or "" when typed by hand
};

/// Metadata for {op}.
const OpInfo& op_info(Op op);
inline const char* op_name(Op op) { return op_info(op).name; }

/// Maps an encoding to an Op; nullopt when the byte (or prefix+sub-opcode) is not a supported opcode.
std::optional<Op> lookup_op(uint8_t prefix, uint32_t code);

/// If the encoding belongs to a known but unsupported proposal, its name ("exception handling",
/// "typed function references", "garbage collection", "threads", "relaxed SIMD", "memory64"), else null.
const char* unsupported_proposal(uint8_t prefix, uint32_t code);

}  // namespace rill::wasm
