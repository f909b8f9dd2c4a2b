// Linker and Instance: by-name resolution of every extern kind, link errors naming module::field,
// untyped host functions, instance re-export, stub imports and store-owned objects.
#include <gtest/gtest.h>

#include <string>

#include "rill/rill.h"
#include "test_modules.h"

namespace rill {
namespace {

using api_test::kImportsWasm;
using api_test::kValuesWasm;

Module compile_ok(const Engine& engine, std::span<const uint8_t> bytes) {
  auto m = Module::compile(engine, bytes);
  EXPECT_TRUE(m) << m.error().to_string();
  return m ? std::move(m).value() : Module{};
}

TEST(LinkerTest, ResolvesEveryExternKind) {
  Engine engine;
  Module values = compile_ok(engine, kValuesWasm);
  Module imports = compile_ok(engine, kImportsWasm);
  Store store(engine);
  auto provider = Linker().instantiate(store, values);
  ASSERT_TRUE(provider) << provider.error().to_string();

  auto mem = store.create_memory(MemoryType{1, 2});
  ASSERT_TRUE(mem) << mem.error().message;
  ASSERT_TRUE(mem->store<int32_t>(100, 4242));
  auto g = store.create_global(GlobalType{ValType::I32, false}, Val::from_i32(-5));
  ASSERT_TRUE(g);
  auto gm = store.create_global(GlobalType{ValType::I64, true}, Val::from_i64(40));
  ASSERT_TRUE(gm);
  auto tab = store.create_table(TableType{ValType::FuncRef, 2, std::nullopt},
                                Val::from_ref(ValType::FuncRef, nullptr));
  ASSERT_TRUE(tab) << tab.error().message;
  auto dbl = provider->func("double");
  ASSERT_TRUE(dbl);
  ASSERT_TRUE(tab->set(1, dbl->to_val()));

  Linker linker;
  linker.func("env", "f", [](int32_t x) { return x * 3 + 1; })
      .define("env", "mem", *mem)
      .define("env", "tab", *tab)
      .define("env", "g", *g)
      .define("env", "gm", *gm);
  auto inst = linker.instantiate(store, imports);
  ASSERT_TRUE(inst) << inst.error().to_string();

  auto call_f = inst->func<int32_t(int32_t)>("call_f");
  ASSERT_TRUE(call_f);
  EXPECT_EQ(*(*call_f)(5), 16);
  auto load = inst->func<int32_t(int32_t)>("load");
  ASSERT_TRUE(load);
  EXPECT_EQ(*(*load)(100), 4242);
  auto oob = (*load)(65536 - 2);
  ASSERT_FALSE(oob);
  EXPECT_EQ(oob.trap().kind, TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(*(*inst->func<int32_t()>("get_g"))(), -5);
  auto bump = inst->func<int64_t()>("bump_gm");
  ASSERT_TRUE(bump);
  EXPECT_EQ(*(*bump)(), 41);
  EXPECT_EQ(*(*bump)(), 42);
  EXPECT_EQ(gm->get().i64(), 42);
  auto call_tab = inst->func<int32_t(int32_t, int32_t)>("call_tab");
  ASSERT_TRUE(call_tab);
  EXPECT_EQ(*(*call_tab)(1, 21), 42);
  auto null_call = (*call_tab)(0, 1);
  ASSERT_FALSE(null_call);
  EXPECT_EQ(null_call.trap().kind, TrapKind::IndirectCallNull);
}

TEST(LinkerTest, MissingImportNamesModuleAndField) {
  Engine engine;
  Module imports = compile_ok(engine, kImportsWasm);
  Store store(engine);
  Linker linker;
  linker.func("env", "f", [](int32_t x) { return x; });
  auto inst = linker.instantiate(store, imports);
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().message.rfind("unknown import: env::mem", 0), 0u) << inst.error().message;
  EXPECT_NE(inst.error().message.find("memory"), std::string::npos);
}

TEST(LinkerTest, IncompatibleFunctionTypeIsRefused) {
  Engine engine;
  Module imports = compile_ok(engine, kImportsWasm);
  Store store(engine);
  Linker linker;
  linker.func("env", "f", [](int64_t x) { return x; });
  ASSERT_TRUE(linker.define_stubs(store, imports));
  auto inst = linker.instantiate(store, imports);
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().message.rfind("incompatible import type: env::f", 0), 0u)
      << inst.error().message;
}

TEST(LinkerTest, WrongExternKindIsRefused) {
  Engine engine;
  Module imports = compile_ok(engine, kImportsWasm);
  Store store(engine);
  Linker linker;
  auto g = store.create_global(GlobalType{ValType::I32, false}, Val::from_i32(0));
  ASSERT_TRUE(g);
  linker.define("env", "mem", *g);
  ASSERT_TRUE(linker.define_stubs(store, imports));
  auto inst = linker.instantiate(store, imports);
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("incompatible import type: env::mem"), std::string::npos)
      << inst.error().message;
}

TEST(LinkerTest, MemoryLimitsAreCheckedByTheEngine) {
  Engine engine;
  Module imports = compile_ok(engine, kImportsWasm);
  Store store(engine);
  Linker linker;
  auto mem = store.create_memory(MemoryType{0, std::nullopt});  // the module needs >= 1 page
  ASSERT_TRUE(mem);
  linker.define("env", "mem", *mem);
  ASSERT_TRUE(linker.define_stubs(store, imports));
  auto inst = linker.instantiate(store, imports);
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("incompatible import type"), std::string::npos)
      << inst.error().message;
}

