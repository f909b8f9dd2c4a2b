// Translator: emitters for everything that is not block structure or branching: numeric,
// variables (with result retargeting into locals), memory, tables, calls, references and SIMD.
#include <algorithm>
#include <cstring>
#include <string>

#include "rill/engine/interp/translator.h"

namespace rill::engine::interp {

using wasm::Op;
using wasm::ValType;

namespace {

ValType sig_type(char c) {
  switch (c) {
    case 'l': return wasm::kI64;
    case 'f': return wasm::kF32;
    case 'd': return wasm::kF64;
    case 'v': return wasm::kV128;
    default: return wasm::kI32;
  }
}

/// Result type from an opcodes.def signature ("ii:i" -> i32).
ValType sig_result(Op op) {
  const char* sig = wasm::op_info(op).sig;
  const char* colon = sig;
  while (*colon != '\0' && *colon != ':') ++colon;
  return sig_type(*colon == ':' ? colon[1] : 'i');
}

uint32_t sig_params(Op op) {
  uint32_t n = 0;
  for (const char* s = wasm::op_info(op).sig; *s != '\0' && *s != ':'; ++s) ++n;
  return n;
}

/// The comparison with its operands swapped (a < b == b > a), or Nop when {op} does not commute.
Op swap_operands(Op op) {
  switch (op) {
    case Op::I32Add: case Op::I32Mul: case Op::I32And: case Op::I32Or: case Op::I32Xor:
    case Op::I32Eq: case Op::I32Ne: case Op::I64Add: case Op::I64Mul: case Op::I64And:
    case Op::I64Or: case Op::I64Xor: case Op::I64Eq: case Op::I64Ne:
      return op;
    case Op::I32LtS: return Op::I32GtS;
    case Op::I32LtU: return Op::I32GtU;
    case Op::I32GtS: return Op::I32LtS;
    case Op::I32GtU: return Op::I32LtU;
    case Op::I32LeS: return Op::I32GeS;
    case Op::I32LeU: return Op::I32GeU;
    case Op::I32GeS: return Op::I32LeS;
    case Op::I32GeU: return Op::I32LeU;
    case Op::I64LtS: return Op::I64GtS;
    case Op::I64LtU: return Op::I64GtU;
    case Op::I64GtS: return Op::I64LtS;
    case Op::I64GtU: return Op::I64LtU;
    case Op::I64LeS: return Op::I64GeS;
    case Op::I64LeU: return Op::I64GeU;
    case Op::I64GeS: return Op::I64LeS;
    case Op::I64GeU: return Op::I64LeU;
    default: return Op::Nop;
  }
}

bool is_compare(Op op) { return kNumInfo[static_cast<uint32_t>(op)].br != kNoIOp; }

}  // namespace

uint32_t Translator::emit_array(IOp op, const uint32_t* operands, uint32_t n) {
  const uint32_t start = emit(op, 1 + (n + 1) / 2);
  for (uint32_t k = 0; k < n; ++k) set_operand(start, k, operands[k]);
  return start;
}

void Translator::generic(IOp iop, uint32_t pops, const uint32_t* extra, uint32_t num_extra, const ValType* result) {
  uint32_t ops[12];
  uint32_t n = 0;
  if (result != nullptr) ops[n++] = 0;
  const auto base = static_cast<uint32_t>(stack_.size()) - pops;
  for (uint32_t i = 0; i < pops; ++i) ops[n++] = use(base + i);
  truncate(base);
  for (uint32_t i = 0; i < num_extra; ++i) ops[n++] = extra[i];
  if (result != nullptr) {
    push_stack(*result);
    ops[0] = stack_.back().slot;
  }
  const uint32_t start = emit_array(iop, ops, n);
  if (result != nullptr) set_last(start);
}

Result<void> Translator::op(const wasm::Instr& in) {
  const ValType i32 = wasm::kI32;
  switch (in.op) {
    case Op::Unreachable:
      emit(IOp::Unreachable, 1);
      dead_ = true;
      return {};
    case Op::Nop:
      return {};
    case Op::Call:
    case Op::ReturnCall:
      call(in.index, in.op == Op::ReturnCall);
      return {};
    case Op::CallIndirect:
    case Op::ReturnCallIndirect:
      call_indirect(in, in.op == Op::ReturnCallIndirect);
      return {};
    case Op::Drop:
      pop();
      return {};
    case Op::Select:
    case Op::SelectT: {
      const ValType t = stack_[stack_.size() - 3].type;
      const auto base = static_cast<uint32_t>(stack_.size()) - 3;
      use(base);  // constants are materialized (emitted) before acc is consulted
      use(base + 1);
      const bool cond_acc = !t.is_vec() && in_acc(use(base + 2));
      // SelectC ignores its cond operand: the value is in acc.
      generic(t.is_vec() ? IOp::SelectV128 : cond_acc ? IOp::SelectC : IOp::Select, 3, {}, &t);
      return {};
    }
    case Op::LocalGet:
      push_local(in.index);
      return {};
    case Op::LocalSet:
    case Op::LocalTee:
      local_set(in.index, in.op == Op::LocalTee);
      return {};
    case Op::GlobalGet: {
      const ValType t = m_.globals[in.index].type;
      generic(t.is_vec() ? IOp::GlobalGetV128 : IOp::GlobalGet, 0, {in.index}, &t);
      return {};
    }
    case Op::GlobalSet:
      generic(stack_.back().size == 2 ? IOp::GlobalSetV128 : IOp::GlobalSet, 1, {in.index}, nullptr);
      return {};
    case Op::TableGet: {
      const ValType t = m_.tables[in.index].elem;
      generic(IOp::TableGet, 1, {in.index}, &t);
      return {};
    }
    case Op::TableSet:
      generic(IOp::TableSet, 2, {in.index}, nullptr);
      return {};
    case Op::I32Const:
      push_const(wasm::kI32, static_cast<uint32_t>(in.num.i32));
      return {};
    case Op::I64Const:
      push_const(wasm::kI64, static_cast<uint64_t>(in.num.i64));
      return {};
    case Op::F32Const:
      push_const(wasm::kF32, in.num.f32_bits);
      return {};
    case Op::F64Const:
      push_const(wasm::kF64, in.num.f64_bits);
      return {};
    case Op::V128Const: {
      push_stack(wasm::kV128);
      const uint32_t start = emit(IOp::ConstV128, 4);
      set_operand(start, 0, stack_.back().slot);
      std::memcpy(&code_[start + 2], in.v128.bytes, 16);
      set_last(start);
      return {};
    }
    case Op::RefNull:
      push_const(in.heap_type, 0);
      return {};
    case Op::RefFunc: {
      const ValType t = wasm::kFuncRef;
      generic(IOp::RefFunc, 0, {in.index}, &t);
      return {};
    }
    case Op::I32ReinterpretF32:
    case Op::I64ReinterpretF64:
    case Op::F32ReinterpretI32:
    case Op::F64ReinterpretI64:
      stack_.back().type = sig_result(in.op);  // same bits, new type: nothing to run
      return {};
    case Op::MemorySize:
      generic(IOp::MemorySize, 0, {in.index}, &i32);
      return {};
    case Op::MemoryGrow:
      generic(IOp::MemoryGrow, 1, {in.index}, &i32);
      return {};
    case Op::MemoryFill:
      generic(IOp::MemoryFill, 3, {in.index}, nullptr);
      return {};
    case Op::MemoryCopy:
      generic(IOp::MemoryCopy, 3, {in.index, in.index2}, nullptr);
      return {};
    case Op::MemoryInit:
      generic(IOp::MemoryInit, 3, {in.index, in.index2}, nullptr);
      return {};
    case Op::DataDrop:
      generic(IOp::DataDrop, 0, {in.index}, nullptr);
      return {};
    case Op::TableSize:
      generic(IOp::TableSize, 0, {in.index}, &i32);
      return {};
    case Op::TableGrow:
      generic(IOp::TableGrow, 2, {in.index}, &i32);
      return {};
    case Op::TableFill:
      generic(IOp::TableFill, 3, {in.index}, nullptr);
      return {};
    case Op::TableCopy:
      generic(IOp::TableCopy, 3, {in.index, in.index2}, nullptr);
      return {};
    case Op::TableInit:
      generic(IOp::TableInit, 3, {in.index, in.index2}, nullptr);
      return {};
    case Op::ElemDrop:
      generic(IOp::ElemDrop, 0, {in.index}, nullptr);
      return {};
    default:
      break;
  }
  return memory_or_numeric(in);
}

Result<void> Translator::memory_or_numeric(const wasm::Instr& in) {
  if (in.mem.offset > UINT32_MAX) return unexpected("offset out of range", in.offset);
  const uint32_t mem = in.mem.mem;
  switch (in.op) {
    case Op::I32Load: case Op::F32Load: case Op::I64Load32U:
      load(in, mem == 0 ? IOp::Load32U : IOp::Load32UM);
      return {};
    case Op::I64Load: case Op::F64Load:
      load(in, mem == 0 ? IOp::Load64 : IOp::Load64M);
      return {};
    case Op::I32Load8U: case Op::I64Load8U:
      load(in, mem == 0 ? IOp::Load8U : IOp::Load8UM);
      return {};
    case Op::I32Load16U: case Op::I64Load16U:
      load(in, mem == 0 ? IOp::Load16U : IOp::Load16UM);
      return {};
    case Op::I32Load8S:
      load(in, mem == 0 ? IOp::I32Load8S : IOp::I32Load8SM);
      return {};
    case Op::I32Load16S:
      load(in, mem == 0 ? IOp::I32Load16S : IOp::I32Load16SM);
      return {};
    case Op::I64Load8S:
      load(in, mem == 0 ? IOp::I64Load8S : IOp::I64Load8SM);
      return {};
    case Op::I64Load16S:
      load(in, mem == 0 ? IOp::I64Load16S : IOp::I64Load16SM);
      return {};
    case Op::I64Load32S:
      load(in, mem == 0 ? IOp::I64Load32S : IOp::I64Load32SM);
      return {};
    case Op::I32Store: case Op::F32Store: case Op::I64Store32:
      store(in, IOp::Store32);
      return {};
    case Op::I64Store: case Op::F64Store:
      store(in, IOp::Store64);
      return {};
    case Op::I32Store8: case Op::I64Store8:
      store(in, IOp::Store8);
      return {};
    case Op::I32Store16: case Op::I64Store16:
      store(in, IOp::Store16);
      return {};
    default:
      break;
  }
  if (wasm::op_info(in.op).prefix == 0xFD) return simd(in);
  const NumInfo& ni = kNumInfo[static_cast<uint32_t>(in.op)];
  if (ni.shape == NumShape::None) return unexpected(std::string("unsupported instruction ") + wasm::op_name(in.op), in.offset);
  const ValType result = in.op == Op::RefIsNull ? wasm::kI32 : sig_result(in.op);
  if (ni.shape == NumShape::Binary) {
    binary(in.op, result);
    return {};
  }
  const uint32_t x = use(static_cast<uint32_t>(stack_.size()) - 1);
  generic(in_acc(x) ? ni.op_a : ni.op, 1, {}, &result);  // the _A form ignores operand 1
  if (in.op == Op::I32Eqz) {
    last_.op = Op::I32Eqz;
    last_.a = x;
  }
  return {};
}

// The fused-address IOps follow their base IOp: N, N##M, N##AI, N##AR (iops.inc).
static_assert(static_cast<uint32_t>(IOp::Load64AI) == static_cast<uint32_t>(IOp::Load64) + 2);
static_assert(static_cast<uint32_t>(IOp::Store8AR) == static_cast<uint32_t>(IOp::Store8) + 3);
static_assert(static_cast<uint32_t>(IOp::Load16U_A) == static_cast<uint32_t>(IOp::Load16U) + kLoadA);
static_assert(static_cast<uint32_t>(IOp::Store16I) == static_cast<uint32_t>(IOp::Store16) + 4);
static_assert(static_cast<uint32_t>(IOp::Store32AI_I) == static_cast<uint32_t>(IOp::Store32) + 5);
static_assert(static_cast<uint32_t>(IOp::Store64AR_I) == static_cast<uint32_t>(IOp::Store64) + 6);
static_assert(static_cast<uint32_t>(IOp::Load32UAI_A) == static_cast<uint32_t>(IOp::Load32UAI) + 3);
static_assert(static_cast<uint32_t>(IOp::I64Load32SAR_A) == static_cast<uint32_t>(IOp::I64Load32SAR) + 3);

bool Translator::take_fused_address(uint32_t pos, FusedAddr& out) {
  if (!last_.valid || last_.entry != pos || stack_[pos].kind != Entry::kStack) return false;
  if (last_.iop != IOp::I32AddImm && last_.iop != IOp::I32Add) return false;
  out.a = last_.a;
  out.imm = last_.iop == IOp::I32AddImm;
  out.b = out.imm ? static_cast<uint32_t>(last_.imm) : last_.b;
  drop_last(last_.start);  // the add is folded into the access
  return true;
}

void Translator::load(const wasm::Instr& in, IOp iop) {
  const ValType t = sig_result(in.op);
  const auto off = static_cast<uint32_t>(in.mem.offset);
  const auto base = static_cast<uint32_t>(iop);
  FusedAddr fa;
  if (in.mem.mem == 0 && take_fused_address(static_cast<uint32_t>(stack_.size()) - 1, fa)) {
    pop();
    push_stack(t);
    const uint32_t dst = stack_.back().slot;
    uint32_t start;
    if (fa.imm) {
      start = in_acc(fa.a) ? emit_ops(static_cast<IOp>(base + 2 + 3), {dst, off, fa.b})
                           : emit_ops(static_cast<IOp>(base + 2), {dst, fa.a, off, fa.b});
    } else if (in_acc(fa.a) || in_acc(fa.b)) {
      const uint32_t other = in_acc(fa.a) ? fa.b : fa.a;  // a + b commutes
      start = emit_ops(static_cast<IOp>(base + 3 + 3), {dst, other, off});
    } else {
      start = emit_ops(static_cast<IOp>(base + 3), {dst, fa.a, fa.b, off});
    }
    set_last(start);
    return;
  }
  if (in.mem.mem == 0 && in_acc(use(static_cast<uint32_t>(stack_.size()) - 1))) {
    pop();
    push_stack(t);
    set_last(emit_ops(static_cast<IOp>(base + kLoadA), {stack_.back().slot, off}));
    return;
  }
  generic(iop, 1, {off, in.mem.mem}, &t);
}

void Translator::store(const wasm::Instr& in, IOp iop) {
  const auto off = static_cast<uint32_t>(in.mem.offset);
  const auto top = static_cast<uint32_t>(stack_.size()) - 1;
  if (in.mem.mem == 0 && stack_[top].kind == Entry::kConst) {
    // A constant value is an immediate: nothing is materialized, so an address add just
    // emitted can still fold into the access.
    const uint64_t bits = stack_[top].bits;
    pop();
    const auto base = static_cast<uint32_t>(iop);
    FusedAddr fa;
    uint32_t start;
    if (take_fused_address(top - 1, fa)) {
      truncate(top - 1);
      start = fa.imm ? emit_ops(static_cast<IOp>(base + 5), {fa.a, 0, off, fa.b, 0, 0})
                     : emit_ops(static_cast<IOp>(base + 6), {fa.a, 0, fa.b, off, 0, 0});
      code_[start + 3].u64 = bits;
      return;
    }
    const uint32_t addr = use(top - 1);
    truncate(top - 1);
    start = emit_ops(static_cast<IOp>(base + 4), {addr, off, 0, 0});
    code_[start + 2].u64 = bits;
    return;
  }
  const uint32_t value = use(top);  // first: a materialized constant ends any fusion chance
  FusedAddr fa;
  if (in.mem.mem == 0 && take_fused_address(top - 1, fa)) {
    truncate(top - 1);
    const auto base = static_cast<uint32_t>(iop);
    if (fa.imm) emit_ops(static_cast<IOp>(base + 2), {fa.a, value, off, fa.b});
    else emit_ops(static_cast<IOp>(base + 3), {fa.a, value, fa.b, off});
    return;
  }
  const uint32_t addr = use(top - 1);
  truncate(top - 1);
  emit_ops(in.mem.mem == 0 ? iop : static_cast<IOp>(static_cast<uint32_t>(iop) + 1), {addr, value, off, in.mem.mem});
}

void Translator::binary(Op op, ValType result) {
  const NumInfo* ni = &kNumInfo[static_cast<uint32_t>(op)];
  const auto top = static_cast<uint32_t>(stack_.size()) - 1;
  uint32_t a_index = top - 1;
  uint64_t imm = 0;
  bool use_imm = false;
  if (ni->imm != kNoIOp && stack_[top].kind == Entry::kConst) {
    imm = stack_[top].bits;
    use_imm = true;
  } else if (ni->imm != kNoIOp && stack_[top - 1].kind == Entry::kConst && swap_operands(op) != Op::Nop) {
    imm = stack_[top - 1].bits;
    op = swap_operands(op);
    ni = &kNumInfo[static_cast<uint32_t>(op)];
    a_index = top;
    use_imm = true;
  }
  if (use_imm) {
    const uint32_t a = use(a_index);
    const bool a_acc = in_acc(a);
    truncate(top - 1);
    push_stack(result);
    const uint32_t start = emit(a_acc ? ni->imm_a : ni->imm, 3);
    set_operand(start, 0, stack_.back().slot);
    set_operand(start, 1, a);
    code_[start + 2].u64 = imm;
    set_last(start, is_compare(op) ? op : Op::Nop);
    last_.iop = ni->imm;
    last_.a = a;
    last_.b_imm = true;
    last_.imm = imm;
    return;
  }
  const uint32_t a = use(top - 1);
  const uint32_t b = use(top);
  truncate(top - 1);
  push_stack(result);
  uint32_t start;
  if (in_acc(a)) {
    start = emit_ops(ni->op_a, {stack_.back().slot, b});
  } else if (in_acc(b)) {
    start = emit_ops(ni->op_b, {stack_.back().slot, a});
  } else {
    start = emit_ops(ni->op, {stack_.back().slot, a, b});
  }
  set_last(start, is_compare(op) ? op : Op::Nop);
  last_.iop = ni->op;
  last_.a = a;
  last_.b = b;
  last_.b_imm = false;
}

void Translator::local_set(uint32_t index, bool tee) {
  const uint32_t ls = local_slot_[index];
  const auto top = static_cast<uint32_t>(stack_.size()) - 1;
  const Entry v = stack_[top];
  // Retarget: the instruction that produced the value writes the local directly.
  const bool retarget = v.kind == Entry::kStack && last_.valid && last_.entry == top && local_refs_[ls] == 0;
  if (retarget) {
    set_operand(last_.start, 0, ls);
    last_.valid = false;
    if (in_acc(v.slot)) acc_.slot = ls;  // the value is in acc and now in the local
    pop();
  } else {
    pop();
    if (!(v.kind == Entry::kLocal && v.local == ls)) {
      materialize_local_refs(ls);  // entries still naming the old value get their copy first
      move(v, ls);
    }
  }
  if (tee) push_local(index);
}

void Translator::call(uint32_t func, bool tail) {
  const wasm::FuncType& ft = m_.func_type(func);
  const auto first = static_cast<uint32_t>(stack_.size() - ft.params.size());
  for (uint32_t i = first; i < stack_.size(); ++i) materialize(i);
  const uint32_t argbase = first < stack_.size() ? stack_[first].slot : next_slot();
  const uint32_t nslots = next_slot() - argbase;
  truncate(first);
  if (tail) {
    emit_ops(IOp::ReturnCall, {func, argbase, nslots});
    dead_ = true;
    return;
  }
  emit_ops(IOp::Call, {func, argbase});
  for (ValType t : ft.results) push_stack(t);
}

void Translator::call_indirect(const wasm::Instr& in, bool tail) {
  const wasm::FuncType& ft = m_.types[in.index];
  const uint32_t index = use(static_cast<uint32_t>(stack_.size()) - 1);
  pop();
  const auto first = static_cast<uint32_t>(stack_.size() - ft.params.size());
  for (uint32_t i = first; i < stack_.size(); ++i) materialize(i);
  const uint32_t argbase = first < stack_.size() ? stack_[first].slot : next_slot();
  const uint32_t nslots = next_slot() - argbase;
  truncate(first);
  if (tail) {
    emit_ops(IOp::ReturnCallIndirect, {in.index, in.index2, argbase, index, nslots});
    dead_ = true;
    return;
  }
  emit_ops(IOp::CallIndirect, {in.index, in.index2, argbase, index});
  for (ValType t : ft.results) push_stack(t);
}

Result<void> Translator::simd(const wasm::Instr& in) {
  const auto off = static_cast<uint32_t>(in.mem.offset);
  const uint32_t mem = in.mem.mem;
  const ValType v128 = wasm::kV128;
  switch (in.op) {
    case Op::V128Load: case Op::V128Load8x8S: case Op::V128Load8x8U: case Op::V128Load16x4S:
    case Op::V128Load16x4U: case Op::V128Load32x2S: case Op::V128Load32x2U: case Op::V128Load8Splat:
    case Op::V128Load16Splat: case Op::V128Load32Splat: case Op::V128Load64Splat: case Op::V128Load32Zero:
    case Op::V128Load64Zero:
      generic(simd_mem_iop(in.op), 1, {off, mem}, &v128);
      return {};
    case Op::V128Store:
      generic(IOp::V128Store, 2, {off, mem}, nullptr);
      return {};
    case Op::V128Load8Lane: case Op::V128Load16Lane: case Op::V128Load32Lane: case Op::V128Load64Lane: {
      const auto top = static_cast<uint32_t>(stack_.size()) - 1;
      const uint32_t addr = use(top - 1);
      const uint32_t vec = use(top);
      truncate(top - 1);
      push_stack(v128);
      const uint32_t ops[] = {stack_.back().slot, addr, off, mem, vec, in.lane};
      set_last(emit_array(simd_mem_iop(in.op), ops, 6));
      return {};
    }
    case Op::V128Store8Lane: case Op::V128Store16Lane: case Op::V128Store32Lane: case Op::V128Store64Lane:
      generic(simd_mem_iop(in.op), 2, {off, mem, in.lane, 0}, nullptr);
      return {};
    default:
      break;
  }
  const IOp iop = kSimdIOp[static_cast<uint32_t>(in.op)];
  if (iop == kNoIOp) return unexpected(std::string("unsupported instruction ") + wasm::op_name(in.op), in.offset);
  const uint32_t pops = sig_params(in.op);
  const ValType result = sig_result(in.op);
  const wasm::ImmKind imm = wasm::op_info(in.op).imm;
  if (imm == wasm::ImmKind::Shuffle) {
    generic(iop, 2, {0, 0, 0, 0, 0}, &result);  // [dst|a][b|-][lanes][lanes]
    std::memcpy(&code_[last_.start + 3], in.v128.bytes, 16);
    return {};
  }
  // Pad to the fixed [h][dst|a][b|c] shape; a lane index takes the operand after the inputs.
  uint32_t extra[3] = {0, 0, 0};
  if (imm == wasm::ImmKind::Lane) extra[0] = in.lane;
  generic(iop, pops, extra, pops < 3 ? 3 - pops : 0, &result);
  return {};
}

IOp Translator::simd_mem_iop(Op op) {
  switch (op) {
    case Op::V128Load: return IOp::V128Load;
    case Op::V128Load8x8S: return IOp::V128Load8x8S;
    case Op::V128Load8x8U: return IOp::V128Load8x8U;
    case Op::V128Load16x4S: return IOp::V128Load16x4S;
    case Op::V128Load16x4U: return IOp::V128Load16x4U;
    case Op::V128Load32x2S: return IOp::V128Load32x2S;
    case Op::V128Load32x2U: return IOp::V128Load32x2U;
    case Op::V128Load8Splat: return IOp::V128Load8Splat;
    case Op::V128Load16Splat: return IOp::V128Load16Splat;
    case Op::V128Load32Splat: return IOp::V128Load32Splat;
    case Op::V128Load64Splat: return IOp::V128Load64Splat;
    case Op::V128Load32Zero: return IOp::V128Load32Zero;
    case Op::V128Load64Zero: return IOp::V128Load64Zero;
    case Op::V128Load8Lane: return IOp::V128Load8Lane;
    case Op::V128Load16Lane: return IOp::V128Load16Lane;
    case Op::V128Load32Lane: return IOp::V128Load32Lane;
    case Op::V128Load64Lane: return IOp::V128Load64Lane;
    case Op::V128Store8Lane: return IOp::V128Store8Lane;
    case Op::V128Store16Lane: return IOp::V128Store16Lane;
    case Op::V128Store32Lane: return IOp::V128Store32Lane;
    case Op::V128Store64Lane: return IOp::V128Store64Lane;
    default: return IOp::Unreachable;
  }
}

}  // namespace rill::engine::interp
