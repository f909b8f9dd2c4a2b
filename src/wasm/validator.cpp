// FuncValidator: the spec appendix's validation algorithm (operand stack of ValType with Bot for
// unknown, control frames with height and unreachable flag), one instruction per step().
// Module-level checks live in validator_module.cpp; alignment/lane tables in validator_tables.cpp.
#include "rill/wasm/validator.h"

#include <algorithm>
#include <string>

#include "rill/wasm/validator_internal.h"

namespace rill::wasm {

using namespace detail;  // NOLINT(google-build-using-namespace): validator-internal names

namespace {

constexpr ValType kBot{};  // ValKind::Bot: the unknown type of an unreachable stack slot

/// The operand types of an opcode whose OpInfo::sig is non-empty ("ii:i" -> [i32 i32] -> [i32]).
struct Sig {
  bool typed = false;  ///< sig was non-empty (typing is table-driven)
  bool plain = false;  ///< typed, and no immediate needs checking (fast path)
  bool mem = false;    ///< typed load/store with a plain MemArg (fast path after its checks)
  uint8_t num_params = 0;
  uint8_t num_results = 0;
  ValType params[3];
  ValType results[1];
};

constexpr ValType sig_type(char c) {
  switch (c) {
    case 'i': return kI32;
    case 'l': return kI64;
    case 'f': return kF32;
    case 'd': return kF64;
    case 'v': return kV128;
    default: return kBot;
  }
}

// Indexing past params[]/results[] makes the table below fail to compile, so a sig with more
// operands than Sig holds cannot slip in.
constexpr Sig parse_sig(const char* s, ImmKind imm) {
  Sig sig;
  if (*s == '\0') return sig;
  sig.typed = true;
  sig.plain = imm == ImmKind::None || imm == ImmKind::I32 || imm == ImmKind::I64 ||
              imm == ImmKind::F32 || imm == ImmKind::F64 || imm == ImmKind::V128;
  sig.mem = imm == ImmKind::MemArg;
  bool in_results = false;
  for (; *s != '\0'; ++s) {
    if (*s == ':') {
      in_results = true;
    } else if (in_results) {
      sig.results[sig.num_results++] = sig_type(*s);
    } else {
      sig.params[sig.num_params++] = sig_type(*s);
    }
  }
  return sig;
}

constexpr Sig kSigs[] = {
#define RILL_OP(name, prefix, code, text, imm, sig) parse_sig(sig, ImmKind::imm),
#include "rill/wasm/opcodes.def"
};
static_assert(sizeof(kSigs) / sizeof(kSigs[0]) == kOpCount);

bool is_num_or_bot(ValType t) { return t.is_num() || t == kBot; }
bool is_vec_or_bot(ValType t) { return t.is_vec() || t == kBot; }

}  // namespace

/// The algorithm's operations over a FuncValidator, for one instruction {in}.
struct FuncValidator::Impl {
  FuncValidator& v;
  const Instr& in;

  Error err(const char* msg) const { return Error{msg, in.offset}; }
  Error mismatch() const { return err(kTypeMismatch); }

  // ---- operand stack (spec: push_val, pop_val, pop_vals, push_vals) ----

  Result<void> push(ValType t) {
    if (v.vals_.size() >= kMaxOperandStack) return err(kTooManyValues);
    v.vals_.push_back(t);
    return {};
  }

  Result<void> push_vals(std::span<const ValType> ts) {
    if (v.vals_.size() + ts.size() > kMaxOperandStack) return err(kTooManyValues);
    v.vals_.insert(v.vals_.end(), ts.begin(), ts.end());
    return {};
  }

  Result<ValType> pop() {
    const Ctrl& c = v.ctrls_.back();
    if (v.vals_.size() == c.height) {
      if (c.unreachable) return kBot;
      return mismatch();
    }
    const ValType t = v.vals_.back();
    v.vals_.pop_back();
    return t;
  }

  Result<ValType> pop(ValType expect) {
    // Fast path: a concrete operand of the expected type above the frame's height.
    if (v.vals_.size() > v.ctrls_.back().height && v.vals_.back() == expect) {
      v.vals_.pop_back();
      return expect;
    }
    RILL_TRY(const ValType actual, pop());
    if (actual != expect && actual != kBot && expect != kBot) return mismatch();
    return actual;
  }

