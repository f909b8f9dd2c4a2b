// One decoded instruction with its immediates, as produced by CodeReader.
// The validator and the interpreter's translator both consume this form (one opcode loop).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

#include "rill/wasm/opcodes.h"
#include "rill/wasm/types.h"

namespace rill::wasm {

/// A 128-bit SIMD value, little-endian lanes.
struct alignas(16) V128 {
  uint8_t bytes[16];
  friend bool operator==(const V128& a, const V128& b) { return std::memcmp(a.bytes, b.bytes, 16) == 0; }
};

/// A block's type: no result, one value type, or a function type index (multi-value).
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, Index };
  Kind kind = Kind::Empty;
  ValType value;
  uint32_t type_index = 0;
};

/// Memory operand: alignment exponent, memory index (multi-memory) and static offset.
struct MemArg {
  uint32_t align = 0;
  uint32_t mem = 0;
  uint64_t offset = 0;
};

struct Instr {
  Op op = Op::Nop;
  uint64_t offset = 0;    ///< file offset of the opcode's first byte
  uint32_t index = 0;     ///< Index immediates; first of IndexPair
  uint32_t index2 = 0;    ///< second of IndexPair
  uint8_t lane = 0;       ///< Lane / MemArgLane
  MemArg mem;             ///< MemArg / MemArgLane
  BlockType block;        ///< Block
  ValType select_type;    ///< SelectT (exactly one type; more is "invalid result arity")
  ValType heap_type;      ///< HeapType: kFuncRef or kExternRef
  union {
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
  } num{};
  V128 v128{};            ///< V128 constant / Shuffle lanes
  /// BrTable: the label list (without the default, which is in {index}); valid until the next read.
  std::span<const uint32_t> br_table;
};

}  // namespace rill::wasm
