// wasi:filesystem/types, the descriptor methods that work on the descriptor itself (streams,
// stat, flags, read/write at an offset, directory listing) and wasi:filesystem/preopens. The
// methods that resolve a path beneath a descriptor are in fs_paths.cpp.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "rill/wasi/p1/errno_map.h"
#include "rill/wasi/p1/path.h"
#include "rill/wasi/p2/filesystem.h"

namespace rill::wasi::p2 {
namespace {

/// Most bytes one descriptor.read returns.
constexpr uint64_t kMaxFileRead = 1 << 20;

Value datetime_of(const timespec& ts) {
  return Value::some(Value::record({{"seconds", Value::u64(static_cast<uint64_t>(ts.tv_sec))},
                                    {"nanoseconds", Value::u32(static_cast<uint32_t>(ts.tv_nsec))}}));
}

const char* dirent_type(unsigned char t) {
  switch (t) {
    case DT_REG: return "regular-file";
    case DT_DIR: return "directory";
    case DT_LNK: return "symbolic-link";
    case DT_CHR: return "character-device";
    case DT_BLK: return "block-device";
    case DT_FIFO: return "fifo";
    case DT_SOCK: return "socket";
    default: return "unknown";
  }
}

/// A duplicate of {d}'s fd, or -1 (errno set).
int dup_fd(const Descriptor& d) {
  return ::fcntl(d.fd.get(), F_DUPFD_CLOEXEC, 3);
}

TrapOr<Value> read_via_stream(Host& h, Descriptor& d, std::span<const Value> a) {
  if (!d.read)
    return fs_err(EBADF);
  int fd = dup_fd(d);
  if (fd < 0)
    return fs_err(errno);
  auto s = h.own(h.impl().inputs, h.input_stream, InputStream{UniqueFd(fd), a[1].as_u64()});
  if (!s)
    return s;
  return Value::ok(std::move(*s));
}

TrapOr<Value> write_via_stream(Host& h, Descriptor& d, std::span<const Value> a) {
  if (!d.write)
    return fs_err(EBADF);
  int fd = dup_fd(d);
  if (fd < 0)
    return fs_err(errno);
  auto s = h.own(h.impl().outputs, h.output_stream, OutputStream{UniqueFd(fd), a[1].as_u64()});
  if (!s)
    return s;
  return Value::ok(std::move(*s));
}

TrapOr<Value> append_via_stream(Host& h, Descriptor& d, std::span<const Value>) {
  if (!d.write)
    return fs_err(EBADF);
  // The descriptor's own open file has no O_APPEND; a reopen of the same file gets one.
  int fd = ::open(p1::proc_fd_path(d.fd.get()).c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0)
    return fs_err(errno);
  auto s = h.own(h.impl().outputs, h.output_stream, OutputStream{UniqueFd(fd), std::nullopt});
  if (!s)
    return s;
  return Value::ok(std::move(*s));
}

TrapOr<Value> get_flags(Host&, Descriptor& d, std::span<const Value>) {
  std::vector<std::string> set;
  if (d.read)
    set.emplace_back("read");
  if (d.write)
    set.emplace_back("write");
  if (d.mutate_dir)
    set.emplace_back("mutate-directory");
  set.insert(set.end(), d.sync_flags.begin(), d.sync_flags.end());
  return Value::ok(Value::flags(std::move(set)));
}

TrapOr<Value> get_type(Host&, Descriptor& d, std::span<const Value>) {
  struct stat st {};
  if (::fstat(d.fd.get(), &st) != 0)
    return fs_err(errno);
  return Value::ok(Value::enumeration(descriptor_type(st.st_mode)));
}

TrapOr<Value> stat(Host&, Descriptor& d, std::span<const Value>) {
  struct stat st {};
  if (::fstat(d.fd.get(), &st) != 0)
    return fs_err(errno);
  return Value::ok(stat_record(st));
}

TrapOr<Value> read(Host&, Descriptor& d, std::span<const Value> a) {
  if (!d.read)
    return fs_err(EBADF);
  std::vector<uint8_t> buf(std::min(a[1].as_u64(), kMaxFileRead));
  ssize_t n;
  do {
    n = ::pread(d.fd.get(), buf.data(), buf.size(), static_cast<off_t>(a[2].as_u64()));
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return fs_err(errno);
  bool eof = n == 0 && !buf.empty();
  return Value::ok(Value::tuple({Value::bytes(buf.data(), static_cast<size_t>(n)), Value::boolean(eof)}));
}

TrapOr<Value> write(Host&, Descriptor& d, std::span<const Value> a) {
  if (!d.write)
    return fs_err(EBADF);
  std::string scratch;
  const std::string_view buf = list_bytes(a[1], scratch);
  ssize_t n;
  do {
    n = ::pwrite(d.fd.get(), buf.data(), buf.size(), static_cast<off_t>(a[2].as_u64()));
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return fs_err(errno);
  return Value::ok(Value::u64(static_cast<uint64_t>(n)));
}

TrapOr<Value> set_size(Host&, Descriptor& d, std::span<const Value> a) {
  if (!d.write)
    return fs_err(EBADF);
  if (::ftruncate(d.fd.get(), static_cast<off_t>(a[1].as_u64())) != 0)
    return fs_err(errno);
  return Value::ok();
}

TrapOr<Value> sync(Host&, Descriptor& d, std::span<const Value>) {
  if (::fsync(d.fd.get()) != 0)
    return fs_err(errno);
  return Value::ok();
}

TrapOr<Value> read_directory(Host& h, Descriptor& d, std::span<const Value>) {
  // A fresh open of "." so the listing has its own position (fdopendir takes the fd over).
  UniqueFd fd;
  if (p1::Errno e = p1::open_beneath(d.fd.get(), ".", O_RDONLY | O_DIRECTORY, 0, true, fd);
      e != p1::Errno::Success)
    return fs_err(host_errno_of(e));
  int raw = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
  DIR* dir = raw < 0 ? nullptr : ::fdopendir(raw);
  if (!dir) {
    int e = errno;
    if (raw >= 0)
      ::close(raw);
    return fs_err(e);
  }
  DirStream s;
  while (dirent* ent = ::readdir(dir)) {
    std::string name = ent->d_name;
    if (name == "." || name == "..")
      continue;  // wasi:filesystem lists neither
    s.entries.emplace_back(dirent_type(ent->d_type), std::move(name));
  }
  ::closedir(dir);
  auto v = h.own(h.impl().dir_streams, h.dir_stream, std::move(s));
  if (!v)
    return v;
  return Value::ok(std::move(*v));
}

TrapOr<Value> is_same_object(Host& h, Descriptor& d, std::span<const Value> a) {
  Descriptor* other = h.impl().descriptors.get(rep_of(a[1]));
  if (!other)
    return bad_handle("descriptor");
  struct stat x {}, y {};
  if (::fstat(d.fd.get(), &x) != 0 || ::fstat(other->fd.get(), &y) != 0)
    return Value::boolean(false);
  return Value::boolean(x.st_dev == y.st_dev && x.st_ino == y.st_ino);
}

TrapOr<Value> metadata_hash(Host&, Descriptor& d, std::span<const Value>) {
  struct stat st {};
  if (::fstat(d.fd.get(), &st) != 0)
    return fs_err(errno);
  return Value::ok(hash_record(st));
}

TrapOr<Value> ok_unit(Host&, Descriptor&, std::span<const Value>) {
  return Value::ok();
}

}  // namespace

const char* descriptor_type(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "regular-file";
    case S_IFDIR: return "directory";
    case S_IFLNK: return "symbolic-link";
    case S_IFCHR: return "character-device";
    case S_IFBLK: return "block-device";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "socket";
    default: return "unknown";
  }
}

Value stat_record(const struct stat& st) {
  return Value::record({{"type", Value::enumeration(descriptor_type(st.st_mode))},
                        {"link-count", Value::u64(st.st_nlink)},
                        {"size", Value::u64(static_cast<uint64_t>(st.st_size))},
                        {"data-access-timestamp", datetime_of(st.st_atim)},
                        {"data-modification-timestamp", datetime_of(st.st_mtim)},
                        {"status-change-timestamp", datetime_of(st.st_ctim)}});
}

Value hash_record(const struct stat& st) {
  return Value::record({{"lower", Value::u64(st.st_ino)}, {"upper", Value::u64(st.st_dev)}});
}

int host_errno_of(p1::Errno e) {
  // p1 maps host errnos to preview1's; invert that once (the first host errno wins).
  static const std::vector<int> table = [] {
    std::vector<int> t(256, EIO);
    for (int host = 4095; host >= 1; --host) {
      auto w = static_cast<size_t>(p1::from_host_errno(host));
      if (w < t.size())
        t[w] = host;
    }
    return t;
  }();
  if (e == p1::kEscapeErrno)
    return EPERM;
  auto i = static_cast<size_t>(e);
  return i < table.size() ? table[i] : EIO;
}

void method(ComponentLinker::Instance& t, const HostPtr& h, const char* name, DescriptorOp op) {
  define_method(t, h, std::string("[method]descriptor.") + name, &Context::Impl::descriptors, "descriptor", op);
}

void add_descriptor_methods(ComponentLinker::Instance& t, const HostPtr& h) {
  method(t, h, "read-via-stream", read_via_stream);
  method(t, h, "write-via-stream", write_via_stream);
  method(t, h, "append-via-stream", append_via_stream);
  method(t, h, "advise", ok_unit);
  method(t, h, "sync-data", sync);
  method(t, h, "sync", sync);
  method(t, h, "get-flags", get_flags);
  method(t, h, "get-type", get_type);
  method(t, h, "set-size", set_size);
  method(t, h, "read", read);
  method(t, h, "write", write);
  method(t, h, "read-directory", read_directory);
  method(t, h, "stat", stat);
  method(t, h, "is-same-object", is_same_object);
  method(t, h, "metadata-hash", metadata_hash);
}

void add_filesystem(ComponentLinker& linker, const HostPtr& h) {
  auto& t = iface(linker, "wasi:filesystem/types");
  t.resource("descriptor", h->descriptor);
  t.resource("directory-entry-stream", h->dir_stream);
  t.resource("input-stream", h->input_stream);
  t.resource("output-stream", h->output_stream);
  t.resource("error", h->error);
  add_descriptor_methods(t, h);
  add_path_methods(t, h);
  define(t, "[method]directory-entry-stream.read-directory-entry",
         [h](std::span<const Value> a) -> TrapOr<Value> {
           DirStream* s = h->impl().dir_streams.get(rep_of(a[0]));
           if (!s)
             return bad_handle("directory-entry-stream");
           if (s->next >= s->entries.size())
             return Value::ok(Value::none());
           const auto& [type, name] = s->entries[s->next++];
           return Value::ok(Value::some(Value::record(
               {{"type", Value::enumeration(type)}, {"name", Value::string(name)}})));
         });
  define(t, "filesystem-error-code", [h](std::span<const Value> a) -> TrapOr<Value> {
    IoError* e = h->impl().errors.get(rep_of(a[0]));
    if (!e || e->host_errno == 0)
      return Value::none();
    return Value::some(Value::enumeration(error_code_label(e->host_errno)));
  });

  iface(linker, "wasi:filesystem/preopens").resource("descriptor", h->descriptor);
  define(iface(linker, "wasi:filesystem/preopens"), "get-directories",
         [h](std::span<const Value>) -> TrapOr<Value> {
           std::vector<Value> out;
           for (const auto& [fd, name] : h->impl().preopens) {
             int d = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 3);
             if (d < 0)
               return Trap::host("wasi: cannot duplicate a preopen");
             auto v = h->own(h->impl().descriptors, h->descriptor,
                             Descriptor{UniqueFd(d), true, false, true, {}});
             if (!v)
               return v;
             out.push_back(Value::tuple({std::move(*v), Value::string(name)}));
           }
           return Value::list(std::move(out));
         });
}

}  // namespace rill::wasi::p2
