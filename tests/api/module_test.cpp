// Module compile/validate errors (message + offset, unsupported proposals), import/export
// listings, and the compile-time C++ -> wasm signature deduction.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <tuple>

#include "../../examples/fib_wasm.h"
#include "rill/rill.h"
#include "rill/wasm/decoder.h"
#include "test_modules.h"

namespace rill {
namespace {

TEST(ModuleTest, MalformedBytesGiveMessageAndOffset) {
  Engine engine;
  const uint8_t bad_magic[] = {0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00};
  auto m = Module::compile(engine, bad_magic);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message, "magic header not detected");
  EXPECT_EQ(m.error().offset, 0u);
  EXPECT_FALSE(Module::validate(engine, bad_magic));

  // Truncate the fib module inside its code section.
  std::span<const uint8_t> all(examples::kFibWasm);
  auto cut = Module::compile(engine, all.first(150));
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().offset, kNoOffset);
  EXPECT_LE(cut.error().offset, 150u);
}

TEST(ModuleTest, InvalidModuleIsRefusedWithOffset) {
  Engine engine;
  // (module (func (result i32) i64.const 0)): type mismatch in the body.
  const uint8_t bytes[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01,
                           0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x02, 0x01,
                           0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x00, 0x0b};
  auto v = Module::validate(engine, bytes);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("type mismatch"), std::string::npos) << v.error().message;
  EXPECT_NE(v.error().offset, kNoOffset);
  auto m = Module::compile(engine, bytes);
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("type mismatch"), std::string::npos) << m.error().message;
}

TEST(ModuleTest, UnsupportedProposalIsNamed) {
  Engine engine;
  auto m = Module::compile(engine, api_test::kMemory64Wasm);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message.rfind(wasm::kUnsupportedPrefix, 0), 0u) << m.error().message;
  EXPECT_NE(m.error().message.find("memory64"), std::string::npos) << m.error().message;
}

TEST(ModuleTest, ValidateAcceptsValidModule) {
  Engine engine;
  EXPECT_TRUE(Module::validate(engine, examples::kFibWasm));
}

TEST(ModuleTest, ListsImportsAndExports) {
  Engine engine;
  auto m = Module::compile(engine, api_test::kImportsWasm);
  ASSERT_TRUE(m) << m.error().to_string();
  auto imports = m->imports();
  ASSERT_EQ(imports.size(), 5u);
  EXPECT_EQ(imports[0].module, "env");
  EXPECT_EQ(imports[0].name, "f");
  EXPECT_EQ(imports[0].kind, ExternKind::Func);
  EXPECT_EQ(imports[0].func, (FuncType{{ValType::I32}, {ValType::I32}}));
  EXPECT_EQ(imports[1].kind, ExternKind::Memory);
  EXPECT_EQ(imports[1].memory.min, 1u);
  EXPECT_FALSE(imports[1].memory.max);
  EXPECT_EQ(imports[2].kind, ExternKind::Table);
  EXPECT_EQ(imports[2].table.min, 2u);
  EXPECT_EQ(imports[4].kind, ExternKind::Global);
  EXPECT_EQ(imports[4].global.type, ValType::I64);
  EXPECT_TRUE(imports[4].global.mut);
  auto exports = m->exports();
  ASSERT_EQ(exports.size(), 5u);
  EXPECT_EQ(exports[0].name, "call_f");
  EXPECT_EQ(exports[0].kind, ExternKind::Func);
}

TEST(ModuleTest, CompileFile) {
  Engine engine;
  auto missing = Module::compile_file(engine, "/nonexistent/rill.wasm");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("cannot open"), std::string::npos);

  std::string path = ::testing::TempDir() + "rill_api_fib.wasm";
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(examples::kFibWasm, 1, sizeof(examples::kFibWasm), f),
            sizeof(examples::kFibWasm));
  std::fclose(f);
  auto m = Module::compile_file(engine, path);
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->exports().size(), 4u);
  std::remove(path.c_str());
}

