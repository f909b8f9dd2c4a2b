// Tests for the validator: FuncValidator's typing (driven with hand-made Instr sequences, so the
// state between steps can be inspected) and validate_module_header's module-level checks.
#include "rill/wasm/validator.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "rill/wasm/decoder.h"

namespace rill::wasm {

// Readable gtest output for type vectors.
void PrintTo(ValType t, std::ostream* os) { *os << to_string(t); }

namespace {

constexpr ValType kBot{};

Instr op(Op o) {
  Instr in;
  in.op = o;
  return in;
}
Instr idx(Op o, uint32_t i, uint32_t i2 = 0) {
  Instr in = op(o);
  in.index = i;
  in.index2 = i2;
  return in;
}
Instr i32c(int32_t v = 0) {
  Instr in = op(Op::I32Const);
  in.num.i32 = v;
  return in;
}
Instr blk(Op o, ValType result) {
  Instr in = op(o);
  in.block.kind = BlockType::Kind::Value;
  in.block.value = result;
  return in;
}
Instr blk_type(Op o, uint32_t type_index) {
  Instr in = op(o);
  in.block.kind = BlockType::Kind::Index;
  in.block.type_index = type_index;
  return in;
}
Instr mem(Op o, uint32_t align, uint32_t memory = 0, uint64_t offset = 0) {
  Instr in = op(o);
  in.mem = MemArg{align, memory, offset};
  return in;
}
Instr lane(Op o, uint8_t l) {
  Instr in = op(o);
  in.lane = l;
  return in;
}
Instr ref_null(ValType t) {
  Instr in = op(Op::RefNull);
  in.heap_type = t;
  return in;
}
Instr select_t(ValType t) {
  Instr in = op(Op::SelectT);
  in.index = 1;  // type count, as CodeReader records it
  in.select_type = t;
  return in;
}

/// A module with one defined function under test (function index {num imports}), built in code.
class ValidatorTest : public ::testing::Test {
 protected:
  ValidatorTest() {
    m_.memories.push_back(MemoryType{});
    m_.tables.push_back(TableType{kFuncRef, {}});
    m_.tables.push_back(TableType{kExternRef, {}});
  }

  uint32_t add_type(std::vector<ValType> params, std::vector<ValType> results) {
    m_.types.push_back(FuncType{std::move(params), std::move(results)});
    return static_cast<uint32_t>(m_.types.size() - 1);
  }

  /// Declares the function under test as [params] -> [results] with extra {locals}.
  void set_func(std::vector<ValType> params, std::vector<ValType> results,
                std::vector<ValType> locals = {}) {
    const uint32_t t = add_type(std::move(params), std::move(results));
    m_.funcs = {t};
    m_.code.assign(1, FuncBody{});
    for (ValType l : locals) m_.code[0].local_decls.push_back({1, l});
    m_.code[0].num_locals = static_cast<uint32_t>(locals.size());
    m_.code[0].code_offset = 0;
  }

  /// Validates {code}; each Instr gets its position as offset, and {end_offset} = code.size().
  Result<void> run(std::vector<Instr> code) {
    ctx_.module = &m_;
    ctx_.declared_funcs.resize(m_.funcs.size());
    v_ = std::make_unique<FuncValidator>(ctx_, m_.num_imported_funcs);
    RILL_CHECK_OK(v_->begin());
    for (size_t i = 0; i < code.size(); ++i) {
      code[i].offset = i;
      RILL_CHECK_OK(v_->step(code[i]));
    }
    return v_->finish(code.size());
  }

  /// Runs {code} expecting failure with {message} at instruction {at}.
  void expect_error(std::vector<Instr> code, const std::string& message, uint64_t at) {
    auto r = run(std::move(code));
    ASSERT_FALSE(r) << "expected: " << message;
    EXPECT_EQ(r.error().message, message);
    EXPECT_EQ(r.error().offset, at);
  }

  /// Steps {code} (without finish) and returns the operand stack's types.
  std::vector<ValType> stack_after(std::vector<Instr> code) {
    auto r = run_prefix(std::move(code));
    EXPECT_TRUE(r) << r.error().to_string();
    std::vector<ValType> out;
    for (uint32_t i = 0; i < v_->stack_height(); ++i) out.push_back(v_->stack_type(i));
    return out;
  }

