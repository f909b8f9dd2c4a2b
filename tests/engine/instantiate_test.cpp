// Tests for Engine/Store/Instance: type interning, import matching, allocation, constant
// expressions, segment initialisation (and its traps), the start function and Store::call.
// Modules are built as wasm::Module values so most tests need no function bodies.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "rill/engine/engine.h"
#include "rill/engine/link.h"
#include "rill/engine/store.h"

namespace rill::engine {
namespace {

using wasm::Op;

wasm::Instr instr(Op op, uint32_t index = 0) {
  wasm::Instr in;
  in.op = op;
  in.index = index;
  return in;
}
wasm::Instr i32c(int32_t v) {
  wasm::Instr in = instr(Op::I32Const);
  in.num.i32 = v;
  return in;
}
wasm::Instr i64c(int64_t v) {
  wasm::Instr in = instr(Op::I64Const);
  in.num.i64 = v;
  return in;
}
wasm::Instr ref_null(wasm::ValType t) {
  wasm::Instr in = instr(Op::RefNull);
  in.heap_type = t;
  return in;
}
wasm::ConstExpr expr(std::initializer_list<wasm::Instr> code) {
  return wasm::ConstExpr{code, 0};
}

wasm::Limits limits(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
  wasm::Limits l;
  l.min = min;
  l.max = max;
  return l;
}

/// Assembles a wasm::Module field by field (imports must come before definitions).
struct ModuleBuilder {
  std::shared_ptr<wasm::Module> m = std::make_shared<wasm::Module>();

  uint32_t type(std::vector<wasm::ValType> params, std::vector<wasm::ValType> results) {
    m->types.push_back(wasm::FuncType{std::move(params), std::move(results)});
    return static_cast<uint32_t>(m->types.size() - 1);
  }
  void import(wasm::Import imp) { m->imports.push_back(std::move(imp)); }
  uint32_t import_func(uint32_t type_index) {
    wasm::Import imp{
        "env", "f" + std::to_string(m->imports.size()), wasm::ExternKind::Func, type_index, {}, {},
        {}};
    import(imp);
    m->funcs.push_back(type_index);
    return m->num_imported_funcs++;
  }
  uint32_t import_table(wasm::TableType t) {
    wasm::Import imp{"env", "t", wasm::ExternKind::Table, 0, t, {}, {}};
    import(imp);
    m->tables.push_back(t);
    return m->num_imported_tables++;
  }
  uint32_t import_memory(wasm::Limits l) {
    wasm::Import imp{"env", "m", wasm::ExternKind::Memory, 0, {}, wasm::MemoryType{l}, {}};
    import(imp);
    m->memories.push_back(wasm::MemoryType{l});
    return m->num_imported_memories++;
  }
  uint32_t import_global(wasm::GlobalType g) {
    wasm::Import imp{"env", "g", wasm::ExternKind::Global, 0, {}, {}, g};
    import(imp);
    m->globals.push_back(g);
    return m->num_imported_globals++;
  }
  uint32_t table(wasm::Limits l, wasm::ValType elem = wasm::kFuncRef) {
    m->tables.push_back(wasm::TableType{elem, l});
    return static_cast<uint32_t>(m->tables.size() - 1);
  }
  uint32_t memory(wasm::Limits l) {
    m->memories.push_back(wasm::MemoryType{l});
    return static_cast<uint32_t>(m->memories.size() - 1);
  }
  uint32_t global(wasm::GlobalType g, wasm::ConstExpr init) {
    m->globals.push_back(g);
    m->global_inits.push_back(std::move(init));
    return static_cast<uint32_t>(m->globals.size() - 1);
  }
  void exp(std::string name, wasm::ExternKind kind, uint32_t index) {
    m->exports.push_back(wasm::Export{std::move(name), kind, index});
  }
  void elem(wasm::SegmentMode mode,
            uint32_t table_index,
            wasm::ConstExpr offset,
            std::vector<wasm::ConstExpr> items,
            wasm::ValType type = wasm::kFuncRef) {
    wasm::ElemSegment seg;
    seg.mode = mode;
    seg.table = table_index;
    seg.offset = std::move(offset);
    seg.type = type;
    seg.items = std::move(items);
    m->elems.push_back(std::move(seg));
  }
  void data(wasm::SegmentMode mode, uint32_t mem, wasm::ConstExpr offset, std::string_view bytes) {
    wasm::DataSegment seg;
    seg.mode = mode;
    seg.memory = mem;
    seg.offset = std::move(offset);
    seg.data_offset = m->bytes.size();
    seg.size = static_cast<uint32_t>(bytes.size());
    m->bytes.insert(m->bytes.end(), bytes.begin(), bytes.end());
    m->datas.push_back(std::move(seg));
  }
};

class InstantiateTest : public testing::Test {
 protected:
  std::shared_ptr<const CompiledModule> compile(ModuleBuilder& b) {
    auto c = engine_.compile(std::shared_ptr<const wasm::Module>(b.m));
    EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().to_string());
    return c ? *c : nullptr;
  }
  InstantiateResult instantiate(ModuleBuilder& b, std::vector<Extern> imports = {}) {
    auto c = compile(b);
    if (!c) return InstantiateResult{nullptr, Error{"compile failed"}, std::nullopt};
    return store_.instantiate(c, imports);
  }
  Function* host_func(wasm::FuncType type, int* counter = nullptr) {
    return store_.create_host_function(
        std::move(type), [counter](Caller&, std::span<const Value>, std::span<Value>) {
          if (counter != nullptr) ++*counter;
          return std::optional<Trap>();
        });
  }
  Memory* memory(uint64_t min, std::optional<uint64_t> max = std::nullopt) {
    auto m = store_.create_memory(wasm::MemoryType{limits(min, max)});
    EXPECT_TRUE(m.has_value());
    return m ? *m : nullptr;
  }
  Table* table(uint64_t min,
               std::optional<uint64_t> max = std::nullopt,
               wasm::ValType elem = wasm::kFuncRef) {
    auto t = store_.create_table(wasm::TableType{elem, limits(min, max)}, nullptr);
    EXPECT_TRUE(t.has_value());
    return t ? *t : nullptr;
  }
  /// Instantiation that must fail at link time; returns the error message.
  std::string link_error(ModuleBuilder& b, std::vector<Extern> imports) {
    InstantiateResult r = instantiate(b, std::move(imports));
    EXPECT_EQ(r.instance, nullptr);
    EXPECT_FALSE(r.trap.has_value());
    return r.link_error ? r.link_error->message : std::string("<linked>");
  }