  Result<void> pop_vals(std::span<const ValType> ts) {
    for (size_t i = ts.size(); i-- > 0;) RILL_CHECK_OK(pop(ts[i]));
    return {};
  }

  // ---- control stack (spec: push_ctrl, pop_ctrl, unreachable) ----

  /// Copies {ts} into {dst}, reusing a recycled vector's storage (blocks are frequent).
  void fill(std::vector<ValType>& dst, std::span<const ValType> ts) {
    if (ts.empty()) return;
    if (!v.spare_.empty()) {
      dst = std::move(v.spare_.back());
      v.spare_.pop_back();
    }
    dst.assign(ts.begin(), ts.end());
  }

  void recycle(std::vector<ValType>& vec) {
    constexpr size_t kMaxSpare = 64;
    if (vec.capacity() != 0 && v.spare_.size() < kMaxSpare) v.spare_.push_back(std::move(vec));
  }

  Result<void> push_ctrl(Op op, std::span<const ValType> params, std::span<const ValType> results) {
    if (v.ctrls_.size() >= kMaxControlDepth) return err(kTooDeep);
    const uint64_t n = params.size() + results.size();
    if (v.ctrl_types_ + n > kMaxControlTypes) return err(kTooDeep);
    v.ctrl_types_ += n;
    Ctrl& c = v.ctrls_.emplace_back();
    c.op = op;
    c.height = static_cast<uint32_t>(v.vals_.size());
    fill(c.params, params);
    fill(c.results, results);
    return push_vals(params);
  }

  /// Checks the innermost frame's results are exactly on the stack (pop_ctrl without the pop).
  Result<void> check_frame_end() {
    const Ctrl& c = v.ctrls_.back();
    if (exactly_results(c)) {
      v.vals_.resize(c.height);
      return {};
    }
    RILL_CHECK_OK(pop_vals(c.results));
    if (v.vals_.size() != c.height) return mismatch();
    return {};
  }

  void drop_ctrl() {
    Ctrl& c = v.ctrls_.back();
    v.ctrl_types_ -= c.params.size() + c.results.size();
    recycle(c.params);
    recycle(c.results);
    v.ctrls_.pop_back();
  }

  void set_unreachable() {
    Ctrl& c = v.ctrls_.back();
    v.vals_.resize(c.height);
    c.unreachable = true;
  }

  Result<const Ctrl*> label(uint32_t depth) const {
    if (depth >= v.ctrls_.size()) return unknown_index("label", depth, in.offset);
    return &v.ctrl(depth);
  }

  // ---- index spaces ----

  Result<const FuncType*> block_type_index(uint32_t index) const {
    if (index >= v.m_.types.size()) return unknown_index("type", index, in.offset);
    return &v.m_.types[index];
  }

  Result<const FuncType*> func(uint32_t index) const {
    if (index >= v.m_.funcs.size()) return unknown_index("function", index, in.offset);
    const uint32_t type = v.m_.funcs[index];
    if (type >= v.m_.types.size()) return unknown_index("type", type, in.offset);
    return &v.m_.types[type];
  }

  Result<const TableType*> table(uint32_t index) const {
    if (index >= v.m_.tables.size()) return unknown_index("table", index, in.offset);
    return &v.m_.tables[index];
  }

  Result<void> memory(uint32_t index) const {
    if (index >= v.m_.memories.size()) return unknown_index("memory", index, in.offset);
    return {};
  }

  Result<void> data_segment(uint32_t index) const {
    if (!v.m_.data_count) return err(kDataCountRequired);
    if (index >= v.m_.datas.size()) return unknown_index("data segment", index, in.offset);
    return {};
  }

  Result<ValType> elem_segment(uint32_t index) const {
    if (index >= v.m_.elems.size()) return unknown_index("elem segment", index, in.offset);
    return v.m_.elems[index].type;
  }

  Result<ValType> local(uint32_t index) const {
    if (index >= v.locals_.size()) return unknown_index("local", index, in.offset);
    return v.locals_[index];
  }

  Result<const GlobalType*> global(uint32_t index) const {
    if (index >= v.m_.globals.size()) return unknown_index("global", index, in.offset);
    return &v.m_.globals[index];
  }

