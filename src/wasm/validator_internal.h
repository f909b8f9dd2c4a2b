// Internal to the validator (validator*.cpp): error texts, limits and per-opcode memory/lane facts.
// Not part of the public API; the engine uses validator.h only.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "rill/base/result.h"
#include "rill/wasm/opcodes.h"

namespace rill::wasm::detail {

// Messages, in the spec suite's words (assert_invalid "text" fields).
inline constexpr const char* kTypeMismatch = "type mismatch";
inline constexpr const char* kEndExpected = "END opcode expected";
inline constexpr const char* kUnexpectedEndOfBody = "unexpected end of section or function";
inline constexpr const char* kAfterEnd = "operators remaining after end of function";
inline constexpr const char* kImmutableGlobal = "immutable global";
inline constexpr const char* kUndeclaredRef = "undeclared function reference";
inline constexpr const char* kDataCountRequired = "data count section required";
inline constexpr const char* kBadAlignment = "alignment must not be larger than natural";
inline constexpr const char* kBadLane = "invalid lane index";
inline constexpr const char* kOffsetRange = "offset out of range";
inline constexpr const char* kConstRequired = "constant expression required";
inline constexpr const char* kLimitsOrder = "size minimum must not be greater than maximum";
inline constexpr const char* kMemorySize = "memory size must be at most 65536 pages (4GiB)";
inline constexpr const char* kTableSize = "table size must be at most 2^32-1";
inline constexpr const char* kDuplicateExport = "duplicate export name";
inline constexpr const char* kStartFunction = "start function";
inline constexpr const char* kResultArity = "invalid result arity";
inline constexpr const char* kTooManyValues = "function too complex: operand stack limit exceeded";
inline constexpr const char* kTooDeep = "function too complex: control nesting limit exceeded";

/// Operand stack values one function may hold at once: far above real code (compilers stay
/// below a few thousand), low enough that hostile block types cannot exhaust memory.
inline constexpr uint32_t kMaxOperandStack = 1u << 20;
/// Control nesting depth of one function, for the same reason.
inline constexpr uint32_t kMaxControlDepth = 1u << 16;
/// Block param/result types held by all open control frames together (each frame copies its type).
inline constexpr uint64_t kMaxControlTypes = 1u << 20;

/// "unknown {space} {index}", e.g. "unknown memory 1".
inline Error unknown_index(const char* space, uint32_t index, uint64_t offset) {
  return Error{std::string("unknown ") + space + " " + std::to_string(index), offset};
}

/// log2 of a load/store's access size (its natural alignment); 0 for other opcodes.
uint32_t natural_alignment(Op op);
/// natural_alignment() of every opcode, indexed by Op (constant-initialized).
extern const std::array<uint8_t, kOpCount> kNaturalAlignment;
/// Lanes a Lane/MemArgLane opcode's lane immediate indexes (16 for i8x16, ...); 0 otherwise.
uint32_t lane_count(Op op);

}  // namespace rill::wasm::detail