  Engine engine_;
  Store store_{engine_};
};

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST_F(InstantiateTest, InternTypeIsCanonical) {
  wasm::FuncType a{{wasm::kI32, wasm::kI64}, {wasm::kF32}};
  wasm::FuncType b{{wasm::kI32}, {wasm::kI64, wasm::kF32}};
  wasm::FuncType c{{}, {wasm::kI32, wasm::kI64, wasm::kF32}};
  const uint32_t ia = engine_.intern_type(a);
  EXPECT_EQ(engine_.intern_type(wasm::FuncType{{wasm::kI32, wasm::kI64}, {wasm::kF32}}), ia);
  EXPECT_NE(engine_.intern_type(b), ia);
  EXPECT_NE(engine_.intern_type(c), engine_.intern_type(b));
  EXPECT_NE(engine_.intern_type(wasm::FuncType{}), ia);
  ModuleBuilder mb;
  mb.type({wasm::kI32, wasm::kI64}, {wasm::kF32});
  mb.type({}, {});
  mb.type({wasm::kI32, wasm::kI64}, {wasm::kF32});
  auto cm = compile(mb);
  ASSERT_NE(cm, nullptr);
  ASSERT_EQ(cm->type_ids.size(), 3u);
  EXPECT_EQ(cm->type_ids[0], ia);
  EXPECT_EQ(cm->type_ids[2], ia);
  EXPECT_EQ(cm->type_ids[1], engine_.intern_type(wasm::FuncType{}));
}

TEST_F(InstantiateTest, WrongImportCountIsUnknownImport) {
  ModuleBuilder b;
  b.import_func(b.type({}, {}));
  EXPECT_TRUE(starts_with(link_error(b, {}), kUnknownImport));
  Function* f = host_func({});
  EXPECT_TRUE(starts_with(link_error(b, {f, f}), kUnknownImport));
}

TEST_F(InstantiateTest, FunctionImportsMatchByCanonicalType) {
  ModuleBuilder b;
  b.import_func(b.type({wasm::kI32}, {wasm::kI64}));
  EXPECT_TRUE(starts_with(link_error(b, {host_func({{wasm::kI32}, {}})}), kIncompatibleImport));
  EXPECT_TRUE(
      starts_with(link_error(b, {host_func({{wasm::kI64}, {wasm::kI32}})}), kIncompatibleImport));
  EXPECT_TRUE(starts_with(link_error(b, {static_cast<Function*>(nullptr)}), kIncompatibleImport));
  Function* good = host_func({{wasm::kI32}, {wasm::kI64}});
  InstantiateResult r = instantiate(b, {good});
  ASSERT_NE(r.instance, nullptr) << r.link_error->message;
  ASSERT_EQ(r.instance->funcs.size(), 1u);
  EXPECT_EQ(r.instance->funcs[0], good);
}

TEST_F(InstantiateTest, ImportKindMustMatch) {
  ModuleBuilder b;
  b.import_func(b.type({}, {}));
  std::string msg = link_error(b, {memory(1)});
  EXPECT_TRUE(starts_with(msg, kIncompatibleImport)) << msg;
  EXPECT_NE(msg.find("func"), std::string::npos) << msg;
}

TEST_F(InstantiateTest, TableImportsUseLimitSubtyping) {
  ModuleBuilder b;
  b.import_table(wasm::TableType{wasm::kFuncRef, limits(2, 5)});
  EXPECT_TRUE(starts_with(link_error(b, {table(1, 5)}), kIncompatibleImport));
  EXPECT_TRUE(starts_with(link_error(b, {table(2)}), kIncompatibleImport));
  EXPECT_TRUE(starts_with(link_error(b, {table(2, 6)}), kIncompatibleImport));
  EXPECT_TRUE(starts_with(link_error(b, {table(2, 5, wasm::kExternRef)}), kIncompatibleImport));
  EXPECT_NE(instantiate(b, {table(3, 5)}).instance, nullptr);
  EXPECT_NE(instantiate(b, {table(2, 2)}).instance, nullptr);
  // The current size counts, not the declared minimum.
  Table* grown = table(1, 4);
  ASSERT_EQ(grown->grow(1, nullptr), 1);
  EXPECT_NE(instantiate(b, {grown}).instance, nullptr);
}

TEST_F(InstantiateTest, MemoryImportsUseLimitSubtyping) {
  ModuleBuilder b;
  b.import_memory(limits(1));
  EXPECT_TRUE(starts_with(link_error(b, {memory(0)}), kIncompatibleImport));
  EXPECT_NE(instantiate(b, {memory(1)}).instance, nullptr);
  EXPECT_NE(instantiate(b, {memory(2, 3)}).instance, nullptr);

  ModuleBuilder bounded;
  bounded.import_memory(limits(1, 2));
  EXPECT_TRUE(starts_with(link_error(bounded, {memory(1)}), kIncompatibleImport));
  EXPECT_TRUE(starts_with(link_error(bounded, {memory(1, 3)}), kIncompatibleImport));
  Memory* m = memory(0, 2);
  EXPECT_TRUE(starts_with(link_error(bounded, {m}), kIncompatibleImport));
  ASSERT_EQ(m->grow(1), 0);
  InstantiateResult r = instantiate(bounded, {m});
  ASSERT_NE(r.instance, nullptr);
  EXPECT_EQ(r.instance->mem0, m);
}

TEST_F(InstantiateTest, GlobalImportsMatchTypeAndMutability) {
  ModuleBuilder b;
  b.import_global(wasm::GlobalType{wasm::kI32, true});
  Global* imm = store_.create_global({wasm::kI32, false}, Value::from_i32(1));
  Global* wrong = store_.create_global({wasm::kI64, true}, Value::from_i64(1));
  Global* good = store_.create_global({wasm::kI32, true}, Value::from_i32(1));
  EXPECT_TRUE(starts_with(link_error(b, {imm}), kIncompatibleImport));
  EXPECT_TRUE(starts_with(link_error(b, {wrong}), kIncompatibleImport));
  EXPECT_NE(instantiate(b, {good}).instance, nullptr);
}

TEST(LinkTest, LimitsMatch) {
  EXPECT_TRUE(limits_match(limits(1), limits(1)));
  EXPECT_TRUE(limits_match(limits(2, 3), limits(1)));
  EXPECT_FALSE(limits_match(limits(0), limits(1)));
  EXPECT_FALSE(limits_match(limits(1), limits(1, 1)));
  EXPECT_TRUE(limits_match(limits(1, 1), limits(1, 1)));
  EXPECT_FALSE(limits_match(limits(1, 2), limits(1, 1)));
  wasm::Limits shared = limits(1, 1);
  shared.shared = true;
  EXPECT_FALSE(limits_match(shared, limits(1, 1)));
}

TEST_F(InstantiateTest, GlobalsAreInitialisedFromConstantExpressions) {
  ModuleBuilder b;
  const uint32_t f = b.import_func(b.type({}, {}));
  b.import_global(wasm::GlobalType{wasm::kI32, false});
  b.global({wasm::kI64, true}, expr({i64c(-1)}));
  // Extended constant expressions: g0 * 3 - 1 and 2^40 + g1-ish arithmetic.
  b.global({wasm::kI32, false},
           expr({instr(Op::GlobalGet, 0), i32c(3), instr(Op::I32Mul), i32c(1), instr(Op::I32Sub)}));
  b.global({wasm::kI64, false},
           expr({i64c(int64_t{1} << 40), i64c(5), instr(Op::I64Add), i64c(2), instr(Op::I64Mul)}));
  b.global({wasm::kI32, false}, expr({i32c(INT32_MAX), i32c(1), instr(Op::I32Add)}));
  wasm::Instr v = instr(Op::V128Const);
  for (uint8_t i = 0; i < 16; ++i) v.v128.bytes[i] = static_cast<uint8_t>(i * 3);
  b.global({wasm::kV128, false}, expr({v}));
  b.global({wasm::kFuncRef, false}, expr({ref_null(wasm::kFuncRef)}));
  b.global({wasm::kFuncRef, false}, expr({instr(Op::RefFunc, f)}));
  wasm::Instr f64 = instr(Op::F64Const);
  f64.num.f64_bits = 0x400921fb54442d18;
  b.global({wasm::kF64, false}, expr({f64}));
  b.exp("f", wasm::ExternKind::Func, f);

  Function* host = host_func({});
  Global* g0 = store_.create_global({wasm::kI32, false}, Value::from_i32(10));
  InstantiateResult r = instantiate(b, {host, g0});
  ASSERT_NE(r.instance, nullptr);
  const auto& g = r.instance->globals;
  ASSERT_EQ(g.size(), 9u);
  EXPECT_EQ(g[0], g0);
  EXPECT_EQ(load_value(g[1]->value, wasm::kI64).i64, UINT64_MAX);
  EXPECT_TRUE(g[1]->type.mut);
  EXPECT_EQ(load_value(g[2]->value, wasm::kI32).i32, 29u);
  EXPECT_EQ(load_value(g[3]->value, wasm::kI64).i64, ((uint64_t{1} << 40) + 5) * 2);
  EXPECT_EQ(load_value(g[4]->value, wasm::kI32).i32, 0x80000000u);
  EXPECT_EQ(load_value(g[5]->value, wasm::kV128).v128, v.v128);
  EXPECT_EQ(load_value(g[6]->value, wasm::kFuncRef).ref, nullptr);
  EXPECT_EQ(load_value(g[7]->value, wasm::kFuncRef).ref, host);
  EXPECT_EQ(load_value(g[8]->value, wasm::kF64).f64_bits, 0x400921fb54442d18u);
}

TEST_F(InstantiateTest, ExportsAreFoundByName) {
  ModuleBuilder b;
  const uint32_t f = b.import_func(b.type({}, {}));
  const uint32_t t = b.table(limits(1));
  const uint32_t m0 = b.memory(limits(1));
  const uint32_t m1 = b.memory(limits(2));
  const uint32_t g = b.global({wasm::kI32, false}, expr({i32c(7)}));
  b.exp("func", wasm::ExternKind::Func, f);
  b.exp("table", wasm::ExternKind::Table, t);
  b.exp("mem", wasm::ExternKind::Memory, m1);
  b.exp("glob", wasm::ExternKind::Global, g);
  Function* host = host_func({});
  InstantiateResult r = instantiate(b, {host});
  ASSERT_NE(r.instance, nullptr);
  Instance& inst = *r.instance;
  ASSERT_EQ(inst.memories.size(), 2u);
  EXPECT_EQ(inst.mem0, inst.memories[m0]);
  EXPECT_EQ(inst.memories[m1]->pages(), 2u);

  auto e = inst.get_export("func");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(std::get<Function*>(*e), host);
  e = inst.get_export("table");
  ASSERT_TRUE(e && std::holds_alternative<Table*>(*e));
  EXPECT_EQ(std::get<Table*>(*e), inst.tables[t]);
  e = inst.get_export("mem");
  ASSERT_TRUE(e && std::holds_alternative<Memory*>(*e));
  EXPECT_EQ(std::get<Memory*>(*e), inst.memories[m1]);
  e = inst.get_export("glob");
  ASSERT_TRUE(e && std::holds_alternative<Global*>(*e));
  EXPECT_EQ(load_value(std::get<Global*>(*e)->value, wasm::kI32).i32, 7u);
  EXPECT_FALSE(inst.get_export("missing").has_value());
  EXPECT_FALSE(inst.get_export("").has_value());
  const Caller caller{store_, &inst};
  EXPECT_EQ(caller.memory(1), inst.memories[m1]);
  EXPECT_EQ(caller.memory(2), nullptr);
  const Caller host_caller{store_, nullptr};
  EXPECT_EQ(host_caller.memory(0), nullptr);
}

TEST_F(InstantiateTest, ElementSegmentsInitialiseTablesAndAreDropped) {
  ModuleBuilder b;
  const uint32_t ty = b.type({}, {});
  const uint32_t f0 = b.import_func(ty);
  const uint32_t f1 = b.import_func(ty);
  b.table(limits(4));
  b.elem(wasm::SegmentMode::Active, 0, expr({i32c(1)}),
         {expr({instr(Op::RefFunc, f1)}), expr({ref_null(wasm::kFuncRef)}),
          expr({instr(Op::RefFunc, f0)})});
  b.elem(wasm::SegmentMode::Passive, 0, {},
         {expr({instr(Op::RefFunc, f0)}), expr({instr(Op::RefFunc, f1)})});
  b.elem(wasm::SegmentMode::Declarative, 0, {}, {expr({instr(Op::RefFunc, f0)})});
  Function* h0 = host_func({});
  Function* h1 = host_func({});
  InstantiateResult r = instantiate(b, {h0, h1});
  ASSERT_NE(r.instance, nullptr);
  EXPECT_FALSE(r.trap.has_value());
  Table* t = r.instance->tables[0];
  ASSERT_EQ(t->size(), 4u);
  EXPECT_EQ(t->data()[0], nullptr);
  EXPECT_EQ(t->data()[1], h1);
  EXPECT_EQ(t->data()[2], nullptr);
  EXPECT_EQ(t->data()[3], h0);
  ASSERT_EQ(r.instance->elems.size(), 3u);
  EXPECT_TRUE(r.instance->elems[0].empty());
  ASSERT_EQ(r.instance->elems[1].size(), 2u);
  EXPECT_EQ(r.instance->elems[1][0], h0);
  EXPECT_EQ(r.instance->elems[1][1], h1);
  EXPECT_TRUE(r.instance->elems[2].empty());
}

TEST_F(InstantiateTest, ElementSegmentOutOfBoundsTrapsAfterEarlierSegments) {
  ModuleBuilder b;
  const uint32_t f = b.import_func(b.type({}, {}));
  b.import_table(wasm::TableType{wasm::kFuncRef, limits(3)});
  b.import_memory(limits(1));
  b.elem(wasm::SegmentMode::Active, 0, expr({i32c(0)}), {expr({instr(Op::RefFunc, f)})});
  b.elem(wasm::SegmentMode::Active, 0, expr({i32c(2)}),
         {expr({instr(Op::RefFunc, f)}), expr({instr(Op::RefFunc, f)})});
  b.elem(wasm::SegmentMode::Active, 0, expr({i32c(1)}), {expr({instr(Op::RefFunc, f)})});
  b.data(wasm::SegmentMode::Active, 0, expr({i32c(0)}), "x");
  Function* h = host_func({});
  Table* t = table(3);
  Memory* m = memory(1);
  InstantiateResult r = instantiate(b, {h, t, m});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::TableOutOfBounds);
  EXPECT_EQ(r.trap->message, "out of bounds table access");
  EXPECT_NE(r.instance, nullptr);
  EXPECT_EQ(t->data()[0], h);        // the first segment ran
  EXPECT_EQ(t->data()[1], nullptr);  // the third did not
  EXPECT_EQ(t->data()[2], nullptr);  // the failing one wrote nothing
  EXPECT_EQ(m->base()[0], 0);        // data segments come after all element segments
}

