// The WASI 0.2 host in-process (src/wasi/p2 on the public API): each instance's Context is its
// own (args and stdout of two instances in one store never mix), and a closed stdout is a
// stream error for the guest (stream-error.closed), not a host failure.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <string>

#include "p2_test_util.h"
#include "rill/component.h"
#include "rill/wasi_p2.h"
#include "wasi_test_util.h"

namespace rill::wasi_test {
namespace {

/// Instantiate {comp} in {store} with the WASI 0.2 host over a Context of {config}.
Result<ComponentInstance> instantiate_with(Store& store, const Component& comp,
                                           const wasi::p2::Config& config) {
  auto ctx = wasi::p2::Context::create(config);
  if (!ctx)
    return std::move(ctx).error();
  ComponentLinker linker;
  wasi::p2::add_to_linker(linker, *ctx);
  return linker.instantiate(store, comp);
}

/// Instantiate {comp} in {store} with a Context of {args} whose stdout is {stdout_fd}, and
/// call wasi:cli/run#run; the Value it returned.
TrapOr<std::vector<Value>> run_with(Store& store, const Component& comp,
                                    std::vector<std::string> args, int stdout_fd) {
  wasi::p2::Config config;
  config.args = std::move(args);
  config.stdin_fd = -1;
  config.stdout_fd = stdout_fd;
  auto inst = instantiate_with(store, comp, config);
  if (!inst)
    return Trap::host(inst.error().to_string());
  auto run = inst->func("wasi:cli/run@0.2.12#run");
  if (!run)
    return Trap::host("no wasi:cli/run export");
  return run->call({});
}

TEST(WasiP2Host, EachInstanceHasItsOwnContext) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  Engine engine;
  auto comp = Component::compile_file(engine, component("hello"));
  ASSERT_TRUE(comp) << comp.error().to_string();
  Store store(engine);
  TempDir tmp;
  int a = ::open((tmp / "a").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int b = ::open((tmp / "b").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  auto ra = run_with(store, *comp, {"first", "alpha"}, a);
  auto rb = run_with(store, *comp, {"second", "beta"}, b);
  ::close(a);
  ::close(b);
  ASSERT_TRUE(ra) << ra.trap().to_string();
  ASSERT_TRUE(rb) << rb.trap().to_string();
  EXPECT_EQ(read_file(tmp / "a"),
            "hello from a component\nargv[0]=first\nargv[1]=alpha\nGREETING=(unset)\n");
  EXPECT_EQ(read_file(tmp / "b"),
            "hello from a component\nargv[0]=second\nargv[1]=beta\nGREETING=(unset)\n");
}

TEST(WasiP2Host, ClosedStdoutIsAStreamErrorNotACrash) {
  RILL_REQUIRE_COMPONENT_GUESTS();
  Engine engine;
  auto comp = Component::compile_file(engine, component("hello"));
  ASSERT_TRUE(comp) << comp.error().to_string();
  Store store(engine);
  auto r = run_with(store, *comp, {"hello"}, -1);
  ASSERT_TRUE(r) << r.trap().to_string();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].kind(), ValueKind::Result);
}

/// Run tests/component/wat/p2_streams.wat's probe (a write of "hi" to stdout) with stdout
/// {stdout_fd}: 0 ok, 1 last-operation-failed, 2 closed.
TrapOr<uint32_t> probe_write(int stdout_fd) {
  Engine engine;
  auto comp = Component::compile_file(engine, std::string(RILL_COMPONENT_WASM_DIR) + "/p2_streams.wasm");
  if (!comp)
    return Trap::host(comp.error().to_string());
  wasi::p2::Config config;
  config.stdout_fd = stdout_fd;
  Store store(engine);
  auto inst = instantiate_with(store, *comp, config);
  if (!inst)
    return Trap::host(inst.error().to_string());
  return inst->func("probe")->call_typed<uint32_t>();
}

TEST(WasiP2Host, WriteToClosedStreamIsStreamErrorClosed) {
  if (!RILL_HAVE_JCO)
    GTEST_SKIP() << "node/jco unavailable: p2_streams.wasm was not built";
  TempDir tmp;
  int file = ::open((tmp / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(file, 0);
  auto ok = probe_write(file);
  ::close(file);
  ASSERT_TRUE(ok) << ok.trap().to_string();
  EXPECT_EQ(*ok, 0u);
  EXPECT_EQ(read_file(tmp / "out"), "hi");

  auto closed = probe_write(-1);  // no stdout at all
  ASSERT_TRUE(closed) << closed.trap().to_string();
  EXPECT_EQ(*closed, 2u);

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);  // nobody reads: EPIPE
  auto old = ::signal(SIGPIPE, SIG_IGN);
  auto broken = probe_write(fds[1]);
  ::signal(SIGPIPE, old);
  ::close(fds[1]);
  ASSERT_TRUE(broken) << broken.trap().to_string();
  EXPECT_EQ(*broken, 2u);
}

TEST(WasiP2Host, MissingPreopenIsAnError) {
  wasi::p2::Config config;
  config.preopens.push_back({"/nonexistent/rill-dir", "/x"});
  auto ctx = wasi::p2::Context::create(config);
  ASSERT_FALSE(ctx);
  EXPECT_NE(ctx.error().message.find("/nonexistent/rill-dir"), std::string::npos);
}

}  // namespace
}  // namespace rill::wasi_test
