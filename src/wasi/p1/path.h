// Capability-safe path resolution for path_*: every guest path is resolved beneath a directory
// fd with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), so `..` escapes, absolute paths and
// symlinks leading outside are refused. Operations on a final name (unlink, mkdir, rename, ...)
// open the parent beneath and pass the last component to the *at() call.
#pragma once

#include <string>
#include <string_view>

#include "rill/wasi/p1/abi.h"
#include "rill/wasi/p1/context.h"

namespace rill::wasi::p1 {

/// What a path leaving its directory (absolute, `..` above it, a symlink out) fails with.
inline constexpr Errno kEscapeErrno = Errno::Perm;

/// Reject paths the host cannot represent: empty (NoEnt), embedded NUL (Ilseq), too long.
Errno check_path(std::string_view path);

/// openat2({dirfd}, {path}, {flags}, {mode}) beneath {dirfd}; O_NOFOLLOW on the last component
/// unless {follow}. O_CLOEXEC is always added.
Errno open_beneath(int dirfd,
                   std::string_view path,
                   int flags,
                   unsigned mode,
                   bool follow,
                   UniqueFd& out);

/// The directory holding a path's last component, and that component.
struct ParentDir {
  UniqueFd owned;    ///< set when the parent had to be opened
  int fd = -1;       ///< the parent directory (owned or the caller's dirfd)
  std::string name;  ///< last component, trailing slashes kept (the kernel gives them meaning)
};

/// Resolve every component of {path} but the last beneath {dirfd}.
Errno open_parent(int dirfd, std::string_view path, ParentDir& out);

/// "/proc/self/fd/N": a name for an O_PATH descriptor that *at() calls can follow.
std::string proc_fd_path(int fd);

}  // namespace rill::wasi::p1