TEST_F(InstantiateTest, EmptyElementSegmentPastTheEndTraps) {
  ModuleBuilder at_end;
  at_end.table(limits(3));
  at_end.elem(wasm::SegmentMode::Active, 0, expr({i32c(3)}), {});
  InstantiateResult ok = instantiate(at_end);
  EXPECT_NE(ok.instance, nullptr);
  EXPECT_FALSE(ok.trap.has_value());

  ModuleBuilder past;
  past.table(limits(3));
  past.elem(wasm::SegmentMode::Active, 0, expr({i32c(4)}), {});
  InstantiateResult r = instantiate(past);
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::TableOutOfBounds);

  // An offset near 2^32 must not wrap around.
  ModuleBuilder wrap;
  const uint32_t f = wrap.import_func(wrap.type({}, {}));
  wrap.table(limits(3));
  wrap.elem(wasm::SegmentMode::Active, 0, expr({i32c(-1)}),
            {expr({instr(Op::RefFunc, f)}), expr({instr(Op::RefFunc, f)})});
  r = instantiate(wrap, {host_func({})});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::TableOutOfBounds);
}

TEST_F(InstantiateTest, DataSegmentsInitialiseMemory) {
  ModuleBuilder b;
  b.import_global(wasm::GlobalType{wasm::kI32, false});
  b.memory(limits(1));
  b.memory(limits(1));
  b.data(wasm::SegmentMode::Active, 0, expr({i32c(16)}), "hello");
  b.data(wasm::SegmentMode::Passive, 0, {}, "passive");
  b.data(wasm::SegmentMode::Active, 1, expr({instr(Op::GlobalGet, 0)}), "world");
  b.data(wasm::SegmentMode::Active, 0, expr({i32c(65536)}), "");
  InstantiateResult r =
      instantiate(b, {store_.create_global({wasm::kI32, false}, Value::from_i32(100))});
  ASSERT_NE(r.instance, nullptr);
  ASSERT_FALSE(r.trap.has_value()) << r.trap->message;
  EXPECT_EQ(std::memcmp(r.instance->memories[0]->base() + 16, "hello", 5), 0);
  EXPECT_EQ(std::memcmp(r.instance->memories[1]->base() + 100, "world", 5), 0);
  EXPECT_EQ(r.instance->memories[1]->base()[16], 0);
  ASSERT_EQ(r.instance->data_dropped.size(), 4u);
  EXPECT_EQ(r.instance->data_dropped[0], 1);
  EXPECT_EQ(r.instance->data_dropped[1], 0);
  EXPECT_EQ(r.instance->data_dropped[2], 1);
  EXPECT_EQ(r.instance->data_dropped[3], 1);
}