TEST(SignatureTest, TypedFuncTypes) {
  EXPECT_EQ(TypedFunc<int32_t(int32_t)>::type(), (FuncType{{ValType::I32}, {ValType::I32}}));
  EXPECT_EQ((TypedFunc<void(uint64_t, float, double, V128)>::type()),
            (FuncType{{ValType::I64, ValType::F32, ValType::F64, ValType::V128}, {}}));
  EXPECT_EQ((TypedFunc<std::tuple<double, uint32_t>()>::type()),
            (FuncType{{}, {ValType::F64, ValType::I32}}));
}

int32_t free_function(int32_t a, int64_t) {
  return a;
}

TEST(SignatureTest, HostCallableDeduction) {
  auto plain = detail::make_typed_host([](int32_t a, int32_t b) -> int32_t { return a + b; });
  EXPECT_EQ(plain->type, (FuncType{{ValType::I32, ValType::I32}, {ValType::I32}}));
  auto with_caller = detail::make_typed_host([](Caller&, double) {});
  EXPECT_EQ(with_caller->type, (FuncType{{ValType::F64}, {}}));
  auto trapping = detail::make_typed_host([](float x) -> TrapOr<std::tuple<float, int64_t>> {
    return std::tuple<float, int64_t>{x, 1};
  });
  EXPECT_EQ(trapping->type, (FuncType{{ValType::F32}, {ValType::F32, ValType::I64}}));
  auto fptr = detail::make_typed_host(&free_function);
  EXPECT_EQ(fptr->type, (FuncType{{ValType::I32, ValType::I64}, {ValType::I32}}));
  EXPECT_NE(plain->id, with_caller->id);
}

TEST(SignatureTest, SlotPacking) {
  uint64_t slots[4] = {~uint64_t{0}, 0, 0, 0};
  detail::pack<int32_t, double, V128>(slots, -3, 2.5, V128{{9}});
  EXPECT_EQ(slots[0], 0xfffffffdu);  // i32 in the low 32 bits, upper bits zero
  EXPECT_DOUBLE_EQ(detail::WasmType<double>::load(&slots[1]), 2.5);
  EXPECT_EQ(detail::WasmType<V128>::load(&slots[2]).bytes[0], 9);
  detail::pack<int32_t, V128, float>(slots, 7, V128{{1, 2}}, -0.5f);
  auto t = detail::Results<std::tuple<int32_t, V128, float>>::load(slots);
  EXPECT_EQ(std::get<0>(t), 7);
  EXPECT_EQ(std::get<1>(t), (V128{{1, 2}}));
  EXPECT_EQ(std::get<2>(t), -0.5f);
  static_assert(detail::SlotLayout<int32_t, V128, float>::kSlots == 4);
  static_assert(detail::SlotLayout<int32_t, V128, float>::kOffsets[2] == 3);
}

TEST(SignatureTest, HostFunctionCalledFromTheHost) {
  Engine engine;
  Store store(engine);
  Func f = Func::wrap(store, [](int32_t a, double b, V128 v) -> std::tuple<int64_t, float> {
    return {static_cast<int64_t>(a) * 2 + v.bytes[0], static_cast<float>(b)};
  });
  EXPECT_EQ(f.type(),
            (FuncType{{ValType::I32, ValType::F64, ValType::V128}, {ValType::I64, ValType::F32}}));
  auto typed = f.typed<std::tuple<int64_t, float>(int32_t, double, V128)>();
  ASSERT_TRUE(typed) << typed.error().message;
  auto r = (*typed)(-3, 2.5, V128{{9}});
  ASSERT_TRUE(r) << r.trap().to_string();
  EXPECT_EQ(std::get<0>(*r), -6 + 9);
  EXPECT_FLOAT_EQ(std::get<1>(*r), 2.5f);
  auto u = f.call({Val::from_i32(5), Val::from_f64(0.5), Val::from_v128(V128{{1}})});
  ASSERT_TRUE(u) << u.trap().to_string();
  ASSERT_EQ(u->size(), 2u);
  EXPECT_EQ((*u)[0].i64(), 11);
  EXPECT_FLOAT_EQ((*u)[1].f32(), 0.5f);
}

}  // namespace
}  // namespace rill