  Result<void> run_prefix(std::vector<Instr> code) {
    ctx_.module = &m_;
    ctx_.declared_funcs.resize(m_.funcs.size());
    v_ = std::make_unique<FuncValidator>(ctx_, m_.num_imported_funcs);
    RILL_CHECK_OK(v_->begin());
    for (size_t i = 0; i < code.size(); ++i) {
      code[i].offset = i;
      RILL_CHECK_OK(v_->step(code[i]));
    }
    return {};
  }

  Module m_;
  ModuleContext ctx_;
  std::unique_ptr<FuncValidator> v_;
};

using Types = std::vector<ValType>;

TEST_F(ValidatorTest, StraightLineArithmetic) {
  set_func({kI32}, {kI32});
  EXPECT_TRUE(run({idx(Op::LocalGet, 0), i32c(2), op(Op::I32Add), op(Op::End)}));
  EXPECT_EQ(v_->num_locals(), 1u);
  EXPECT_EQ(v_->ctrl_depth(), 0u);
  expect_error({idx(Op::LocalGet, 0), op(Op::I64Const), op(Op::I32Add), op(Op::End)},
               "type mismatch", 2);
}

TEST_F(ValidatorTest, StackStateAfterEachStep) {
  set_func({}, {kI64}, {kF32});
  EXPECT_EQ(stack_after({i32c(), idx(Op::LocalGet, 0)}), (Types{kI32, kF32}));
  EXPECT_EQ(stack_after({i32c(), op(Op::I64ExtendI32U)}), (Types{kI64}));
  EXPECT_EQ(v_->ctrl_depth(), 1u);
  EXPECT_EQ(v_->ctrl(0).op, Op::Call);
  EXPECT_EQ(v_->ctrl(0).label_types(), (Types{kI64}));
}

TEST_F(ValidatorTest, FunctionResultsChecked) {
  set_func({}, {kI32});
  expect_error({op(Op::End)}, "type mismatch", 0);
  expect_error({i32c(), i32c(), op(Op::End)}, "type mismatch", 2);
  expect_error({op(Op::F32Const), op(Op::End)}, "type mismatch", 1);
}

TEST_F(ValidatorTest, UnreachablePolymorphism) {
  set_func({}, {kI32});
  EXPECT_TRUE(run({op(Op::Unreachable), op(Op::End)}));
  EXPECT_TRUE(run({op(Op::Unreachable), op(Op::I32Add), op(Op::End)}));
  EXPECT_EQ(stack_after({i32c(), op(Op::Unreachable)}), Types{});
  EXPECT_TRUE(v_->unreachable());
  // Values pushed after `unreachable` are still typed.
  expect_error({op(Op::Unreachable), op(Op::I64Const), op(Op::End)}, "type mismatch", 2);
  expect_error({op(Op::Unreachable), op(Op::I64Const), op(Op::I32Add), op(Op::End)},
               "type mismatch", 2);
  // The polymorphic stack does not reach into the enclosing frame.
  expect_error({i32c(), op(Op::Block), op(Op::Unreachable), op(Op::End), op(Op::I32Eqz),
                op(Op::Drop), op(Op::End)},
               "type mismatch", 6);
  EXPECT_TRUE(run({i32c(), op(Op::Return), op(Op::Drop), op(Op::Drop), op(Op::End)}));
  expect_error({op(Op::Return)}, "type mismatch", 0);
}

TEST_F(ValidatorTest, SelectUntypedAndTyped) {
  set_func({}, {});
  EXPECT_EQ(stack_after({op(Op::F64Const), op(Op::F64Const), i32c(), op(Op::Select)}),
            Types{kF64});
  expect_error({op(Op::F64Const), op(Op::F32Const), i32c(), op(Op::Select)}, "type mismatch", 3);
  // Untyped select is for numeric and vector types only.
  expect_error({ref_null(kFuncRef), ref_null(kFuncRef), i32c(), op(Op::Select)}, "type mismatch",
               3);
  EXPECT_EQ(stack_after({ref_null(kFuncRef), ref_null(kFuncRef), i32c(), select_t(kFuncRef)}),
            Types{kFuncRef});
  // In unreachable code the unknown operand takes the other's type, or stays unknown.
  EXPECT_EQ(stack_after({op(Op::Unreachable), op(Op::I64Const), i32c(), op(Op::Select)}),
            Types{kI64});
  EXPECT_EQ(stack_after({op(Op::Unreachable), op(Op::Select)}), Types{kBot});
  expect_error({op(Op::Unreachable), ref_null(kExternRef), i32c(), op(Op::Select)},
               "type mismatch", 3);
}

TEST_F(ValidatorTest, BlocksWithParamsAndMultipleResults) {
  set_func({}, {kI64, kI32});
  const uint32_t t = add_type({kI32, kI32}, {kI64, kI32});
  EXPECT_EQ(stack_after({i32c(), i32c(), blk_type(Op::Block, t)}), (Types{kI32, kI32}));
  EXPECT_EQ(v_->ctrl(0).height, 0u);
  EXPECT_EQ(v_->ctrl(0).params, (Types{kI32, kI32}));
  EXPECT_TRUE(run({i32c(), i32c(), blk_type(Op::Block, t), op(Op::I32Add),
                   op(Op::I64ExtendI32S), i32c(), op(Op::End), op(Op::End)}));
  expect_error({i32c(), blk_type(Op::Block, t)}, "type mismatch", 1);
  expect_error({blk_type(Op::Block, 99)}, "unknown type 99", 0);
  // A loop's label carries its params.
  EXPECT_TRUE(run({i32c(), i32c(), blk_type(Op::Loop, t), idx(Op::Br, 0), op(Op::End),
                   op(Op::End)}));
  expect_error({i32c(), i32c(), blk_type(Op::Block, t), idx(Op::Br, 0)}, "type mismatch", 3);
}

TEST_F(ValidatorTest, IfElse) {
  set_func({}, {kI32});
  EXPECT_TRUE(run({i32c(), blk(Op::If, kI32), i32c(), op(Op::Else), i32c(1), op(Op::End),
                   op(Op::End)}));
  EXPECT_EQ(stack_after({i32c(), blk(Op::If, kI32), i32c(), op(Op::Else)}), Types{});
  EXPECT_EQ(v_->ctrl(0).op, Op::Else);
  expect_error({i32c(), blk(Op::If, kI32), i32c(), op(Op::Else), op(Op::End), op(Op::End)},
               "type mismatch", 4);
  expect_error({op(Op::I64Const), blk(Op::If, kI32)}, "type mismatch", 1);
  // Without else the result needs an else branch.
  expect_error({i32c(), blk(Op::If, kI32), i32c(), op(Op::End), op(Op::End)}, "type mismatch",
               3);
  expect_error({op(Op::Else)}, "END opcode expected", 0);
  expect_error({op(Op::Block), op(Op::Else)}, "END opcode expected", 1);
}

TEST_F(ValidatorTest, IfWithoutElseWithParams) {
  set_func({}, {kI32});
  const uint32_t same = add_type({kI32}, {kI32});
  const uint32_t diff = add_type({kI32}, {kI64});
  // [i32] -> [i32] without else passes its param through.
  EXPECT_TRUE(run({i32c(5), i32c(1), blk_type(Op::If, same), op(Op::End), op(Op::End)}));
  EXPECT_TRUE(run({i32c(5), i32c(1), blk_type(Op::If, same), i32c(1), op(Op::I32Add),
                   op(Op::End), op(Op::End)}));
  expect_error({i32c(5), i32c(1), blk_type(Op::If, diff), op(Op::Drop), op(Op::I64Const),
                op(Op::End), op(Op::End)},
               "type mismatch", 5);
}

TEST_F(ValidatorTest, Branches) {
  set_func({}, {kI32});
  expect_error({idx(Op::Br, 1)}, "unknown label 1", 0);
  EXPECT_TRUE(run({blk(Op::Block, kI32), i32c(), idx(Op::Br, 0), op(Op::End), op(Op::End)}));
  EXPECT_TRUE(run({i32c(), idx(Op::Br, 0), op(Op::End)}));
  expect_error({op(Op::I64Const), idx(Op::Br, 0), op(Op::End)}, "type mismatch", 1);
  // br_if keeps its operands: the stack holds the label's types after it, even in dead code.
  EXPECT_EQ(stack_after({blk(Op::Block, kI32), op(Op::Unreachable), idx(Op::BrIf, 0)}),
            Types{kI32});
  expect_error({blk(Op::Block, kI32), i32c(), idx(Op::BrIf, 0)}, "type mismatch", 2);
}

TEST_F(ValidatorTest, BrTableArities) {
  set_func({}, {});
  auto br_table = [](std::vector<uint32_t>* targets, uint32_t dflt) {
    Instr in = op(Op::BrTable);
    in.index = dflt;
    in.br_table = *targets;
    return in;
  };
  std::vector<uint32_t> t01 = {0, 1};
  std::vector<uint32_t> t0 = {0};
  std::vector<uint32_t> t5 = {5};
  // Targets of different arities are invalid, even in unreachable code.
  expect_error({blk(Op::Block, kI32), op(Op::Block), op(Op::Unreachable), br_table(&t0, 1)},
               "type mismatch", 3);
  // Same arity, different types: fine where the operand is unknown ...
  EXPECT_TRUE(run({blk(Op::Block, kF64), blk(Op::Block, kF32), op(Op::Unreachable),
                   i32c(), br_table(&t01, 1), op(Op::End), op(Op::Drop), op(Op::F64Const),
                   op(Op::End), op(Op::Drop), op(Op::End)}));
  // ... but a concrete operand must match every target.
  expect_error({blk(Op::Block, kF64), blk(Op::Block, kF32), op(Op::F32Const), i32c(),
                br_table(&t01, 1)},
               "type mismatch", 4);
  expect_error({op(Op::Block), i32c(), br_table(&t5, 0)}, "unknown label 5", 2);
  EXPECT_EQ(stack_after({op(Op::Block), i32c(), br_table(&t01, 0)}), Types{});
  EXPECT_TRUE(v_->unreachable());
  // Repeated targets, polymorphic and concrete operands.
  std::vector<uint32_t> t000 = {0, 0, 0};
  EXPECT_TRUE(run({blk(Op::Block, kI32), op(Op::Unreachable), i32c(), br_table(&t000, 0),
                   op(Op::End), op(Op::Drop), op(Op::End)}));
  expect_error({blk(Op::Block, kI32), op(Op::I64Const), i32c(), br_table(&t000, 0)},
               "type mismatch", 3);
  expect_error({blk(Op::Block, kI32), i32c(), br_table(&t000, 0)}, "type mismatch", 2);
}

TEST_F(ValidatorTest, CallsAndTailCalls) {
  set_func({kI32}, {kI32});
  const uint32_t callee_t = add_type({kI32, kI64}, {kI32});
  const uint32_t other_t = add_type({}, {kI64});
  m_.funcs.push_back(callee_t);  // function 1
  m_.funcs.push_back(other_t);   // function 2
  EXPECT_EQ(stack_after({i32c(), op(Op::I64Const), idx(Op::Call, 1)}), Types{kI32});
  expect_error({i32c(), idx(Op::Call, 1)}, "type mismatch", 1);
  expect_error({idx(Op::Call, 7)}, "unknown function 7", 0);
  EXPECT_TRUE(run({i32c(), op(Op::I64Const), idx(Op::ReturnCall, 1), op(Op::End)}));
  expect_error({idx(Op::ReturnCall, 2), op(Op::End)}, "type mismatch", 0);
  // call_indirect: (type, table); the table must hold funcref.
  EXPECT_EQ(stack_after({op(Op::I64Const), i32c(), idx(Op::CallIndirect, other_t, 0)}),
            (Types{kI64, kI64}));
  expect_error({op(Op::I64Const), i32c(), idx(Op::CallIndirect, other_t, 1)}, "type mismatch",
               2);
  expect_error({i32c(), idx(Op::CallIndirect, other_t, 9)}, "unknown table 9", 1);
  expect_error({i32c(), idx(Op::CallIndirect, 42, 0)}, "unknown type 42", 1);
  expect_error({i32c(), idx(Op::ReturnCallIndirect, other_t, 0)}, "type mismatch", 1);
}

TEST_F(ValidatorTest, LocalsAndGlobals) {
  set_func({kI32}, {}, {kF64});
  m_.globals = {GlobalType{kI64, false}, GlobalType{kF32, true}};
  EXPECT_TRUE(run({op(Op::F64Const), idx(Op::LocalTee, 1), idx(Op::LocalSet, 1),
                   idx(Op::GlobalGet, 1), idx(Op::GlobalSet, 1), op(Op::End)}));
  expect_error({idx(Op::LocalGet, 2)}, "unknown local 2", 0);
  expect_error({i32c(), idx(Op::LocalSet, 1)}, "type mismatch", 1);
  expect_error({op(Op::I64Const), idx(Op::GlobalSet, 0)}, "immutable global", 1);
  expect_error({idx(Op::GlobalGet, 2)}, "unknown global 2", 0);
}

TEST_F(ValidatorTest, References) {
  set_func({}, {});
  m_.funcs.push_back(m_.funcs[0]);
  expect_error({idx(Op::RefFunc, 1)}, "undeclared function reference", 0);
  expect_error({idx(Op::RefFunc, 3)}, "unknown function 3", 0);
  ctx_.declared_funcs = {0, 1};
  EXPECT_EQ(stack_after({idx(Op::RefFunc, 1), op(Op::RefIsNull)}), Types{kI32});
  expect_error({i32c(), op(Op::RefIsNull)}, "type mismatch", 1);
  EXPECT_EQ(stack_after({op(Op::Unreachable), op(Op::RefIsNull)}), Types{kI32});
}

TEST_F(ValidatorTest, Tables) {
  set_func({}, {});
  m_.elems.push_back(ElemSegment{});  // funcref
  EXPECT_EQ(stack_after({i32c(), idx(Op::TableGet, 1)}), Types{kExternRef});
  EXPECT_EQ(stack_after({ref_null(kExternRef), i32c(), idx(Op::TableGrow, 1)}), Types{kI32});
  expect_error({ref_null(kFuncRef), i32c(), idx(Op::TableGrow, 1)}, "type mismatch", 2);
  expect_error({i32c(), ref_null(kExternRef), i32c(), idx(Op::TableFill, 0)}, "type mismatch",
               3);
  expect_error({i32c(), i32c(), i32c(), idx(Op::TableCopy, 0, 1)}, "type mismatch", 3);
  expect_error({i32c(), i32c(), i32c(), idx(Op::TableInit, 0, 1)}, "type mismatch", 3);
  EXPECT_TRUE(run({i32c(), i32c(), i32c(), idx(Op::TableInit, 0, 0), op(Op::End)}));
  expect_error({idx(Op::ElemDrop, 1)}, "unknown elem segment 1", 0);
  expect_error({idx(Op::TableSize, 2)}, "unknown table 2", 0);
}

TEST_F(ValidatorTest, MemoryImmediates) {
  set_func({}, {});
  EXPECT_TRUE(run({i32c(), mem(Op::I64Load, 3), op(Op::Drop), op(Op::End)}));
  expect_error({i32c(), mem(Op::I64Load, 4)}, "alignment must not be larger than natural", 1);
  expect_error({i32c(), mem(Op::I32Load8U, 1)}, "alignment must not be larger than natural", 1);
  expect_error({i32c(), mem(Op::I32Load, 2, 1)}, "unknown memory 1", 1);
  expect_error({i32c(), mem(Op::I32Load, 2, 0, 0x1'0000'0000)}, "offset out of range", 1);
  expect_error({idx(Op::MemorySize, 1)}, "unknown memory 1", 0);
  m_.memories.push_back(MemoryType{});  // multi-memory
  EXPECT_TRUE(run({i32c(), mem(Op::F32Load, 2, 1), op(Op::Drop), op(Op::End)}));
  EXPECT_TRUE(run({i32c(), i32c(), i32c(), idx(Op::MemoryCopy, 1, 0), op(Op::End)}));
}

TEST_F(ValidatorTest, BulkMemoryNeedsDataCount) {
  set_func({}, {});
  m_.datas.push_back(DataSegment{});
  expect_error({idx(Op::DataDrop, 0)}, "data count section required", 0);
  m_.data_count = 1;
  EXPECT_TRUE(run({idx(Op::DataDrop, 0), op(Op::End)}));
  expect_error({idx(Op::DataDrop, 1)}, "unknown data segment 1", 0);
  EXPECT_TRUE(run({i32c(), i32c(), i32c(), idx(Op::MemoryInit, 0, 0), op(Op::End)}));
}

TEST_F(ValidatorTest, SimdTyping) {
  set_func({}, {});
  EXPECT_EQ(stack_after({op(Op::V128Const), lane(Op::I64x2ExtractLane, 1)}), Types{kI64});
  expect_error({op(Op::V128Const), lane(Op::I64x2ExtractLane, 2)}, "invalid lane index", 1);
  expect_error({op(Op::V128Const), op(Op::F32Const), lane(Op::I32x4ReplaceLane, 0)},
               "type mismatch", 2);
  EXPECT_EQ(stack_after({op(Op::V128Const), op(Op::V128Const), op(Op::V128Const),
                         op(Op::V128Bitselect)}),
            Types{kV128});
  EXPECT_EQ(stack_after({op(Op::V128Const), i32c(), op(Op::I16x8Shl)}), Types{kV128});
  Instr shuffle = op(Op::I8x16Shuffle);
  shuffle.v128.bytes[15] = 31;
  EXPECT_TRUE(run({op(Op::V128Const), op(Op::V128Const), shuffle, op(Op::Drop), op(Op::End)}));
  shuffle.v128.bytes[15] = 32;
  expect_error({op(Op::V128Const), op(Op::V128Const), shuffle}, "invalid lane index", 2);
  // Lane loads: memarg alignment and lane both checked.
  Instr ld = mem(Op::V128Load16Lane, 1);
  ld.lane = 7;
  EXPECT_EQ(stack_after({i32c(), op(Op::V128Const), ld}), Types{kV128});
  ld.lane = 8;
  expect_error({i32c(), op(Op::V128Const), ld}, "invalid lane index", 2);
  expect_error({i32c(), mem(Op::V128Load, 5)}, "alignment must not be larger than natural", 1);
  expect_error({i32c(), mem(Op::V128Load32Zero, 3)},
               "alignment must not be larger than natural", 1);
  // Unknown operands satisfy vector operands too.
  EXPECT_EQ(stack_after({op(Op::Unreachable), op(Op::I8x16Add)}), Types{kV128});
}

TEST_F(ValidatorTest, StructureAndEnd) {
  set_func({}, {});
  expect_error({}, "END opcode expected", 0);
  expect_error({op(Op::Block)}, "unexpected end of section or function", 1);
  expect_error({op(Op::End), op(Op::Nop)}, "operators remaining after end of function", 1);
  auto r = run_prefix({op(Op::End)});
  ASSERT_TRUE(r);
  EXPECT_EQ(v_->ctrl_depth(), 0u);
  EXPECT_TRUE(v_->finish(1));
}

TEST_F(ValidatorTest, OperandStackIsBounded) {
  set_func({}, {});
  ctx_.module = &m_;
  ctx_.declared_funcs.resize(1);
  FuncValidator v(ctx_, 0);
  ASSERT_TRUE(v.begin());
  Instr c = i32c();
  Result<void> r;
  for (uint32_t i = 0; i < (2u << 20) && r; ++i) r = v.step(c);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("function too complex"), std::string::npos);
}

// ---- module-level checks ----

class ModuleHeaderTest : public ::testing::Test {
 protected:
  Result<void> check() {
    ModuleContext ctx;
    return validate_module_header(m_, ctx);
  }
  void expect_error(const std::string& message) {
    auto r = check();
    ASSERT_FALSE(r) << "expected: " << message;
    EXPECT_EQ(r.error().message, message);
  }
  static ConstExpr expr(std::initializer_list<Instr> code) { return ConstExpr{code, 0}; }
  void add_global(ValType t, bool mut, ConstExpr init) {
    m_.globals.push_back(GlobalType{t, mut});
    m_.global_inits.push_back(std::move(init));
  }