TEST_F(InstantiateTest, DataSegmentOutOfBoundsTrapsAfterEarlierSegments) {
  ModuleBuilder b;
  b.import_memory(limits(1));
  b.data(wasm::SegmentMode::Active, 0, expr({i32c(0)}), "ab");
  b.data(wasm::SegmentMode::Active, 0, expr({i32c(65535)}), "cd");
  b.data(wasm::SegmentMode::Active, 0, expr({i32c(10)}), "x");
  Memory* m = memory(1);
  InstantiateResult r = instantiate(b, {m});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(r.trap->message, "out of bounds memory access");
  EXPECT_EQ(m->base()[0], 'a');
  EXPECT_EQ(m->base()[1], 'b');
  EXPECT_EQ(m->base()[65535], 0);
  EXPECT_EQ(m->base()[10], 0);

  ModuleBuilder past;
  past.memory(limits(0));
  past.data(wasm::SegmentMode::Active, 0, expr({i32c(1)}), "");
  r = instantiate(past);
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::MemoryOutOfBounds);
}

TEST_F(InstantiateTest, OversizedTableIsRefused) {
  ModuleBuilder b;
  b.table(limits(wasm::kMaxTableSize + 1));
  InstantiateResult r = instantiate(b);
  EXPECT_EQ(r.instance, nullptr);
  ASSERT_TRUE(r.link_error.has_value());
}

