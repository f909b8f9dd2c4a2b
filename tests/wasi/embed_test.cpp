// The preview1 host through the public embedding API (include/rill/wasi.h): a Context whose
// stdout is a file, add_to_linker, and proc_exit seen as a Trap of kind Exit.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "rill/wasi.h"
#include "wasi_test_util.h"

namespace rill::wasi_test {
namespace {

struct Ran {
  TrapOr<void> result;
  std::string out;
};

Ran run_guest(const std::string& name, std::vector<std::string> args) {
  TempDir tmp;
  std::string out_path = tmp / "out";
  int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  wasi::p1::Config config;
  config.args = std::move(args);
  config.args.insert(config.args.begin(), name);
  config.env = {"GREETING=embedded"};
  config.stdout_fd = out;
  auto ctx = wasi::p1::Context::create(config);
  ::close(out);  // the context holds its own duplicate
  EXPECT_TRUE(ctx.has_value());
  Engine engine;
  auto module = Module::compile_file(engine, guest(name));
  EXPECT_TRUE(module.has_value()) << module.error().to_string();
  Linker linker;
  wasi::p1::add_to_linker(linker, *ctx);
  Store store(engine);
  auto instance = linker.instantiate(store, *module);
  EXPECT_TRUE(instance.has_value()) << instance.error().to_string();
  auto start = instance->func<void()>("_start");
  EXPECT_TRUE(start.has_value());
  TrapOr<void> r = (*start)();
  return Ran{std::move(r), read_file(out_path)};
}

TEST(WasiEmbed, HelloThroughLinker) {
  RILL_REQUIRE_GUESTS();
  Ran r = run_guest("hello", {"x"});
  EXPECT_TRUE(r.result.has_value());
  EXPECT_EQ(r.out, "hello, world\nargv[0]=hello\nargv[1]=x\nGREETING=embedded\nHOME=(unset)\n");
}

TEST(WasiEmbed, ProcExitIsExitTrap) {
  RILL_REQUIRE_GUESTS();
  Ran r = run_guest("exit_code", {"3"});
  ASSERT_FALSE(r.result.has_value());
  EXPECT_EQ(r.result.trap().kind, TrapKind::Exit);
  EXPECT_EQ(r.result.trap().exit_code, 3);
  EXPECT_EQ(r.out, "exiting with 3\n");
}

TEST(WasiEmbed, CreateFailsForMissingPreopen) {
  wasi::p1::Config config;
  config.preopens.push_back({"/nonexistent/rill/dir", "/"});
  auto ctx = wasi::p1::Context::create(config);
  ASSERT_FALSE(ctx.has_value());
  EXPECT_NE(ctx.error().message.find("/nonexistent/rill/dir"), std::string::npos);
}

TEST(WasiEmbed, AllPreview1FunctionsDefined) {
  auto ctx = wasi::p1::Context::create({});
  ASSERT_TRUE(ctx.has_value());
  Linker linker;
  wasi::p1::add_to_linker(linker, *ctx);
  Engine engine;
  Store store(engine);
  const char* names[] = {"args_get",
                         "args_sizes_get",
                         "environ_get",
                         "environ_sizes_get",
                         "clock_res_get",
                         "clock_time_get",
                         "fd_advise",
                         "fd_allocate",
                         "fd_close",
                         "fd_datasync",
                         "fd_fdstat_get",
                         "fd_fdstat_set_flags",
                         "fd_fdstat_set_rights",
                         "fd_filestat_get",
                         "fd_filestat_set_size",
                         "fd_filestat_set_times",
                         "fd_pread",
                         "fd_prestat_get",
                         "fd_prestat_dir_name",
                         "fd_pwrite",
                         "fd_read",
                         "fd_readdir",
                         "fd_renumber",
                         "fd_seek",
                         "fd_sync",
                         "fd_tell",
                         "fd_write",
                         "path_create_directory",
                         "path_filestat_get",
                         "path_filestat_set_times",
                         "path_link",
                         "path_open",
                         "path_readlink",
                         "path_remove_directory",
                         "path_rename",
                         "path_symlink",
                         "path_unlink_file",
                         "poll_oneoff",
                         "proc_exit",
                         "proc_raise",
                         "sched_yield",
                         "random_get",
                         "sock_accept",
                         "sock_recv",
                         "sock_send",
                         "sock_shutdown"};
  EXPECT_EQ(std::size(names), 46u);
  for (const char* n : names)
    EXPECT_TRUE(linker.get(store, wasi::p1::kModuleName, n).has_value()) << n;
}

}  // namespace
}  // namespace rill::wasi_test
