// Path resolution beneath a directory fd (path.h). The path_* functions are in path_ops.cpp.
#include "rill/wasi/p1/path.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "rill/wasi/p1/errno_map.h"
#include "rill/wasi/p1/guest_memory.h"

namespace rill::wasi::p1 {
namespace {

/// openat2 fails with EAGAIN when a concurrent rename races the lookup; retry this often.
constexpr int kOpenat2Retries = 8;

Errno map_resolve_errno(int e) {
  if (e == EXDEV)
    return kEscapeErrno;
  return from_host_errno(e);
}

bool is_dot_or_dotdot(std::string_view name) {
  while (!name.empty() && name.back() == '/')
    name.remove_suffix(1);
  return name == "." || name == "..";
}

}  // namespace

Errno check_path(std::string_view path) {
  if (path.empty())
    return Errno::NoEnt;
  if (path.size() >= kMaxPathLen)
    return Errno::NameTooLong;
  if (path.find('\0') != std::string_view::npos)
    return Errno::Ilseq;
  return Errno::Success;
}

Errno open_beneath(int dirfd,
                   std::string_view path,
                   int flags,
                   unsigned mode,
                   bool follow,
                   UniqueFd& out) {
  if (Errno e = check_path(path); e != Errno::Success)
    return e;
  if (path.front() == '/')
    return kEscapeErrno;
  std::string p(path);
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int i = 0; i < kOpenat2Retries; ++i) {
    long fd = ::syscall(SYS_openat2, dirfd, p.c_str(), &how, sizeof(how));
    if (fd >= 0) {
      out = UniqueFd(static_cast<int>(fd));
      return Errno::Success;
    }
    if (errno != EAGAIN && errno != EINTR)
      return map_resolve_errno(errno);
  }
  return Errno::Again;
}

Errno open_parent(int dirfd, std::string_view path, ParentDir& out) {
  if (Errno e = check_path(path); e != Errno::Success)
    return e;
  if (path.front() == '/')
    return kEscapeErrno;
  size_t end = path.find_last_not_of('/');
  size_t slash = path.rfind('/', end);
  out.fd = dirfd;
  if (slash == std::string_view::npos) {
    out.name = std::string(path);
  } else {
    out.name = std::string(path.substr(slash + 1));
    std::string_view parent = path.substr(0, slash);
    Errno e = open_beneath(dirfd, parent, O_PATH | O_DIRECTORY, 0, true, out.owned);
    if (e != Errno::Success)
      return e;
    out.fd = out.owned.get();
  }
  if (is_dot_or_dotdot(out.name) || out.name.back() == '/') {
    // "x/.." names a directory the parent split would not check, and a trailing slash makes the
    // kernel follow a final symlink even for *at() calls that never follow ("link/" with
    // AT_SYMLINK_NOFOLLOW): make sure what the whole path names is beneath too.
    UniqueFd probe;
    Errno e = open_beneath(dirfd, path, O_PATH, 0, true, probe);
    if (e == kEscapeErrno)
      return e;
  }
  return Errno::Success;
}

std::string proc_fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace rill::wasi::p1
