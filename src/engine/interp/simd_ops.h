// Lane semantics of every non-memory SIMD (0xFD) opcode, one inline function per opcode, named
// exactly like its wasm::Op enumerator (I8x16Add, F32x4Min, ...). Memory access (v128.load*,
// store*, *_lane, *_zero, *_splat) is the interpreter's; only the widening lane math of
// v128.loadNxM_s/u (V128Load8x8S ...) is here. Signatures follow the opcode's sig string:
//   vv:v -> V128 Op(a, b)    v:v -> V128 Op(a)     v:i -> uint32_t Op(a)
//   vi:v (shifts) -> V128 Op(a, uint32_t count)    vvv:v (bitselect) -> V128 Op(a, b, mask)
//   splat -> V128 Op(uint32_t | uint64_t), extract_lane -> uint32_t | uint64_t Op(a, lane),
//   replace_lane -> V128 Op(a, x, lane), I8x16Shuffle(a, b, lanes). Floats travel as raw bits.
#pragma once

#include "rill/engine/interp/simd_ops_detail.h"
#include "rill/engine/interp/simd_ops_float.h"
#include "rill/engine/interp/simd_ops_int.h"
#include "rill/engine/interp/simd_ops_int_arith.h"
#include "rill/engine/interp/simd_ops_lane.h"
