// `rill run` of WASI 0.2 guests that hand the host big lists (issue: an 8 MiB write to stdout
// made the host use over 1 GB, 255 MiB aborted it; the same through the preview1 adapter's
// fd_pwrite -> descriptor.write). Lists of bytes now lift as one buffer, and a call lifting
// more than the per-call budget (32 MiB) traps. The child's peak RSS (wait4) is checked, and
// the child runs under an address-space limit (not under ASan, which reserves terabytes of
// shadow) so a regression fails instead of taking the machine down.
#include <gtest/gtest.h>

#include <string>

#include "p2_test_util.h"
#include "wasi_test_util.h"

namespace rill::wasi_test {
namespace {

constexpr bool kAsan = !rill::test::kMemoryLimitApplies;

/// `rill run ARGS` with its address space capped at 20 GiB: room for the 8 GiB reservation of
/// each linear memory, far below what the old lifting asked for (skipped under ASan).
Outcome run_bounded(std::vector<std::string> args) { return rill_run(std::move(args), uint64_t{20} << 30); }

std::string wasm(const char* name) { return std::string(RILL_COMPONENT_WASM_DIR) + "/" + name + ".wasm"; }

constexpr long kMiB = 1024;  // ru_maxrss is in KiB

TEST(HostileP2, AnEightMebibyteStdoutWriteCostsTheHostAboutThat) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed";
  auto r = run_bounded({"--invoke", "write-stdout(8388608)", wasm("hostile_stdout")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.size(), 8388608u + 2);  // the bytes, then the result "0\n"
  EXPECT_EQ(r.out.substr(0, 4), "xxxx");
  EXPECT_EQ(r.out.substr(r.out.size() - 2), "0\n");
  if (!kAsan) {
    EXPECT_LT(r.max_rss_kb, 64 * kMiB);  // was > 1 GiB
  }
}

TEST(HostileP2, AWriteOverTheBudgetTraps) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed";
  auto r = run_bounded({"--invoke", "write-stdout(267386880)", wasm("hostile_stdout")});  // 255 MiB
  EXPECT_EQ(r.status, 134) << r.err;
  EXPECT_NE(r.err.find("budget"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  if (!kAsan) {
    EXPECT_LT(r.max_rss_kb, 64 * kMiB);
  }
}

TEST(HostileP2, AdapterPwriteGoesThroughAsOneBuffer) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  TempDir tmp;
  auto r = run_bounded({"--dir", tmp.path() + "::/d", component("p1_big_write"), "/d/out", "8388608"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "wrote 8388608\n");
  EXPECT_EQ(read_file(tmp / "out").size(), 8388608u);
  // The guest's own 8 MiB buffer is in its linear memory; the host adds about one copy.
  if (!kAsan) {
    EXPECT_LT(r.max_rss_kb, (8 + 64) * kMiB);
  }
}

TEST(HostileP2, AdapterPwriteOverTheBudgetTraps) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  TempDir tmp;
  auto r = run_bounded({"--dir", tmp.path() + "::/d", component("p1_big_write"), "/d/out", "100000000"});
  EXPECT_EQ(r.status, 134) << r.err;
  EXPECT_NE(r.err.find("budget"), std::string::npos) << r.err;
  if (!kAsan) {
    EXPECT_LT(r.max_rss_kb, (100 + 64) * kMiB);  // the guest's 100 MB, plus < 64 MiB
  }
}

}  // namespace
}  // namespace rill::wasi_test

namespace rill::wasi_test {
namespace {

TEST(HostileP2, AHugeInvokeResultPrintsInBoundedMemory) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed";
  // 30 MiB of bytes lift as one buffer and print as "[120, 120, ...]": 150 MB of text, which
  // goes out in pieces instead of being built whole.
  auto r = run_bounded({"--invoke", "give(31457280)", wasm("hostile_stdout")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.size(), 31457280u * 5 - 2 + 2 + 1);  // "120, " per byte, less the last ", ", brackets, newline
  EXPECT_EQ(r.out.substr(0, 10), "[120, 120,");
  if (!kAsan) {
    EXPECT_LT(r.max_rss_kb, (30 + 64) * kMiB);  // the guest's 30 MiB, the host's copy, no text
  }
}

}  // namespace
}  // namespace rill::wasi_test
