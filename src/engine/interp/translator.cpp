// Translator driver, shadow operand stack and control flow (blocks, branches, br_table, return).
// Per-instruction emitters are translator_ops.cpp; the code format is compiled.h.
#include "rill/engine/interp/translator.h"

#include <algorithm>

#include "rill/engine/interp/interp.h"
#include "rill/wasm/code_reader.h"

namespace rill::engine::interp {

using wasm::Op;
using wasm::ValType;

namespace {

/// Translated code may outgrow the wasm body (branches copy the values they carry), but only by
/// this much: cells per body byte plus a constant, and never past an absolute cap (256 MiB of
/// code). Bodies built to blow up (huge arities times many branches) fail to translate.
constexpr uint64_t kMaxCellsPerByte = 64;
constexpr uint64_t kMaxCellsBase = 1 << 16;
constexpr uint64_t kMaxCells = 1 << 25;

/// Negation of an integer comparison (for branching on its false outcome).
Op negate_cmp(Op op) {
  switch (op) {
    case Op::I32Eq: return Op::I32Ne;
    case Op::I32Ne: return Op::I32Eq;
    case Op::I32LtS: return Op::I32GeS;
    case Op::I32LtU: return Op::I32GeU;
    case Op::I32GtS: return Op::I32LeS;
    case Op::I32GtU: return Op::I32LeU;
    case Op::I32LeS: return Op::I32GtS;
    case Op::I32LeU: return Op::I32GtU;
    case Op::I32GeS: return Op::I32LtS;
    case Op::I32GeU: return Op::I32LtU;
    case Op::I64Eq: return Op::I64Ne;
    case Op::I64Ne: return Op::I64Eq;
    case Op::I64LtS: return Op::I64GeS;
    case Op::I64LtU: return Op::I64GeU;
    case Op::I64GtS: return Op::I64LeS;
    case Op::I64GtU: return Op::I64LeU;
    case Op::I64LeS: return Op::I64GtS;
    case Op::I64LeU: return Op::I64GtU;
    case Op::I64GeS: return Op::I64LtS;
    case Op::I64GeU: return Op::I64LtU;
    default: return Op::Nop;
  }
}

}  // namespace

Result<std::unique_ptr<CompiledFunc>> compile_function(const wasm::ModuleContext& ctx, uint32_t defined_index,
                                                       bool validated) {
  if (ctx.module == nullptr || defined_index >= ctx.module->code.size()) {
    return unexpected("compile_function: no such defined function");
  }
  Translator t(ctx, defined_index, validated);
  return t.translate();
}

Translator::Translator(const wasm::ModuleContext& ctx, uint32_t defined_index, bool validated)
    : ctx_(ctx),
      m_(*ctx.module),
      func_index_(ctx.module->num_imported_funcs + defined_index),
      type_(ctx.module->func_type(func_index_)),
      val_(ctx, func_index_),
      validated_(validated) {}

Result<std::unique_ptr<CompiledFunc>> Translator::translate() {
  const wasm::FuncBody& body = m_.code[func_index_ - m_.num_imported_funcs];
  if (!validated_) RILL_CHECK_OK(val_.begin());

  uint32_t slot = 0;
  local_slot_.reserve(type_.params.size() + body.num_locals);
  for (ValType t : type_.params) {
    local_slot_.push_back(slot);
    slot += t.slots();
  }
  const uint32_t param_slots = slot;
  for (const wasm::LocalDecl& d : body.local_decls) {
    const uint32_t n = d.type.slots();
    for (uint32_t i = 0; i < d.count; ++i, slot += n) local_slot_.push_back(slot);
  }
  if (validated_) {
    local_types_.reserve(type_.params.size() + body.num_locals);
    local_types_.insert(local_types_.end(), type_.params.begin(), type_.params.end());
    body.expand_locals(local_types_);
  }
  stack_base_ = slot;
  local_refs_.assign(slot, 0);
  for (ValType t : type_.results) result_slots_ += t.slots();
  max_slot_ = std::max(stack_base_, result_slots_);

  const std::span<const uint8_t> bytes = m_.code_bytes(body);
  max_cells_ = std::min(kMaxCells, kMaxCellsBase + kMaxCellsPerByte * bytes.size());
  code_.reserve(bytes.size() / 2 + 16);  // typical output is 0.5-0.8 cells per body byte
  Ctrl fn;
  fn.op = Op::Call;
  ctrls_.push_back(fn);

  wasm::CodeReader reader(bytes, body.code_offset);
  wasm::Instr in;
  while (!reader.at_end()) {
    if (!reader.try_next(in)) RILL_CHECK_OK(reader.next(in));  // try_*: no Result on hot paths
    if (!validated_ && !val_.try_step(in)) RILL_CHECK_OK(val_.step(in));
    if (ctrls_.empty()) return unexpected("operators remaining after end of function", in.offset);
    RILL_CHECK_OK(step(in));
    if (too_large_) return unexpected("function too large to translate", in.offset);
  }
  if (!validated_) RILL_CHECK_OK(val_.finish(body.end_offset));
  if (!ctrls_.empty()) return unexpected("unexpected end of function body", body.end_offset);
  emit(IOp::Unreachable, 1);  // guard: nothing runs off the end of the code

  if (code_.capacity() > code_.size() + code_.size() / 4) code_.shrink_to_fit();
  auto f = std::make_unique<CompiledFunc>();
  f->code = std::move(code_);
  f->frame_size = max_slot_;
  f->num_param_slots = param_slots;
  f->num_local_slots = stack_base_;
  f->num_result_slots = result_slots_;
  f->func_index = func_index_;
  return f;
}

Result<void> Translator::step(const wasm::Instr& in) {
  switch (in.op) {
    case Op::Block:
    case Op::Loop:
    case Op::If:
      enter_block(in);
      return {};
    case Op::Else:
      do_else();
      return {};
    case Op::End:
      do_end();
      return {};
    default:
      break;
  }
  if (dead_) return {};
  switch (in.op) {
    case Op::Br:
      do_br(in.index);
      return {};
    case Op::BrIf:
      do_br_if(in.index);
      return {};
    case Op::BrTable:
      do_br_table(in);
      return {};
    case Op::Return:
      emit_return();
      dead_ = true;
      return {};
    default:
      return op(in);
  }
}

// ---- Shadow stack ----------------------------------------------------------------------------

uint32_t Translator::next_slot() const {
  return stack_.empty() ? stack_base_ : stack_.back().slot + stack_.back().size;
}

void Translator::push_stack(ValType t) {
  Entry e;
  e.kind = Entry::kStack;
  e.size = static_cast<uint8_t>(t.slots());
  e.type = t;
  e.slot = next_slot();
  max_slot_ = std::max(max_slot_, e.slot + e.size);
  stack_.push_back(e);
}

void Translator::push_local(uint32_t local_index) {
  push_stack(validated_ ? local_types_[local_index] : val_.local_type(local_index));
  Entry& e = stack_.back();
  e.kind = Entry::kLocal;
  e.local = local_slot_[local_index];
  ++local_refs_[e.local];
  ++num_local_entries_;
}

void Translator::push_const(ValType t, uint64_t bits) {
  push_stack(t);
  stack_.back().kind = Entry::kConst;
  stack_.back().bits = bits;
}

Translator::Entry Translator::pop() {
  Entry e = stack_.back();
  stack_.pop_back();
  if (e.kind == Entry::kLocal) {
    --local_refs_[e.local];
    --num_local_entries_;
  }
  return e;
}

void Translator::truncate(uint32_t height) {
  while (stack_.size() > height) pop();
}

void Translator::move(const Entry& src, uint32_t dst) {
  if (src.kind == Entry::kConst) {
    const uint32_t start = emit(IOp::Const, 3);
    set_operand(start, 0, dst);
    code_[start + 2].u64 = src.bits;
    return;
  }
  const uint32_t from = src.kind == Entry::kLocal ? src.local : src.slot;
  if (from == dst) return;
  emit_ops(src.size == 2 ? IOp::Mov2 : IOp::Mov, {dst, from});
}

void Translator::materialize(uint32_t i) {
  Entry& e = stack_[i];
  if (e.kind == Entry::kStack) return;
  const Entry copy = e;
  if (copy.kind == Entry::kLocal) {
    --local_refs_[copy.local];
    --num_local_entries_;
  }
  stack_[i].kind = Entry::kStack;
  move(copy, copy.slot);
}

void Translator::materialize_locals() {
  if (num_local_entries_ == 0) return;
  for (uint32_t i = 0; i < stack_.size() && num_local_entries_ > 0; ++i) {
    if (stack_[i].kind == Entry::kLocal) materialize(i);
  }
}

void Translator::materialize_local_refs(uint32_t local_slot) {
  for (uint32_t i = 0; i < stack_.size() && local_refs_[local_slot] > 0; ++i) {
    if (stack_[i].kind == Entry::kLocal && stack_[i].local == local_slot) materialize(i);
  }
}

uint32_t Translator::use(uint32_t i) {
  if (stack_[i].kind == Entry::kConst) materialize(i);
  const Entry& e = stack_[i];
  return e.kind == Entry::kLocal ? e.local : e.slot;
}

// ---- Emission --------------------------------------------------------------------------------

uint32_t Translator::emit(IOp op, uint32_t cells) {
  const auto start = static_cast<uint32_t>(code_.size());
  // push_back, not resize: its in-capacity path is inline, resize's zero-fill is a call (this
  // runs for every instruction translated).
  code_.push_back(Cell{handlers_[static_cast<uint32_t>(op)]});
  for (uint32_t i = 1; i < cells; ++i) code_.push_back(Cell{});
  last_.valid = false;
  prev_acc_ = acc_;
  acc_.valid = false;
  last_iop_ = op;
  if (code_.size() > max_cells_) too_large_ = true;
  return start;
}

uint32_t Translator::emit_ops(IOp op, std::initializer_list<uint32_t> operands) {
  const auto n = static_cast<uint32_t>(operands.size());
  const uint32_t start = emit(op, 1 + (n + 1) / 2);
  uint32_t k = 0;
  for (uint32_t v : operands) set_operand(start, k++, v);
  return start;
}

void Translator::set_last(uint32_t start, Op op) {
  last_.valid = true;
  last_.start = start;
  last_.entry = static_cast<uint32_t>(stack_.size()) - 1;
  last_.op = op;
  last_.iop = kNoIOp;
  // {start} is the instruction just emitted; its result is the top entry.
  acc_.valid = kWritesAcc[static_cast<uint32_t>(last_iop_)];
  acc_.slot = stack_.back().slot;
}

void Translator::drop_last(uint32_t start) {
  code_.resize(start);
  acc_ = prev_acc_;
  last_.valid = false;
}

void Translator::patch(uint32_t cell, uint8_t half, uint32_t base, uint32_t target) {
  code_[cell].i32[half] = static_cast<int32_t>(target) - static_cast<int32_t>(base);
}

// ---- Control flow ----------------------------------------------------------------------------

std::span<const ValType> Translator::params_of(const Ctrl& c) const {
  if (c.op == Op::Call || c.bt.kind != wasm::BlockType::Kind::Index) return {};
  return m_.types[c.bt.type_index].params;
}

std::span<const ValType> Translator::results_of(const Ctrl& c) const {
  if (c.op == Op::Call) return type_.results;
  switch (c.bt.kind) {
    case wasm::BlockType::Kind::Empty: return {};
    case wasm::BlockType::Kind::Value: return {&c.bt.value, 1};
    case wasm::BlockType::Kind::Index: return m_.types[c.bt.type_index].results;
  }
  return {};
}

std::span<const ValType> Translator::label_types(const Ctrl& c) const {
  return c.op == Op::Loop ? params_of(c) : results_of(c);
}

void Translator::enter_block(const wasm::Instr& in) {
  Ctrl c;
  c.op = in.op;
  c.bt = in.block;
  if (dead_) {
    c.dead_entry = true;
    c.height = static_cast<uint32_t>(stack_.size());
    ctrls_.push_back(c);
    return;
  }
  const auto nparams = static_cast<uint32_t>(params_of(c).size());
  if (in.op == Op::If) {
    Cond cond = take_cond();
    // Block params live in their slots and no entry may name a local a block could assign.
    materialize_locals();
    for (auto i = static_cast<uint32_t>(stack_.size()) - nparams; i < stack_.size(); ++i) materialize(i);
    emit_cond(cond, /*negate=*/true, /*back=*/false, c.else_fixup);
  } else {
    materialize_locals();
    for (auto i = static_cast<uint32_t>(stack_.size()) - nparams; i < stack_.size(); ++i) materialize(i);
  }
  c.height = static_cast<uint32_t>(stack_.size()) - nparams;
  c.base_slot = c.height < stack_.size() ? stack_[c.height].slot : next_slot();
  c.loop_start = static_cast<uint32_t>(code_.size());
  merge_point();  // a loop header is a branch target
  ctrls_.push_back(c);
}

void Translator::do_else() {
  Ctrl& c = ctrls_.back();
  c.has_else = true;
  if (c.dead_entry) {
    dead_ = true;
    return;
  }
  if (!dead_) {
    const auto n = static_cast<uint32_t>(results_of(c).size());
    for (auto i = static_cast<uint32_t>(stack_.size()) - n; i < stack_.size(); ++i) materialize(i);
    const uint32_t start = emit(IOp::Br, 2);
    add_fixup(c.fixups, start + 1, 0, start);
    c.label_used = true;
  }
  bind(c.else_fixup);
  truncate(c.height);
  for (ValType t : params_of(c)) push_stack(t);
  dead_ = false;
}

void Translator::do_end() {
  const Ctrl c = ctrls_.back();
  if (c.op == Op::Call) {
    if (!dead_) emit_return();
    ctrls_.pop_back();
    dead_ = true;
    return;
  }
  if (c.dead_entry) {
    ctrls_.pop_back();
    dead_ = true;
    return;
  }
  bool live = !dead_;
  if (live) {
    const auto n = static_cast<uint32_t>(results_of(c).size());
    for (auto i = static_cast<uint32_t>(stack_.size()) - n; i < stack_.size(); ++i) materialize(i);
  }
  if (c.op == Op::If && !c.has_else) {
    bind(ctrls_.back().else_fixup);  // the false arm: params (== results) already in place
    live = true;
  }
  if (c.op != Op::Loop) {
    bind(ctrls_.back().fixups);
    live = live || c.label_used;
  }
  truncate(c.height);
  for (ValType t : results_of(c)) push_stack(t);
  ctrls_.pop_back();
  dead_ = !live;
  merge_point();
}

void Translator::add_fixup(int32_t& list, uint32_t cell, uint8_t half, uint32_t base) {
  fixups_.push_back(Fixup{cell, base, half, list});
  list = static_cast<int32_t>(fixups_.size()) - 1;
}

void Translator::bind(int32_t& list) {
  const auto here = static_cast<uint32_t>(code_.size());
  for (int32_t f = list; f >= 0; f = fixups_[f].next) patch(fixups_[f].cell, fixups_[f].half, fixups_[f].base, here);
  list = -1;
  merge_point();
}

void Translator::link(Ctrl& target, uint32_t cell, uint8_t half, uint32_t base) {
  if (target.op == Op::Loop) {
    patch(cell, half, base, target.loop_start);
    return;
  }
  add_fixup(target.fixups, cell, half, base);
  target.label_used = true;
}

bool Translator::branch_needs_moves(const Ctrl& target) const {
  const auto n = static_cast<uint32_t>(label_types(target).size());
  uint32_t dst = target.base_slot;
  for (auto i = static_cast<uint32_t>(stack_.size()) - n; i < stack_.size(); ++i) {
    const Entry& e = stack_[i];
    if (e.kind != Entry::kStack || e.slot != dst) return true;
    dst += e.size;
  }
  return false;
}

void Translator::branch_moves(const Ctrl& target) {
  // Ascending order is safe: a stack source never sits below its destination, and destinations
  // (stack slots) never overlap locals. The shadow stack is not changed (the branch may not run).
  const auto n = static_cast<uint32_t>(label_types(target).size());
  uint32_t dst = target.base_slot;
  for (auto i = static_cast<uint32_t>(stack_.size()) - n; i < stack_.size(); ++i) {
    const Entry e = stack_[i];
    move(e, dst);
    dst += e.size;
  }
}

void Translator::emit_return() {
  const auto n = static_cast<uint32_t>(type_.results.size());
  const auto first = static_cast<uint32_t>(stack_.size()) - n;
  if (n == 1 && last_.valid && last_.entry == first && stack_[first].kind == Entry::kStack) {
    set_operand(last_.start, 0, 0);  // the instruction just emitted writes the result slot itself
    emit(IOp::Return, 1);
    return;
  }
  scratch_.assign(stack_.begin() + first, stack_.end());
  if (n > 1) {
    // A result moved into slot k must not clobber a local a later result still reads.
    for (Entry& e : scratch_) {
      if (e.kind != Entry::kLocal || e.local >= result_slots_) continue;
      move(e, e.slot);
      e.kind = Entry::kStack;
    }
  }
  uint32_t dst = 0;
  for (const Entry& e : scratch_) {
    move(e, dst);
    dst += e.size;
  }
  emit(IOp::Return, 1);
}

void Translator::do_br(uint32_t depth) {
  Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  dead_ = true;
  if (t.op == Op::Call) {
    emit_return();
    return;
  }
  branch_moves(t);
  const uint32_t start = emit(t.op == Op::Loop ? IOp::BrB : IOp::Br, 2);
  link(t, start + 1, 0, start);
}

void Translator::do_br_if(uint32_t depth) {
  Cond cond = take_cond();
  Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
  if (t.op != Op::Call && !branch_needs_moves(t)) {
    int32_t list = -1;
    emit_cond(cond, /*negate=*/false, t.op == Op::Loop, list);
    const Fixup f = fixups_[list];
    fixups_.pop_back();
    link(t, f.cell, f.half, f.base);
    return;
  }
  // Values move only when the branch is taken: skip the moves on the false outcome.
  int32_t skip = -1;
  emit_cond(cond, /*negate=*/true, /*back=*/false, skip);
  if (t.op == Op::Call) {
    emit_return();
  } else {
    branch_moves(t);
    const uint32_t start = emit(t.op == Op::Loop ? IOp::BrB : IOp::Br, 2);
    link(t, start + 1, 0, start);
  }
  bind(skip);
}

void Translator::do_br_table(const wasm::Instr& in) {
  const uint32_t index = use(static_cast<uint32_t>(stack_.size()) - 1);
  pop();
  const auto n = static_cast<uint32_t>(in.br_table.size());
  const bool index_acc = in_acc(index);
  const uint32_t start = emit(index_acc ? IOp::BrTable_A : IOp::BrTable, 2 + n + 1);
  set_operand(start, 0, index);
  set_operand(start, 1, n);
  ++stub_stamp_;
  stub_seen_.resize(ctrls_.size(), 0);
  stub_at_.resize(ctrls_.size(), 0);
  bool backward = false;  // a direct jump to a loop header (stubs branch back through BrB)
  for (uint32_t k = 0; k <= n; ++k) {
    const uint32_t depth = k < n ? in.br_table[k] : in.index;
    Ctrl& t = ctrls_[ctrls_.size() - 1 - depth];
    const uint32_t cell = start + 2 + k;
    if (t.op != Op::Call && !branch_needs_moves(t)) {
      link(t, cell, 0, start);
      backward = backward || t.op == Op::Loop;
      continue;
    }
    // A stub (moves, then a jump or return) per distinct target, after the table.
    if (stub_seen_[depth] != stub_stamp_) {
      stub_seen_[depth] = stub_stamp_;
      stub_at_[depth] = static_cast<uint32_t>(code_.size());
      if (t.op == Op::Call) {
        emit_return();
      } else {
        branch_moves(t);
        const uint32_t br = emit(t.op == Op::Loop ? IOp::BrB : IOp::Br, 2);
        link(t, br + 1, 0, br);
      }
    }
    patch(cell, 0, start, stub_at_[depth]);
  }
  if (backward) code_[start].handler = handler(index_acc ? IOp::BrTableB_A : IOp::BrTableB);
  dead_ = true;
}

// The _A forms of the conditional branches follow the slot forms (iops.inc).
constexpr uint32_t kBranchA = static_cast<uint32_t>(IOp::BrIf_A) - static_cast<uint32_t>(IOp::BrIf);
static_assert(static_cast<uint32_t>(IOp::BrUnlessB_A) == static_cast<uint32_t>(IOp::BrUnlessB) + kBranchA);

Translator::Cond Translator::take_cond() {
  Cond c;
  const auto top = static_cast<uint32_t>(stack_.size()) - 1;
  if (last_.valid && last_.entry == top && stack_[top].kind == Entry::kStack && last_.op != Op::Nop) {
    // Fuse: drop the compare's code and branch on its operands directly.
    c.op = last_.op;
    c.a = last_.a;
    c.b = last_.b;
    c.b_imm = last_.b_imm;
    c.imm = last_.imm;
    drop_last(last_.start);
    pop();
    return c;
  }
  c.a = use(top);
  pop();
  return c;
}

void Translator::emit_cond(const Cond& c, bool negate, bool back, int32_t& list) {
  if (c.op == Op::Nop || c.op == Op::I32Eqz) {
    // Plain condition (or i32.eqz x: branch on x with the sense flipped).
    const bool when_true = (c.op == Op::Nop) != negate;
    IOp op = when_true ? (back ? IOp::BrIfB : IOp::BrIf) : (back ? IOp::BrUnlessB : IOp::BrUnless);
    if (in_acc(c.a)) op = static_cast<IOp>(static_cast<uint32_t>(op) + kBranchA);  // the _A form
    const uint32_t start = emit_ops(op, {c.a, 0});
    add_fixup(list, start + 1, 1, start);
    return;
  }
  const NumInfo& ni = kNumInfo[static_cast<uint32_t>(negate ? negate_cmp(c.op) : c.op)];
  if (c.b_imm) {
    const uint32_t start = emit(back ? ni.br_back_imm : ni.br_imm, 3);
    set_operand(start, 0, c.a);
    code_[start + 2].u64 = c.imm;
    add_fixup(list, start + 1, 1, start);
    return;
  }
  const uint32_t start = emit_ops(back ? ni.br_back : ni.br, {c.a, c.b, 0});
  add_fixup(list, start + 2, 0, start);
}

}  // namespace rill::engine::interp