  Module m_;
};

TEST_F(ModuleHeaderTest, EmptyModuleIsValid) { EXPECT_TRUE(check()); }

TEST_F(ModuleHeaderTest, FunctionTypesMustExist) {
  m_.funcs = {0};
  m_.code.resize(1);
  expect_error("unknown type 0");
  m_.types.push_back(FuncType{});
  EXPECT_TRUE(check());
}

TEST_F(ModuleHeaderTest, MemoryLimits) {
  m_.memories.push_back(MemoryType{Limits{65536, 65536}});
  EXPECT_TRUE(check());
  m_.memories[0].limits.max = 65537;
  expect_error("memory size must be at most 65536 pages (4GiB)");
  m_.memories[0].limits = Limits{2, 1};
  expect_error("size minimum must not be greater than maximum");
  m_.memories[0].limits = Limits{1, {}, false, true};
  auto r = check();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("unsupported feature: ", 0), 0u);
}

TEST_F(ModuleHeaderTest, TableLimits) {
  m_.tables.push_back(TableType{kFuncRef, Limits{3, 2}});
  expect_error("size minimum must not be greater than maximum");
  m_.tables[0].limits = Limits{0x1'0000'0000, {}};
  expect_error("table size must be at most 2^32-1");
}

TEST_F(ModuleHeaderTest, GlobalInitializers) {
  add_global(kI32, false, expr({i32c(1), i32c(2), op(Op::I32Add)}));  // extended const
  EXPECT_TRUE(check());
  add_global(kI32, false, expr({idx(Op::GlobalGet, 0)}));  // preceding immutable global
  EXPECT_TRUE(check());
  add_global(kI32, false, expr({idx(Op::GlobalGet, 3)}));
  expect_error("unknown global 3");
  m_.global_inits.back() = expr({op(Op::I64Const)});
  expect_error("type mismatch");
  m_.global_inits.back() = expr({i32c(), i32c()});
  expect_error("type mismatch");
  m_.global_inits.back() = expr({});
  expect_error("type mismatch");
  m_.global_inits.back() = expr({i32c(), op(Op::I32Eqz)});
  expect_error("constant expression required");
  m_.global_inits.back() = expr({i32c(), op(Op::I64Const), op(Op::I32Sub)});
  expect_error("type mismatch");
  add_global(kI32, true, expr({i32c()}));
  m_.global_inits[2] = expr({idx(Op::GlobalGet, 3)});
  expect_error("unknown global 3");
  m_.global_inits[2] = expr({i32c()});
  add_global(kI32, false, expr({idx(Op::GlobalGet, 3)}));  // mutable
  expect_error("constant expression required");
}

