// `rill run` of WASI 0.2 command components end to end (src/cli/run_component.cpp over
// src/wasi/p2): output, arguments, environment, exit statuses, files in a preopen, escapes.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "p2_test_util.h"
#include "wasi_test_util.h"

namespace rill::wasi_test {
namespace {

TEST(RillRunComponent, HelloPrintsArgsAndEnv) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  auto r = rill_run({"--env", "GREETING=hi", component("hello"), "one", "--two"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello from a component\nargv[0]=" + component("hello") +
                       "\nargv[1]=one\nargv[2]=--two\nGREETING=hi\n");
  EXPECT_EQ(r.err, "");
}

TEST(RillRunComponent, EnvironmentOnlyWhenGiven) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  ::setenv("GREETING", "from the host", 1);
  auto plain = rill_run({component("hello")});
  EXPECT_NE(plain.out.find("GREETING=(unset)\n"), std::string::npos) << plain.out;
  auto inherit = rill_run({"--inherit-env", component("hello")});
  EXPECT_NE(inherit.out.find("GREETING=from the host\n"), std::string::npos) << inherit.out;
  ::unsetenv("GREETING");
}

TEST(RillRunComponent, ExitStatus) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  auto zero = rill_run({component("p1_exit_code"), "0"});
  EXPECT_EQ(zero.status, 0) << zero.err;
  EXPECT_EQ(zero.out, "exiting with 0\n");
  // The preview1 adapter turns proc_exit(n != 0) into wasi:cli/exit.exit(err): status 1.
  auto seven = rill_run({component("p1_exit_code"), "7"});
  EXPECT_EQ(seven.status, 1) << seven.err;
  EXPECT_EQ(seven.out, "exiting with 7\n");
  EXPECT_EQ(seven.err, "");
}

TEST(RillRunComponent, FilesInPreopenSleepAndEscape) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  TempDir tmp;
  ASSERT_EQ(::mkdir((tmp / "data").c_str(), 0755), 0);
  write_file(tmp / "data/existing.txt", "x");
  write_file(tmp / "outside.txt", "secret\n");
  auto start = std::chrono::steady_clock::now();
  auto r = rill_run({"--dir", (tmp / "data") + "::/data", component("files"), "written"});
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "read back: written\nentries: 2\nescape: Operation not permitted\n"
            "symlink absolute: Operation not permitted\n"
            "symlink out: made, open: Operation not permitted\nslept\n");
  EXPECT_EQ(read_file(tmp / "data/out.txt"), "written\n");
  EXPECT_GE(elapsed, std::chrono::milliseconds(20));
}

TEST(RillRunComponent, CatThroughTheAdapter) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  TempDir dir;
  write_file(dir / "note.txt", "a note\nline two\n");
  auto r = rill_run({"--dir", dir.path() + "::/data", component("p1_cat"), "/data/note.txt"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "a note\nline two\n");
  auto none = rill_run({component("p1_cat"), "/etc/passwd"});
  EXPECT_EQ(none.status, 1);
  EXPECT_EQ(none.out, "");
}

TEST(RillRunComponent, TrapPrintsBacktraceAndExits134) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  auto r = rill_run({component("p1_trap")});
  EXPECT_EQ(r.status, 134);
  EXPECT_EQ(r.out, "about to trap\n");
  EXPECT_NE(r.err.find("rill run: wasm trap: unreachable"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("deliberately_trap"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("wasi:cli/run@0.2.12#run"), std::string::npos) << r.err;
}

TEST(RillRunComponent, ClosedStdoutDoesNotCrashTheHost) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  auto r = run_process({"/bin/sh", "-c", std::string(RILL_BINARY) + " run '" + component("hello") +
                                             "' >&-; echo status $? >&2"});
  EXPECT_EQ(r.err, "status 0\n");
}

TEST(RillRunComponent, CoreModulesStillRunAsPreview1) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({guest("exit_code"), "5"});
  EXPECT_EQ(r.status, 5) << r.err;
  EXPECT_EQ(r.out, "exiting with 5\n");
}

TEST(RillRunComponent, InvokeTakesAndPrintsWaveValues) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  // strings.wasm (a reactor): `host-prefix` is not a WASI import, so linking fails and says so.
  auto r = rill_run({"--invoke", "upper(\"x\")", component("strings")});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("unknown import: func \"host-prefix\" is not defined"), std::string::npos) << r.err;
  // peer.wasm's describe(tag: string) -> u32 prints with the WASI context rill run gives it.
  r = rill_run({"--env", "NAME=cli", "--invoke", R"(describe("t\u{e9}"))", component("peer")});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string line = "peer(t\xc3\xa9): NAME=cli id=(none)\n";  // and it returns its length
  EXPECT_EQ(r.out, line + std::to_string(line.size()) + "\n");
}

TEST(RillRunComponent, InvokeErrorsNameTheProblem) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  auto r = rill_run({"--invoke", "describe(1)", component("peer")});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--invoke describe: expected a string literal at offset 0 (the function is "
                       "func(tag: string) -> u32)"), std::string::npos) << r.err;
  r = rill_run({"--invoke", "nope()", component("peer")});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("unknown export: function \"nope\" (exports: describe)"), std::string::npos) << r.err;
  r = rill_run({"--invoke", "describe", component("peer")});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("takes NAME(ARGS)"), std::string::npos) << r.err;
}

TEST(RillRunComponent, NetworkFlags) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  auto ok = rill_run({"--allow-ip", "127.0.0.1/32", "--allow-ip", "::1/128", "--allow-dns",
                      component("hello")});
  EXPECT_EQ(ok.status, 0) << ok.err;
  auto all = rill_run({"--allow-net", component("hello")});
  EXPECT_EQ(all.status, 0) << all.err;
  for (const char* bad : {"127.0.0.1/33", "::1/129", "localhost", "10.0.0.0/"}) {
    auto r = rill_run({"--allow-ip", bad, component("hello")});
    EXPECT_EQ(r.status, 1) << bad;
    EXPECT_EQ(r.out, "") << bad;
    EXPECT_NE(r.err.find(std::string("--allow-ip: invalid CIDR '") + bad + "'"), std::string::npos) << r.err;
  }
}

TEST(RillRunComponent, AnInterfaceRillLacksIsALinkErrorNamingIt) {
  if (!RILL_HAVE_JCO)
    GTEST_SKIP() << "jco not installed (npm ci)";
  auto r = rill_run({std::string(RILL_COMPONENT_WASM_DIR) + "/imports_http.wasm"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("unknown import: instance \"wasi:http/outgoing-handler@0.2.0\" is not defined"),
            std::string::npos) << r.err;
}

}  // namespace
}  // namespace rill::wasi_test