  // ---- instructions ----

  Result<void> block_types(std::span<const ValType>& params, std::span<const ValType>& results) {
    switch (in.block.kind) {
      case BlockType::Kind::Empty:
        return {};
      case BlockType::Kind::Value:
        results = {&in.block.value, 1};
        return {};
      case BlockType::Kind::Index: {
        RILL_TRY(const FuncType* ft, block_type_index(in.block.type_index));
        params = ft->params;
        results = ft->results;
        return {};
      }
    }
    return mismatch();
  }

  Result<void> op_block() {
    std::span<const ValType> params;
    std::span<const ValType> results;
    RILL_CHECK_OK(block_types(params, results));
    if (in.op == Op::If) RILL_CHECK_OK(pop(kI32));
    RILL_CHECK_OK(pop_vals(params));
    return push_ctrl(in.op, params, results);
  }

  Result<void> op_else() {
    if (v.ctrls_.back().op != Op::If) return err(kEndExpected);
    RILL_CHECK_OK(check_frame_end());
    Ctrl& c = v.ctrls_.back();
    c.op = Op::Else;
    c.unreachable = false;
    return push_vals(c.params);
  }

  /// True when the stack above {c}'s height holds exactly its results, all concrete.
  bool exactly_results(const Ctrl& c) const {
    const auto& vals = v.vals_;
    if (vals.size() != c.height + c.results.size()) return false;
    return std::equal(c.results.begin(), c.results.end(), vals.begin() + c.height);
  }

  Result<void> op_end() {
    const Ctrl& c = v.ctrls_.back();
    // Fast path: popping the results and pushing them back leaves the stack as it is.
    if (exactly_results(c) && (c.op != Op::If || c.params == c.results)) {
      drop_ctrl();
      return {};
    }
    RILL_CHECK_OK(check_frame_end());
    // An `if` without `else` has an implicit empty else, which passes the params through.
    if (c.op == Op::If && c.params != c.results) return mismatch();
    RILL_CHECK_OK(push_vals(c.results));
    drop_ctrl();
    return {};
  }

  Result<void> op_br() {
    RILL_TRY(const Ctrl* target, label(in.index));
    RILL_CHECK_OK(pop_vals(target->label_types()));
    set_unreachable();
    return {};
  }

  Result<void> op_br_if() {
    RILL_TRY(const Ctrl* target, label(in.index));
    RILL_CHECK_OK(pop(kI32));
    RILL_CHECK_OK(pop_vals(target->label_types()));
    return push_vals(target->label_types());
  }

  /// Spec: for each target, push_vals(pop_vals(label_types)), then pop the default's types.
  /// After the first pop/push the top {arity} operands are fixed (Bot where the stack was
  /// polymorphic), so every target is checked in place against them, each distinct label once:
  /// the work per br_table is bounded by the types held in control frames, not targets x arity.
  Result<void> op_br_table() {
    RILL_TRY(const Ctrl* dflt, label(in.index));
    for (uint32_t depth : in.br_table) RILL_CHECK_OK(label(depth));
    RILL_CHECK_OK(pop(kI32));
    const size_t arity = dflt->label_types().size();
    std::vector<ValType> top(arity);
    for (size_t i = arity; i-- > 0;) {
      RILL_TRY(top[i], pop());
    }
    RILL_CHECK_OK(push_vals(top));
    std::vector<uint32_t> depths(in.br_table.begin(), in.br_table.end());
    depths.push_back(in.index);
    std::sort(depths.begin(), depths.end());
    depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
    const size_t base = v.vals_.size() - arity;
    for (uint32_t depth : depths) {
      const auto& types = v.ctrl(depth).label_types();
      if (types.size() != arity) return mismatch();
      for (size_t i = 0; i < arity; ++i) {
        const ValType t = v.vals_[base + i];
        if (t != types[i] && t != kBot) return mismatch();
      }
    }
    set_unreachable();
    return {};
  }

  Result<void> op_return() {
    RILL_CHECK_OK(pop_vals(v.ctrls_.front().results));
    set_unreachable();
    return {};
  }

