// fd_* functions about descriptors rather than their bytes: fdstat, filestat, prestat, close,
// renumber, readdir; plus the lookup/encoding helpers the other files share. Reading, writing
// and seeking are in fd_ops.cpp.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "rill/wasi/p1/errno_map.h"
#include "rill/wasi/p1/ops.h"

namespace rill::wasi::p1 {

Errno lookup(Ctx& c, uint32_t fd, uint64_t need, FdEntry*& out) {
  out = c.get(fd);
  if (!out)
    return Errno::Badf;
  if ((out->rights_base & need) != need)
    return Errno::NotCapable;
  return Errno::Success;
}

Errno lookup_file(Ctx& c, uint32_t fd, uint64_t need, FdEntry*& out) {
  out = c.get(fd);
  if (!out || out->is_dir())
    return Errno::Badf;
  return lookup(c, fd, need, out);
}

Errno lookup_dir(Ctx& c, uint32_t fd, uint64_t need, FdEntry*& out) {
  out = c.get(fd);
  if (!out)
    return Errno::Badf;
  if (!out->is_dir())
    return Errno::NotDir;
  return lookup(c, fd, need, out);
}

namespace {

uint64_t ns(const struct timespec& t) {
  return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(t.tv_nsec);
}

}  // namespace

Errno store_filestat(const Mem& m, uint32_t ptr, const struct stat& st) {
  if (!m.in_bounds(ptr, layout::kFilestatSize))
    return Errno::Fault;
  uint8_t buf[layout::kFilestatSize] = {};
  auto put = [&buf](uint32_t off, uint64_t v) { std::memcpy(buf + off, &v, 8); };
  put(0, st.st_dev);
  put(8, st.st_ino);
  buf[16] = static_cast<uint8_t>(filetype_of(st.st_mode));
  put(24, st.st_nlink);
  put(32, static_cast<uint64_t>(st.st_size));
  put(40, ns(st.st_atim));
  put(48, ns(st.st_mtim));
  put(56, ns(st.st_ctim));
  m.write(ptr, buf, sizeof(buf));
  return Errno::Success;
}

Errno make_times(uint64_t atim, uint64_t mtim, uint32_t fstflags, struct timespec out[2]) {
  constexpr uint32_t kKnown = kFstAtim | kFstAtimNow | kFstMtim | kFstMtimNow;
  if ((fstflags & ~kKnown) != 0)
    return Errno::Inval;
  if ((fstflags & kFstAtim) && (fstflags & kFstAtimNow))
    return Errno::Inval;
  if ((fstflags & kFstMtim) && (fstflags & kFstMtimNow))
    return Errno::Inval;
  auto one = [](uint64_t t, bool set, bool now, struct timespec& ts) {
    ts.tv_sec = 0;
    ts.tv_nsec = UTIME_OMIT;
    if (now) {
      ts.tv_nsec = UTIME_NOW;
    } else if (set) {
      ts.tv_sec = static_cast<time_t>(t / 1'000'000'000ull);
      ts.tv_nsec = static_cast<long>(t % 1'000'000'000ull);
    }
  };
  one(atim, fstflags & kFstAtim, fstflags & kFstAtimNow, out[0]);
  one(mtim, fstflags & kFstMtim, fstflags & kFstMtimNow, out[1]);
  return Errno::Success;
}

void max_rights(Filetype type, int fd, uint64_t& base, uint64_t& inheriting) {
  inheriting = 0;
  switch (type) {
    case Filetype::Directory:
      base = rights::kDirBase;
      inheriting = rights::kDirInheriting;
      return;
    case Filetype::CharacterDevice:
      base = ::isatty(fd) ? rights::kTtyBase : rights::kFileBase;
      return;
    case Filetype::SocketStream:
    case Filetype::SocketDgram:
      base = rights::kSocketBase;
      return;
    default:
      base = rights::kFileBase;
      return;
  }
}

Errno fd_fdstat_get(Ctx& c, const Mem& m, uint32_t fd, uint32_t ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup(c, fd, 0, e); r != Errno::Success)
    return r;
  if (!m.in_bounds(ptr, layout::kFdstatSize))
    return Errno::Fault;
  uint8_t buf[layout::kFdstatSize] = {};
  buf[0] = static_cast<uint8_t>(e->type);
  std::memcpy(buf + 2, &e->fdflags, 2);
  std::memcpy(buf + 8, &e->rights_base, 8);
  std::memcpy(buf + 16, &e->rights_inheriting, 8);
  m.write(ptr, buf, sizeof(buf));
  return Errno::Success;
}

Errno fd_fdstat_set_flags(Ctx& c, const Mem&, uint32_t fd, uint32_t flags) {
  FdEntry* e = nullptr;
  if (Errno r = lookup(c, fd, rights::kFdFdstatSetFlags, e); r != Errno::Success)
    return r;
  constexpr uint32_t kKnown =
      kFdflagAppend | kFdflagDsync | kFdflagNonblock | kFdflagRsync | kFdflagSync;
  constexpr uint32_t kSyncFlags = kFdflagDsync | kFdflagRsync | kFdflagSync;
  if ((flags & ~kKnown) != 0)
    return Errno::Inval;
  // Linux cannot change O_DSYNC/O_SYNC on an open file (F_SETFL ignores them).
  if ((flags & kSyncFlags) != (e->fdflags & kSyncFlags))
    return Errno::NotSup;
  // O_APPEND and O_NONBLOCK live on the open file description, which inherited stdio shares
  // with the host's caller: setting them would change the caller's terminal or pipe, for as
  // long as it keeps it open, and for other processes reading it now. Refused (a request that
  // changes nothing succeeds); restoring them at exit could not help a concurrent reader.
  if (e->shared_with_host && flags != e->fdflags)
    return Errno::NotSup;
  int fl = ::fcntl(e->host.get(), F_GETFL);
  if (fl < 0)
    return last_errno();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & kFdflagAppend)
    fl |= O_APPEND;
  if (flags & kFdflagNonblock)
    fl |= O_NONBLOCK;
  if (::fcntl(e->host.get(), F_SETFL, fl) != 0)
    return last_errno();
  e->fdflags = static_cast<uint16_t>(flags);
  return Errno::Success;
}

Errno fd_fdstat_set_rights(Ctx& c, const Mem&, uint32_t fd, uint64_t base, uint64_t inheriting) {
  FdEntry* e = nullptr;
  if (Errno r = lookup(c, fd, 0, e); r != Errno::Success)
    return r;
  // Rights can only be dropped.
  if ((base & ~e->rights_base) != 0 || (inheriting & ~e->rights_inheriting) != 0)
    return Errno::NotCapable;
  e->rights_base = base;
  e->rights_inheriting = inheriting;
  return Errno::Success;
}

Errno fd_filestat_get(Ctx& c, const Mem& m, uint32_t fd, uint32_t ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup(c, fd, rights::kFdFilestatGet, e); r != Errno::Success)
    return r;
  struct stat st {};
  if (::fstat(e->host.get(), &st) != 0)
    return last_errno();
  return store_filestat(m, ptr, st);
}

