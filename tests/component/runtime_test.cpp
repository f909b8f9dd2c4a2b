// The component run-time through the public API (include/rill/component.h): instantiation with
// host imports, lifting and lowering strings and lists, post-return, traps, typed calls, and
// link errors. The component is tests/component/wat/strings.wat, encoded at build time by jco.
#include <gtest/gtest.h>

#include "component_wasm.h"

#include <fstream>
#include <iterator>

#include "rill/component.h"
#include "rill/component/rt/traps.h"

namespace {

using rill::Value;
using rill::component::rt::ComponentTrap;

/// True when {t} is the component trap {k}.
bool is_kind(const rill::Trap& t, ComponentTrap k) {
  return t.kind == rill::TrapKind::Component && t.component_code == static_cast<uint16_t>(k);
}

using rill::test::wasm_path;

class ComponentRuntime : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
    auto c = rill::Component::compile_file(engine_, wasm_path("strings"));
    ASSERT_TRUE(c) << c.error().to_string();
    component_ = std::move(*c);
  }
  rill::ComponentInstance instantiate(rill::ComponentLinker& linker) {
    auto i = linker.instantiate(store_, component_);
    EXPECT_TRUE(i) << (i ? "" : i.error().to_string());
    return i ? *i : rill::ComponentInstance{};
  }
  rill::ComponentLinker default_linker() {
    rill::ComponentLinker linker;
    linker.root().func("prefix", [](std::string s) { return "hello, " + s; });
    return linker;
  }

  rill::Engine engine_;
  rill::Store store_{engine_};
  rill::Component component_;
};

TEST_F(ComponentRuntime, ListsImportsAndExports) {
  auto imports = component_.imports();
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0], "prefix");
  auto exports = component_.exports();
  EXPECT_NE(std::find(exports.begin(), exports.end(), "echo"), exports.end());
}

TEST_F(ComponentRuntime, EchoesStringsThroughGuestMemory) {
  auto linker = default_linker();
  auto inst = instantiate(linker);
  auto echo = inst.func("echo");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->type(), "func(s: string) -> string");
  for (std::string s : {std::string(""), std::string("a"), std::string("h\xc3\xa9llo \xe2\x98\x83"),
                        std::string(100000, 'x')}) {
    auto r = echo->call({Value::string(s)});
    ASSERT_TRUE(r) << r.trap().message;
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].str(), s);
  }
}

TEST_F(ComponentRuntime, SumsAndReversesLists) {
  auto linker = default_linker();
  auto inst = instantiate(linker);
  auto sum = inst.func("sum");
  ASSERT_TRUE(sum);
  auto r = sum->call_typed<uint32_t>(std::vector<uint32_t>{1, 2, 3, 4000000000u});
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ(*r, uint32_t(4000000006u));
  auto rev = inst.func("reverse");
  ASSERT_TRUE(rev);
  // Repeated calls: post-return resets the guest's bump allocator, so memory does not grow.
  for (int i = 0; i < 50; ++i) {
    auto out = rev->call_typed<std::vector<uint32_t>>(std::vector<uint32_t>{1, 2, 3, uint32_t(i)});
    ASSERT_TRUE(out) << out.trap().message;
    EXPECT_EQ(*out, (std::vector<uint32_t>{uint32_t(i), 3, 2, 1}));
  }
  auto empty = rev->call_typed<std::vector<uint32_t>>(std::vector<uint32_t>{});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST_F(ComponentRuntime, CallsTypedHostImport) {
  auto linker = default_linker();
  auto inst = instantiate(linker);
  auto greet = inst.func("greet");
  ASSERT_TRUE(greet);
  auto r = greet->call_typed<std::string>(std::string("rill"));
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ(*r, "hello, rill");
}

TEST_F(ComponentRuntime, HostTrapPropagatesAndPoisonsTheInstance) {
  rill::ComponentLinker linker;
  linker.root().func_new("prefix", [](std::span<const Value>, std::vector<Value>&) -> std::optional<rill::Trap> {
    return rill::Trap::host("host says no");
  });
  auto inst = instantiate(linker);
  auto greet = inst.func("greet");
  ASSERT_TRUE(greet);
  auto r = greet->call({Value::string("x")});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("host says no"), std::string::npos);
  auto again = inst.func("add")->call({Value::u32(1), Value::u32(2)});
  ASSERT_FALSE(again);
  EXPECT_NE(again.trap().message.find("cannot enter component instance"), std::string::npos);
  EXPECT_TRUE(is_kind(again.trap(), ComponentTrap::Poisoned)) << again.trap().message;
}

TEST_F(ComponentRuntime, TypedHostFunctionOfTheWrongTypeIsALinkError) {
  rill::ComponentLinker linker;
  linker.root().func("prefix", [](std::string) { return uint32_t{7}; });
  auto i = linker.instantiate(store_, component_);
  ASSERT_FALSE(i);
  EXPECT_NE(i.error().message.find("result: C++ u32 for string"), std::string::npos) << i.error().message;
  rill::ComponentLinker params;
  params.root().func("prefix", [](uint32_t) { return std::string(); });
  auto j = params.instantiate(store_, component_);
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message.find("parameter s"), std::string::npos) << j.error().message;
  rill::ComponentLinker arity;
  arity.root().func("prefix", [](std::string, std::string) { return std::string(); });
  ASSERT_FALSE(arity.instantiate(store_, component_));
}

