// add_to_linker: binds each wasi_snapshot_preview1 name to its implementation (ops.h) as a typed
// host function, plus args/environ and proc_exit, which are small enough to live here.
#include <string>
#include <vector>

#include "rill/wasi.h"
#include "rill/wasi/p1/ops.h"

namespace rill::wasi::p1 {
namespace {

/// argv/environ layout: a pointer per string into a buffer of NUL-terminated strings.
Errno store_strings(const Mem& m,
                    const std::vector<std::string>& strs,
                    uint32_t ptrs,
                    uint32_t buf) {
  uint64_t total = 0;
  for (const auto& s : strs)
    total += s.size() + 1;
  if (!m.in_bounds(ptrs, uint64_t{strs.size()} * 4) || !m.in_bounds(buf, total))
    return Errno::Fault;
  uint32_t off = 0;
  for (size_t i = 0; i < strs.size(); ++i) {
    m.store(ptrs + static_cast<uint32_t>(i) * 4, buf + off);
    m.write(buf + off, strs[i].c_str(), strs[i].size() + 1);
    off += static_cast<uint32_t>(strs[i].size() + 1);
  }
  return Errno::Success;
}

Errno store_sizes(const Mem& m,
                  const std::vector<std::string>& strs,
                  uint32_t count_ptr,
                  uint32_t size_ptr) {
  uint64_t total = 0;
  for (const auto& s : strs)
    total += s.size() + 1;
  if (!m.store(count_ptr, static_cast<uint32_t>(strs.size())) ||
      !m.store(size_ptr, static_cast<uint32_t>(total)))
    return Errno::Fault;
  return Errno::Success;
}

/// Define {name} as a host function calling {fn} with the caller's memory.
template <class... A>
void define(Linker& linker,
            const std::shared_ptr<Context>& ctx,
            const char* name,
            Errno (*fn)(Ctx&, const Mem&, A...)) {
  linker.func(kModuleName, name, [ctx, fn](Caller& caller, A... args) -> TrapOr<int32_t> {
    auto memory = caller.memory(0);
    if (!memory)
      return Trap::host("wasi: the calling module has no linear memory");
    Mem m(memory->data(), memory->size());
    return static_cast<int32_t>(fn(ctx->impl(), m, args...));
  });
}

}  // namespace

Errno args_get(Ctx& c, const Mem& m, uint32_t argv, uint32_t argv_buf) {
  return store_strings(m, c.args, argv, argv_buf);
}
Errno args_sizes_get(Ctx& c, const Mem& m, uint32_t argc_ptr, uint32_t size_ptr) {
  return store_sizes(m, c.args, argc_ptr, size_ptr);
}
Errno environ_get(Ctx& c, const Mem& m, uint32_t environ, uint32_t environ_buf) {
  return store_strings(m, c.env, environ, environ_buf);
}
Errno environ_sizes_get(Ctx& c, const Mem& m, uint32_t count_ptr, uint32_t size_ptr) {
  return store_sizes(m, c.env, count_ptr, size_ptr);
}

void add_to_linker(Linker& linker, std::shared_ptr<Context> ctx) {
  define(linker, ctx, "args_get", &args_get);
  define(linker, ctx, "args_sizes_get", &args_sizes_get);
  define(linker, ctx, "environ_get", &environ_get);
  define(linker, ctx, "environ_sizes_get", &environ_sizes_get);
  define(linker, ctx, "clock_res_get", &clock_res_get);
  define(linker, ctx, "clock_time_get", &clock_time_get);
  define(linker, ctx, "fd_advise", &fd_advise);
  define(linker, ctx, "fd_allocate", &fd_allocate);
  define(linker, ctx, "fd_close", &fd_close);
  define(linker, ctx, "fd_datasync", &fd_datasync);
  define(linker, ctx, "fd_fdstat_get", &fd_fdstat_get);
  define(linker, ctx, "fd_fdstat_set_flags", &fd_fdstat_set_flags);
  define(linker, ctx, "fd_fdstat_set_rights", &fd_fdstat_set_rights);
  define(linker, ctx, "fd_filestat_get", &fd_filestat_get);
  define(linker, ctx, "fd_filestat_set_size", &fd_filestat_set_size);
  define(linker, ctx, "fd_filestat_set_times", &fd_filestat_set_times);
  define(linker, ctx, "fd_pread", &fd_pread);
  define(linker, ctx, "fd_prestat_get", &fd_prestat_get);
  define(linker, ctx, "fd_prestat_dir_name", &fd_prestat_dir_name);
  define(linker, ctx, "fd_pwrite", &fd_pwrite);
  define(linker, ctx, "fd_read", &fd_read);
  define(linker, ctx, "fd_readdir", &fd_readdir);
  define(linker, ctx, "fd_renumber", &fd_renumber);
  define(linker, ctx, "fd_seek", &fd_seek);
  define(linker, ctx, "fd_sync", &fd_sync);
  define(linker, ctx, "fd_tell", &fd_tell);
  define(linker, ctx, "fd_write", &fd_write);
  define(linker, ctx, "path_create_directory", &path_create_directory);
  define(linker, ctx, "path_filestat_get", &path_filestat_get);
  define(linker, ctx, "path_filestat_set_times", &path_filestat_set_times);
  define(linker, ctx, "path_link", &path_link);
  define(linker, ctx, "path_open", &path_open);
  define(linker, ctx, "path_readlink", &path_readlink);
  define(linker, ctx, "path_remove_directory", &path_remove_directory);
  define(linker, ctx, "path_rename", &path_rename);
  define(linker, ctx, "path_symlink", &path_symlink);
  define(linker, ctx, "path_unlink_file", &path_unlink_file);
  define(linker, ctx, "poll_oneoff", &poll_oneoff);
  define(linker, ctx, "proc_raise", &proc_raise);
  define(linker, ctx, "sched_yield", &sched_yield);
  define(linker, ctx, "random_get", &random_get);
  define(linker, ctx, "sock_accept", &sock_accept);
  define(linker, ctx, "sock_recv", &sock_recv);
  define(linker, ctx, "sock_send", &sock_send);
  define(linker, ctx, "sock_shutdown", &sock_shutdown);
  linker.func(kModuleName, "proc_exit",
              [](uint32_t code) -> TrapOr<void> { return Trap::exit(static_cast<int>(code)); });
}

}  // namespace rill::wasi::p1
