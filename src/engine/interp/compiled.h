// The interpreter's code format: a function translated once into an array of 8-byte Cells.
// An instruction is a handler address (direct threading) followed by operand cells; operands are
// frame slot indices packed two per cell (u32), immediates take whole cells. The layouts of the
// individual instructions are documented next to their handlers (handlers_*.inc).
#pragma once

#include <cstdint>
#include <vector>

namespace rill::engine {

/// One code word: a handler address, two u32 operands, or a 64-bit immediate.
union Cell {
  const void* handler;
  uint64_t u64;
  int64_t i64;
  uint32_t u32[2];
  int32_t i32[2];
};
static_assert(sizeof(Cell) == 8);

/// A translated wasm function. Its frame is [params][locals][operand stack], in 8-byte slots.
struct CompiledFunc {
  std::vector<Cell> code;
  uint32_t frame_size = 0;        ///< slots the frame needs (params + locals + deepest stack)
  uint32_t num_param_slots = 0;   ///< slots taken by parameters (v128 takes two)
  uint32_t num_local_slots = 0;   ///< params + declared locals, in slots
  uint32_t num_result_slots = 0;  ///< results are written to slots [0, num_result_slots)
  uint32_t func_index = 0;        ///< index in the module's function space
};

}  // namespace rill::engine
