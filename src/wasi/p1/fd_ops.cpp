// fd_* functions on a descriptor's bytes: read, write, pread, pwrite, seek, tell, sync,
// datasync, advise, allocate. Everything goes straight to the host fd (no buffering here, so
// guest output reaches fd 1 in order). Descriptor metadata is in fd_stat.cpp.
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "rill/wasi/p1/errno_map.h"
#include "rill/wasi/p1/ops.h"

namespace rill::wasi::p1 {
namespace {

/// Run a readv/writev-style call, retrying on EINTR; stores the byte count at {count_ptr}.
template <class Op>
Errno transfer(const Mem& m, uint32_t iovs, uint32_t iovs_len, uint32_t count_ptr, Op op) {
  std::vector<iovec> host;
  if (Errno r = m.iovecs(iovs, iovs_len, host); r != Errno::Success)
    return r;
  if (!m.in_bounds(count_ptr, 4))
    return Errno::Fault;
  ssize_t n;
  do {
    n = op(host.data(), static_cast<int>(host.size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return last_errno();
  m.store(count_ptr, static_cast<uint32_t>(n));
  return Errno::Success;
}

}  // namespace

Errno fd_read(Ctx& c,
              const Mem& m,
              uint32_t fd,
              uint32_t iovs,
              uint32_t iovs_len,
              uint32_t nread_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, rights::kFdRead, e); r != Errno::Success)
    return r;
  int h = e->host.get();
  return transfer(m, iovs, iovs_len, nread_ptr,
                  [h](const iovec* v, int n) { return ::readv(h, v, n); });
}

Errno fd_write(Ctx& c,
               const Mem& m,
               uint32_t fd,
               uint32_t iovs,
               uint32_t iovs_len,
               uint32_t nwritten_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, rights::kFdWrite, e); r != Errno::Success)
    return r;
  int h = e->host.get();
  return transfer(m, iovs, iovs_len, nwritten_ptr,
                  [h](const iovec* v, int n) { return ::writev(h, v, n); });
}

Errno fd_pread(Ctx& c,
               const Mem& m,
               uint32_t fd,
               uint32_t iovs,
               uint32_t iovs_len,
               uint64_t offset,
               uint32_t nread_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, rights::kFdRead | rights::kFdSeek, e); r != Errno::Success)
    return r;
  if (offset > static_cast<uint64_t>(INT64_MAX))
    return Errno::Inval;
  int h = e->host.get();
  auto off = static_cast<off_t>(offset);
  return transfer(m, iovs, iovs_len, nread_ptr,
                  [h, off](const iovec* v, int n) { return ::preadv(h, v, n, off); });
}

Errno fd_pwrite(Ctx& c,
                const Mem& m,
                uint32_t fd,
                uint32_t iovs,
                uint32_t iovs_len,
                uint64_t offset,
                uint32_t nwritten_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, rights::kFdWrite | rights::kFdSeek, e); r != Errno::Success)
    return r;
  if (offset > static_cast<uint64_t>(INT64_MAX))
    return Errno::Inval;
  int h = e->host.get();
  auto off = static_cast<off_t>(offset);
  return transfer(m, iovs, iovs_len, nwritten_ptr,
                  [h, off](const iovec* v, int n) { return ::pwritev(h, v, n, off); });
}

Errno fd_seek(Ctx& c,
              const Mem& m,
              uint32_t fd,
              uint64_t offset,
              uint32_t whence,
              uint32_t newoffset_ptr) {
  auto delta = static_cast<int64_t>(offset);
  // Seeking by 0 from the current position only tells, which the tell right allows.
  uint64_t need = (whence == kWhenceCur && delta == 0) ? rights::kFdTell : rights::kFdSeek;
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, need, e); r != Errno::Success)
    return r;
  int how;
  switch (whence) {
    case kWhenceSet:
      how = SEEK_SET;
      break;
    case kWhenceCur:
      how = SEEK_CUR;
      break;
    case kWhenceEnd:
      how = SEEK_END;
      break;
    default:
      return Errno::Inval;
  }
  if (!m.in_bounds(newoffset_ptr, 8))
    return Errno::Fault;
  off_t pos = ::lseek(e->host.get(), static_cast<off_t>(delta), how);
  if (pos < 0)
    return last_errno();
  m.store(newoffset_ptr, static_cast<uint64_t>(pos));
  return Errno::Success;
}

Errno fd_tell(Ctx& c, const Mem& m, uint32_t fd, uint32_t offset_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, rights::kFdTell, e); r != Errno::Success)
    return r;
  if (!m.in_bounds(offset_ptr, 8))
    return Errno::Fault;
  off_t pos = ::lseek(e->host.get(), 0, SEEK_CUR);
  if (pos < 0)
    return last_errno();
  m.store(offset_ptr, static_cast<uint64_t>(pos));
  return Errno::Success;
}

Errno fd_sync(Ctx& c, const Mem&, uint32_t fd) {
  FdEntry* e = nullptr;
  if (Errno r = lookup(c, fd, rights::kFdSync, e); r != Errno::Success)
    return r;
  return ::fsync(e->host.get()) == 0 ? Errno::Success : last_errno();
}

Errno fd_datasync(Ctx& c, const Mem&, uint32_t fd) {
  FdEntry* e = nullptr;
  if (Errno r = lookup(c, fd, rights::kFdDatasync, e); r != Errno::Success)
    return r;
  return ::fdatasync(e->host.get()) == 0 ? Errno::Success : last_errno();
}

Errno fd_advise(Ctx& c, const Mem&, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, rights::kFdAdvise, e); r != Errno::Success)
    return r;
  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
  if (advice >= std::size(kAdvice))
    return Errno::Inval;
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX))
    return Errno::Inval;
  int r = ::posix_fadvise(e->host.get(), static_cast<off_t>(offset), static_cast<off_t>(len),
                          kAdvice[advice]);
  return from_host_errno(r);
}

Errno fd_allocate(Ctx& c, const Mem&, uint32_t fd, uint64_t offset, uint64_t len) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, rights::kFdAllocate, e); r != Errno::Success)
    return r;
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX) ||
      offset + len > static_cast<uint64_t>(INT64_MAX))
    return Errno::Inval;
  if (len == 0)
    return Errno::Inval;
  int r = ::posix_fallocate(e->host.get(), static_cast<off_t>(offset), static_cast<off_t>(len));
  return from_host_errno(r);
}

}  // namespace rill::wasi::p1
