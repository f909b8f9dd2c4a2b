// Constant-expression evaluator: a tiny stack machine over the pre-decoded instructions.
#include "rill/engine/const_eval.h"

#include <string>
#include <vector>

namespace rill::engine {
namespace {

/// Operand stack: a few values inline (the common case is one instruction), the rest on the heap.
class ConstStack {
 public:
  void push(const Value& v) {
    if (size_ < kInline)
      inline_[size_] = v;
    else
      overflow_.push_back(v);
    ++size_;
  }
  bool pop(Value& out) {
    if (size_ == 0) return false;
    --size_;
    if (size_ < kInline) {
      out = inline_[size_];
    } else {
      out = overflow_.back();
      overflow_.pop_back();
    }
    return true;
  }
  uint32_t size() const { return size_; }

 private:
  static constexpr uint32_t kInline = 4;
  Value inline_[kInline];
  std::vector<Value> overflow_;
  uint32_t size_ = 0;
};

/// Pops two operands of {type} and pushes {op}(a, b) with wrapping arithmetic.
template <class Fn>
Result<void> binary(ConstStack& stack, wasm::ValType type, const wasm::Instr& in, Fn op) {
  Value b;
  Value a;
  if (!stack.pop(b) || !stack.pop(a) || a.type != type || b.type != type) {
    return unexpected("type mismatch", in.offset);
  }
  if (type == wasm::kI32)
    stack.push(Value::from_i32(static_cast<uint32_t>(op(uint64_t{a.i32}, uint64_t{b.i32}))));
  else
    stack.push(Value::from_i64(op(a.i64, b.i64)));
  return {};
}

Result<void> step(ConstStack& stack, const wasm::Instr& in, const Instance& inst) {
  using wasm::Op;
  switch (in.op) {
    case Op::I32Const: stack.push(Value::from_i32(static_cast<uint32_t>(in.num.i32))); return {};
    case Op::I64Const: stack.push(Value::from_i64(static_cast<uint64_t>(in.num.i64))); return {};
    case Op::F32Const: stack.push(Value::from_f32_bits(in.num.f32_bits)); return {};
    case Op::F64Const: stack.push(Value::from_f64_bits(in.num.f64_bits)); return {};
    case Op::V128Const: stack.push(Value::from_v128(in.v128)); return {};
    case Op::RefNull: stack.push(Value::from_ref(in.heap_type, nullptr)); return {};
    case Op::RefFunc:
      if (in.index >= inst.funcs.size())
        return unexpected("unknown function " + std::to_string(in.index), in.offset);
      stack.push(Value::from_ref(wasm::kFuncRef, inst.funcs[in.index]));
      return {};
    case Op::GlobalGet: {
      if (in.index >= inst.globals.size())
        return unexpected("unknown global " + std::to_string(in.index), in.offset);
      const Global* g = inst.globals[in.index];
      stack.push(load_value(g->value, g->type.type));
      return {};
    }
    case Op::I32Add:
      return binary(stack, wasm::kI32, in, [](uint64_t a, uint64_t b) { return a + b; });
    case Op::I32Sub:
      return binary(stack, wasm::kI32, in, [](uint64_t a, uint64_t b) { return a - b; });
    case Op::I32Mul:
      return binary(stack, wasm::kI32, in, [](uint64_t a, uint64_t b) { return a * b; });
    case Op::I64Add:
      return binary(stack, wasm::kI64, in, [](uint64_t a, uint64_t b) { return a + b; });
    case Op::I64Sub:
      return binary(stack, wasm::kI64, in, [](uint64_t a, uint64_t b) { return a - b; });
    case Op::I64Mul:
      return binary(stack, wasm::kI64, in, [](uint64_t a, uint64_t b) { return a * b; });
    default: return unexpected("constant expression required", in.offset);
  }
}

}  // namespace

Result<Value> eval_const(const wasm::ConstExpr& expr, const Instance& inst) {
  ConstStack stack;
  for (const wasm::Instr& in : expr.code) RILL_CHECK_OK(step(stack, in, inst));
  Value result;
  if (stack.size() != 1 || !stack.pop(result)) return unexpected("type mismatch", expr.offset);
  return result;
}

}  // namespace rill::engine