TEST_F(ModuleHeaderTest, ExportsAndStart) {
  m_.types.push_back(FuncType{{kI32}, {}});
  m_.types.push_back(FuncType{});
  m_.funcs = {0, 1};
  m_.code.resize(2);
  m_.exports.push_back(Export{"a", ExternKind::Func, 1});
  m_.exports.push_back(Export{"b", ExternKind::Func, 1});
  EXPECT_TRUE(check());
  m_.exports.push_back(Export{"a", ExternKind::Func, 0});
  expect_error("duplicate export name");
  m_.exports.back() = Export{"c", ExternKind::Memory, 0};
  expect_error("unknown memory 0");
  m_.exports.pop_back();
  m_.start = 1;
  EXPECT_TRUE(check());
  m_.start = 0;
  expect_error("start function");
  m_.start = 2;
  expect_error("unknown function 2");
}

TEST_F(ModuleHeaderTest, SegmentsAndDeclaredFunctions) {
  m_.types.push_back(FuncType{});
  m_.funcs = {0, 0, 0};
  m_.code.resize(3);
  m_.tables.push_back(TableType{kFuncRef, {1, {}}});
  ElemSegment seg;
  seg.mode = SegmentMode::Active;
  seg.offset = expr({i32c()});
  seg.items = {expr({idx(Op::RefFunc, 2)}), expr({ref_null(kFuncRef)})};
  m_.elems.push_back(seg);
  m_.exports.push_back(Export{"f", ExternKind::Func, 0});
  ModuleContext ctx;
  ASSERT_TRUE(validate_module_header(m_, ctx));
  EXPECT_EQ(ctx.module, &m_);
  EXPECT_EQ(ctx.declared_funcs, (std::vector<uint8_t>{1, 0, 1}));

  m_.elems[0].items.push_back(expr({ref_null(kExternRef)}));
  expect_error("type mismatch");
  m_.elems[0].items.pop_back();
  m_.elems[0].table = 1;
  expect_error("unknown table 1");
  m_.elems[0].table = 0;
  m_.elems[0].offset = expr({op(Op::I64Const)});
  expect_error("type mismatch");
  m_.elems[0].offset = expr({i32c()});
  m_.elems[0].type = kExternRef;
  m_.elems[0].items.clear();
  expect_error("type mismatch");  // table holds funcref

  m_.elems.clear();
  DataSegment data;
  data.mode = SegmentMode::Active;
  data.offset = expr({i32c()});
  m_.datas.push_back(data);
  expect_error("unknown memory 0");
  m_.memories.push_back(MemoryType{});
  EXPECT_TRUE(check());
}


