// The externally built WASI 0.2 components in ../shared/fixtures/components (their README gives
// each one's source and the behaviour upstream's own tests check): run with `rill run`, called
// with `--invoke`, and the wac composition pair linked through the API. Skips when ../shared is
// absent.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "rill/component.h"
#include "wasi_test_util.h"

namespace rill::wasi_test {
namespace {

std::string fixture(const std::string& name) {
  return std::string(RILL_SHARED_FIXTURES_DIR) + "/" + name;
}

#define RILL_REQUIRE_FIXTURES()                                                    \
  do {                                                                             \
    struct stat st_ {};                                                            \
    if (::stat(RILL_SHARED_FIXTURES_DIR, &st_) != 0)                               \
      GTEST_SKIP() << "no ../shared/fixtures/components";                          \
  } while (0)

TEST(SharedFixtures, HelloStdout) {
  RILL_REQUIRE_FIXTURES();
  auto r = rill_run({fixture("hello_stdout.component.wasm")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "writing to stdout: hello, world\n");
  EXPECT_EQ(r.err, "writing to stderr: hello, world\n");
}

TEST(SharedFixtures, Utf8Utf16TranscodingComposition) {
  RILL_REQUIRE_FIXTURES();
  auto r = rill_run({fixture("utf8-utf16.composed.wasm"), "asdf中文🀄️⏰"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "ret: asdf中文🀄️⏰asdf中文🀄️⏰\n");
  EXPECT_EQ(r.err, "");
}

TEST(SharedFixtures, VirtualizedDirectory) {
  RILL_REQUIRE_FIXTURES();
  auto r = rill_run({fixture("dir.virt.wasm"), "/foo"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "Listing directory: /foo\n - .\n - ..\n - foo\n");
  EXPECT_EQ(r.err, "");
}

TEST(SharedFixtures, EnvAllowPassesOnlyTheAllowedVariable) {
  RILL_REQUIRE_FIXTURES();
  // wasi-virt lets CUSTOM through and hides the rest of the host environment.
  auto r = rill_run({"--env", "CUSTOM=VAL", "--env", "SECRET=x", "--invoke", "test-get-env()",
                     fixture("env-allow.composed.wasm")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "[(\"CUSTOM\", \"VAL\")]\n");
}

TEST(SharedFixtures, HelloAlone) {
  RILL_REQUIRE_FIXTURES();
  auto r = rill_run({"--invoke", "hello()", fixture("hello.wasm")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "\"Hello\"\n");
}

TEST(SharedFixtures, GreeterLinkedToHello) {
  RILL_REQUIRE_FIXTURES();
  // `wac plug --plug hello.wasm greeter.wasm`, done at run time: greeter's `hello` import is
  // hello's export, component to component.
  Engine engine;
  auto hello = Component::compile_file(engine, fixture("hello.wasm"));
  auto greeter = Component::compile_file(engine, fixture("greeter.wasm"));
  ASSERT_TRUE(hello) << hello.error().to_string();
  ASSERT_TRUE(greeter) << greeter.error().to_string();
  Store store(engine);
  auto h = ComponentLinker().instantiate(store, *hello);
  ASSERT_TRUE(h) << h.error().to_string();
  ComponentLinker linker;
  ASSERT_TRUE(linker.define("hello", *h, "hello"));
  auto g = linker.instantiate(store, *greeter);
  ASSERT_TRUE(g) << g.error().to_string();
  auto r = g->func("greet")->call_typed<std::string>();
  ASSERT_TRUE(r) << r.trap().to_string();
  EXPECT_EQ(*r, "Hello, World!");  // greeter formats "{hello()}, World!"
}

TEST(SharedFixtures, GreeterWithoutHelloIsALinkErrorNamingIt) {
  RILL_REQUIRE_FIXTURES();
  auto r = rill_run({"--invoke", "greet()", fixture("greeter.wasm")});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("unknown import: func \"hello\" is not defined"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rill::wasi_test