TEST_F(InstantiateTest, StartFunctionRunsOnce) {
  ModuleBuilder b;
  const uint32_t f = b.import_func(b.type({}, {}));
  b.m->start = f;
  int calls = 0;
  InstantiateResult r = instantiate(b, {host_func({}, &calls)});
  ASSERT_NE(r.instance, nullptr);
  EXPECT_FALSE(r.trap.has_value());
  EXPECT_EQ(calls, 1);
}

TEST_F(InstantiateTest, StartFunctionTrapIsReportedAfterSegments) {
  ModuleBuilder b;
  const uint32_t f = b.import_func(b.type({}, {}));
  b.import_memory(limits(1));
  b.data(wasm::SegmentMode::Active, 0, expr({i32c(3)}), "z");
  b.m->start = f;
  Function* boom =
      store_.create_host_function({}, [](Caller&, std::span<const Value>, std::span<Value>) {
        return std::optional<Trap>(Trap::host("boom"));
      });
  Memory* m = memory(1);
  InstantiateResult r = instantiate(b, {boom, m});
  ASSERT_TRUE(r.trap.has_value());
  EXPECT_EQ(r.trap->kind, TrapKind::HostError);
  EXPECT_EQ(r.trap->message, "boom");
  EXPECT_NE(r.instance, nullptr);
  EXPECT_EQ(m->base()[3], 'z');
}

