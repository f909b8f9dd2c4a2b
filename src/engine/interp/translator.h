// Translator: validates and translates one function body in a single pass driven by the
// FuncValidator. It keeps a shadow of the operand stack whose entries may still be "local N" or a
// constant (not yet copied into their stack slot), so most local.get/const instructions cost
// nothing, and it retargets results straight into locals and fuses compare+branch.
// Control flow and the driver are translator.cpp; per-instruction emitters translator_ops.cpp.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

#include "rill/base/result.h"
#include "rill/engine/interp/compiled.h"
#include "rill/engine/interp/iops.h"
#include "rill/wasm/instr.h"
#include "rill/wasm/validator.h"

namespace rill::engine::interp {

class Translator {
 public:
  /// {validated}: the module passed wasm::validate_module, so the validator is skipped.
  Translator(const wasm::ModuleContext& ctx, uint32_t defined_index, bool validated = false);
  Result<std::unique_ptr<CompiledFunc>> translate();

 private:
  /// A shadow operand-stack entry. Its stack slot is fixed by its position; kLocal and kConst
  /// entries have not been written there yet.
  struct Entry {
    enum Kind : uint8_t { kStack, kLocal, kConst };
    Kind kind = kStack;
    uint8_t size = 1;       ///< slots: 2 for v128
    wasm::ValType type;
    uint32_t slot = 0;      ///< the entry's own stack slot
    uint32_t local = 0;     ///< kLocal: the local's slot
    uint64_t bits = 0;      ///< kConst: the value
  };

  /// A control frame (block, loop, if, or the function body itself: op == Call).
  struct Ctrl {
    wasm::Op op = wasm::Op::Block;
    wasm::BlockType bt;
    uint32_t height = 0;       ///< shadow stack size below the frame's params
    uint32_t base_slot = 0;    ///< slot of the first param/result
    uint32_t loop_start = 0;   ///< Loop: code index of the header
    int32_t fixups = -1;       ///< head of the forward-branch list (into fixups_)
    int32_t else_fixup = -1;   ///< If: the branch to the else arm
    bool dead_entry = false;   ///< entered in unreachable code (nothing is emitted for it)
    bool label_used = false;   ///< some branch targets the end label
    bool has_else = false;
  };

  /// A forward branch offset to patch: cell {cell}, half {half}, relative to {base}.
  struct Fixup {
    uint32_t cell;
    uint32_t base;
    uint8_t half;
    int32_t next;
  };

  /// The last emitted instruction, while nothing has been emitted after it: its single result
  /// (shadow entry {entry}) may be retargeted into a local, and a compare may fuse with br_if.
  struct Last {
    bool valid = false;
    uint32_t start = 0;
    uint32_t entry = 0;
    wasm::Op op = wasm::Op::Nop;  ///< the wasm op when a compare/eqz, else Nop
    IOp iop = kNoIOp;             ///< the emitted IOp, when a fused address may absorb it
    uint32_t a = 0, b = 0;        ///< operand slots of a compare
    bool b_imm = false;
    uint64_t imm = 0;
  };

  /// Which slot's value is also in the interpreter's acc register: valid right after an
  /// instruction whose handler writes acc (kWritesAcc), until the next instruction is emitted or
  /// a label is bound. A consumer reading that slot may use its _A/_B form instead.
  struct Acc {
    bool valid = false;
    uint32_t slot = 0;
  };

  /// A branch condition: a slot holding an i32, or a fused integer compare (op != Nop).
  struct Cond {
    wasm::Op op = wasm::Op::Nop;  ///< a compare, I32Eqz (branch on {a} == 0), or Nop
    uint32_t a = 0, b = 0;
    bool b_imm = false;
    uint64_t imm = 0;
  };

  // translator.cpp: driver and control flow.
  Result<void> step(const wasm::Instr& in);
  void enter_block(const wasm::Instr& in);
  void do_else();
  void do_end();
  void do_br(uint32_t depth);
  void do_br_if(uint32_t depth);
  void do_br_table(const wasm::Instr& in);
  void emit_return();
  void branch_moves(const Ctrl& target);
  bool branch_needs_moves(const Ctrl& target) const;
  /// Pops the condition, fusing with the compare that produced it when possible.
  Cond take_cond();
  /// Emits a branch taken when {c} holds (or fails, with {negate}); its offset joins {list}.
  void emit_cond(const Cond& c, bool negate, bool back, int32_t& list);
  void add_fixup(int32_t& list, uint32_t cell, uint8_t half, uint32_t base);
  /// Patches every branch in {list} to the current position.
  void bind(int32_t& list);
  /// Points the branch offset at {cell}/{half} to {target}'s label (now or when it is bound).
  void link(Ctrl& target, uint32_t cell, uint8_t half, uint32_t base);
  void patch(uint32_t cell, uint8_t half, uint32_t base, uint32_t target);
  std::span<const wasm::ValType> params_of(const Ctrl& c) const;
  std::span<const wasm::ValType> results_of(const Ctrl& c) const;
  std::span<const wasm::ValType> label_types(const Ctrl& c) const;