  Result<const FuncType*> indirect_type() const {
    RILL_TRY(const TableType* t, table(in.index2));
    RILL_TRY(const FuncType* ft, block_type_index(in.index));
    if (t->elem != kFuncRef) return mismatch();
    return ft;
  }

  Result<void> op_call() {
    const FuncType* ft = nullptr;
    if (in.op == Op::Call || in.op == Op::ReturnCall) {
      RILL_TRY(ft, func(in.index));
    } else {
      RILL_TRY(ft, indirect_type());
      RILL_CHECK_OK(pop(kI32));
    }
    const bool tail = in.op == Op::ReturnCall || in.op == Op::ReturnCallIndirect;
    // A tail call returns the callee's results as the caller's own.
    if (tail && ft->results != v.ctrls_.front().results) return mismatch();
    RILL_CHECK_OK(pop_vals(ft->params));
    if (tail) {
      set_unreachable();
      return {};
    }
    return push_vals(ft->results);
  }

  Result<void> op_select() {
    RILL_CHECK_OK(pop(kI32));
    if (in.op == Op::SelectT) {
      // CodeReader leaves the type count in {index}; only one result is allowed.
      if (in.index != 1) return err(kResultArity);
      RILL_CHECK_OK(pop(in.select_type));
      RILL_CHECK_OK(pop(in.select_type));
      return push(in.select_type);
    }
    RILL_TRY(const ValType t1, pop());
    RILL_TRY(const ValType t2, pop());
    const bool both_num = is_num_or_bot(t1) && is_num_or_bot(t2);
    const bool both_vec = is_vec_or_bot(t1) && is_vec_or_bot(t2);
    if (!both_num && !both_vec) return mismatch();
    if (t1 != t2 && t1 != kBot && t2 != kBot) return mismatch();
    return push(t1 == kBot ? t2 : t1);
  }

  Result<void> op_variable() {
    switch (in.op) {
      case Op::LocalGet: {
        RILL_TRY(const ValType t, local(in.index));
        return push(t);
      }
      case Op::LocalSet: {
        RILL_TRY(const ValType t, local(in.index));
        RILL_CHECK_OK(pop(t));
        return {};
      }
      case Op::LocalTee: {
        RILL_TRY(const ValType t, local(in.index));
        RILL_CHECK_OK(pop(t));
        return push(t);
      }
      case Op::GlobalGet: {
        RILL_TRY(const GlobalType* g, global(in.index));
        return push(g->type);
      }
      default: {  // GlobalSet
        RILL_TRY(const GlobalType* g, global(in.index));
        if (!g->mut) return err(kImmutableGlobal);
        RILL_CHECK_OK(pop(g->type));
        return {};
      }
    }
  }

  Result<void> op_table() {
    RILL_TRY(const TableType* t, table(in.index));
    switch (in.op) {
      case Op::TableGet:
        RILL_CHECK_OK(pop(kI32));
        return push(t->elem);
      case Op::TableSet:
        RILL_CHECK_OK(pop(t->elem));
        RILL_CHECK_OK(pop(kI32));
        return {};
      case Op::TableGrow:
        RILL_CHECK_OK(pop(kI32));
        RILL_CHECK_OK(pop(t->elem));
        return push(kI32);
      default:  // TableFill
        RILL_CHECK_OK(pop(kI32));
        RILL_CHECK_OK(pop(t->elem));
        RILL_CHECK_OK(pop(kI32));
        return {};
    }
  }

  Result<void> op_ref() {
    switch (in.op) {
      case Op::RefNull:
        if (!in.heap_type.is_ref()) return mismatch();
        return push(in.heap_type);
      case Op::RefIsNull: {
        RILL_TRY(const ValType t, pop());
        if (!t.is_ref() && t != kBot) return mismatch();
        return push(kI32);
      }
      default: {  // RefFunc
        RILL_CHECK_OK(func(in.index));
        const auto& declared = v.ctx_.declared_funcs;
        if (in.index >= declared.size() || declared[in.index] == 0) return err(kUndeclaredRef);
        return push(kFuncRef);
      }
    }
  }