Errno fd_filestat_set_size(Ctx& c, const Mem&, uint32_t fd, uint64_t size) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_file(c, fd, rights::kFdFilestatSetSize, e); r != Errno::Success)
    return r;
  if (size > static_cast<uint64_t>(INT64_MAX))
    return Errno::Inval;
  if (::ftruncate(e->host.get(), static_cast<off_t>(size)) != 0)
    return last_errno();
  return Errno::Success;
}

Errno fd_filestat_set_times(Ctx& c,
                            const Mem&,
                            uint32_t fd,
                            uint64_t atim,
                            uint64_t mtim,
                            uint32_t fstflags) {
  FdEntry* e = nullptr;
  if (Errno r = lookup(c, fd, rights::kFdFilestatSetTimes, e); r != Errno::Success)
    return r;
  struct timespec times[2];
  if (Errno r = make_times(atim, mtim, fstflags, times); r != Errno::Success)
    return r;
  if (::futimens(e->host.get(), times) != 0)
    return last_errno();
  return Errno::Success;
}

Errno fd_prestat_get(Ctx& c, const Mem& m, uint32_t fd, uint32_t ptr) {
  FdEntry* e = c.get(fd);
  if (!e || !e->preopen)
    return Errno::Badf;
  uint8_t buf[layout::kPrestatSize] = {};
  buf[0] = kPreopentypeDir;
  auto len = static_cast<uint32_t>(e->preopen->size());
  std::memcpy(buf + 4, &len, 4);
  return m.write(ptr, buf, sizeof(buf)) ? Errno::Success : Errno::Fault;
}

