// The preview1 functions, one C++ function per witx function, over a Context::Impl and the
// caller's memory. Parameters are the wasm ones (i32 -> uint32_t, i64 -> uint64_t); each returns
// the errno the guest sees. linker.cpp binds them to names; proc_exit is there too.
#pragma once

#include <cstdint>

#include "rill/wasi/p1/abi.h"
#include "rill/wasi/p1/context.h"
#include "rill/wasi/p1/guest_memory.h"

namespace rill::wasi::p1 {

using Ctx = Context::Impl;
using Mem = GuestMemory;

// args/environ (linker.cpp)
Errno args_get(Ctx&, const Mem&, uint32_t argv, uint32_t argv_buf);
Errno args_sizes_get(Ctx&, const Mem&, uint32_t argc_ptr, uint32_t size_ptr);
Errno environ_get(Ctx&, const Mem&, uint32_t environ, uint32_t environ_buf);
Errno environ_sizes_get(Ctx&, const Mem&, uint32_t count_ptr, uint32_t size_ptr);

// clocks, poll, random, scheduling, signals, sockets (poll.cpp)
Errno clock_res_get(Ctx&, const Mem&, uint32_t id, uint32_t res_ptr);
Errno clock_time_get(Ctx&, const Mem&, uint32_t id, uint64_t precision, uint32_t time_ptr);
Errno poll_oneoff(Ctx&,
                  const Mem&,
                  uint32_t in,
                  uint32_t out,
                  uint32_t nsubs,
                  uint32_t nevents_ptr);
Errno proc_raise(Ctx&, const Mem&, uint32_t sig);
Errno sched_yield(Ctx&, const Mem&);
Errno random_get(Ctx&, const Mem&, uint32_t buf, uint32_t len);
Errno sock_accept(Ctx&, const Mem&, uint32_t fd, uint32_t flags, uint32_t fd_ptr);
Errno sock_recv(Ctx&,
                const Mem&,
                uint32_t fd,
                uint32_t iovs,
                uint32_t iovs_len,
                uint32_t flags,
                uint32_t datalen_ptr,
                uint32_t oflags_ptr);
Errno sock_send(Ctx&,
                const Mem&,
                uint32_t fd,
                uint32_t iovs,
                uint32_t iovs_len,
                uint32_t flags,
                uint32_t datalen_ptr);
Errno sock_shutdown(Ctx&, const Mem&, uint32_t fd, uint32_t how);

// fd_* (fd_ops.cpp, fd_stat.cpp)
Errno fd_advise(Ctx&, const Mem&, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice);
Errno fd_allocate(Ctx&, const Mem&, uint32_t fd, uint64_t offset, uint64_t len);
Errno fd_close(Ctx&, const Mem&, uint32_t fd);
Errno fd_datasync(Ctx&, const Mem&, uint32_t fd);
Errno fd_fdstat_get(Ctx&, const Mem&, uint32_t fd, uint32_t ptr);
Errno fd_fdstat_set_flags(Ctx&, const Mem&, uint32_t fd, uint32_t flags);
Errno fd_fdstat_set_rights(Ctx&, const Mem&, uint32_t fd, uint64_t base, uint64_t inheriting);
Errno fd_filestat_get(Ctx&, const Mem&, uint32_t fd, uint32_t ptr);
Errno fd_filestat_set_size(Ctx&, const Mem&, uint32_t fd, uint64_t size);
Errno fd_filestat_set_times(Ctx&,
                            const Mem&,
                            uint32_t fd,
                            uint64_t atim,
                            uint64_t mtim,
                            uint32_t fstflags);
Errno fd_pread(Ctx&,
               const Mem&,
               uint32_t fd,
               uint32_t iovs,
               uint32_t iovs_len,
               uint64_t offset,
               uint32_t nread_ptr);
Errno fd_prestat_get(Ctx&, const Mem&, uint32_t fd, uint32_t ptr);
Errno fd_prestat_dir_name(Ctx&, const Mem&, uint32_t fd, uint32_t path, uint32_t path_len);
Errno fd_pwrite(Ctx&,
                const Mem&,
                uint32_t fd,
                uint32_t iovs,
                uint32_t iovs_len,
                uint64_t offset,
                uint32_t nwritten_ptr);
Errno fd_read(Ctx&, const Mem&, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_ptr);
Errno fd_readdir(Ctx&,
                 const Mem&,
                 uint32_t fd,
                 uint32_t buf,
                 uint32_t buf_len,
                 uint64_t cookie,
                 uint32_t bufused_ptr);
Errno fd_renumber(Ctx&, const Mem&, uint32_t from, uint32_t to);
Errno fd_seek(Ctx&,
              const Mem&,
              uint32_t fd,
              uint64_t offset,
              uint32_t whence,
              uint32_t newoffset_ptr);
Errno fd_sync(Ctx&, const Mem&, uint32_t fd);
Errno fd_tell(Ctx&, const Mem&, uint32_t fd, uint32_t offset_ptr);
Errno fd_write(Ctx&,
               const Mem&,
               uint32_t fd,
               uint32_t iovs,
               uint32_t iovs_len,
               uint32_t nwritten_ptr);

// path_* (path_ops.cpp)
Errno path_create_directory(Ctx&, const Mem&, uint32_t fd, uint32_t path, uint32_t path_len);
Errno path_filestat_get(Ctx&,
                        const Mem&,
                        uint32_t fd,
                        uint32_t flags,
                        uint32_t path,
                        uint32_t path_len,
                        uint32_t buf);
Errno path_filestat_set_times(Ctx&,
                              const Mem&,
                              uint32_t fd,
                              uint32_t flags,
                              uint32_t path,
                              uint32_t path_len,
                              uint64_t atim,
                              uint64_t mtim,
                              uint32_t fstflags);
Errno path_link(Ctx&,
                const Mem&,
                uint32_t old_fd,
                uint32_t old_flags,
                uint32_t old_path,
                uint32_t old_len,
                uint32_t new_fd,
                uint32_t new_path,
                uint32_t new_len);
Errno path_open(Ctx&,
                const Mem&,
                uint32_t fd,
                uint32_t dirflags,
                uint32_t path,
                uint32_t path_len,
                uint32_t oflags,
                uint64_t rights_base,
                uint64_t rights_inheriting,
                uint32_t fdflags,
                uint32_t fd_ptr);
Errno path_readlink(Ctx&,
                    const Mem&,
                    uint32_t fd,
                    uint32_t path,
                    uint32_t path_len,
                    uint32_t buf,
                    uint32_t buf_len,
                    uint32_t bufused_ptr);
Errno path_remove_directory(Ctx&, const Mem&, uint32_t fd, uint32_t path, uint32_t path_len);
Errno path_rename(Ctx&,
                  const Mem&,
                  uint32_t fd,
                  uint32_t old_path,
                  uint32_t old_len,
                  uint32_t new_fd,
                  uint32_t new_path,
                  uint32_t new_len);
Errno path_symlink(Ctx&,
                   const Mem&,
                   uint32_t old_path,
                   uint32_t old_len,
                   uint32_t fd,
                   uint32_t new_path,
                   uint32_t new_len);
Errno path_unlink_file(Ctx&, const Mem&, uint32_t fd, uint32_t path, uint32_t path_len);

// Shared helpers (fd_stat.cpp).

/// Guest {fd} with all of {need} rights: Badf if it is not open, NotCapable if a right is missing.
Errno lookup(Ctx&, uint32_t fd, uint64_t need, FdEntry*& out);
/// As lookup, and Badf for a directory (a file operation on a directory fd).
Errno lookup_file(Ctx&, uint32_t fd, uint64_t need, FdEntry*& out);
/// As lookup, and NotDir when {fd} is not a directory.
Errno lookup_dir(Ctx&, uint32_t fd, uint64_t need, FdEntry*& out);
/// Encode a host stat as a preview1 filestat at {ptr}.
Errno store_filestat(const Mem&, uint32_t ptr, const struct stat& st);
/// The utimensat times for (atim, mtim, fstflags); Inval for contradictory or unknown flags.
Errno make_times(uint64_t atim, uint64_t mtim, uint32_t fstflags, struct timespec out[2]);
/// The largest rights an fd of {type} on host {fd} can have: base and inheriting.
void max_rights(Filetype type, int fd, uint64_t& base, uint64_t& inheriting);

}  // namespace rill::wasi::p1
