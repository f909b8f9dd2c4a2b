// print_wit and `rill inspect`: a component built inline with builder.h, the .wat fixtures in
// tests/component/fixtures (encoded at build time by the pinned jco, output compared with the
// checked-in .wit next to them, which jco must also accept as WIT), the C guests of
// guests/component, and malformed input.
#include "rill/component/wit.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../proc_util.h"
#include "builder.h"
#include "rill/component/decoder.h"
#include "rill/component/validator.h"

namespace rill::component {
namespace {

namespace fs = std::filesystem;
using namespace testing;  // NOLINT(google-build-using-namespace): the byte builders

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Decodes, validates and prints {bytes}; failures are test failures.
std::string wit_of(std::span<const uint8_t> bytes) {
  auto c = decode_component(bytes);
  if (!c) {
    ADD_FAILURE() << c.error().to_string();
    return "";
  }
  if (auto ok = validate_component(**c); !ok) ADD_FAILURE() << ok.error().to_string();
  auto wit = print_wit(**c);
  if (!wit) {
    ADD_FAILURE() << wit.error().to_string();
    return "";
  }
  return *wit;
}

std::string wit_of_file(const fs::path& p) {
  const std::string bytes = read_text(p);
  return wit_of({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

using rill::test::Proc;
using rill::test::run_cmd;

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

/// jco (wasm-tools) parses and resolves {wit}: it is valid WIT.
void expect_valid_wit(const std::string& wit, const std::string& name) {
  const fs::path file = fs::path(::testing::TempDir()) / (name + ".wit");
  std::ofstream(file, std::ios::binary) << wit;
  const Proc r =
      run_cmd(std::string("'") + RILL_NODE + "' '" + RILL_WIT_CHECK + "' " + quoted(file));
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST(WitTest, PlainFunctionImportOfInlineTypes) {
  // (type (list u32)) (type (func (param "x" string) (result 0))) (import "f" (func (type 1)))
  const Bytes bytes = component({
      vec_section(kType,
                  {{0x70, 0x79}, cat({{0x40}, vec({cat({str("x"), {0x73}})}), {0x00}, s33(0)})}),
      vec_section(kImport, {cat({name("f"), {0x01}, u32(1)})}),
  });
  EXPECT_EQ(wit_of(bytes),
            "package root:component;\n\nworld root {\n"
            "  import f: func(x: string) -> list<u32>;\n}\n");
}

TEST(WitTest, EmptyComponent) {
  EXPECT_EQ(wit_of(component({})), "package root:component;\n\nworld root {\n}\n");
}

TEST(WitTest, Fixtures) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "node_modules/@bytecodealliance/jco missing (npm ci)";
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(RILL_COMPONENT_TEST_DIR "/fixtures")) {
    if (entry.path().extension() != ".wat") continue;
    const std::string name = entry.path().stem().string();
    SCOPED_TRACE(name);
    const std::string wit = wit_of_file(fs::path(RILL_COMPONENT_FIXTURE_DIR) / (name + ".wasm"));
    fs::path expected = entry.path();
    expected.replace_extension(".wit");
    EXPECT_EQ(wit, read_text(expected));
    expect_valid_wit(wit, name);
    checked++;
  }
  EXPECT_GE(checked, 2);
}

TEST(WitTest, StringsGuest) {
  if (!RILL_HAVE_COMPONENT_GUESTS) GTEST_SKIP() << "jco or a wasm32-wasi clang-19 missing";
  const fs::path file = fs::path(RILL_COMPONENT_GUEST_DIR) / "strings.wasm";
  const Proc r = run_cmd(std::string("'") + RILL_BINARY + "' inspect " + quoted(file));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, wit_of_file(file));
  for (const char* line : {
           "  import host-prefix: func() -> string;\n",
           "  export upper: func(s: string) -> string;\n",
           "  export sum: func(xs: list<u32>) -> u32;\n",
           "  export reverse: func(xs: list<u32>) -> list<u32>;\n",
           "  export greet: func(name: string) -> string;\n",
           "  export rill:test/counters;\n",
           "package rill:test {\n  interface counters {\n    resource counter {\n"
           "      constructor(start: u32);\n      increment: func(by: u32) -> u32;\n"
           "      value: func() -> u32;\n    }\n  }\n}\n",
       }) {
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\nin:\n" << r.output;
  }
  expect_valid_wit(r.output, "strings");
}

TEST(WitTest, HelloCommandGuest) {
  if (!RILL_HAVE_COMPONENT_GUESTS) GTEST_SKIP() << "jco or a wasm32-wasi clang-19 missing";
  const fs::path file = fs::path(RILL_COMPONENT_GUEST_DIR) / "hello.wasm";
  const Proc r = run_cmd(std::string("'") + RILL_BINARY + "' inspect " + quoted(file));
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* line : {
           "  import wasi:cli/environment@0.2.",
           "  import wasi:io/streams@0.2.",
           "  import wasi:filesystem/types@0.2.",
           "  export wasi:cli/run@0.2.",
           "    get-stdout: func() -> output-stream;\n",
           "    run: func() -> result;\n",
           "    get-directories: func() -> list<tuple<descriptor, string>>;\n",
       }) {
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\nin:\n" << r.output;
  }
  expect_valid_wit(r.output, "hello");
}

TEST(WitTest, CoreModule) {
  if (!RILL_HAVE_COMPONENT_GUESTS) GTEST_SKIP() << "jco or a wasm32-wasi clang-19 missing";
  const fs::path file = fs::path(RILL_COMPONENT_GUEST_DIR) / "strings.core.wasm";
  const Proc r = run_cmd(std::string("'") + RILL_BINARY + "' inspect " + quoted(file));
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* line : {
           "import $root::host-prefix: func [i32] -> []\n",
           "import [export]rill:test/counters::[resource-new]counter: func [i32] -> [i32]\n",
           "export memory: memory 2\n",
           "export upper: func [i32 i32] -> [i32]\n",
           "export cabi_realloc: func [i32 i32 i32 i32] -> [i32]\n",
       }) {
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\nin:\n" << r.output;
  }
}

TEST(WitTest, MalformedInputIsAnErrorWithOffset) {
  // A type section that claims one type and ends inside it: (list <missing element>).
  const Bytes bytes = component({vec_section(kType, {{0x70}})});
  auto c = decode_component(bytes);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().offset, kNoOffset);