  /// Immediate checks of instructions typed by their sig: memory/table/segment indices, memarg
  /// alignment and offset, lane indices.
  Result<void> check_immediates(ImmKind imm) {
    if (imm == ImmKind::MemArg || imm == ImmKind::MemArgLane) {
      RILL_CHECK_OK(memory(in.mem.mem));
      if (in.mem.align > natural_alignment(in.op)) return err(kBadAlignment);
      if (in.mem.offset > UINT32_MAX) return err(kOffsetRange);
    }
    if (imm == ImmKind::Lane || imm == ImmKind::MemArgLane) {
      if (in.lane >= lane_count(in.op)) return err(kBadLane);
    }
    switch (in.op) {
      case Op::I8x16Shuffle:
        for (uint8_t lane : in.v128.bytes) {
          if (lane >= 32) return err(kBadLane);
        }
        return {};
      case Op::MemorySize: case Op::MemoryGrow: case Op::MemoryFill:
        return memory(in.index);
      case Op::MemoryCopy:
        RILL_CHECK_OK(memory(in.index));
        return memory(in.index2);
      case Op::MemoryInit:
        if (!v.m_.data_count) return err(kDataCountRequired);
        RILL_CHECK_OK(memory(in.index2));
        return data_segment(in.index);
      case Op::DataDrop:
        return data_segment(in.index);
      case Op::TableSize:
        RILL_CHECK_OK(table(in.index));
        return {};
      case Op::ElemDrop:
        RILL_CHECK_OK(elem_segment(in.index));
        return {};
      case Op::TableInit: {
        RILL_TRY(const TableType* t, table(in.index2));
        RILL_TRY(const ValType et, elem_segment(in.index));
        return t->elem == et ? Result<void>{} : mismatch();
      }
      case Op::TableCopy: {
        RILL_TRY(const TableType* dst, table(in.index));
        RILL_TRY(const TableType* src, table(in.index2));
        return dst->elem == src->elem ? Result<void>{} : mismatch();
      }
      default:
        return {};
    }
  }

  Result<void> op_sig(const Sig& s) {
    RILL_CHECK_OK(check_immediates(op_info(in.op).imm));
    for (uint32_t i = s.num_params; i-- > 0;) RILL_CHECK_OK(pop(s.params[i]));
    if (s.num_results == 0) return {};
    return push(s.results[0]);
  }

  /// The common case without Result traffic: a plain typed op whose operands are concrete and
  /// on top of the stack. False when the general path must decide.
  bool try_fast(const Sig& s) {
    auto& vals = v.vals_;
    const size_t n = vals.size();
    const uint32_t np = s.num_params;
    if (n < v.ctrls_.back().height + np) return false;
    for (uint32_t i = 0; i < np; ++i) {
      if (vals[n - np + i] != s.params[i]) return false;
    }
    if (n - np + s.num_results > kMaxOperandStack) return false;
    if (s.num_results != 0) {
      // Reuse the first operand's slot for the result.
      if (np == 0) {
        vals.push_back(s.results[0]);
        return true;
      }
      vals[n - np] = s.results[0];
      for (uint32_t i = 1; i < np; ++i) vals.pop_back();
      return true;
    }
    for (uint32_t i = 0; i < np; ++i) vals.pop_back();
    return true;
  }

  /// Fast paths for local.get/set/tee on a concrete stack; false when the general path decides.
  bool try_fast_local() {
    auto& vals = v.vals_;
    if (in.index >= v.locals_.size()) return false;
    const ValType t = v.locals_[in.index];
    if (in.op == Op::LocalGet) {
      if (vals.size() >= kMaxOperandStack) return false;
      vals.push_back(t);
      return true;
    }
    if (vals.size() <= v.ctrls_.back().height || vals.back() != t) return false;
    if (in.op == Op::LocalSet) vals.pop_back();
    return true;
  }

  /// The common cases, kept small so they inline into FuncValidator::step; false when the
  /// general path must decide (which also reports errors).
  bool try_fast() {
    const Sig& s = kSigs[static_cast<uint32_t>(in.op)];
    if (s.plain) return try_fast(s);
    if (s.mem) {
      // check_immediates() for a MemArg: memory index, alignment, offset.
      if (in.mem.mem >= v.m_.memories.size() ||
          in.mem.align > kNaturalAlignment[static_cast<uint32_t>(in.op)] ||
          in.mem.offset > UINT32_MAX) {
        return false;
      }
      return try_fast(s);
    }
    switch (in.op) {
      case Op::LocalGet: case Op::LocalSet: case Op::LocalTee:
        return try_fast_local();
      case Op::GlobalGet:
        if (in.index >= v.m_.globals.size() || v.vals_.size() >= kMaxOperandStack) return false;
        v.vals_.push_back(v.m_.globals[in.index].type);
        return true;
      default:
        return false;
    }
  }

