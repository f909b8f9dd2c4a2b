// Evaluation of constant expressions (global initialisers, segment offsets and element items)
// against an instance under construction. Validation has already typed them; evaluation still
// checks indices and stack depth so a broken invariant is an Error, never a crash.
#pragma once

#include "rill/base/result.h"
#include "rill/engine/runtime.h"
#include "rill/engine/value.h"
#include "rill/wasm/module.h"

namespace rill::engine {

/// Evaluate {expr} using the functions and globals {inst} has so far (imports first, then the
/// defined ones allocated before this call). Supports t.const, ref.null, ref.func, global.get and
/// the extended-const i32/i64 add, sub and mul.
Result<Value> eval_const(const wasm::ConstExpr& expr, const Instance& inst);

}  // namespace rill::engine