TEST(LinkerTest, StubsSatisfyEveryImport) {
  Engine engine;
  Module imports = compile_ok(engine, kImportsWasm);
  Store store(engine);
  Linker linker;
  ASSERT_TRUE(linker.define_stubs(store, imports));
  auto inst = linker.instantiate(store, imports);
  ASSERT_TRUE(inst) << inst.error().to_string();
  EXPECT_EQ(*(*inst->func<int32_t(int32_t)>("call_f"))(77), 0);  // stub functions return zeros
  EXPECT_EQ(*(*inst->func<int32_t(int32_t)>("load"))(8), 0);
  EXPECT_EQ(*(*inst->func<int64_t()>("bump_gm"))(), 1);
}

TEST(LinkerTest, UntypedHostFunctionAndInstanceReexport) {
  Engine engine;
  Module values = compile_ok(engine, kValuesWasm);
  Module imports = compile_ok(engine, kImportsWasm);
  Store store(engine);
  auto provider = Linker().instantiate(store, values);
  ASSERT_TRUE(provider);

  int calls = 0;
  Linker linker;
  linker.func_raw(
      "env", "f", FuncType{{ValType::I32}, {ValType::I32}},
      [&calls](Caller&, std::span<const Val> args, std::span<Val> results) -> std::optional<Trap> {
        ++calls;
        results[0] = Val::from_i32(args[0].i32() - 1);
        return std::nullopt;
      });
  linker.define_instance("prov", *provider);
  auto prov_mem = linker.get(store, "prov", "memory");
  ASSERT_TRUE(prov_mem);
  ASSERT_TRUE(std::holds_alternative<Memory>(*prov_mem));
  ASSERT_TRUE(std::get<Memory>(*prov_mem).store<int32_t>(12, 99));
  linker.define("env", "mem", *prov_mem);
  ASSERT_TRUE(linker.define_stubs(store, imports));
  auto inst = linker.instantiate(store, imports);
  ASSERT_TRUE(inst) << inst.error().to_string();
  EXPECT_EQ(*(*inst->func<int32_t(int32_t)>("call_f"))(10), 9);
  EXPECT_EQ(calls, 1);
  // The importer sees the provider's memory.
  EXPECT_EQ(*(*inst->func<int32_t(int32_t)>("load"))(12), 99);
}

TEST(LinkerTest, UntypedHostFunctionReturningWrongTypeTraps) {
  Engine engine;
  Module imports = compile_ok(engine, kImportsWasm);
  Store store(engine);
  Linker linker;
  linker.func_raw("env", "f", FuncType{{ValType::I32}, {ValType::I32}},
                  [](Caller&, std::span<const Val>, std::span<Val> results) -> std::optional<Trap> {
                    results[0] = Val::from_f64(1.0);
                    return std::nullopt;
                  });
  ASSERT_TRUE(linker.define_stubs(store, imports));
  auto inst = linker.instantiate(store, imports);
  ASSERT_TRUE(inst);
  auto r = (*inst->func<int32_t(int32_t)>("call_f"))(1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.trap().kind, TrapKind::HostError);
}

TEST(LinkerTest, ExternsFromAnotherStoreAreRefused) {
  Engine engine;
  Module imports = compile_ok(engine, kImportsWasm);
  Store a(engine);
  Store b(engine);
  Linker linker;
  auto mem = a.create_memory(MemoryType{1, std::nullopt});
  ASSERT_TRUE(mem);
  linker.define("env", "mem", *mem);
  ASSERT_TRUE(linker.define_stubs(b, imports));
  auto inst = linker.instantiate(b, imports);
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("another store"), std::string::npos) << inst.error().message;
}

TEST(LinkerTest, ModuleFromAnotherEngineIsRefused) {
  Engine e1;
  Engine e2;
  Module values = compile_ok(e1, kValuesWasm);
  Store store(e2);
  auto inst = Linker().instantiate(store, values);
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("different engines"), std::string::npos);
}

TEST(LinkerTest, HostFunctionIsMadeOncePerStore) {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func("m", "f", []() -> int32_t { return 1; });
  auto a = linker.get(store, "m", "f");
  auto b = linker.get(store, "m", "f");
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(std::get<Func>(*a) == std::get<Func>(*b));
  Store other(engine);
  auto c = linker.get(other, "m", "f");
  ASSERT_TRUE(c);
  EXPECT_FALSE(std::get<Func>(*a) == std::get<Func>(*c));
  EXPECT_FALSE(linker.get(store, "m", "g"));
}

TEST(LinkerTest, EmptyModuleHandleIsAnError) {
  Engine engine;
  Store store(engine);
  Module empty;
  EXPECT_TRUE(empty.imports().empty());
  EXPECT_TRUE(empty.exports().empty());
  Linker linker;
  EXPECT_FALSE(linker.define_stubs(store, empty));
  EXPECT_FALSE(linker.instantiate(store, empty));
  EXPECT_FALSE(Instance::create(store, empty, {}));
}

TEST(LinkerTest, StartFunctionTrapIsAnError) {
  Engine engine;
  Module m = compile_ok(engine, api_test::kStartTrapWasm);
  Store store(engine);
  auto inst = Linker().instantiate(store, m);
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("unreachable"), std::string::npos) << inst.error().message;
}

}  // namespace
}  // namespace rill