// ---- validate_module on binaries: bodies read by CodeReader, offsets are file offsets ----

using Bytes = std::vector<uint8_t>;

/// A module of one function of type [] -> [] with {body} (locals count + code), and {extra}
/// sections appended after the code section.
Bytes module_with_body(const Bytes& body, const Bytes& extra = {}) {
  Bytes b = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // header
             0x01, 0x04, 0x01, 0x60, 0x00, 0x00,              // type section: [] -> []
             0x03, 0x02, 0x01, 0x00,                          // function section
             0x05, 0x03, 0x01, 0x00, 0x01};                   // memory 1
  b.push_back(0x0a);                                          // code section
  b.push_back(static_cast<uint8_t>(body.size() + 2));
  b.push_back(0x01);
  b.push_back(static_cast<uint8_t>(body.size()));
  b.insert(b.end(), body.begin(), body.end());
  b.insert(b.end(), extra.begin(), extra.end());
  return b;
}
constexpr uint64_t kBodyCodeOffset = 28;  // offset of the first instruction (after locals count)

Result<void> validate_bytes(const Bytes& b) {
  auto m = decode_module(b);
  if (!m) return m.error();
  return validate_module(**m);
}

TEST(ValidateModule, AcceptsAValidBody) {
  EXPECT_TRUE(validate_bytes(module_with_body({0x00, 0x41, 0x01, 0x1a, 0x0b})));
}