TEST_F(InstantiateTest, InstancesOfOneModuleAreIndependent) {
  ModuleBuilder b;
  b.memory(limits(1));
  b.global({wasm::kI32, true}, expr({i32c(1)}));
  b.data(wasm::SegmentMode::Active, 0, expr({i32c(0)}), "q");
  auto cm = compile(b);
  ASSERT_NE(cm, nullptr);
  InstantiateResult a = store_.instantiate(cm, {});
  InstantiateResult c = store_.instantiate(cm, {});
  ASSERT_NE(a.instance, nullptr);
  ASSERT_NE(c.instance, nullptr);
  EXPECT_NE(a.instance->mem0, c.instance->mem0);
  EXPECT_NE(a.instance->globals[0], c.instance->globals[0]);
  a.instance->mem0->base()[0] = 'w';
  EXPECT_EQ(c.instance->mem0->base()[0], 'q');
  EXPECT_EQ(a.instance->compiled, cm);
  EXPECT_EQ(a.instance->type_ids, cm->type_ids.data());
}

TEST_F(InstantiateTest, CallChecksArgumentsAndRunsHostFunctions) {
  Function* add = store_.create_host_function(
      {{wasm::kI32, wasm::kI64}, {wasm::kI64}},
      [](Caller&, std::span<const Value> args, std::span<Value> results) {
        results[0] = Value::from_i64(args[0].i32 + args[1].i64);
        return std::optional<Trap>();
      });
  std::vector<Value> results;
  Value args[] = {Value::from_i32(2), Value::from_i64(40)};
  ASSERT_FALSE(store_.call(add, args, results).has_value());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].type, wasm::kI64);
  EXPECT_EQ(results[0].i64, 42u);

  auto trap = store_.call(add, std::span<const Value>(args, 1), results);
  ASSERT_TRUE(trap.has_value());
  EXPECT_EQ(trap->kind, TrapKind::HostError);
  Value swapped[] = {Value::from_i64(2), Value::from_i32(40)};
  trap = store_.call(add, swapped, results);
  ASSERT_TRUE(trap.has_value());
  EXPECT_EQ(trap->kind, TrapKind::HostError);
  trap = store_.call(nullptr, {}, results);
  ASSERT_TRUE(trap.has_value());
  EXPECT_EQ(trap->kind, TrapKind::HostError);
}

