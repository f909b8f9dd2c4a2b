// `rill run` end to end (src/cli/run_cmd.cpp over src/wasi/p1): the guests from guests/p1 run as
// subprocesses; exit statuses, stdout/stderr and effects on the preopened directory are checked.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "wasi_test_util.h"

namespace rill::wasi_test {
namespace {

TEST(RillRun, HelloArgsAndExplicitEnv) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({"--env", "GREETING=hi there", guest("hello"), "one", "--two", "-3"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello, world\nargv[0]=" + guest("hello") +
                       "\nargv[1]=one\nargv[2]=--two\nargv[3]=-3\nGREETING=hi there\n"
                       "HOME=(unset)\n");
  EXPECT_EQ(r.err, "");
}

TEST(RillRun, InheritEnvOnlyWhenAsked) {
  RILL_REQUIRE_GUESTS();
  ::setenv("GREETING", "from the host", 1);
  auto plain = rill_run({guest("hello")});
  EXPECT_NE(plain.out.find("GREETING=(unset)\n"), std::string::npos) << plain.out;
  auto inherit = rill_run({"--inherit-env", guest("hello")});
  EXPECT_NE(inherit.out.find("GREETING=from the host\n"), std::string::npos) << inherit.out;
  auto overridden = rill_run({"--inherit-env", "--env", "GREETING=override", guest("hello")});
  EXPECT_NE(overridden.out.find("GREETING=override\n"), std::string::npos) << overridden.out;
  ::unsetenv("GREETING");
}

TEST(RillRun, ReadsFileInPreopen) {
  RILL_REQUIRE_GUESTS();
  TempDir dir;
  write_file(dir / "note.txt", "a note\nline two\n");
  auto r = rill_run({"--dir", dir.path() + "::/data", guest("cat"), "/data/note.txt"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "a note\nline two\n");
  auto missing = rill_run({"--dir", dir.path() + "::/data", guest("cat"), "/data/nope.txt"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("No such file or directory"), std::string::npos) << missing.err;
}

TEST(RillRun, NoPreopenNoAccess) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({guest("cat"), "/etc/passwd"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
}

TEST(RillRun, WritesFile) {
  RILL_REQUIRE_GUESTS();
  TempDir dir;
  auto r = rill_run({"--dir", dir.path() + "::out", guest("write_file"), "out/made.txt", "fresh"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "wrote 6 bytes: fresh\n");
  EXPECT_EQ(read_file(dir / "made.txt"), "fresh\n");
}

TEST(RillRun, EscapesRefused) {
  RILL_REQUIRE_GUESTS();
  TempDir tmp;
  ASSERT_EQ(::mkdir((tmp / "root").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((tmp / "root/sub").c_str(), 0755), 0);
  write_file(tmp / "root/inside.txt", "inside\n");
  write_file(tmp / "outside.txt", "outside\n");
  ASSERT_EQ(::symlink("/etc", (tmp / "root/etc_link").c_str()), 0);
  ASSERT_EQ(::symlink("/etc/passwd", (tmp / "root/passwd_link").c_str()), 0);
  ASSERT_EQ(::symlink("loop", (tmp / "root/loop").c_str()), 0);
  auto r = rill_run({"--dir", (tmp / "root") + "::/", guest("escape")});
  EXPECT_EQ(r.status, 0) << r.err;
  // 63 = ERRNO_PERM (capability refusal), 32 = ERRNO_LOOP, 0 = success.
  EXPECT_EQ(r.out,
            "dotdot 63\nnested_dotdot 63\nabsolute 63\nsymlink_out 63\nsymlink_abs 63\n"
            "symlink_loop 32\ninside 0\nmkdir_dotdot 63\nunlink_dotdot 63\nrename_out 63\n"
            "symlink_abs_create 63\nstat_dotdot 63\nset_times_trailing_slash 63\n");
  // Nothing outside the preopen changed.
  EXPECT_EQ(read_file(tmp / "outside.txt"), "outside\n");
  EXPECT_FALSE(std::filesystem::exists(tmp / "made_outside"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "moved.txt"));
  EXPECT_TRUE(std::filesystem::exists(tmp / "root/inside.txt"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "root/new_link"));
}

TEST(RillRun, RightsLimitWhatAnFdMayDo) {
  RILL_REQUIRE_GUESTS();
  TempDir dir;
  auto r = rill_run({"--dir", dir.path() + "::/", guest("rights")});
  EXPECT_EQ(r.status, 0) << r.err;
  // 76 = ERRNO_NOTCAPABLE, 54 = ERRNO_NOTDIR.
  EXPECT_EQ(r.out,
            "open_rw 0\nwrite_rw 0\ndrop_write 0\nwrite_dropped 76\nregain_write 76\n"
            "open_ro 0\nwrite_ro 76\nseek_ro 76\nopen_all_bits 0\nfdstat_all 0\n"
            "all_has_seek 1\nall_has_readdir 0\nreaddir_file 54\npath_open_on_file 54\n");
  EXPECT_EQ(read_file(dir / "f.txt"), "data");
}

TEST(RillRun, ProcExitCodePropagates) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({guest("exit_code"), "7"});
  EXPECT_EQ(r.status, 7);
  EXPECT_EQ(r.out, "exiting with 7\n");  // flushed before the exit
  EXPECT_EQ(rill_run({guest("exit_code"), "0"}).status, 0);
}

TEST(RillRun, TrapPrintsBacktraceWithNames) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({guest("trap")});
  EXPECT_EQ(r.status, 134);
  EXPECT_EQ(r.out, "about to trap\n");
  EXPECT_EQ(r.err.rfind("rill run: wasm trap: unreachable\n", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("trap.wasm!deliberately_trap"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("trap.wasm!call_it"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("trap.wasm!main"), std::string::npos) << r.err;
  EXPECT_LT(r.err.find("deliberately_trap"), r.err.find("call_it"));  // innermost first
}

TEST(RillRun, MissingImportIsLinkError) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({guest("missing_import")});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("unknown import: wasi_snapshot_preview1::not_a_function (func () -> "
                       "(i32))"),
            std::string::npos)
      << r.err;
}

TEST(RillRun, InvalidFileReportsOffset) {
  TempDir dir;
  write_file(dir / "bad.wasm", "not a wasm module");
  auto r = rill_run({dir / "bad.wasm"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("magic header not detected (at offset 0x0)"), std::string::npos) << r.err;
  std::string truncated("\0asm\1\0\0\0\1", 9);
  write_file(dir / "short.wasm", truncated);
  auto t = rill_run({dir / "short.wasm"});
  EXPECT_EQ(t.status, 1);
  EXPECT_NE(t.err.find("at offset"), std::string::npos) << t.err;
  auto none = rill_run({dir / "absent.wasm"});
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("absent.wasm"), std::string::npos) << none.err;
}

TEST(RillRun, BadGuestPointersAreFault) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({guest("bad_pointers")});
  EXPECT_EQ(r.status, 0) << r.err;
  // 21 = ERRNO_FAULT, 28 = ERRNO_INVAL, 8 = ERRNO_BADF.
  EXPECT_EQ(r.out,
            "fd_write_buf 21\nfd_write_iovs 21\nfd_write_nwritten 21\nfd_write_too_many 28\n"
            "random_get 21\nargs_sizes_get 21\nclock_time_get 21\npoll_oneoff 21\n"
            "fd_fdstat_get_badf 8\n");
}

TEST(RillRun, SleepBlocksInPoll) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({guest("sleep")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "slept ok\n");
}

TEST(RillRun, InvokeReactorExport) {
  RILL_REQUIRE_GUESTS();
  auto r = rill_run({"--invoke", "add", guest("reactor_add"), "40", "2"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "42\n");
  auto init = rill_run({"--invoke", "initialized", guest("reactor_add")});
  EXPECT_EQ(init.out, "42\n") << init.err;  // _initialize ran the constructor first
  auto bad = rill_run({"--invoke", "add", guest("reactor_add"), "x", "2"});
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("is not a valid i32"), std::string::npos) << bad.err;
  auto unknown = rill_run({"--invoke", "nope", guest("reactor_add")});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("unknown export"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace rill::wasi_test