TEST_F(ComponentRuntime, DynamicHostResultOfTheWrongTypeTraps) {
  rill::ComponentLinker linker;
  linker.root().func_new("prefix", [](std::span<const Value>, std::vector<Value>& out) -> std::optional<rill::Trap> {
    out.push_back(Value::u32(7));
    return std::nullopt;
  });
  auto inst = instantiate(linker);
  auto r = inst.func("greet")->call({Value::string("x")});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("type mismatch"), std::string::npos) << r.trap().message;
  EXPECT_TRUE(is_kind(r.trap(), ComponentTrap::HostValueMismatch)) << r.trap().message;
}

TEST_F(ComponentRuntime, InvalidStringsFromTheGuestTrap) {
  auto linker = default_linker();
  auto inst = instantiate(linker);
  auto bad = inst.func("bad-utf8")->call({});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(is_kind(bad.trap(), ComponentTrap::InvalidUtf8)) << bad.trap().message;
  auto inst2 = instantiate(linker);
  auto oob = inst2.func("out-of-bounds")->call({});
  ASSERT_FALSE(oob);
  // At the host boundary the suite words it as Wasmtime's host lift does.
  EXPECT_TRUE(is_kind(oob.trap(), ComponentTrap::HostStringOutOfBounds)) << oob.trap().message;
  EXPECT_TRUE(oob.trap().message.starts_with("string pointer/length out of bounds of memory"));
  auto inst3 = instantiate(linker);
  auto t = inst3.func("trap")->call({});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.trap().kind, rill::TrapKind::Unreachable);
}

TEST_F(ComponentRuntime, ArgumentsOfTheWrongTypeTrap) {
  auto linker = default_linker();
  auto inst = instantiate(linker);
  auto r = inst.func("add")->call({Value::string("1"), Value::u32(2)});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("type mismatch"), std::string::npos);
  auto n = inst.func("add")->call({Value::u32(2)});
  ASSERT_FALSE(n);
}

TEST_F(ComponentRuntime, MissingImportIsALinkErrorNamingIt) {
  rill::ComponentLinker linker;
  auto i = linker.instantiate(store_, component_);
  ASSERT_FALSE(i);
  EXPECT_NE(i.error().message.find("prefix"), std::string::npos) << i.error().message;
}

TEST_F(ComponentRuntime, ImportOfTheWrongKindIsALinkError) {
  rill::ComponentLinker linker;
  linker.root().resource("prefix", rill::HostResource("r"));
  auto i = linker.instantiate(store_, component_);
  ASSERT_FALSE(i);
  EXPECT_NE(i.error().message.find("expected a func"), std::string::npos) << i.error().message;
}

TEST(ComponentCompile, RejectsGarbageWithAnOffset) {
  rill::Engine engine;
  std::vector<uint8_t> bytes = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x05, 0x01};
  auto c = rill::Component::compile(engine, bytes);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().offset, rill::kNoOffset);
}

}  // namespace

namespace {
struct Point {
  uint32_t x = 0;
  std::string label;
};
}  // namespace
template <>
struct rill::ComponentRecord<Point> {
  static constexpr auto fields() { return std::make_tuple(rill::field("x", &Point::x), rill::field("label", &Point::label)); }
};

namespace {
TEST(TypedBindings, RecordsRoundTripThroughValuesAndDescribeTheirShape) {
  Point p{7, "seven"};
  rill::Value v = rill::ToValue<Point>::make(p);
  ASSERT_EQ(v.kind(), rill::ValueKind::Record);
  EXPECT_EQ(v.to_string(), "{x: 7, label: \"seven\"}");
  auto back = rill::FromValue<Point>::get(v);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->x, 7u);
  EXPECT_EQ(back->label, "seven");
  const rill::ValueShape s = rill::ShapeOf<Point>::get();
  EXPECT_EQ(s.labels, (std::vector<std::string>{"x", "label"}));
  ASSERT_EQ(s.elems.size(), 2u);
  EXPECT_EQ(s.elems[1].kind, rill::ValueKind::String);
  auto r = rill::ToValue<rill::ComponentResult<std::string, std::monostate>>::make(
      rill::ComponentResult<std::string, std::monostate>::err({}));
  EXPECT_EQ(r.to_string(), "err");
  auto t = rill::FromValue<std::tuple<uint8_t, std::optional<bool>>>::get(
      rill::Value::tuple({rill::Value::u8(3), rill::Value::some(rill::Value::boolean(true))}));
  ASSERT_TRUE(t);
  EXPECT_EQ(std::get<0>(*t), 3);
  EXPECT_EQ(std::get<1>(*t), std::optional<bool>(true));
}
}  // namespace
