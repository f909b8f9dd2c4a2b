// wasi:filesystem/types, the descriptor methods that take a path: each resolves beneath the
// descriptor with preview1's openat2(RESOLVE_BENEATH) code (src/wasi/p1/path.h), so `..`,
// absolute paths and symlinks leaving the directory fail with not-permitted (a symlink-at
// target that is absolute, too: it could only ever resolve outside).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "rill/wasi/p1/path.h"
#include "rill/wasi/p2/filesystem.h"

namespace rill::wasi::p2 {
namespace {

bool has(const Value& flags, const char* label) {
  return std::find(flags.labels().begin(), flags.labels().end(), label) != flags.labels().end();
}

/// Open {path} beneath {d} as O_PATH (for stat and hashes).
int open_path(Descriptor& d, const Value& path_flags, const Value& path, UniqueFd& out) {
  p1::Errno e = p1::open_beneath(d.fd.get(), path.str(), O_PATH, 0,
                                 has(path_flags, "symlink-follow"), out);
  return e == p1::Errno::Success ? 0 : host_errno_of(e);
}

/// fstat of the file at path a[2] (flags a[1]) beneath {d}, made into a Value by {make}.
template <class Make>
TrapOr<Value> stat_path(Descriptor& d, std::span<const Value> a, Make make) {
  UniqueFd fd;
  if (int e = open_path(d, a[1], a[2], fd))
    return fs_err(e);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return fs_err(errno);
  return Value::ok(make(st));
}

TrapOr<Value> stat_at(Host&, Descriptor& d, std::span<const Value> a) {
  return stat_path(d, a, [](const struct stat& st) { return stat_record(st); });
}

TrapOr<Value> metadata_hash_at(Host&, Descriptor& d, std::span<const Value> a) {
  return stat_path(d, a, [](const struct stat& st) { return hash_record(st); });
}

TrapOr<Value> open_at(Host& h, Descriptor& d, std::span<const Value> a) {
  const Value& open_flags = a[3];
  const Value& flags = a[4];
  bool read = has(flags, "read");
  bool write = has(flags, "write");
  bool create = has(open_flags, "create");
  if ((create || has(open_flags, "truncate") || write) && !d.mutate_dir)
    return fs_err(EPERM);
  int oflags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (create)
    oflags |= O_CREAT;
  if (has(open_flags, "exclusive"))
    oflags |= O_EXCL;
  if (has(open_flags, "truncate"))
    oflags |= O_TRUNC;
  if (has(open_flags, "directory"))
    oflags |= O_DIRECTORY;
  std::vector<std::string> sync;
  for (const auto& [label, bit] : {std::pair{"file-integrity-sync", O_SYNC},
                                   std::pair{"data-integrity-sync", O_DSYNC},
                                   std::pair{"requested-write-sync", O_RSYNC}})
    if (has(flags, label)) {
      oflags |= bit;
      sync.emplace_back(label);
    }
  UniqueFd fd;
  p1::Errno e = p1::open_beneath(d.fd.get(), a[2].str(), oflags, 0666,
                                 has(a[1], "symlink-follow"), fd);
  if (e != p1::Errno::Success)
    return fs_err(host_errno_of(e));
  struct stat st {};
  bool dir = ::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode);
  auto v = h.own(h.impl().descriptors, h.descriptor,
                 Descriptor{std::move(fd), read || dir, write, dir && d.mutate_dir, std::move(sync)});
  if (!v)
    return v;
  return Value::ok(std::move(*v));
}

/// Resolve all but the last component of {path} beneath {d}; 0 or a host errno.
int parent_of(Descriptor& d, const Value& path, p1::ParentDir& out) {
  p1::Errno e = p1::open_parent(d.fd.get(), path.str(), out);
  return e == p1::Errno::Success ? 0 : host_errno_of(e);
}

TrapOr<Value> create_directory_at(Host&, Descriptor& d, std::span<const Value> a) {
  if (!d.mutate_dir)
    return fs_err(EPERM);
  p1::ParentDir p;
  if (int e = parent_of(d, a[1], p))
    return fs_err(e);
  if (::mkdirat(p.fd, p.name.c_str(), 0777) != 0)
    return fs_err(errno);
  return Value::ok();
}

TrapOr<Value> unlink_at(Descriptor& d, const Value& path, int flags) {
  if (!d.mutate_dir)
    return fs_err(EPERM);
  p1::ParentDir p;
  if (int e = parent_of(d, path, p))
    return fs_err(e);
  if (::unlinkat(p.fd, p.name.c_str(), flags) != 0)
    return fs_err(errno);
  return Value::ok();
}

TrapOr<Value> unlink_file_at(Host&, Descriptor& d, std::span<const Value> a) {
  return unlink_at(d, a[1], 0);
}

TrapOr<Value> remove_directory_at(Host&, Descriptor& d, std::span<const Value> a) {
  return unlink_at(d, a[1], AT_REMOVEDIR);
}

TrapOr<Value> rename_at(Host& h, Descriptor& d, std::span<const Value> a) {
  Descriptor* to = h.impl().descriptors.get(rep_of(a[2]));
  if (!to)
    return bad_handle("descriptor");
  if (!d.mutate_dir || !to->mutate_dir)
    return fs_err(EPERM);
  p1::ParentDir from_p;
  p1::ParentDir to_p;
  if (int e = parent_of(d, a[1], from_p))
    return fs_err(e);
  if (int e = parent_of(*to, a[3], to_p))
    return fs_err(e);
  if (::renameat(from_p.fd, from_p.name.c_str(), to_p.fd, to_p.name.c_str()) != 0)
    return fs_err(errno);
  return Value::ok();
}

TrapOr<Value> readlink_at(Host&, Descriptor& d, std::span<const Value> a) {
  p1::ParentDir p;
  if (int e = parent_of(d, a[1], p))
    return fs_err(e);
  std::vector<char> buf(4096);
  ssize_t n = ::readlinkat(p.fd, p.name.c_str(), buf.data(), buf.size());
  if (n < 0)
    return fs_err(errno);
  return Value::ok(Value::string(std::string(buf.data(), static_cast<size_t>(n))));
}

/// utimensat's times for new-timestamp variants {at} and {mt} (no-change, now,
/// timestamp(datetime)); false when a datetime's nanoseconds are out of range.
bool make_times(const Value& at, const Value& mt, timespec out[2]) {
  const Value* v[2] = {&at, &mt};
  for (int i = 0; i < 2; ++i) {
    out[i] = timespec{};
    if (v[i]->str() == "no-change") {
      out[i].tv_nsec = UTIME_OMIT;
    } else if (v[i]->str() == "now") {
      out[i].tv_nsec = UTIME_NOW;
    } else {
      const Value& dt = *v[i]->payload();  // record {seconds: u64, nanoseconds: u32}
      if (dt.items()[1].as_u32() >= 1000000000u)
        return false;
      out[i].tv_sec = static_cast<time_t>(dt.items()[0].as_u64());
      out[i].tv_nsec = static_cast<long>(dt.items()[1].as_u32());
    }
  }
  return true;
}

/// utimensat of {path} beneath {d} (following a final symlink with {follow}), times {at}, {mt}.
TrapOr<Value> set_times_path(Descriptor& d, const Value& path, bool follow, const Value& at,
                             const Value& mt) {
  timespec times[2];
  if (!make_times(at, mt, times))
    return fs_err(EINVAL);
  if (!follow) {
    p1::ParentDir p;
    if (int e = parent_of(d, path, p))
      return fs_err(e);
    if (::utimensat(p.fd, p.name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
      return fs_err(errno);
    return Value::ok();
  }
  UniqueFd target;
  p1::Errno e = p1::open_beneath(d.fd.get(), path.str(), O_PATH, 0, true, target);
  if (e != p1::Errno::Success)
    return fs_err(host_errno_of(e));
  if (::utimensat(AT_FDCWD, p1::proc_fd_path(target.get()).c_str(), times, 0) != 0)
    return fs_err(errno);
  return Value::ok();
}

TrapOr<Value> set_times(Host&, Descriptor& d, std::span<const Value> a) {
  timespec times[2];
  if (!make_times(a[1], a[2], times))
    return fs_err(EINVAL);
  if (::futimens(d.fd.get(), times) != 0)
    return fs_err(errno);
  return Value::ok();
}

TrapOr<Value> set_times_at(Host&, Descriptor& d, std::span<const Value> a) {
  return set_times_path(d, a[2], has(a[1], "symlink-follow"), a[3], a[4]);
}

TrapOr<Value> link_at(Host& h, Descriptor& d, std::span<const Value> a) {
  Descriptor* to_dir = h.impl().descriptors.get(rep_of(a[3]));
  if (!to_dir)
    return bad_handle("descriptor");
  if (!to_dir->mutate_dir)
    return fs_err(EPERM);
  p1::ParentDir to;
  if (int e = parent_of(*to_dir, a[4], to))
    return fs_err(e);
  if (!has(a[1], "symlink-follow")) {
    p1::ParentDir from;
    if (int e = parent_of(d, a[2], from))
      return fs_err(e);
    if (::linkat(from.fd, from.name.c_str(), to.fd, to.name.c_str(), 0) != 0)
      return fs_err(errno);
    return Value::ok();
  }
  // Following: resolve the source beneath its directory, then link what it names.
  UniqueFd src;
  p1::Errno e = p1::open_beneath(d.fd.get(), a[2].str(), O_PATH, 0, true, src);
  if (e != p1::Errno::Success)
    return fs_err(host_errno_of(e));
  if (::linkat(AT_FDCWD, p1::proc_fd_path(src.get()).c_str(), to.fd, to.name.c_str(),
               AT_SYMLINK_FOLLOW) != 0)
    return fs_err(errno);
  return Value::ok();
}

TrapOr<Value> symlink_at(Host&, Descriptor& d, std::span<const Value> a) {
  if (!d.mutate_dir)
    return fs_err(EPERM);
  const std::string& target = a[1].str();
  // A NUL would end the target early for symlinkat (preview1's path_symlink refuses it too).
  if (target.find('\0') != std::string::npos)
    return fs_err(EILSEQ);
  // An absolute target could only ever resolve outside the sandbox.
  if (!target.empty() && target.front() == '/')
    return fs_err(EPERM);
  p1::ParentDir p;
  if (int e = parent_of(d, a[2], p))
    return fs_err(e);
  if (::symlinkat(target.c_str(), p.fd, p.name.c_str()) != 0)
    return fs_err(errno);
  return Value::ok();
}

}  // namespace

void add_path_methods(ComponentLinker::Instance& t, const HostPtr& h) {
  method(t, h, "stat-at", stat_at);
  method(t, h, "metadata-hash-at", metadata_hash_at);
  method(t, h, "open-at", open_at);
  method(t, h, "create-directory-at", create_directory_at);
  method(t, h, "unlink-file-at", unlink_file_at);
  method(t, h, "remove-directory-at", remove_directory_at);
  method(t, h, "rename-at", rename_at);
  method(t, h, "readlink-at", readlink_at);
  method(t, h, "set-times", set_times);
  method(t, h, "set-times-at", set_times_at);
  method(t, h, "link-at", link_at);
  method(t, h, "symlink-at", symlink_at);
}

}  // namespace rill::wasi::p2
