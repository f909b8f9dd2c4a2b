// Per-opcode facts the validator needs beyond OpInfo::sig: natural alignment of every load/store
// (from its access size) and the lane count of every lane-indexed SIMD instruction.
#include "rill/wasm/validator_internal.h"

#include <array>

namespace rill::wasm::detail {

namespace {

constexpr uint32_t align_of(Op op) {
  switch (op) {
    case Op::I32Load8S: case Op::I32Load8U: case Op::I64Load8S: case Op::I64Load8U:
    case Op::I32Store8: case Op::I64Store8: case Op::V128Load8Splat: case Op::V128Load8Lane:
    case Op::V128Store8Lane:
      return 0;
    case Op::I32Load16S: case Op::I32Load16U: case Op::I64Load16S: case Op::I64Load16U:
    case Op::I32Store16: case Op::I64Store16: case Op::V128Load16Splat: case Op::V128Load16Lane:
    case Op::V128Store16Lane:
      return 1;
    case Op::I32Load: case Op::F32Load: case Op::I32Store: case Op::F32Store:
    case Op::I64Load32S: case Op::I64Load32U: case Op::I64Store32: case Op::V128Load32Splat:
    case Op::V128Load32Zero: case Op::V128Load32Lane: case Op::V128Store32Lane:
      return 2;
    case Op::I64Load: case Op::F64Load: case Op::I64Store: case Op::F64Store:
    case Op::V128Load8x8S: case Op::V128Load8x8U: case Op::V128Load16x4S: case Op::V128Load16x4U:
    case Op::V128Load32x2S: case Op::V128Load32x2U: case Op::V128Load64Splat:
    case Op::V128Load64Zero: case Op::V128Load64Lane: case Op::V128Store64Lane:
      return 3;
    case Op::V128Load: case Op::V128Store:
      return 4;
    default:
      return 0;
  }
}

}  // namespace

uint32_t natural_alignment(Op op) { return align_of(op); }

constinit const std::array<uint8_t, kOpCount> kNaturalAlignment = [] {
  std::array<uint8_t, kOpCount> a{};
  for (uint32_t i = 0; i < kOpCount; ++i) a[i] = static_cast<uint8_t>(align_of(static_cast<Op>(i)));
  return a;
}();

uint32_t lane_count(Op op) {
  switch (op) {
    case Op::I8x16ExtractLaneS: case Op::I8x16ExtractLaneU: case Op::I8x16ReplaceLane:
    case Op::V128Load8Lane: case Op::V128Store8Lane:
      return 16;
    case Op::I16x8ExtractLaneS: case Op::I16x8ExtractLaneU: case Op::I16x8ReplaceLane:
    case Op::V128Load16Lane: case Op::V128Store16Lane:
      return 8;
    case Op::I32x4ExtractLane: case Op::I32x4ReplaceLane: case Op::F32x4ExtractLane:
    case Op::F32x4ReplaceLane: case Op::V128Load32Lane: case Op::V128Store32Lane:
      return 4;
    case Op::I64x2ExtractLane: case Op::I64x2ReplaceLane: case Op::F64x2ExtractLane:
    case Op::F64x2ReplaceLane: case Op::V128Load64Lane: case Op::V128Store64Lane:
      return 2;
    default:
      return 0;
  }
}

}  // namespace rill::wasm::detail
