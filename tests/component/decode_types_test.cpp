// Tests of the type section (every defvaltype, functype, component/instance/resource types)
// and the core type section (function, module and WebAssembly 3.0 rec/sub/struct/array types).
#include <gtest/gtest.h>

#include <string>

#include "builder.h"
#include "rill/component/decoder.h"

namespace rill::component {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the test's byte builders

/// Decodes one type-section entry {t}; the first definition's Type.
Type decode_type(const Bytes& t) {
  auto c = decode_component(component({vec_section(kType, {t})}));
  EXPECT_TRUE(c.has_value()) << c.error().to_string();
  if (!c) return {};
  return std::get<Type>((*c)->defs.at(0).def);
}

template <class T>
T decode_def_val(const Bytes& t) {
  const Type ty = decode_type(t);
  const auto* dv = std::get_if<DefValType>(&ty.type);
  EXPECT_NE(dv, nullptr);
  return dv ? std::get<T>(*dv) : T{};
}

/// Decoding the type-section entry {t} fails with {message} at component offset {offset}.
void expect_type_error(const Bytes& t, const std::string& message, uint64_t offset) {
  auto c = decode_component(component({vec_section(kType, {t})}));
  ASSERT_FALSE(c.has_value()) << "decoded, expected: " << message;
  EXPECT_EQ(c.error().message, message);
  EXPECT_EQ(c.error().offset, offset);
}
constexpr uint64_t kTypeAt =
    11;  // first byte of the only type in component({vec_section(kType, ...)})

CoreType decode_core_type(const Bytes& t) {
  auto c = decode_component(component({vec_section(kCoreType, {t})}));
  EXPECT_TRUE(c.has_value()) << c.error().to_string();
  if (!c) return {};
  return std::get<CoreType>((*c)->defs.at(0).def);
}

TEST(Types, EveryPrimitive) {
  const PrimValType prims[] = {PrimValType::Bool,   PrimValType::S8,          PrimValType::U8,
                               PrimValType::S16,    PrimValType::U16,         PrimValType::S32,
                               PrimValType::U32,    PrimValType::S64,         PrimValType::U64,
                               PrimValType::F32,    PrimValType::F64,         PrimValType::Char,
                               PrimValType::String, PrimValType::ErrorContext};
  for (PrimValType p : prims) {
    EXPECT_EQ(decode_def_val<PrimValType>({static_cast<uint8_t>(p)}), p) << to_string(p);
    // And as a valtype: (list p).
    EXPECT_EQ(decode_def_val<ListType>({0x70, static_cast<uint8_t>(p)}).elem, ValType::prim(p));
  }
  EXPECT_STREQ(to_string(PrimValType::ErrorContext), "error-context");
}

TEST(Types, ValTypeIndicesAreNonNegativeSleb) {
  EXPECT_EQ(decode_def_val<ListType>({0x70, 0x05}).elem, ValType::index(TypeIdx{5}));
  EXPECT_EQ(decode_def_val<ListType>(cat({{0x70}, s33(64)})).elem, ValType::index(TypeIdx{64}));
  EXPECT_EQ(decode_def_val<ListType>(cat({{0x70}, s33(0xffffffff)})).elem,
            ValType::index(TypeIdx{0xffffffff}));
  // 0x40 alone is SLEB -64: no primitive has that opcode.
  expect_type_error({0x70, 0x40}, "invalid leading byte (0x40) for component value type",
                    kTypeAt + 1);
  expect_type_error({0x70, 0x72}, "invalid leading byte (0x72) for component value type",
                    kTypeAt + 1);
}

TEST(Types, RecordVariantTupleFlagsEnum) {
  const auto rec = decode_def_val<RecordType>(
      cat({{0x72}, vec({cat({str("a"), {0x79}}), cat({str("b"), {0x03}})})}));
  ASSERT_EQ(rec.fields.size(), 2u);
  EXPECT_EQ(rec.fields[0].label, "a");
  EXPECT_EQ(rec.fields[1].type, ValType::index(TypeIdx{3}));

  const auto var = decode_def_val<VariantType>(cat(
      {{0x71}, vec({cat({str("none"), {0x00, 0x00}}), cat({str("some"), {0x01, 0x73, 0x00}})})}));
  ASSERT_EQ(var.cases.size(), 2u);
  EXPECT_FALSE(var.cases[0].type.has_value());
  EXPECT_EQ(var.cases[1].type, ValType::prim(PrimValType::String));
  expect_type_error(cat({{0x71}, vec({cat({str("c"), {0x00, 0x01}})})}),
                    "invalid leading byte (0x1) for zero byte required", kTypeAt + 5);
  expect_type_error(cat({{0x71}, vec({cat({str("c"), {0x02}})})}),
                    "invalid leading byte (0x2) for optional variant case type", kTypeAt + 4);

  EXPECT_EQ(decode_def_val<TupleType>(cat({{0x6f}, vec({{0x7f}, {0x01}})})).types.size(), 2u);
  const auto flags = decode_def_val<FlagsType>(cat({{0x6e}, vec({str("r"), str("w"), str("x")})}));
  EXPECT_EQ(flags.labels, (std::vector<std::string>{"r", "w", "x"}));
  EXPECT_EQ(decode_def_val<EnumType>(cat({{0x6d}, vec({str("a")})})).labels.size(), 1u);
  // Empty ones and over 32 flags are validation errors: they decode.
  EXPECT_TRUE(decode_def_val<RecordType>({0x72, 0x00}).fields.empty());
  EXPECT_TRUE(decode_def_val<FlagsType>({0x6e, 0x00}).labels.empty());
}

TEST(Types, ListsOptionsResults) {
  const auto fixed = decode_def_val<ListType>(cat({{0x67, 0x7d}, u32(4)}));
  EXPECT_EQ(fixed.elem, ValType::prim(PrimValType::U8));
  EXPECT_EQ(fixed.length, 4u);
  EXPECT_FALSE(decode_def_val<ListType>({0x70, 0x7d}).length.has_value());
  EXPECT_EQ(decode_def_val<OptionType>({0x6b, 0x74}).type, ValType::prim(PrimValType::Char));

  auto res = decode_def_val<ResultType>({0x6a, 0x00, 0x00});
  EXPECT_FALSE(res.ok || res.err);
  res = decode_def_val<ResultType>({0x6a, 0x01, 0x79, 0x01, 0x02});
  EXPECT_EQ(res.ok, ValType::prim(PrimValType::U32));
  EXPECT_EQ(res.err, ValType::index(TypeIdx{2}));
  res = decode_def_val<ResultType>({0x6a, 0x00, 0x01, 0x73});
  EXPECT_FALSE(res.ok.has_value());
  EXPECT_TRUE(res.err.has_value());
  expect_type_error({0x6a, 0x02}, "invalid leading byte (0x2) for optional result type",
                    kTypeAt + 1);
}

TEST(Types, HandlesStreamsFuturesMaps) {
  EXPECT_EQ(idx(decode_def_val<OwnType>({0x69, 0x02}).resource), 2u);
  EXPECT_EQ(idx(decode_def_val<BorrowType>({0x68, 0x03}).resource), 3u);
  EXPECT_FALSE(decode_def_val<StreamType>({0x66, 0x00}).elem.has_value());
  EXPECT_EQ(decode_def_val<StreamType>({0x66, 0x01, 0x7d}).elem, ValType::prim(PrimValType::U8));
  EXPECT_FALSE(decode_def_val<FutureType>({0x65, 0x00}).elem.has_value());
  EXPECT_EQ(decode_def_val<FutureType>({0x65, 0x01, 0x00}).elem, ValType::index(TypeIdx{0}));
  const auto map = decode_def_val<MapType>({0x63, 0x73, 0x79});
  EXPECT_EQ(map.key, ValType::prim(PrimValType::String));
  EXPECT_EQ(map.value, ValType::prim(PrimValType::U32));
}

TEST(Types, UnknownOpcodesNameTheByte) {
  for (uint8_t op : {0x62, 0x6c, 0x44, 0x3e, 0x3d, 0x00, 0x10}) {
    char expected[80];
    std::snprintf(expected, sizeof expected,
                  "invalid leading byte (0x%x) for component defined type", op);
    expect_type_error({op}, expected, kTypeAt);
  }
}

TEST(Types, FunctionTypes) {
  Type t = decode_type(
      cat({{0x40}, vec({cat({str("a"), {0x7a}}), cat({str("b"), {0x01}})}), {0x00, 0x73}}));
  const auto& f = std::get<FuncType>(t.type);
  EXPECT_FALSE(f.async);
  ASSERT_EQ(f.params.size(), 2u);
  EXPECT_EQ(f.params[1].label, "b");
  EXPECT_EQ(f.result, ValType::prim(PrimValType::String));
  EXPECT_EQ(t.offset, kTypeAt);

  t = decode_type({0x43, 0x00, 0x01, 0x00});
  const auto& g = std::get<FuncType>(t.type);
  EXPECT_TRUE(g.async);
  EXPECT_TRUE(g.params.empty());
  EXPECT_FALSE(g.result.has_value());

  expect_type_error({0x40, 0x00, 0x01, 0x01}, "invalid leading byte (0x1) for number of results",
                    kTypeAt + 3);
  expect_type_error({0x40, 0x00, 0x02}, "invalid leading byte (0x2) for component function results",
                    kTypeAt + 2);
}

TEST(Types, ResourceTypes) {
  auto r = std::get<ResourceType>(decode_type({0x3f, 0x7f, 0x00}).type);
  EXPECT_EQ(r.rep, wasm::kI32);
  EXPECT_FALSE(r.dtor.has_value());
  r = std::get<ResourceType>(decode_type(cat({{0x3f, 0x7f, 0x01}, u32(300)})).type);
  EXPECT_EQ(idx(*r.dtor), 300u);
  expect_type_error({0x3f, 0x7f, 0x02},
                    "invalid leading byte (0x2) for optional resource destructor", kTypeAt + 2);
}

TEST(Types, ComponentTypeDeclarations) {
  const Type t = decode_type(
      cat({{0x41},
           vec({
               cat({{0x00, 0x60}, vec({}), vec({})}),       // core type
               cat({{0x01, 0x40}, vec({}), {0x01, 0x00}}),  // type
               cat({{0x02, 0x03, 0x02}, u32(1), u32(0)}),   // alias outer 1 0 (type)
               cat({{0x03}, name("f"), {0x01}, u32(1)}),    // import
               cat({{0x04}, name("r"), {0x03, 0x01}}),      // export (sub resource)
               cat({{0x01, 0x42},
                    vec({cat({{0x04}, name("g"), {0x01}, u32(0)})})}),  // nested instance type
           })}));
  const auto& ct = std::get<ComponentType>(t.type);
  ASSERT_EQ(ct.decls.size(), 6u);
  EXPECT_EQ(ct.decls[0].kind, TypeDecl::Kind::CoreType);
  EXPECT_EQ(ct.decls[1].kind, TypeDecl::Kind::Type);
  EXPECT_EQ(ct.decls[2].kind, TypeDecl::Kind::Alias);
  EXPECT_EQ(std::get<Alias>(ct.decls[2].decl).count, 1u);
  EXPECT_EQ(ct.decls[3].kind, TypeDecl::Kind::Import);
  EXPECT_EQ(std::get<ExternDecl>(ct.decls[3].decl).name.name, "f");
  EXPECT_EQ(ct.decls[4].kind, TypeDecl::Kind::Export);
  EXPECT_EQ(std::get<ExternDecl>(ct.decls[4].decl).type.type_bound.kind,
            TypeBound::Kind::SubResource);
  const auto& nested = std::get<InstanceType>(std::get<Type>(ct.decls[5].decl).type);
  ASSERT_EQ(nested.decls.size(), 1u);
  EXPECT_EQ(ct.decls[3].offset, kTypeAt + 2 + 4 + 5 + 5);
}

TEST(Types, InstanceTypesHaveNoImports) {
  expect_type_error(cat({{0x42}, vec({cat({{0x03}, name("f"), {0x01}, u32(0)})})}),
                    "invalid leading byte (0x3) for component or instance type declaration",
                    kTypeAt + 2);
  expect_type_error(cat({{0x41}, vec({{0x05}})}),
                    "invalid leading byte (0x5) for component or instance type declaration",
                    kTypeAt + 2);
}

TEST(Types, TypeNestingIsBounded) {
  // The component is the first of the kMaxNestingDepth (100) levels; 99 instance types fit.
  Bytes t = {0x42, 0x00};
  for (int i = 0; i < 98; ++i) t = cat({{0x42}, vec({cat({{0x01}, t})})});
  EXPECT_TRUE(decode_component(component({vec_section(kType, {t})})).has_value());
  t = cat({{0x42}, vec({cat({{0x01}, t})})});
  auto c = decode_component(component({section(kType, cat({u32(1), t}))}));
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message, "nesting too deep");
}

