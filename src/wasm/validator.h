// Validator: module-level checks and a step-wise function-body validator.
// FuncValidator is driven one Instr at a time so the interpreter's translator can validate and
// translate in a single pass, reading the operand/control stacks the validator maintains.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "rill/base/result.h"
#include "rill/wasm/instr.h"
#include "rill/wasm/module.h"

namespace rill::wasm {

/// Facts about a module shared by all its functions' validation (computed once).
struct ModuleContext {
  const Module* module = nullptr;
  std::vector<uint8_t> declared_funcs;  ///< 1 when a function may be named by ref.func
};

/// Check everything except function bodies: types, imports, limits, globals' and segments'
/// constant expressions, exports (unique names), start function, data count.
/// On success fills {ctx} for function validation.
Result<void> validate_module_header(const Module& m, ModuleContext& ctx);

/// Validates one function body, instruction by instruction.
class FuncValidator {
 public:
  /// A control frame (spec: ctrl_frame).
  struct Ctrl {
    Op op = Op::Block;                 ///< Block, Loop, If, Else, or Call for the function frame
    std::vector<ValType> params;       ///< start types
    std::vector<ValType> results;      ///< end types
    uint32_t height = 0;               ///< operand stack height at entry (after params popped)
    bool unreachable = false;
    /// Types a branch to this label carries: params for a loop, results otherwise.
    const std::vector<ValType>& label_types() const { return op == Op::Loop ? params : results; }
  };

  /// {func_index} is in the function index space (imports first), so it names a defined function
  /// when >= Module::num_imported_funcs. {ctx} must have passed validate_module_header.
  FuncValidator(const ModuleContext& ctx, uint32_t func_index);

  /// Make this validator ready for another function of the same module (begin() comes next),
  /// keeping its storage: validating many bodies then allocates nothing per body.
  void reset(uint32_t func_index);

  /// Push the function frame. Call once before the first step().
  Result<void> begin();
  /// Validate {in}, updating the stacks.
  Result<void> step(const Instr& in);
  /// Hot loops: validates the common well-typed cases without building a Result. False leaves
  /// the state unchanged: call step(), which handles everything and reports any error.
  bool try_step(const Instr& in);
  /// After the last instruction: the function frame must have been closed by its `end`.
  Result<void> finish(uint64_t end_offset) const;

  // State for a translator (valid between steps).
  uint32_t num_locals() const { return static_cast<uint32_t>(locals_.size()); }  ///< params + locals
  ValType local_type(uint32_t i) const { return locals_[i]; }
  uint32_t stack_height() const { return static_cast<uint32_t>(vals_.size()); }
  /// Type of operand {i} counted from the bottom (Bot in unreachable code).
  ValType stack_type(uint32_t i) const { return vals_[i]; }
  uint32_t ctrl_depth() const { return static_cast<uint32_t>(ctrls_.size()); }
  /// Control frame {depth} counted from the top (0 = innermost), as labels count.
  const Ctrl& ctrl(uint32_t depth) const { return ctrls_[ctrls_.size() - 1 - depth]; }
  /// True when the current code is unreachable (after br, return, unreachable, ...).
  bool unreachable() const { return !ctrls_.empty() && ctrls_.back().unreachable; }

 private:
  const ModuleContext& ctx_;
  const Module& m_;
  uint32_t func_index_;
  std::vector<ValType> locals_;
  std::vector<ValType> vals_;
  std::vector<Ctrl> ctrls_;
  // Private helpers are declared in validator.cpp's implementation as needed.
  std::vector<std::vector<ValType>> spare_;  ///< recycled params/results vectors of popped frames
  uint64_t ctrl_types_ = 0;                  ///< params+results held by open frames (bounded)
  bool begun_ = false;                       ///< begin() ran (the function frame was pushed)
 public:
  /// Implementation detail, exposed for validator.cpp's free helper functions.
  struct Impl;
  friend struct Impl;
};

/// Validate the whole module (header and every function body).
Result<void> validate_module(const Module& m);

}  // namespace rill::wasm
