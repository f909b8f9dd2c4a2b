// `rill run --timeout` and `--max-memory`, for core modules and components: a guest spinning in
// wasm or blocked in a host wait ends at the deadline with an "interrupted" trap naming the
// timeout; memory.grow past --max-memory fails as the guest sees it (-1); a module whose
// minimum does not fit is refused. The modules are built here; the component is
// tests/component/wat/p2_limits.wat.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "wasi_test_util.h"
#include "../wasm_bytes.h"

namespace rill::wasi_test {
namespace {

using test::Bytes;
using test::put_leb;
using test::put_section;

/// A module with a memory of {pages} and two exports: `_start` loops forever and
/// `grow(i32) -> i32` runs memory.grow.
std::string write_module(const TempDir& dir, uint32_t pages) {
  Bytes m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  put_section(m, 1, {0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f});  // types
  put_section(m, 3, {0x02, 0x00, 0x01});                                      // functions
  Bytes mem = {0x01, 0x00};
  put_leb(mem, pages);
  put_section(m, 5, mem);
  Bytes exports = {0x02, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,
                   0x04, 'g', 'r', 'o', 'w', 0x00, 0x01};
  put_section(m, 7, exports);
  const Bytes spin = {0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b};  // loop br 0 end end
  const Bytes grow = {0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b};        // local.get 0 memory.grow
  Bytes code = {0x02};
  code.insert(code.end(), spin.begin(), spin.end());
  code.insert(code.end(), grow.begin(), grow.end());
  put_section(m, 10, code);
  const std::string path = dir / ("limits" + std::to_string(pages) + ".wasm");
  write_file(path, std::string(m.begin(), m.end()));
  return path;
}

std::string component() { return std::string(RILL_COMPONENT_WASM_DIR) + "/p2_limits.wasm"; }

#define RILL_REQUIRE_COMPONENT()                                            \
  do {                                                                      \
    if (!std::filesystem::exists(component()))                              \
      GTEST_SKIP() << "node/jco unavailable: p2_limits.wasm was not built"; \
  } while (0)

/// Seconds {r} took; the checks below are generous (a hang is CTest's timeout to catch).
template <class F>
double seconds(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

constexpr const char* kInterrupted = "rill run: wasm trap: interrupted (--timeout 1s elapsed)";
constexpr const char* kBlocked =
    "rill run: wasm trap: interrupted (--timeout 1s elapsed; the guest was blocked in a host call)\n";

TEST(RillRunTimeout, EndsAGuestSpinningInWasm) {
  TempDir dir;
  const std::string wasm = write_module(dir, 1);
  Outcome r;
  const double s = seconds([&] { r = rill_run({"--timeout", "1s", wasm}); });
  EXPECT_EQ(r.status, 134) << r.err;
  EXPECT_TRUE(r.err.starts_with(kInterrupted)) << r.err;
  EXPECT_NE(r.err.find("\n  0: <unnamed> (func 0)"), std::string::npos) << r.err;  // backtrace
  EXPECT_GE(s, 0.9);
  EXPECT_LT(s, 30.0);
}

TEST(RillRunTimeout, EndsAGuestBlockedInPollOneoff) {
  RILL_REQUIRE_GUESTS();
  Outcome r;
  const double s = seconds([&] { r = rill_run({"--timeout", "1s", guest("sleep"), "3600"}); });
  EXPECT_EQ(r.status, 134) << r.err;
  EXPECT_EQ(r.err, kBlocked);
  EXPECT_EQ(r.out, "");
  EXPECT_LT(s, 30.0);
  // A guest that finishes in time is not affected.
  auto quick = rill_run({"--timeout", "1m", guest("sleep")});
  EXPECT_EQ(quick.status, 0) << quick.err;
  EXPECT_EQ(quick.out, "slept ok\n");
}

TEST(RillRunTimeout, EndsAComponentSpinningOrBlockedInPollableBlock) {
  RILL_REQUIRE_COMPONENT();
  auto spin = rill_run({"--timeout", "1s", "--invoke", "spin()", component()});
  EXPECT_EQ(spin.status, 134) << spin.err;
  EXPECT_TRUE(spin.err.starts_with(kInterrupted)) << spin.err;
  Outcome r;
  const double s = seconds([&] { r = rill_run({"--timeout", "1s", "--invoke", "sleep()", component()}); });
  EXPECT_EQ(r.status, 134) << r.err;
  EXPECT_EQ(r.err, kBlocked);
  EXPECT_LT(s, 30.0);
}

TEST(RillRunTimeout, RefusesValuesThatAreNotDurations) {
  TempDir dir;
  const std::string wasm = write_module(dir, 1);
  for (const char* bad : {"5x", "soon", "-1s", "0s"}) {
    auto r = rill_run({"--timeout", bad, wasm});
    EXPECT_EQ(r.status, 1) << bad;
    EXPECT_TRUE(r.err.starts_with("rill run: --timeout: ")) << r.err;
  }
}

TEST(RillRunMaxMemory, MemoryGrowPastTheLimitFails) {
  TempDir dir;
  const std::string wasm = write_module(dir, 1);
  // 1 MiB = 16 pages: the module's one page plus 15 more.
  auto ok = rill_run({"--max-memory", "1M", "--invoke", "grow", wasm, "15"});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(ok.out, "1\n");
  auto past = rill_run({"--max-memory", "1MiB", "--invoke", "grow", wasm, "16"});
  EXPECT_EQ(past.status, 0) << past.err;
  EXPECT_EQ(past.out, "-1\n");
  // Without the flag the same grow succeeds.
  EXPECT_EQ(rill_run({"--invoke", "grow", wasm, "16"}).out, "1\n");
  // Decimal units: 1MB = 10^6 bytes < 16 pages.
  EXPECT_EQ(rill_run({"--max-memory", "1MB", "--invoke", "grow", wasm, "15"}).out, "-1\n");
}

TEST(RillRunMaxMemory, AModuleWhoseMinimumDoesNotFitIsRefused) {
  TempDir dir;
  const std::string wasm = write_module(dir, 32);  // 2 MiB
  auto r = rill_run({"--max-memory", "1M", wasm});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("instantiation: memories and tables exceed the store's memory limit: "
                       "2097152 bytes needed (0 in use), limit 1048576"),
            std::string::npos)
      << r.err;
  auto bad = rill_run({"--max-memory", "lots", wasm});
  EXPECT_EQ(bad.status, 1);
  EXPECT_TRUE(bad.err.starts_with("rill run: --max-memory: ")) << bad.err;
}

TEST(RillRunMaxMemory, ComponentMemoryGrowPastTheLimitFails) {
  RILL_REQUIRE_COMPONENT();
  // The component's one memory has 1 page; 128K leaves room for one more.
  auto ok = rill_run({"--max-memory", "128K", "--invoke", "grow(1)", component()});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(ok.out, "1\n");
  auto past = rill_run({"--max-memory", "128K", "--invoke", "grow(2)", component()});
  EXPECT_EQ(past.status, 0) << past.err;
  EXPECT_EQ(past.out, "-1\n");
  auto none = rill_run({"--max-memory", "32K", "--invoke", "grow(0)", component()});
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("exceed the store's memory limit"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace rill::wasi_test
