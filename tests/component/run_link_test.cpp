// `rill run --link`: a linked component is instantiated first with a WASI context of its own
// and its exports satisfy the imports of the main one; two components then exchange streams
// and futures with one command (tests/component/wat/link_{producer,consumer}.wat).
#include <gtest/gtest.h>

#include <string>

#include "../proc_util.h"

namespace {

using rill::test::run_cmd;

std::string wasm(const char* name) { return std::string("'") + RILL_COMPONENT_WASM_DIR + "/" + name + ".wasm'"; }
std::string rill_run(const std::string& args) { return std::string("'") + RILL_BINARY + "' run " + args; }

TEST(RunLink, TwoComponentsExchangeStreamsAndFutures) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
  const std::string link = "--link " + wasm("link_producer") + " ";
  auto r = run_cmd(rill_run(link + "--invoke 'sum-bytes(1048576, 65536, 4096, 4294967295)' " + wasm("link_consumer")));
  ASSERT_EQ(r.status, 0) << r.output;
  // sum of (k & 255) for k < 1 MiB, in the high half; 1 MiB read, in the low half.
  EXPECT_EQ(r.output, std::to_string((uint64_t{4096} * 32640 << 32) | (1u << 20)) + "\n");
  r = run_cmd(rill_run(link + "--invoke 'string-lengths(10)' " + wasm("link_consumer")));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "34\n");
  r = run_cmd(rill_run(link + "--invoke 'get-answer(21)' " + wasm("link_consumer")));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "1003\n");
}

TEST(RunLink, WithoutTheLinkTheImportIsMissing) {
  if (!RILL_HAVE_JCO) GTEST_SKIP() << "jco not installed (npm ci)";
  auto r = run_cmd(rill_run("--invoke 'string-lengths(10)' " + wasm("link_consumer")));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("bytes"), std::string::npos) << r.output;  // names the import
}

TEST(RunLink, ABadLinkedFileIsAnError) {
  auto r = run_cmd(rill_run("--link /nonexistent.wasm --invoke 'x()' /nonexistent2.wasm"));
  EXPECT_EQ(r.status, 1) << r.output;
}

}  // namespace