Errno fd_prestat_dir_name(Ctx& c, const Mem& m, uint32_t fd, uint32_t path, uint32_t path_len) {
  FdEntry* e = c.get(fd);
  if (!e || !e->preopen)
    return Errno::Badf;
  if (path_len < e->preopen->size())
    return Errno::NameTooLong;
  return m.write(path, e->preopen->data(), e->preopen->size()) ? Errno::Success : Errno::Fault;
}

Errno fd_close(Ctx& c, const Mem&, uint32_t fd) {
  return c.fds.erase(fd) ? Errno::Success : Errno::Badf;
}

Errno fd_renumber(Ctx& c, const Mem&, uint32_t from, uint32_t to) {
  // Both must be open: renumbering replaces {to}, it does not allocate it.
  auto it = c.fds.find(from);
  auto dst = c.fds.find(to);
  if (it == c.fds.end() || dst == c.fds.end())
    return Errno::Badf;
  if (from == to)
    return Errno::Success;
  dst->second = std::move(it->second);
  c.fds.erase(it);
  return Errno::Success;
}

namespace {

struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  Filetype type = Filetype::Unknown;
};

Filetype from_dtype(unsigned char t) {
  switch (t) {
    case DT_REG:
      return Filetype::RegularFile;
    case DT_DIR:
      return Filetype::Directory;
    case DT_CHR:
      return Filetype::CharacterDevice;
    case DT_BLK:
      return Filetype::BlockDevice;
    case DT_LNK:
      return Filetype::SymbolicLink;
    case DT_SOCK:
      return Filetype::SocketStream;
    default:
      return Filetype::Unknown;
  }
}

/// The whole listing of directory {dirfd}: ".", "..", then the rest in the host's order.
/// Cookies are indices into it, so a listing re-read with the directory unchanged agrees.
Errno list_dir(int dirfd, std::vector<DirEntry>& out) {
  struct stat st {};
  if (::fstat(dirfd, &st) != 0)
    return last_errno();
  out.push_back({".", st.st_ino, Filetype::Directory});
  struct stat up {};
  out.push_back({"..", ::fstatat(dirfd, "..", &up, 0) == 0 ? up.st_ino : 0, Filetype::Directory});
  int fresh = ::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fresh < 0)
    return last_errno();
  DIR* dir = ::fdopendir(fresh);
  if (!dir) {
    ::close(fresh);
    return last_errno();
  }
  errno = 0;
  while (struct dirent* d = ::readdir(dir)) {
    std::string_view name = d->d_name;
    if (name == "." || name == "..")
      continue;
    DirEntry e{std::string(name), d->d_ino, from_dtype(d->d_type)};
    struct stat est {};
    if (d->d_type == DT_UNKNOWN && ::fstatat(dirfd, d->d_name, &est, AT_SYMLINK_NOFOLLOW) == 0)
      e.type = filetype_of(est.st_mode);
    out.push_back(std::move(e));
  }
  Errno r = errno ? last_errno() : Errno::Success;
  ::closedir(dir);
  return r;
}

}  // namespace

Errno fd_readdir(Ctx& c,
                 const Mem& m,
                 uint32_t fd,
                 uint32_t buf,
                 uint32_t buf_len,
                 uint64_t cookie,
                 uint32_t bufused_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_dir(c, fd, rights::kFdReaddir, e); r != Errno::Success)
    return r;
  if (!m.in_bounds(buf, buf_len) || !m.in_bounds(bufused_ptr, 4))
    return Errno::Fault;
  std::vector<DirEntry> entries;
  if (Errno r = list_dir(e->host.get(), entries); r != Errno::Success)
    return r;
  uint32_t used = 0;
  for (uint64_t i = cookie; i < entries.size() && used < buf_len; ++i) {
    const DirEntry& d = entries[i];
    uint8_t head[layout::kDirentSize] = {};
    uint64_t next = i + 1;
    auto namlen = static_cast<uint32_t>(d.name.size());
    std::memcpy(head, &next, 8);
    std::memcpy(head + 8, &d.ino, 8);
    std::memcpy(head + 16, &namlen, 4);
    head[20] = static_cast<uint8_t>(d.type);
    // The last entry may be cut short; a full buffer tells the guest to call again.
    uint32_t n = std::min(buf_len - used, layout::kDirentSize);
    std::memcpy(m.at(buf + used), head, n);
    used += n;
    n = std::min(buf_len - used, namlen);
    std::memcpy(m.at(buf + used), d.name.data(), n);
    used += n;
  }
  m.store(bufused_ptr, used);
  return Errno::Success;
}

}  // namespace rill::wasi::p1
