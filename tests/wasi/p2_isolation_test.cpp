// Per-component WASI contexts (issue 5, deliverable 3): two components linked to each other
// (guests/component/caller.c imports `describe` from guests/component/peer.c, wit/peer.wit),
// each with its own environment, arguments, preopen and stdout. While caller is inside its call
// to peer, peer's WASI calls see peer's context, and after it returns caller's see caller's:
// the imports are bound per instance, not through one mutable "current context" slot. Several
// such pairs also run at once on threads of their own.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "p2_test_util.h"
#include "rill/component.h"
#include "rill/wasi_p2.h"
#include "wasi_test_util.h"

namespace rill::wasi_test {
namespace {

/// One side's world: NAME={name}, argv[1]={name}-arg, /data/id.txt = "{name}-id", stdout a file.
struct Side {
  Side(const TempDir& tmp, const std::string& side_name) : name(side_name) {
    dir = tmp / name;
    EXPECT_EQ(::mkdir(dir.c_str(), 0755), 0);
    write_file(dir + "/id.txt", name + "-id\n");
    out_path = tmp / (name + ".out");
    out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    EXPECT_GE(out_fd, 0);
  }
  ~Side() {
    if (out_fd >= 0)
      ::close(out_fd);
  }
  wasi::p2::Config config() const {
    wasi::p2::Config c;
    c.args = {name + ".wasm", name + "-arg"};
    c.env = {"NAME=" + name};
    c.preopens = {{dir, "/data"}};
    c.stdin_fd = -1;
    c.stdout_fd = out_fd;
    return c;
  }
  std::string name, dir, out_path;
  int out_fd = -1;
};

/// Instantiate peer with {peer}'s context and caller with {caller}'s, caller's `describe`
/// linked to peer's export, in {store}; run caller. An empty string on success, else why not.
std::string run_pair(Store& store, const Component& peer_c, const Component& caller_c,
                     const Side& peer, const Side& caller) {
  auto peer_ctx = wasi::p2::Context::create(peer.config());
  auto caller_ctx = wasi::p2::Context::create(caller.config());
  if (!peer_ctx || !caller_ctx)
    return "context: " + (peer_ctx ? caller_ctx.error() : peer_ctx.error()).message;
  ComponentLinker peer_linker;
  wasi::p2::add_to_linker(peer_linker, *peer_ctx);
  auto p = peer_linker.instantiate(store, peer_c);
  if (!p)
    return "peer: " + p.error().to_string();
  ComponentLinker caller_linker;
  wasi::p2::add_to_linker(caller_linker, *caller_ctx);
  if (auto d = caller_linker.define("describe", *p, "describe"); !d)
    return d.error().to_string();
  auto c = caller_linker.instantiate(store, caller_c);
  if (!c)
    return "caller: " + c.error().to_string();
  auto run = c->func("wasi:cli/run@0.2.12#run");
  if (!run)
    return "caller has no wasi:cli/run";
  auto r = run->call({});
  if (!r)
    return "run trapped: " + r.trap().to_string();
  if (r->size() != 1 || r->front().is_err())
    return "run returned " + (r->empty() ? std::string("nothing") : r->front().to_string());
  return "";
}

/// What peer prints for describe({tag}) with context {peer}.
std::string peer_line(const std::string& tag, const std::string& peer) {
  return "peer(" + tag + "): NAME=" + peer + " id=" + peer + "-id\n";
}
std::string peer_expected(const std::string& peer) {
  return peer_line("one", peer) + peer_line("two", peer);
}
/// What caller prints with context {caller}, calling a peer with context {peer}.
std::string caller_expected(const std::string& caller, const std::string& peer) {
  return "caller before: NAME=" + caller + " arg=" + caller + "-arg id=" + caller + "-id\n" +
         "caller got: " + std::to_string(peer_line("one", peer).size()) + "\n" +
         "caller got: " + std::to_string(peer_line("two", peer).size()) + "\n" +
         "caller after: NAME=" + caller + " arg=" + caller + "-arg id=" + caller + "-id\n";
}

class WasiP2Isolation : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_component_guests())
      GTEST_SKIP() << "node/jco or clang-19/wasi-libc unavailable: no component guests";
    auto p = Component::compile_file(engine_, component("peer"));
    auto c = Component::compile_file(engine_, component("caller"));
    ASSERT_TRUE(p) << p.error().to_string();
    ASSERT_TRUE(c) << c.error().to_string();
    peer_ = std::move(*p);
    caller_ = std::move(*c);
  }
  Engine engine_;
  std::optional<Component> peer_, caller_;
};

