// path_* functions. Every path is resolved beneath its directory fd by path.cpp (openat2 with
// RESOLVE_BENEATH); operations on a final name open the parent beneath and use the *at() call.
// Rights follow the CloudABI model WASI inherited: a directory's inheriting rights bound what
// path_open may hand out.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <string>

#include "rill/wasi/p1/errno_map.h"
#include "rill/wasi/p1/ops.h"
#include "rill/wasi/p1/path.h"

namespace rill::wasi::p1 {
namespace {

/// The directory {fd} with rights {need} and the guest path [ptr, ptr+len).
Errno dir_and_path(Ctx& c,
                   const Mem& m,
                   uint32_t fd,
                   uint64_t need,
                   uint32_t ptr,
                   uint32_t len,
                   FdEntry*& dir,
                   std::string_view& path) {
  if (Errno r = lookup_dir(c, fd, need, dir); r != Errno::Success)
    return r;
  return m.string(ptr, len, path);
}

/// Resolve the parent of {path} beneath {fd} (needing {need}) for an *at() call.
Errno parent_of(Ctx& c,
                const Mem& m,
                uint32_t fd,
                uint64_t need,
                uint32_t ptr,
                uint32_t len,
                ParentDir& out) {
  FdEntry* dir = nullptr;
  std::string_view path;
  if (Errno r = dir_and_path(c, m, fd, need, ptr, len, dir, path); r != Errno::Success)
    return r;
  return open_parent(dir->host.get(), path, out);
}

Errno result_of(int rc) {
  return rc == 0 ? Errno::Success : last_errno();
}

struct OpenPlan {
  int flags = 0;
  uint64_t need_base = rights::kPathOpen;
  uint64_t need_inheriting = 0;
};

/// Host open flags for a path_open, and the rights the directory must hold for it.
OpenPlan plan_open(uint32_t oflags, uint64_t base, uint64_t inheriting, uint32_t fdflags) {
  OpenPlan p;
  p.need_inheriting = base | inheriting;
  bool read = (base & (rights::kFdRead | rights::kFdReaddir)) != 0;
  bool write = (base & (rights::kFdDatasync | rights::kFdWrite | rights::kFdAllocate |
                        rights::kFdFilestatSetSize)) != 0;
  p.flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & kOflagCreat) {
    p.flags |= O_CREAT;
    p.need_base |= rights::kPathCreateFile;
  }
  if (oflags & kOflagDirectory)
    p.flags |= O_DIRECTORY;
  if (oflags & kOflagExcl)
    p.flags |= O_EXCL;
  if (oflags & kOflagTrunc) {
    p.flags |= O_TRUNC;
    p.need_base |= rights::kPathFilestatSetSize;
  }
  if (fdflags & kFdflagAppend)
    p.flags |= O_APPEND;
  if (fdflags & kFdflagNonblock)
    p.flags |= O_NONBLOCK;
  if (fdflags & kFdflagDsync) {
    p.flags |= O_DSYNC;
    p.need_inheriting |= rights::kFdDatasync;
  }
  if (fdflags & (kFdflagRsync | kFdflagSync)) {
    p.flags |= O_SYNC;
    p.need_inheriting |= rights::kFdSync;
  }
  return p;
}

/// Whether {path} beneath {dirfd} is itself a symlink.
bool is_symlink(int dirfd, std::string_view path) {
  UniqueFd fd;
  struct stat st {};
  return open_beneath(dirfd, path, O_PATH, 0, false, fd) == Errno::Success &&
         ::fstat(fd.get(), &st) == 0 && S_ISLNK(st.st_mode);
}

}  // namespace

