// End-to-end tests of `rill wast`'s runner on small generated scripts: counting of passes,
// failures and skips, linking via register/spectest, expected failures, and robustness.
#include "rill/cli/wast_runner.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rill::cli {
namespace {

using nlohmann::json;
using Bytes = std::vector<uint8_t>;

// --- a tiny module builder ---
Bytes leb(size_t n) {
  Bytes out;
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    out.push_back(static_cast<uint8_t>(b | (n ? 0x80 : 0)));
  } while (n);
  return out;
}
Bytes section(uint8_t id, const Bytes& content) {
  Bytes out{id};
  Bytes size = leb(content.size());
  out.insert(out.end(), size.begin(), size.end());
  out.insert(out.end(), content.begin(), content.end());
  return out;
}
Bytes str(const std::string& s) {
  Bytes out;
  out.push_back(static_cast<uint8_t>(s.size()));
  for (char c : s) out.push_back(static_cast<uint8_t>(c));
  return out;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
const Bytes kHeader{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

// Exports add(i32,i32)->i32, trap() (unreachable), spin() (infinite loop), global g = 42.
Bytes main_module() {
  Bytes types = section(1, {0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00});
  Bytes funcs = section(3, {0x03, 0x00, 0x01, 0x01});
  Bytes globals = section(6, {0x01, 0x7f, 0x00, 0x41, 0x2a, 0x0b});
  Bytes exports = section(7, cat({{0x04}, str("add"), {0x00, 0x00}, str("trap"), {0x00, 0x01}, str("spin"),
                                  {0x00, 0x02}, str("g"), {0x03, 0x00}}));
  Bytes code = section(10, {0x03,                                            //
                            0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,  // add
                            0x03, 0x00, 0x00, 0x0b,                          // trap
                            0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b});  // spin
  return cat({kHeader, types, funcs, globals, exports, code});
}

// Imports {mod}.add and spectest.global_i32; exports f() = add(global_i32, 1) and calls print_i32.
Bytes importing_module(const std::string& mod) {
  Bytes types = section(1, {0x03, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00});
  Bytes imports = section(2, cat({{0x03}, str(mod), str("add"), {0x00, 0x00}, str("spectest"), str("global_i32"),
                                  {0x03, 0x7f, 0x00}, str("spectest"), str("print_i32"), {0x00, 0x02}}));
  Bytes funcs = section(3, {0x01, 0x01});
  Bytes exports = section(7, cat({{0x01}, str("f"), {0x00, 0x02}}));
  // f: global.get 0; i32.const 1; call 0 (add); i32.const 7; call 1 (print_i32); end
  Bytes code = section(10, {0x01, 0x0c, 0x00, 0x23, 0x00, 0x41, 0x01, 0x10, 0x00, 0x41, 0x07, 0x10, 0x01, 0x0b});
  return cat({kHeader, types, imports, funcs, exports, code});
}

// Imports everything "spectest" has; exports ms() = memory.size, ts() = table.size,
// gf() = global_f32, gd() = global_f64 and p(), which calls every print function.
Bytes spectest_module() {
  Bytes types = section(1, {0x0a, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7e, 0x00, 0x60, 0x01, 0x7d,
                            0x00, 0x60, 0x01, 0x7c, 0x00, 0x60, 0x02, 0x7f, 0x7d, 0x00, 0x60, 0x02, 0x7c, 0x7c, 0x00,
                            0x60, 0x00, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7d, 0x60, 0x00, 0x01, 0x7c});
  Bytes imports{0x0d};
  const char* prints[] = {"print", "print_i32", "print_i64", "print_f32", "print_f64", "print_i32_f32", "print_f64_f64"};
  for (uint8_t i = 0; i < 7; ++i) imports = cat({imports, str("spectest"), str(prints[i]), {0x00, i}});
  imports = cat({imports, str("spectest"), str("global_i32"), {0x03, 0x7f, 0x00}});
  imports = cat({imports, str("spectest"), str("global_i64"), {0x03, 0x7e, 0x00}});
  imports = cat({imports, str("spectest"), str("global_f32"), {0x03, 0x7d, 0x00}});
  imports = cat({imports, str("spectest"), str("global_f64"), {0x03, 0x7c, 0x00}});
  imports = cat({imports, str("spectest"), str("table"), {0x01, 0x70, 0x01, 0x0a, 0x14}});
  imports = cat({imports, str("spectest"), str("memory"), {0x02, 0x01, 0x01, 0x02}});
  Bytes funcs = section(3, {0x05, 0x07, 0x07, 0x08, 0x09, 0x00});
  Bytes exports = section(7, cat({{0x05}, str("ms"), {0x00, 0x07}, str("ts"), {0x00, 0x08}, str("gf"), {0x00, 0x09},
                                  str("gd"), {0x00, 0x0a}, str("p"), {0x00, 0x0b}}));
  Bytes f32_zero{0x43, 0, 0, 0, 0};
  Bytes f64_zero{0x44, 0, 0, 0, 0, 0, 0, 0, 0};
  Bytes p = cat({{0x00, 0x10, 0x00, 0x41, 0x01, 0x10, 0x01, 0x42, 0x01, 0x10, 0x02}, f32_zero, {0x10, 0x03}, f64_zero,
                 {0x10, 0x04, 0x41, 0x01}, f32_zero, {0x10, 0x05}, f64_zero, f64_zero, {0x10, 0x06, 0x0b}});
  Bytes code = cat({{0x05}, leb(4), {0x00, 0x3f, 0x00, 0x0b}, leb(5), {0x00, 0xfc, 0x10, 0x00, 0x0b}, leb(4),
                    {0x00, 0x23, 0x02, 0x0b}, leb(4), {0x00, 0x23, 0x03, 0x0b}, leb(p.size()), p});
  return cat({kHeader, types, section(2, imports), funcs, exports, section(10, code)});
}

// Imports spectest.global_i32 as a mutable global (incompatible) or spectest.nope (unknown).
Bytes bad_spectest_import(bool unknown) {
  Bytes imports = cat({{0x01}, str("spectest"), str(unknown ? "nope" : "global_i32"), {0x03, 0x7f, 0x01}});
  return cat({kHeader, section(2, imports)});
}

// A function body that pops from an empty stack: decodes, but fails validation.
Bytes invalid_module() {
  return cat({kHeader, section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x01, 0x00}),
              section(10, {0x01, 0x03, 0x00, 0x6a, 0x0b})});
}

class WastRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rill_wast_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    write("main.wasm", main_module());
    write("imp_m.wasm", importing_module("M"));
    write("imp_nope.wasm", importing_module("nope"));
    write("invalid.wasm", invalid_module());
    write("garbage.wasm", Bytes{0x00, 0x61, 0x73});
    write("spectest.wasm", spectest_module());
    write("bad_mut.wasm", bad_spectest_import(false));
    write("bad_unknown.wasm", bad_spectest_import(true));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const Bytes& bytes) {
    std::ofstream f(dir_ / name, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  std::string write_script(const std::string& name, const json& commands) {
    std::ofstream(dir_ / name) << json{{"source_filename", "t.wast"}, {"commands", commands}}.dump();
    return (dir_ / name).string();
  }
  std::string write_text(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  // Runs {path}, keeping the printed output in {output_}.
  FileStats run(const std::string& path, const RunOptions& options = {}) {
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* out = open_memstream(&buf, &len);
    FileStats s;
    {
      engine::Engine engine;
      EpochWatchdog watchdog(engine);
      s = WastRunner(engine, options, out).run_file(path);
    }
    std::fclose(out);
    output_.assign(buf, len);
    std::free(buf);  // NOLINT(cppcoreguidelines-no-malloc): open_memstream's buffer
    return s;
  }

  static json module(const std::string& file, int line, const char* name = nullptr) {
    json m{{"type", "module"}, {"kind", "module"}, {"line", line}, {"module_type", "binary"}, {"filename", file}};
    if (name) m["name"] = name;
    return m;
  }
  static json i32(uint32_t v) { return {{"type", "i32"}, {"value", std::to_string(v)}}; }
  // Lists are std::vector<json>: a one-element braced list given to a json parameter would be
  // copied (clang) or wrapped in an array (gcc).
  static json invoke(const std::string& field, std::vector<json> args) {
    return {{"type", "invoke"}, {"field", field}, {"args", json(std::move(args))}};
  }
  static json assert_return(int line, json action, std::vector<json> expected) {
    return {{"type", "assert_return"}, {"line", line}, {"action", std::move(action)},
            {"expected", json(std::move(expected))}};
  }

  std::filesystem::path dir_;
  std::string output_;
};

TEST_F(WastRunnerTest, CountsPassesAndFailures) {
  auto path = write_script("basic.json", json::array({
      module("main.wasm", 1),
      assert_return(2, invoke("add", {i32(1), i32(2)}), {i32(3)}),
      assert_return(3, invoke("add", {i32(1), i32(2)}), {i32(4)}),
      assert_return(4, {{"type", "get"}, {"field", "g"}}, {i32(42)}),
      {{"type", "assert_trap"}, {"line", 5}, {"action", invoke("trap", {})}, {"text", "unreachable"}},
      {{"type", "assert_trap"}, {"line", 6}, {"action", invoke("add", {i32(1), i32(1)})}, {"text", "unreachable"}},
      {{"type", "action"}, {"line", 7}, {"action", invoke("add", {i32(1), i32(1)})}},
  }));
  FileStats s = run(path);
  EXPECT_EQ(s.passed, 5u) << output_;
  EXPECT_EQ(s.failed, 2u) << output_;
  EXPECT_EQ(s.skipped, 0u);
  EXPECT_NE(output_.find("basic.json:3: FAIL"), std::string::npos) << output_;
  EXPECT_NE(output_.find("expected (i32:4), got (i32:3)"), std::string::npos) << output_;
  EXPECT_NE(output_.find("basic.json:6: FAIL"), std::string::npos) << output_;
  EXPECT_NE(output_.find("FAIL basic.json (5 passed, 2 failed, 0 skipped)"), std::string::npos) << output_;
}

TEST_F(WastRunnerTest, TrapMessageMismatchIsAWarning) {
  auto path = write_script("warn.json", json::array({
      module("main.wasm", 1),
      {{"type", "assert_trap"}, {"line", 2}, {"action", invoke("trap", {})}, {"text", "integer overflow"}},
  }));
  FileStats s = run(path);
  EXPECT_EQ(s.passed, 2u) << output_;
  EXPECT_EQ(s.failed, 0u) << output_;
  EXPECT_EQ(s.warnings, 1u) << output_;
  EXPECT_NE(output_.find("warn.json:2: warning"), std::string::npos) << output_;
  EXPECT_NE(output_.find("PASS warn.json (2 passed, 0 skipped)"), std::string::npos) << output_;
}

TEST_F(WastRunnerTest, ModuleAssertions) {
  auto path = write_script("modules.json", json::array({
      {{"type", "assert_invalid"}, {"line", 1}, {"kind", "module"}, {"filename", "invalid.wasm"}, {"text", "type mismatch"}},
      {{"type", "assert_malformed"}, {"line", 2}, {"kind", "module"}, {"filename", "garbage.wasm"}, {"text", "unexpected end"}},
      {{"type", "assert_malformed"}, {"line", 3}, {"kind", "module"}, {"text_error", "x"}, {"text", "y"}},
      {{"type", "assert_invalid"}, {"line", 4}, {"kind", "module"}, {"filename", "main.wasm"}, {"text", "z"}},
      {{"type", "assert_unlinkable"}, {"line", 5}, {"kind", "module"}, {"filename", "imp_nope.wasm"}, {"text", "unknown import"}},
      {{"type", "assert_unlinkable"}, {"line", 6}, {"kind", "module"}, {"filename", "main.wasm"}, {"text", "unknown import"}},
      {{"type", "assert_exception"}, {"line", 7}, {"action", invoke("f", {})}},
      {{"type", "unsupported"}, {"line", 8}, {"form", "func"}},
  }));
  FileStats s = run(path, RunOptions{.verbose = true});
  EXPECT_EQ(s.passed, 3u) << output_;
  EXPECT_EQ(s.failed, 2u) << output_;  // lines 4 and 6: the module is fine
  EXPECT_EQ(s.skipped, 3u) << output_;
  EXPECT_NE(output_.find("modules.json:3: skip assert_malformed: text-only malformed module"), std::string::npos)
      << output_;
  EXPECT_NE(output_.find("modules.json:4: FAIL"), std::string::npos) << output_;
  EXPECT_NE(output_.find("modules.json:6: FAIL"), std::string::npos) << output_;
}

TEST_F(WastRunnerTest, RegisterAndSpectestImports) {
  auto path = write_script("link.json", json::array({
      module("main.wasm", 1, "$main"),
      {{"type", "register"}, {"line", 2}, {"as", "M"}, {"name", "$main"}},
      module("imp_m.wasm", 3),
      assert_return(4, invoke("f", {}), {i32(667)}),
      assert_return(5, {{"type", "invoke"}, {"field", "add"}, {"module", "$main"}, {"args", {i32(2), i32(2)}}}, {i32(4)}),
      assert_return(6, {{"type", "invoke"}, {"field", "add"}, {"module", "$nope"}, {"args", json::array()}}, {i32(4)}),
  }));
  FileStats s = run(path);
  EXPECT_EQ(s.passed, 4u) << output_;
  EXPECT_EQ(s.failed, 1u) << output_;  // unknown module instance $nope
  EXPECT_NE(output_.find("link.json:6: FAIL"), std::string::npos) << output_;
}

TEST_F(WastRunnerTest, SpectestModule) {
  float f32 = 666.6f;
  double f64 = 666.6;
  uint32_t f32_bits;
  uint64_t f64_bits;
  std::memcpy(&f32_bits, &f32, 4);
  std::memcpy(&f64_bits, &f64, 8);
  auto path = write_script("spectest.json", json::array({
      module("spectest.wasm", 1),
      assert_return(2, invoke("ms", {}), {i32(1)}),
      assert_return(3, invoke("ts", {}), {i32(10)}),
      assert_return(4, invoke("gf", {}), {{{"type", "f32"}, {"value", std::to_string(f32_bits)}}}),
      assert_return(5, invoke("gd", {}), {{{"type", "f64"}, {"value", std::to_string(f64_bits)}}}),
      assert_return(6, invoke("p", {}), {}),
      {{"type", "assert_unlinkable"}, {"line", 7}, {"kind", "module"}, {"filename", "bad_mut.wasm"},
       {"text", "incompatible import type"}},
      {{"type", "assert_unlinkable"}, {"line", 8}, {"kind", "module"}, {"filename", "bad_unknown.wasm"},
       {"text", "unknown import"}},
  }));
  FileStats s = run(path);
  EXPECT_EQ(s.passed, 8u) << output_;
  EXPECT_EQ(s.failed, 0u) << output_;
}

TEST_F(WastRunnerTest, SkippedModulesSkipTheirDependents) {
  auto path = write_script("skip.json", json::array({
      module("main.wasm", 1, "$main"),
      {{"type", "module"}, {"line", 2}, {"kind", "module"}, {"name", "$text"}, {"text_error", "bad token"}},
      assert_return(3, invoke("add", {i32(1), i32(2)}), {i32(3)}),
      {{"type", "register"}, {"line", 4}, {"as", "M"}},
      module("imp_m.wasm", 5),
      assert_return(6, invoke("f", {}), {i32(667)}),
      assert_return(7, {{"type", "invoke"}, {"field", "add"}, {"module", "$main"}, {"args", {i32(2), i32(2)}}}, {i32(4)}),
  }));
  FileStats s = run(path, RunOptions{.verbose = true});
  EXPECT_EQ(s.passed, 2u) << output_;
  EXPECT_EQ(s.failed, 0u) << output_;
  EXPECT_EQ(s.skipped, 4u) << output_;
  EXPECT_NE(output_.find("skip.json:3: skip assert_return: text_error: bad token"), std::string::npos) << output_;
  EXPECT_NE(output_.find("skip.json:6: skip assert_return: text_error: bad token"), std::string::npos) << output_;
}

TEST_F(WastRunnerTest, FailedModuleFailsOnceAndSkipsDependents) {
  auto path = write_script("broken.json", json::array({
      module("imp_nope.wasm", 1),
      assert_return(2, invoke("f", {}), {i32(667)}),
  }));
  FileStats s = run(path);
  EXPECT_EQ(s.failed, 1u) << output_;
  EXPECT_EQ(s.skipped, 1u) << output_;
  EXPECT_NE(output_.find("broken.json:1: FAIL module: link error: unknown import"), std::string::npos) << output_;
}

TEST_F(WastRunnerTest, HangsAreInterrupted) {
  auto path = write_script("spin.json", json::array({
      module("main.wasm", 1),
      {{"type", "action"}, {"line", 2}, {"action", invoke("spin", {})}},
      assert_return(3, invoke("add", {i32(1), i32(2)}), {i32(3)}),
  }));
  FileStats s = run(path, RunOptions{.deadline_ticks = 5});
  EXPECT_EQ(s.passed, 2u) << output_;
  EXPECT_EQ(s.failed, 1u) << output_;
  EXPECT_NE(output_.find("interrupted"), std::string::npos) << output_;
}

TEST_F(WastRunnerTest, ExpectedFailures) {
  auto path = write_script("xfail.json", json::array({
      module("main.wasm", 1),
      assert_return(2, invoke("add", {i32(1), i32(2)}), {i32(4)}),
      assert_return(3, invoke("add", {i32(1), i32(2)}), {i32(3)}),
  }));
  auto list = ExpectedFailures::parse("xfail.json:2 known bug\n");
  ASSERT_TRUE(list);
  FileStats s = run(path, RunOptions{.expected_failures = &*list});
  EXPECT_EQ(s.passed, 2u) << output_;
  EXPECT_EQ(s.failed, 0u) << output_;
  EXPECT_EQ(s.expected_failures, 1u) << output_;
  EXPECT_NE(output_.find("PASS xfail.json (2 passed, 0 skipped, 1 expected failures)"), std::string::npos) << output_;

  auto stale = ExpectedFailures::parse("xfail.json:3 was broken once\n");
  ASSERT_TRUE(stale);
  s = run(path, RunOptions{.expected_failures = &*stale});
  EXPECT_EQ(s.failed, 2u) << output_;
  EXPECT_NE(output_.find("unexpectedly passed: remove it from the list"), std::string::npos) << output_;
}

TEST_F(WastRunnerTest, MalformedScriptsFailCleanly) {
  EXPECT_EQ(run(write_text("bad.json", "{\"commands\": [")).failed, 1u);
  EXPECT_NE(output_.find("malformed JSON"), std::string::npos) << output_;
  EXPECT_EQ(run((dir_ / "missing.json").string()).failed, 1u);
  EXPECT_NE(output_.find("FAIL missing.json"), std::string::npos) << output_;
  EXPECT_EQ(run(write_text("nocmds.json", "{\"x\": 1}")).failed, 1u);
  EXPECT_EQ(run(write_text("deep.json", std::string(5000, '['))).failed, 1u);

  auto path = write_script("fields.json", json::array({
      json::object(),
      {{"type", 42}},
      {{"type", "frobnicate"}, {"line", 2}},
      {{"type", "module"}, {"line", 3}},
      {{"type", "module"}, {"line", 4}, {"filename", "../etc/passwd"}},
      {{"type", "module"}, {"line", 5}, {"filename", "absent.wasm"}},
      {{"type", "assert_return"}, {"line", 6}},
      {{"type", "assert_return"}, {"line", 7}, {"action", {{"type", "invoke"}, {"field", "add"}}}},
      {{"type", "register"}, {"line", 8}},
      module("main.wasm", 9),
      {{"type", "assert_return"}, {"line", 10}, {"action", invoke("add", {i32(1)})}, {"expected", {i32(1)}}},
      {{"type", "assert_return"}, {"line", 11}, {"action", invoke("add", {i32(1), i32(2)})}, {"expected", 5}},
      {{"type", "assert_return"}, {"line", 12}, {"action", invoke("add", {i32(1), {{"type", "f32"}, {"value", "0"}}})},
       {"expected", {i32(1)}}},
      {{"type", "assert_return"}, {"line", 13}, {"action", invoke("nope", {})}, {"expected", json::array()}},
      {{"type", "assert_return"}, {"line", 14}, {"action", {{"type", "get"}, {"field", "add"}}}, {"expected", json::array()}},
  }));
  FileStats s = run(path);
  EXPECT_EQ(s.passed, 1u) << output_;
  EXPECT_GE(s.failed, 12u) << output_;
}

}  // namespace
}  // namespace rill::cli
