// Linking components to the host: semver-compatible import names, instance imports with host
// functions, host resources (constructor, method, destructor), and handle-table traps. The
// component is tests/component/wat/versioned.wat, encoded at build time by jco.
#include <gtest/gtest.h>

#include "rill/component.h"
#include "rill/component/rt/linker.h"

namespace {

using rill::Value;
namespace crt = rill::component::rt;

TEST(ImportMap, MatchesSemverCompatibleVersions) {
  crt::ImportMap m;
  m.define("wasi:cli/run@0.2.6", crt::Item{crt::TypeRt{}});
  m.define("wasi:cli/run@0.2.3", crt::Item{crt::TypeRt{}});
  m.define("a:b/c@1.4.0", crt::Item{crt::TypeRt{}});
  m.define("a:b/d@0.0.1", crt::Item{crt::TypeRt{}});
  m.define("plain", crt::Item{crt::TypeRt{}});
  EXPECT_EQ(m.find("wasi:cli/run@0.2.0"), m.find("wasi:cli/run@0.2.6"));  // the highest
  EXPECT_NE(m.find("wasi:cli/run@0.2.9"), nullptr);
  EXPECT_EQ(m.find("wasi:cli/run@0.3.0"), nullptr);
  EXPECT_EQ(m.find("wasi:cli/run@1.2.0"), nullptr);
  EXPECT_EQ(m.find("wasi:cli/run"), nullptr);
  EXPECT_NE(m.find("a:b/c@1.0.0"), nullptr);
  EXPECT_EQ(m.find("a:b/c@2.0.0"), nullptr);
  EXPECT_EQ(m.find("a:b/d@0.0.2"), nullptr);  // 0.0.x: only the same patch
  EXPECT_NE(m.find("a:b/d@0.0.1"), nullptr);
  EXPECT_EQ(m.find("wasi:cli/run@0.2.0-rc1"), nullptr);  // pre-releases match exactly only
  EXPECT_NE(m.find("plain"), nullptr);
}

class Versioned : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
    auto c = rill::Component::compile_file(engine_, std::string(RILL_COMPONENT_WASM_DIR) + "/versioned.wasm");
    ASSERT_TRUE(c) << c.error().to_string();
    component_ = std::move(*c);
  }
  /// Defines math at {math_version} and store at {store_version}.
  void define(const std::string& math_version, const std::string& store_version) {
    linker_.instance("test:demo/math@" + math_version).func("double", [](uint32_t a) { return 2 * a; });
    auto& s = linker_.instance("test:demo/store@" + store_version);
    s.resource("box", box_);
    s.func("[constructor]box", [this](uint32_t v) { return Value::own(box_.ref(v)); });
    s.func("[method]box.get", [](Value self) { return self.resource().rep + 1000; });
  }

  rill::Engine engine_;
  rill::Store store_{engine_};
  rill::Component component_;
  rill::ComponentLinker linker_;
  std::vector<uint32_t> dropped_;
  rill::HostResource box_{"box", [this](uint32_t rep) { dropped_.push_back(rep); }};
};

TEST_F(Versioned, NewerCompatibleHostVersionsSatisfyImports) {
  define("0.2.6", "1.3.0");
  auto inst = linker_.instantiate(store_, component_);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto r = inst->func("quad")->call_typed<uint32_t>(uint32_t{5});
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ(*r, 20u);
}

TEST_F(Versioned, IncompatibleVersionIsAnUnknownImport) {
  define("0.3.0", "1.3.0");
  auto inst = linker_.instantiate(store_, component_);
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("test:demo/math@0.2.0"), std::string::npos) << inst.error().message;
}

TEST_F(Versioned, InstanceMissingAnExportIsALinkError) {
  rill::ComponentLinker bare;
  bare.instance("test:demo/math@0.2.0").func("triple", [](uint32_t a) { return 3 * a; });
  auto inst = bare.instantiate(store_, component_);
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("no export \"double\""), std::string::npos) << inst.error().message;
}

TEST_F(Versioned, HostResourcesRoundTripAndTheirDestructorRuns) {
  define("0.2.0", "1.1.0");
  auto inst = linker_.instantiate(store_, component_);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto r = inst->func("roundtrip")->call_typed<uint32_t>(uint32_t{7});
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ(*r, 1007u);
  EXPECT_EQ(dropped_, std::vector<uint32_t>{7});
}

TEST_F(Versioned, UseAfterDropTraps) {
  define("0.2.0", "1.1.0");
  auto inst = linker_.instantiate(store_, component_);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto r = inst->func("use-after-drop")->call_typed<uint32_t>(uint32_t{3});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("unknown handle index"), std::string::npos) << r.trap().message;
}

TEST_F(Versioned, ResourceOfAnotherTypeIsRefused) {
  define("0.2.0", "1.1.0");
  rill::HostResource other("other");
  // The constructor hands back a handle of the wrong resource type: lowering it traps.
  linker_.instance("test:demo/store@1.1.0").func("[constructor]box", [&](uint32_t v) { return Value::own(other.ref(v)); });
  auto inst = linker_.instantiate(store_, component_);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto r = inst->func("roundtrip")->call_typed<uint32_t>(uint32_t{1});
  ASSERT_FALSE(r);
  EXPECT_NE(r.trap().message.find("wrong type"), std::string::npos) << r.trap().message;
}

}  // namespace

namespace {

TEST(HostInstance, ValueTypeExportsComeFromTheImport) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
  rill::Engine engine;
  auto c = rill::Component::compile_file(engine, std::string(RILL_COMPONENT_WASM_DIR) + "/value_type_export.wasm");
  ASSERT_TRUE(c) << c.error().to_string();
  rill::ComponentLinker linker;
  // No "point" defined: the record type the import exports is the import's own.
  linker.instance("test:demo/geo@0.1.0").func_new("origin", [](std::span<const Value>, std::vector<Value>& out) {
    out.push_back(Value::record({{"x", Value::u32(40)}, {"y", Value::u32(2)}}));
    return std::optional<rill::Trap>();
  });
  rill::Store store(engine);
  auto inst = linker.instantiate(store, *c);
  ASSERT_TRUE(inst) << inst.error().to_string();
  auto r = inst->func("sum")->call_typed<uint32_t>();
  ASSERT_TRUE(r) << r.trap().message;
  EXPECT_EQ(*r, 42u);
}

}  // namespace

namespace {

TEST(ComponentValidate, AResourceReexportedUnderASecondNameKeepsItsFirstForMethods) {
  // `type trailers = fields`, then `[method]fields.clear`: valid (wasm-tools accepts it; real
  // wasi:http components have it). The second name must not replace the first.
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
  rill::Engine engine;
  auto c = rill::Component::compile_file(engine, std::string(RILL_COMPONENT_WASM_DIR) + "/resource_alias_names.wasm");
  EXPECT_TRUE(c) << c.error().to_string();
}

}  // namespace