TEST(CoreTypes, FunctionTypes) {
  const CoreType t = decode_core_type(cat({{0x60}, vec({{0x7f}, {0x7e}}), vec({{0x7c}})}));
  const auto& f = std::get<wasm::FuncType>(t.type);
  EXPECT_EQ(f.params, (std::vector<wasm::ValType>{wasm::kI32, wasm::kI64}));
  EXPECT_EQ(f.results, (std::vector<wasm::ValType>{wasm::kF64}));
  auto c = decode_component(component({vec_section(kCoreType, {{0x61}})}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "invalid leading byte (0x61) for core type");
}

TEST(CoreTypes, ModuleTypeDeclarations) {
  const CoreType t = decode_core_type(
      cat({{0x50},
           vec({
               cat({{0x01, 0x60}, vec({}), vec({})}),                // type
               cat({{0x00}, str("env"), str("f"), {0x00}, u32(0)}),  // import func
               cat({{0x00}, str("env"), str("t"), {0x01, 0x70, 0x01}, u32(1), u32(2)}),  // table
               cat({{0x00}, str("env"), str("m"), {0x02, 0x03}, u32(1), u32(2)}),  // shared memory
               cat({{0x00}, str("env"), str("g"), {0x03, 0x7f, 0x01}}),            // mutable global
               cat({{0x00}, str("env"), str("e"), {0x04, 0x00}, u32(0)}),          // tag
               cat({{0x02, 0x10, 0x01}, u32(1), u32(0)}),  // alias outer 1 0 (type)
               cat({{0x03}, str("run"), {0x00}, u32(0)}),  // export func
           })}));
  const auto& m = std::get<ModuleType>(t.type);
  ASSERT_EQ(m.decls.size(), 8u);
  EXPECT_TRUE(std::holds_alternative<CoreType>(m.decls[0].decl));
  const auto& table = std::get<CoreImportDecl>(m.decls[2].decl);
  EXPECT_EQ(table.type.kind, wasm::ExternKind::Table);
  EXPECT_EQ(table.type.table.elem, wasm::kFuncRef);
  EXPECT_EQ(table.type.table.limits.max, 2u);
  const auto& mem = std::get<CoreImportDecl>(m.decls[3].decl);
  EXPECT_TRUE(mem.type.memory.limits.shared);
  EXPECT_TRUE(std::get<CoreImportDecl>(m.decls[4].decl).type.global.mut);
  EXPECT_EQ(std::get<CoreImportDecl>(m.decls[5].decl).type.kind, wasm::ExternKind::Tag);
  const auto& alias = std::get<Alias>(m.decls[6].decl);
  EXPECT_EQ(alias.sort, (Sort{SortKind::Core, CoreSort::Type}));
  EXPECT_EQ(alias.kind, AliasKind::Outer);
  EXPECT_EQ(std::get<CoreExportDecl>(m.decls[7].decl).name, "run");
}

TEST(CoreTypes, MalformedModuleDeclarations) {
  struct Case {
    Bytes decl;
    const char* message;
  };
  const Case cases[] = {
      {{0x04}, "invalid leading byte (0x4) for type definition"},
      {{0x02, 0x00, 0x01, 0x00, 0x00}, "invalid leading byte (0x0) for outer alias kind"},
      {{0x02, 0x10, 0x00, 0x00, 0x00}, "invalid leading byte (0x0) for outer alias target"},
      {cat({{0x03}, str("e"), {0x05}}), "invalid leading byte (0x5) for core external kind"},
      {cat({{0x03}, str("e"), {0x04, 0x01, 0x00}}), "invalid leading byte (0x1) for tag attribute"},
      {cat({{0x03}, str("e"), {0x01, 0x7f, 0x00, 0x00}}), "malformed reference type"},
      {cat({{0x03}, str("e"), {0x02, 0x08, 0x00}}), "invalid leading byte (0x8) for limits"},
      {cat({{0x03}, str("e"), {0x03, 0x7f, 0x02}}), "invalid boolean value"},
  };
  for (const Case& c : cases) {
    auto r = decode_component(component({vec_section(kCoreType, {cat({{0x50}, vec({c.decl})})})}));
    ASSERT_FALSE(r.has_value()) << c.message;
    EXPECT_EQ(r.error().message, c.message);
  }
}

TEST(CoreTypes, GcRecSubStructArray) {
  // 0x00 0x50: a non-final sub at the top of a core:deftype.
  CoreType t = decode_core_type(cat({{0x00, 0x50}, vec({u32(0)}), {0x60, 0x00, 0x00}}));
  auto rec = std::get<CoreRecType>(t.type);
  ASSERT_EQ(rec.types.size(), 1u);
  EXPECT_FALSE(rec.explicit_group);
  EXPECT_FALSE(rec.types[0].final);
  EXPECT_EQ(rec.types[0].supertypes.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<wasm::FuncType>(rec.types[0].comp));

  // (rec (type (struct (field i8) (field (mut i32)))) (type (sub final (array i16))) (type (sub
  // (func))))
  t = decode_core_type(cat({{0x4e},
                            vec({cat({{0x5f}, vec({{0x78, 0x00}, {0x7f, 0x01}})}),
                                 cat({{0x4f}, vec({}), {0x5e, 0x77, 0x00}}),
                                 cat({{0x50}, vec({}), {0x60, 0x00, 0x00}})})}));
  rec = std::get<CoreRecType>(t.type);
  EXPECT_TRUE(rec.explicit_group);
  ASSERT_EQ(rec.types.size(), 3u);
  const auto& st = std::get<CoreStructType>(rec.types[0].comp);
  ASSERT_EQ(st.fields.size(), 2u);
  EXPECT_EQ(std::get<PackedType>(st.fields[0].storage), PackedType::I8);
  EXPECT_TRUE(st.fields[1].mut);
  EXPECT_TRUE(rec.types[1].final);
  EXPECT_EQ(std::get<PackedType>(std::get<CoreArrayType>(rec.types[1].comp).elem.storage),
            PackedType::I16);
  EXPECT_FALSE(rec.types[2].final);

  // A bare struct type and a top-level final sub.
  EXPECT_TRUE(std::holds_alternative<CoreStructType>(
      std::get<CoreRecType>(decode_core_type({0x5f, 0x00}).type).types[0].comp));
  EXPECT_TRUE(
      std::get<CoreRecType>(decode_core_type({0x4f, 0x00, 0x5e, 0x7f, 0x00}).type).types[0].final);

  auto c = decode_component(component({vec_section(kCoreType, {{0x00, 0x60}})}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "invalid leading byte (0x60) for non-final sub type");
  c = decode_component(component({vec_section(kCoreType, {{0x4e, 0x01, 0x4f, 0x00, 0x4e}})}));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "invalid leading byte (0x4e) for core composite type");
  // Reference types of GC are refused, naming the proposal, as the core decoder does.
  c = decode_component(component({vec_section(kCoreType, {{0x5e, 0x63, 0x00, 0x00}})}));
  ASSERT_FALSE(c);
  EXPECT_TRUE(c.error().message.starts_with("unsupported feature: ")) << c.error().message;
}

TEST(CoreTypes, ModuleTypeNestingIsBounded) {
  Bytes t = {0x50, 0x00};
  for (int i = 0; i < 98; ++i) t = cat({{0x50}, vec({cat({{0x01}, t})})});
  EXPECT_TRUE(decode_component(component({vec_section(kCoreType, {t})})).has_value());
  t = cat({{0x50}, vec({cat({{0x01}, t})})});
  auto c = decode_component(component({section(kCoreType, cat({u32(1), t}))}));
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message, "nesting too deep");
}

}  // namespace
}  // namespace rill::component