Errno path_open(Ctx& c,
                const Mem& m,
                uint32_t fd,
                uint32_t dirflags,
                uint32_t path,
                uint32_t path_len,
                uint32_t oflags,
                uint64_t rights_base,
                uint64_t rights_inheriting,
                uint32_t fdflags,
                uint32_t fd_ptr) {
  FdEntry* dir = nullptr;
  std::string_view p;
  if (Errno r = dir_and_path(c, m, fd, 0, path, path_len, dir, p); r != Errno::Success)
    return r;
  if (!m.in_bounds(fd_ptr, 4))
    return Errno::Fault;
  // Bits no right is defined for are ignored, not refused.
  rights_base &= rights::kAll;
  rights_inheriting &= rights::kAll;
  OpenPlan plan = plan_open(oflags, rights_base, rights_inheriting, fdflags);
  if ((dir->rights_base & plan.need_base) != plan.need_base ||
      (dir->rights_inheriting & plan.need_inheriting) != plan.need_inheriting)
    return Errno::NotCapable;
  bool follow = dirflags & kLookupSymlinkFollow;
  int dirfd = dir->host.get();
  UniqueFd opened;
  Errno r = open_beneath(dirfd, p, plan.flags, 0666, follow, opened);
  if (r == Errno::NotDir && !follow && (plan.flags & O_DIRECTORY) && is_symlink(dirfd, p))
    return Errno::Loop;  // Linux says ENOTDIR for O_NOFOLLOW|O_DIRECTORY on a symlink
  if (r != Errno::Success)
    return r;
  FdEntry e;
  e.type = filetype_of_fd(opened.get());
  uint64_t max_base = 0;
  uint64_t max_inheriting = 0;
  max_rights(e.type, opened.get(), max_base, max_inheriting);
  e.host = std::move(opened);
  e.rights_base = rights_base & max_base;
  e.rights_inheriting = rights_inheriting & max_inheriting;
  e.fdflags = static_cast<uint16_t>(
      fdflags & (kFdflagAppend | kFdflagDsync | kFdflagNonblock | kFdflagRsync | kFdflagSync));
  auto slot = c.insert(std::move(e));
  if (!slot)
    return Errno::Mfile;
  m.store(fd_ptr, *slot);
  return Errno::Success;
}

Errno path_create_directory(Ctx& c, const Mem& m, uint32_t fd, uint32_t path, uint32_t path_len) {
  ParentDir parent;
  if (Errno r = parent_of(c, m, fd, rights::kPathCreateDirectory, path, path_len, parent);
      r != Errno::Success)
    return r;
  return result_of(::mkdirat(parent.fd, parent.name.c_str(), 0777));
}

Errno path_remove_directory(Ctx& c, const Mem& m, uint32_t fd, uint32_t path, uint32_t path_len) {
  ParentDir parent;
  if (Errno r = parent_of(c, m, fd, rights::kPathRemoveDirectory, path, path_len, parent);
      r != Errno::Success)
    return r;
  return result_of(::unlinkat(parent.fd, parent.name.c_str(), AT_REMOVEDIR));
}

Errno path_unlink_file(Ctx& c, const Mem& m, uint32_t fd, uint32_t path, uint32_t path_len) {
  ParentDir parent;
  if (Errno r = parent_of(c, m, fd, rights::kPathUnlinkFile, path, path_len, parent);
      r != Errno::Success)
    return r;
  return result_of(::unlinkat(parent.fd, parent.name.c_str(), 0));
}

Errno path_rename(Ctx& c,
                  const Mem& m,
                  uint32_t fd,
                  uint32_t old_path,
                  uint32_t old_len,
                  uint32_t new_fd,
                  uint32_t new_path,
                  uint32_t new_len) {
  ParentDir from;
  ParentDir to;
  if (Errno r = parent_of(c, m, fd, rights::kPathRenameSource, old_path, old_len, from);
      r != Errno::Success)
    return r;
  if (Errno r = parent_of(c, m, new_fd, rights::kPathRenameTarget, new_path, new_len, to);
      r != Errno::Success)
    return r;
  return result_of(::renameat(from.fd, from.name.c_str(), to.fd, to.name.c_str()));
}

Errno path_symlink(Ctx& c,
                   const Mem& m,
                   uint32_t old_path,
                   uint32_t old_len,
                   uint32_t fd,
                   uint32_t new_path,
                   uint32_t new_len) {
  std::string_view target;
  if (Errno r = m.string(old_path, old_len, target); r != Errno::Success)
    return r;
  if (target.find('\0') != std::string_view::npos)
    return Errno::Ilseq;
  // An absolute target could only ever resolve outside the sandbox.
  if (!target.empty() && target.front() == '/')
    return kEscapeErrno;
  ParentDir parent;
  if (Errno r = parent_of(c, m, fd, rights::kPathSymlink, new_path, new_len, parent);
      r != Errno::Success)
    return r;
  return result_of(::symlinkat(std::string(target).c_str(), parent.fd, parent.name.c_str()));
}