TEST(ValidateModule, ReportsFileOffsets) {
  // i32.const 1; i64.eqz -> type mismatch at the i64.eqz.
  auto r = validate_bytes(module_with_body({0x00, 0x41, 0x01, 0x50, 0x0b}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "type mismatch");
  EXPECT_EQ(r.error().offset, kBodyCodeOffset + 2);
}

TEST(ValidateModule, BodyMustEndAtItsFinalEnd) {
  // block end, and no final end: the body's last byte is an `end`, but of the block.
  auto missing = validate_bytes(module_with_body({0x00, 0x02, 0x40, 0x0b}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "END opcode expected");
  auto trailing = validate_bytes(module_with_body({0x00, 0x0b, 0x01, 0x0b}));
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().message, "operators remaining after end of function");
  EXPECT_EQ(trailing.error().offset, kBodyCodeOffset + 1);
}

TEST(ValidateModule, BodyErrorsComeBeforeDataSectionErrors) {
  // Data segment for memory 3 (unknown), after a body with a type error: the body's is earlier.
  const Bytes data = {0x0b, 0x07, 0x01, 0x02, 0x03, 0x41, 0x00, 0x0b, 0x00};
  auto r = validate_bytes(module_with_body({0x00, 0x42, 0x00, 0x0b}, data));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "type mismatch");
  auto d = validate_bytes(module_with_body({0x00, 0x0b}, data));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().message, "unknown memory 3");
}

TEST(ValidateModule, MemoryInitNeedsDataCount) {
  // i32.const 0 x3; memory.init 0 0 -- no data count section.
  auto r = validate_bytes(
      module_with_body({0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "data count section required");
  EXPECT_EQ(r.error().offset, kBodyCodeOffset + 6);
}

}  // namespace
}  // namespace rill::wasm