  /// Everything, including what try_fast() handles; out of line so the fast path stays lean.
  [[gnu::noinline]] Result<void> step() {
    const Sig& s = kSigs[static_cast<uint32_t>(in.op)];
    if (s.typed) return op_sig(s);
    switch (in.op) {
      case Op::Unreachable:
        set_unreachable();
        return {};
      case Op::Block: case Op::Loop: case Op::If:
        return op_block();
      case Op::Else:
        return op_else();
      case Op::End:
        return op_end();
      case Op::Br:
        return op_br();
      case Op::BrIf:
        return op_br_if();
      case Op::BrTable:
        return op_br_table();
      case Op::Return:
        return op_return();
      case Op::Call: case Op::CallIndirect: case Op::ReturnCall: case Op::ReturnCallIndirect:
        return op_call();
      case Op::Drop:
        RILL_CHECK_OK(pop());
        return {};
      case Op::Select: case Op::SelectT:
        return op_select();
      case Op::LocalGet: case Op::LocalSet: case Op::LocalTee: case Op::GlobalGet:
      case Op::GlobalSet:
        return op_variable();
      case Op::TableGet: case Op::TableSet: case Op::TableGrow: case Op::TableFill:
        return op_table();
      case Op::RefNull: case Op::RefIsNull: case Op::RefFunc:
        return op_ref();
      default:
        return err("unknown instruction");
    }
  }
};

FuncValidator::FuncValidator(const ModuleContext& ctx, uint32_t func_index)
    : ctx_(ctx), m_(*ctx.module), func_index_(func_index) {}

Result<void> FuncValidator::begin() {
  if (begun_) return Error{"FuncValidator::begin called twice", kNoOffset};
  const uint32_t first_defined = m_.num_imported_funcs;
  if (func_index_ < first_defined || func_index_ >= m_.funcs.size() ||
      func_index_ - first_defined >= m_.code.size()) {
    return unknown_index("function", func_index_, kNoOffset);
  }
  const FuncBody& body = m_.code[func_index_ - first_defined];
  if (m_.funcs[func_index_] >= m_.types.size()) {
    return unknown_index("type", m_.funcs[func_index_], body.body_offset);
  }
  const FuncType& ft = m_.func_type(func_index_);
  locals_.reserve(ft.params.size() + body.num_locals);
  locals_.assign(ft.params.begin(), ft.params.end());
  body.expand_locals(locals_);
  begun_ = true;
  Instr none;
  none.offset = body.code_offset;
  return Impl{*this, none}.push_ctrl(Op::Call, {}, ft.results);
}

void FuncValidator::reset(uint32_t func_index) {
  func_index_ = func_index;
  locals_.clear();
  vals_.clear();
  while (!ctrls_.empty()) {
    Impl{*this, Instr{}}.drop_ctrl();
  }
  ctrl_types_ = 0;
  begun_ = false;
}

bool FuncValidator::try_step(const Instr& in) {
  // An empty control stack (before begin(), after the final `end`) is step()'s to report.
  if (ctrls_.empty()) return false;
  return Impl{*this, in}.try_fast();
}

Result<void> FuncValidator::step(const Instr& in) {
  if (!begun_) return Error{"FuncValidator::step before begin", in.offset};
  if (ctrls_.empty()) return Error{kAfterEnd, in.offset};
  Impl impl{*this, in};
  if (impl.try_fast()) return {};
  return impl.step();
}

Result<void> FuncValidator::finish(uint64_t end_offset) const {
  // The suite's words: a body missing only its final `end` lacks an "END opcode"; one that stops
  // inside a nested block ends unexpectedly.
  if (!begun_ || ctrls_.size() == 1) return Error{kEndExpected, end_offset};
  if (!ctrls_.empty()) return Error{kUnexpectedEndOfBody, end_offset};
  return {};
}

}  // namespace rill::wasm