TEST_F(InstantiateTest, EpochDeadlineIsRelativeAndSaturates) {
  EXPECT_EQ(store_.epoch_deadline(), UINT64_MAX);
  engine_.increment_epoch();
  engine_.increment_epoch();
  store_.set_epoch_deadline(5);
  EXPECT_EQ(store_.epoch_deadline(), 7u);
  store_.set_epoch_deadline(UINT64_MAX - 1);
  EXPECT_EQ(store_.epoch_deadline(), UINT64_MAX);
  store_.set_epoch_deadline(0);
  EXPECT_EQ(store_.epoch_deadline(), 2u);
}

TEST_F(InstantiateTest, ExecStateIsCreatedOnce) {
  ExecState* first = &store_.exec();
  EXPECT_EQ(&store_.exec(), first);
}

// (module (memory 1) (data (i32.const 2) "hi") (export "mem" (memory 0)))
const uint8_t kMemoryModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,             // header
    0x05, 0x03, 0x01, 0x00, 0x01,                               // memory section
    0x07, 0x07, 0x01, 0x03, 'm',  'e',  'm',  0x02, 0x00,       // export section
    0x0b, 0x08, 0x01, 0x00, 0x41, 0x02, 0x0b, 0x02, 'h',  'i',  // data section
};

TEST_F(InstantiateTest, CompilesAndInstantiatesBinaryModules) {
  auto cm = engine_.compile(kMemoryModule);
  ASSERT_TRUE(cm.has_value()) << cm.error().to_string();
  InstantiateResult r = store_.instantiate(*cm, {});
  ASSERT_NE(r.instance, nullptr);
  auto mem = r.instance->get_export("mem");
  ASSERT_TRUE(mem && std::holds_alternative<Memory*>(*mem));
  char buf[2] = {};
  ASSERT_TRUE(std::get<Memory*>(*mem)->read(2, buf, 2));
  EXPECT_EQ(std::string(buf, 2), "hi");
}