TEST_F(WasiP2Isolation, LinkedComponentsEachSeeOnlyTheirOwnContext) {
  TempDir tmp;
  Side a(tmp, "alpha"), b(tmp, "beta");
  Store store(engine_);
  ASSERT_EQ(run_pair(store, *peer_, *caller_, b, a), "");
  EXPECT_EQ(read_file(a.out_path), caller_expected("alpha", "beta"));
  // peer's prints went to its own stdout, not the caller's.
  EXPECT_EQ(read_file(b.out_path), peer_expected("beta"));
}

TEST_F(WasiP2Isolation, TheSameComponentsWithRolesSwappedInOneStore) {
  // Two pairs in one store, the contexts crossed: each instance still resolves to its own.
  TempDir tmp;
  Side a(tmp, "alpha"), b(tmp, "beta"), c(tmp, "gamma"), d(tmp, "delta");
  Store store(engine_);
  ASSERT_EQ(run_pair(store, *peer_, *caller_, b, a), "");
  ASSERT_EQ(run_pair(store, *peer_, *caller_, c, d), "");
  EXPECT_EQ(read_file(a.out_path), caller_expected("alpha", "beta"));
  EXPECT_EQ(read_file(d.out_path), caller_expected("delta", "gamma"));
  EXPECT_EQ(read_file(b.out_path), peer_expected("beta"));
  EXPECT_EQ(read_file(c.out_path), peer_expected("gamma"));
}

TEST_F(WasiP2Isolation, PairsOnConcurrentThreadsNeverMix) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 10;
  TempDir tmp;
  std::vector<std::string> problems(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds && problems[t].empty(); ++round) {
        std::string tag = "t" + std::to_string(t) + "r" + std::to_string(round);
        Side caller(tmp, tag + "c"), peer(tmp, tag + "p");
        Store store(engine_);
        problems[t] = run_pair(store, *peer_, *caller_, peer, caller);
        if (problems[t].empty() && read_file(caller.out_path) != caller_expected(tag + "c", tag + "p"))
          problems[t] = tag + ": caller saw " + read_file(caller.out_path);
        if (problems[t].empty() && read_file(peer.out_path) != peer_expected(tag + "p"))
          problems[t] = tag + ": peer saw " + read_file(peer.out_path);
      }
    });
  }
  for (auto& th : threads)
    th.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(problems[t], "") << "thread " << t;
}

TEST_F(WasiP2Isolation, LinkingFromAnotherStoreIsAnError) {
  TempDir tmp;
  Side a(tmp, "alpha"), b(tmp, "beta");
  Store one(engine_), two(engine_);
  auto peer_ctx = wasi::p2::Context::create(b.config());
  ASSERT_TRUE(peer_ctx);
  ComponentLinker peer_linker;
  wasi::p2::add_to_linker(peer_linker, *peer_ctx);
  auto p = peer_linker.instantiate(one, *peer_);
  ASSERT_TRUE(p) << p.error().to_string();
  auto caller_ctx = wasi::p2::Context::create(a.config());
  ASSERT_TRUE(caller_ctx);
  ComponentLinker caller_linker;
  wasi::p2::add_to_linker(caller_linker, *caller_ctx);
  EXPECT_FALSE(caller_linker.define("describe", *p, "no-such-export"));
  ASSERT_TRUE(caller_linker.define("describe", *p, "describe"));
  auto c = caller_linker.instantiate(two, *caller_);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().to_string().find("another store"), std::string::npos) << c.error().to_string();
}

}  // namespace
}  // namespace rill::wasi_test