  const fs::path file = fs::path(::testing::TempDir()) / "bad_truncated_type.wasm";
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
  const Proc r = run_cmd(std::string("'") + RILL_BINARY + "' inspect " + quoted(file));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.output, "rill inspect: " + file.string() + ": " + c.error().to_string() + "\n");

  const fs::path junk = fs::path(::testing::TempDir()) / "bad_magic.wasm";
  std::ofstream(junk, std::ios::binary) << "not wasm";
  const Proc j = run_cmd(std::string("'") + RILL_BINARY + "' inspect " + quoted(junk));
  EXPECT_EQ(j.status, 1);
  EXPECT_NE(j.output.find("magic header not detected (at offset 0x0)"), std::string::npos)
      << j.output;
  const Proc missing = run_cmd(std::string("'") + RILL_BINARY + "' inspect /nonexistent/x.wasm");
  EXPECT_EQ(missing.status, 1) << missing.output;
}

TEST(WitTest, InvalidComponentIsAnError) {
  // (import "f" (func (type 0))) with no type 0: decodes, does not validate.
  const Bytes bytes = component({vec_section(kImport, {cat({name("f"), {0x01}, u32(0)})})});
  const fs::path file = fs::path(::testing::TempDir()) / "bad_unknown_type.wasm";
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
  const Proc r = run_cmd(std::string("'") + RILL_BINARY + "' inspect " + quoted(file));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("unknown type 0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("(at offset 0x"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace rill::component