TEST_F(InstantiateTest, CompileReportsDecodeErrorsWithOffsets) {
  const uint8_t bad[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01};
  auto cm = engine_.compile(bad);
  ASSERT_FALSE(cm.has_value());
  EXPECT_NE(cm.error().offset, kNoOffset);
}

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
// built as a Module so it also exercises the compile -> call path once the interpreter exists.
TEST_F(InstantiateTest, CallsWasmFunctions) {
  ModuleBuilder b;
  const uint32_t ty = b.type({wasm::kI32, wasm::kI32}, {wasm::kI32});
  b.m->funcs.push_back(ty);
  const uint8_t body[] = {0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b};
  wasm::FuncBody fb;
  fb.body_offset = b.m->bytes.size();
  b.m->bytes.push_back(sizeof body + 1);
  b.m->bytes.push_back(0);  // no locals
  fb.code_offset = b.m->bytes.size();
  b.m->bytes.insert(b.m->bytes.end(), body, body + sizeof body);
  fb.end_offset = b.m->bytes.size();
  b.m->code.push_back(fb);
  b.exp("add", wasm::ExternKind::Func, 0);
  auto cm = engine_.compile(std::shared_ptr<const wasm::Module>(b.m));
  if (!cm && cm.error().message == "interpreter not built yet") GTEST_SKIP() << "interpreter stub";
  ASSERT_TRUE(cm.has_value()) << cm.error().to_string();
  InstantiateResult r = store_.instantiate(*cm, {});
  ASSERT_NE(r.instance, nullptr);
  Function* fn = r.instance->funcs[0];
  EXPECT_FALSE(fn->is_host());
  EXPECT_EQ(fn->instance, r.instance);
  EXPECT_EQ(fn->type_id, engine_.intern_type(b.m->types[ty]));
  std::vector<Value> results;
  Value args[] = {Value::from_i32(40), Value::from_i32(2)};
  auto trap = store_.call(fn, args, results);
  ASSERT_FALSE(trap.has_value()) << trap->message;
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].i32, 42u);
}

}  // namespace
}  // namespace rill::engine
