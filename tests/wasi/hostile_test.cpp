// `rill run` and `rill inspect` against hostile guests (issue 10): exit codes a guest cannot
// use to fake success or a trap, stdio flags it cannot change for the caller, names with
// control bytes that reach the terminal escaped, paths with a NUL that are refused rather than
// cut, and component types nested 10^5 deep that are rejected instead of crashing the host.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "../component/builder.h"
#include "p2_test_util.h"
#include "wasi_test_util.h"

namespace rill::wasi_test {
namespace {

namespace cb = ::rill::component::testing;

TEST(RillRunHostile, ExitCodesOutsideTheWasiRangeAreErrors) {
  RILL_REQUIRE_GUESTS();
  EXPECT_EQ(rill_run({guest("exit_code"), "125"}).status, 125);
  for (const char* code : {"126", "134", "255", "256", "-1"}) {
    auto r = rill_run({guest("exit_code"), code});
    EXPECT_EQ(r.status, 1) << code;
    const std::string shown = std::string(code) == "-1" ? "4294967295" : code;
    EXPECT_EQ(r.err, "rill run: guest exited with code " + shown + ", outside [0, 126)\n") << code;
    EXPECT_EQ(r.out, std::string("exiting with ") + code + "\n");
  }
}

TEST(RillRunHostile, ComponentExitWithCodeOutsideTheRangeIsAnError) {
  const std::string wasm = std::string(RILL_COMPONENT_WASM_DIR) + "/p2_exit.wasm";
  if (!RILL_HAVE_JCO)
    GTEST_SKIP() << "node/jco unavailable: p2_exit.wasm was not built";
  auto ok = rill_run({"--invoke", "exit-with(3)", wasm});
  EXPECT_EQ(ok.status, 3) << ok.err;
  EXPECT_EQ(ok.err, "");
  for (const char* code : {"126", "134", "200", "255"}) {
    auto r = rill_run({"--invoke", std::string("exit-with(") + code + ")", wasm});
    EXPECT_EQ(r.status, 1) << code;
    EXPECT_EQ(r.err, std::string("rill run: guest exited with code ") + code + ", outside [0, 126)\n");
  }
}

TEST(RillRunHostile, StdioFlagsOfTheCallersPipeAreUnchanged) {
  RILL_REQUIRE_GUESTS();
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  TempDir tmp;
  const std::string err_path = tmp / "stderr";
  pid_t pid = ::fork();
  if (pid == 0) {
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(p[1], 1);
    ::dup2(err, 2);
    ::close(p[0]);
    ::execl(RILL_BINARY, RILL_BINARY, "run", guest("stdio_flags").c_str(), nullptr);
    ::_exit(127);
  }
  int ws = 0;
  ASSERT_EQ(::waitpid(pid, &ws, 0), pid);
  // The pipe's write end here is the open file description rill's stdout shared.
  const int fl = ::fcntl(p[1], F_GETFL);
  ::close(p[1]);
  std::string out;
  char buf[256];
  for (ssize_t n; (n = ::read(p[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  ::close(p[0]);
  EXPECT_TRUE(WIFEXITED(ws) && WEXITSTATUS(ws) == 0) << read_file(err_path);
  EXPECT_EQ(fl & O_NONBLOCK, 0);
  EXPECT_EQ(fl & O_APPEND, 0);
  // 58 = ERRNO_NOTSUP: refused directly and after fd_renumber moved stdout to fd 0; setting
  // the flags it already has is allowed.
  EXPECT_EQ(read_file(err_path), "set: 58, get: 0, same: 0, renumber: 0, moved: 58\n");
  EXPECT_EQ(out, "written\n");
}

/// A core module whose one function (_start, unreachable) is named {func_name} in the name
/// section of module {module_name}, importing func wasi_snapshot_preview1::{import} if not empty.
cb::Bytes module_named(const std::string& module_name, const std::string& func_name,
                       const std::string& import = "") {
  using namespace cb;  // NOLINT(google-build-using-namespace)
  const bool imp = !import.empty();
  const uint32_t f = imp ? 1 : 0;
  Bytes names = cat({str("name"), section(0, str(module_name)),
                     section(1, cat({u32(1), u32(f), str(func_name)}))});
  return cat({kCorePreamble, section(1, {0x01, 0x60, 0x00, 0x00}),
              imp ? section(2, cat({u32(1), str("wasi_snapshot_preview1"), str(import), {0x00, 0x00}}))
                  : Bytes{},
              section(3, {0x01, 0x00}), section(7, cat({u32(1), str("_start"), {0x00}, u32(f)})),
              section(10, {0x01, 0x03, 0x00, 0x00, 0x0b}), section(0, names)});
}

void write_bytes(const std::string& path, const cb::Bytes& b) {
  write_file(path, std::string(b.begin(), b.end()));
}

TEST(RillRunHostile, NamesWithControlBytesAreEscaped) {
  TempDir tmp;
  const std::string trap = tmp / "trap.wasm";
  write_bytes(trap, module_named("m\xc2\x9b", "evil\x1b[2J\nrill run: fake"));
  auto r = rill_run({trap});
  EXPECT_EQ(r.status, 134);
  EXPECT_EQ(r.err,
            "rill run: wasm trap: unreachable\n"
            "  0: m\\u{9b}!evil\\x1b[2J\\nrill run: fake (func 0)\n");

  const std::string link = tmp / "link.wasm";
  write_bytes(link, module_named("m", "f", "x\x1b]0;pwned\x07"));
  auto l = rill_run({link});
  EXPECT_EQ(l.status, 1);
  EXPECT_EQ(l.err, "rill run: " + link +
                       ": unknown import: wasi_snapshot_preview1::x\\x1b]0;pwned\\x07 (func () -> ())\n");
  auto i = run_process({RILL_BINARY, "inspect", link});
  EXPECT_EQ(i.status, 0) << i.err;
  EXPECT_EQ(i.out, "import wasi_snapshot_preview1::x\\x1b]0;pwned\\x07: func [] -> []\n"
                   "export _start: func [] -> []\n");

  // A component import name that fails the name grammar: the validator's message.
  using namespace cb;  // NOLINT(google-build-using-namespace)
  const std::string comp = tmp / "comp.wasm";
  write_bytes(comp, cb::component({vec_section(kType, {{0x40, 0x00, 0x01, 0x00}}),
                               vec_section(kImport, {cat({name("a\x1b[31mb"), {0x01}, u32(0)})})}));
  for (const char* cmd : {"run", "inspect"}) {
    auto c = run_process({RILL_BINARY, cmd, comp});
    EXPECT_EQ(c.status, 1) << cmd;
    EXPECT_NE(c.err.find("`a\\x1b[31mb`"), std::string::npos) << c.err;
    EXPECT_EQ(c.err.find('\x1b'), std::string::npos) << c.err;
  }
}

/// Each path function given a path with a NUL: 25 = ERRNO_ILSEQ, and nothing is created.
void expect_nul_paths_refused(const std::string& wasm) {
  TempDir tmp;
  ASSERT_EQ(::mkdir((tmp / "d").c_str(), 0755), 0);
  auto r = rill_run({"--dir", (tmp / "d") + "::/d", wasm});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "symlink target: 25\nsymlink name: 25\nmkdir: 25\nopen: 25\nrename: 25\n");
  struct stat st {};
  EXPECT_NE(::lstat((tmp / "d/link").c_str(), &st), 0) << "symlink made with a cut target";
  EXPECT_NE(::lstat((tmp / "d/made").c_str(), &st), 0) << "a path was cut at its NUL";
}

TEST(RillRunHostile, PathsWithANulAreRefusedPreview1) {
  RILL_REQUIRE_GUESTS();
  expect_nul_paths_refused(guest("nul_paths"));
}

TEST(RillRunHostile, PathsWithANulAreRefusedThroughTheAdapter) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  expect_nul_paths_refused(component("p1_nul_paths"));
}

/// A component exporting `f: func(x: T)`, T a tuple<tuple<...<u8>>> {depth} levels deep, each
/// a type index of its own (tuples flatten to one i32, so f is a plain core func (i32) -> ()).
cb::Bytes deep_tuple_component(uint32_t depth) {
  using namespace cb;  // NOLINT(google-build-using-namespace)
  const Bytes core = cat({kCorePreamble, section(1, {0x01, 0x60, 0x01, 0x7f, 0x00}),
                          section(3, {0x01, 0x00}), section(7, cat({u32(1), str("f"), {0x00, 0x00}})),
                          section(10, {0x01, 0x02, 0x00, 0x0b})});
  Bytes types = u32(depth + 1);
  types.insert(types.end(), {0x6f, 0x01, 0x7d});
  for (uint32_t i = 1; i < depth; ++i) {
    types.insert(types.end(), {0x6f, 0x01});
    const Bytes t = s33(i - 1);
    types.insert(types.end(), t.begin(), t.end());
  }
  const Bytes fn = cat({{0x40}, vec({cat({str("x"), s33(depth - 1)})}), {0x01, 0x00}});
  types.insert(types.end(), fn.begin(), fn.end());
  return cb::component({section(kCoreModule, core), vec_section(kCoreInstance, {cat({{0x00}, u32(0), vec({})})}),
                    vec_section(kAlias, {cat({{0x00, 0x00, 0x01}, u32(0), str("f")})}),
                    section(kType, types),
                    vec_section(kCanon, {cat({{0x00, 0x00}, u32(0), vec({}), u32(depth)})}),
                    vec_section(kExport, {cat({name("f"), {0x01}, u32(0), {0x00}})})});
}

TEST(RillRunHostile, DeeplyNestedComponentTypesAreRejected) {
  TempDir tmp;
  const std::string deep = tmp / "deep.wasm";
  write_bytes(deep, deep_tuple_component(100000));
  for (const char* cmd : {"run", "inspect"}) {
    std::vector<std::string> argv{RILL_BINARY, cmd};
    if (std::string(cmd) == "run")
      argv.insert(argv.end(), {"--invoke", "f(1)"});
    argv.push_back(deep);
    auto r = run_process(argv, uint64_t{1} << 30);
    EXPECT_EQ(r.status, 1) << cmd << ": " << r.err;
    EXPECT_NE(r.err.find("type nesting is too deep (a value type may nest at most 100 levels) (at offset 0x"),
              std::string::npos)
        << cmd << ": " << r.err;
  }
  // 100 levels are fine: the call gets as far as parsing its argument.
  const std::string ok = tmp / "ok.wasm";
  write_bytes(ok, deep_tuple_component(100));
  auto r = rill_run({"--invoke", "f(1)", ok}, uint64_t{1} << 30);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.find("nesting"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rill run: --invoke f: "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rill::wasi_test