  // translator_ops.cpp: instructions.
  Result<void> op(const wasm::Instr& in);
  Result<void> memory_or_numeric(const wasm::Instr& in);
  Result<void> simd(const wasm::Instr& in);
  static IOp simd_mem_iop(wasm::Op op);
  void binary(wasm::Op op, wasm::ValType result);
  void local_set(uint32_t index, bool tee);
  void load(const wasm::Instr& in, IOp iop);
  void store(const wasm::Instr& in, IOp iop);
  /// An address operand computed by the i32.add just emitted, which a memory-0 access absorbs.
  struct FusedAddr {
    uint32_t a = 0;
    uint32_t b = 0;  ///< second slot, or the immediate
    bool imm = false;
  };
  bool take_fused_address(uint32_t pos, FusedAddr& out);
  void call(uint32_t func, bool tail);
  void call_indirect(const wasm::Instr& in, bool tail);
  /// Pops {pops} operands, pushes {result} (if any) and emits [dst] operands... extra...
  void generic(IOp iop, uint32_t pops, std::initializer_list<uint32_t> extra, const wasm::ValType* result) {
    generic(iop, pops, extra.begin(), static_cast<uint32_t>(extra.size()), result);
  }
  void generic(IOp iop, uint32_t pops, const uint32_t* extra, uint32_t num_extra, const wasm::ValType* result);

  // Shadow stack.
  uint32_t next_slot() const;
  void push_stack(wasm::ValType t);
  void push_local(uint32_t local_index);
  void push_const(wasm::ValType t, uint64_t bits);
  Entry pop();
  void truncate(uint32_t height);
  void materialize(uint32_t i);
  void materialize_locals();
  void materialize_local_refs(uint32_t local_slot);
  uint32_t use(uint32_t i);
  void move(const Entry& src, uint32_t dst);

  // Code emission.
  uint32_t emit(IOp op, uint32_t cells);
  void set_operand(uint32_t start, uint32_t k, uint32_t v) { code_[start + 1 + k / 2].u32[k % 2] = v; }
  uint32_t emit_ops(IOp op, std::initializer_list<uint32_t> operands);
  uint32_t emit_array(IOp op, const uint32_t* operands, uint32_t n);
  void set_last(uint32_t start, wasm::Op op = wasm::Op::Nop);
  /// True when {slot}'s value is in acc at this point of the code.
  bool in_acc(uint32_t slot) const { return acc_.valid && acc_.slot == slot; }
  /// Drops the last emitted instruction (at {start}): code and acc state return to before it.
  void drop_last(uint32_t start);
  /// A label is bound here: control may arrive with anything in acc.
  void merge_point() {
    last_.valid = false;
    acc_.valid = false;
  }

  const wasm::ModuleContext& ctx_;
  const wasm::Module& m_;
  uint32_t func_index_;
  const wasm::FuncType& type_;
  wasm::FuncValidator val_;
  bool validated_ = false;
  const void* const* handlers_ = handler_table();  ///< looked up once, not per instruction
  std::vector<wasm::ValType> local_types_;  ///< params then declared locals
  std::vector<Cell> code_;
  std::vector<Entry> stack_;
  std::vector<Ctrl> ctrls_;
  std::vector<Fixup> fixups_;
  std::vector<uint32_t> local_slot_;   ///< slot of each local (params first)
  std::vector<uint32_t> local_refs_;   ///< per local slot: kLocal entries naming it
  Last last_;
  Acc acc_;                            ///< after the last emitted instruction
  Acc prev_acc_;                       ///< before it (restored when it is dropped again)
  IOp last_iop_ = kNoIOp;              ///< the last emitted instruction
  bool dead_ = false;                  ///< current code is unreachable: emit nothing
  uint32_t stack_base_ = 0;            ///< first operand-stack slot
  uint32_t max_slot_ = 0;              ///< frame size so far
  uint32_t result_slots_ = 0;
  uint64_t max_cells_ = 0;             ///< translation size limit for this body
  bool too_large_ = false;
  uint32_t num_local_entries_ = 0;     ///< kLocal entries on the shadow stack
  std::vector<Entry> scratch_;
  std::vector<uint32_t> stub_seen_;    ///< br_table stubs: stamp per target depth
  std::vector<uint32_t> stub_at_;
  uint32_t stub_stamp_ = 0;
};

}  // namespace rill::engine::interp