Errno path_link(Ctx& c,
                const Mem& m,
                uint32_t old_fd,
                uint32_t old_flags,
                uint32_t old_path,
                uint32_t old_len,
                uint32_t new_fd,
                uint32_t new_path,
                uint32_t new_len) {
  ParentDir to;
  if (Errno r = parent_of(c, m, new_fd, rights::kPathLinkTarget, new_path, new_len, to);
      r != Errno::Success)
    return r;
  if (!(old_flags & kLookupSymlinkFollow)) {
    ParentDir from;
    if (Errno r = parent_of(c, m, old_fd, rights::kPathLinkSource, old_path, old_len, from);
        r != Errno::Success)
      return r;
    return result_of(::linkat(from.fd, from.name.c_str(), to.fd, to.name.c_str(), 0));
  }
  // Following: resolve the source beneath its directory, then link what it names.
  FdEntry* dir = nullptr;
  std::string_view p;
  if (Errno r = dir_and_path(c, m, old_fd, rights::kPathLinkSource, old_path, old_len, dir, p);
      r != Errno::Success)
    return r;
  UniqueFd src;
  if (Errno r = open_beneath(dir->host.get(), p, O_PATH, 0, true, src); r != Errno::Success)
    return r;
  return result_of(::linkat(AT_FDCWD, proc_fd_path(src.get()).c_str(), to.fd, to.name.c_str(),
                            AT_SYMLINK_FOLLOW));
}

Errno path_readlink(Ctx& c,
                    const Mem& m,
                    uint32_t fd,
                    uint32_t path,
                    uint32_t path_len,
                    uint32_t buf,
                    uint32_t buf_len,
                    uint32_t bufused_ptr) {
  ParentDir parent;
  if (Errno r = parent_of(c, m, fd, rights::kPathReadlink, path, path_len, parent);
      r != Errno::Success)
    return r;
  if (!m.in_bounds(buf, buf_len) || !m.in_bounds(bufused_ptr, 4))
    return Errno::Fault;
  char target[PATH_MAX];
  ssize_t n = ::readlinkat(parent.fd, parent.name.c_str(), target, sizeof(target));
  if (n < 0)
    return last_errno();
  // Like readlink(2), a short buffer receives a prefix.
  auto used = static_cast<uint32_t>(std::min<size_t>(static_cast<size_t>(n), buf_len));
  m.write(buf, target, used);
  m.store(bufused_ptr, used);
  return Errno::Success;
}

Errno path_filestat_get(Ctx& c,
                        const Mem& m,
                        uint32_t fd,
                        uint32_t flags,
                        uint32_t path,
                        uint32_t path_len,
                        uint32_t buf) {
  FdEntry* dir = nullptr;
  std::string_view p;
  if (Errno r = dir_and_path(c, m, fd, rights::kPathFilestatGet, path, path_len, dir, p);
      r != Errno::Success)
    return r;
  UniqueFd target;
  bool follow = flags & kLookupSymlinkFollow;
  if (Errno r = open_beneath(dir->host.get(), p, O_PATH, 0, follow, target); r != Errno::Success)
    return r;
  struct stat st {};
  if (::fstat(target.get(), &st) != 0)
    return last_errno();
  return store_filestat(m, buf, st);
}

Errno path_filestat_set_times(Ctx& c,
                              const Mem& m,
                              uint32_t fd,
                              uint32_t flags,
                              uint32_t path,
                              uint32_t path_len,
                              uint64_t atim,
                              uint64_t mtim,
                              uint32_t fstflags) {
  struct timespec times[2];
  if (Errno r = make_times(atim, mtim, fstflags, times); r != Errno::Success)
    return r;
  if (!(flags & kLookupSymlinkFollow)) {
    ParentDir parent;
    if (Errno r = parent_of(c, m, fd, rights::kPathFilestatSetTimes, path, path_len, parent);
        r != Errno::Success)
      return r;
    return result_of(::utimensat(parent.fd, parent.name.c_str(), times, AT_SYMLINK_NOFOLLOW));
  }
  FdEntry* dir = nullptr;
  std::string_view p;
  if (Errno r = dir_and_path(c, m, fd, rights::kPathFilestatSetTimes, path, path_len, dir, p);
      r != Errno::Success)
    return r;
  UniqueFd target;
  if (Errno r = open_beneath(dir->host.get(), p, O_PATH, 0, true, target); r != Errno::Success)
    return r;
  return result_of(::utimensat(AT_FDCWD, proc_fd_path(target.get()).c_str(), times, 0));
}

}  // namespace rill::wasi::p1
