// Context creation (preopens, stdio) and the fd table. The preview1 functions are elsewhere
// (fd_ops.cpp, path_ops.cpp, poll.cpp, linker.cpp).
#include "rill/wasi/p1/context.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rill::wasi::p1 {

void UniqueFd::reset() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

Filetype filetype_of(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return Filetype::RegularFile;
    case S_IFDIR:
      return Filetype::Directory;
    case S_IFCHR:
      return Filetype::CharacterDevice;
    case S_IFBLK:
      return Filetype::BlockDevice;
    case S_IFLNK:
      return Filetype::SymbolicLink;
    case S_IFSOCK:
      return Filetype::SocketStream;
    default:
      return Filetype::Unknown;
  }
}

Filetype filetype_of_fd(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return Filetype::Unknown;
  Filetype t = filetype_of(st.st_mode);
  if (t == Filetype::SocketStream) {
    int type = 0;
    socklen_t len = sizeof(type);
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM)
      t = Filetype::SocketDgram;
  }
  return t;
}

std::optional<uint32_t> Context::Impl::insert(FdEntry e) {
  uint32_t fd = 0;
  for (const auto& [n, entry] : fds) {
    if (n != fd)
      break;
    ++fd;
  }
  if (fd >= kMaxFds)
    return std::nullopt;
  fds.emplace(fd, std::move(e));
  return fd;
}

namespace {

/// Rights of a stdio stream: a file's, less seek/tell for terminals (what isatty looks for).
FdEntry stdio_entry(UniqueFd host) {
  FdEntry e;
  e.type = filetype_of_fd(host.get());
  e.host = std::move(host);
  e.rights_base = rights::kFileBase;
  if (e.type == Filetype::CharacterDevice)
    e.rights_base &= ~(rights::kFdSeek | rights::kFdTell);
  e.rights_inheriting = 0;
  e.shared_with_host = true;
  int fl = ::fcntl(e.host.get(), F_GETFL);
  if (fl >= 0 && (fl & O_APPEND))
    e.fdflags |= kFdflagAppend;
  if (fl >= 0 && (fl & O_NONBLOCK))
    e.fdflags |= kFdflagNonblock;
  return e;
}

}  // namespace

Result<UniqueFd> dup_host_stdio(int fd, uint32_t guest_fd) {
  if (fd < 0)
    return UniqueFd();
  int dup = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (dup < 0 && errno == EBADF)
    return UniqueFd();  // closed in the host: closed in the guest too
  if (dup < 0)
    return Error{"wasi: cannot use host fd " + std::to_string(fd) + " for guest fd " +
                 std::to_string(guest_fd) + ": " + std::strerror(errno)};
  return UniqueFd(dup);
}

Result<UniqueFd> open_preopen_dir(const Preopen& p) {
  int fd = ::open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return Error{"wasi: cannot open directory " + p.host_path + ": " + std::strerror(errno)};
  return UniqueFd(fd);
}

Context::Context(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Context::~Context() = default;

Result<std::shared_ptr<Context>> Context::create(const Config& config) {
  auto impl = std::make_unique<Impl>();
  impl->args = config.args;
  impl->env = config.env;
  const int stdio[3] = {config.stdin_fd, config.stdout_fd, config.stderr_fd};
  for (uint32_t i = 0; i < 3; ++i) {
    RILL_TRY(UniqueFd dup, dup_host_stdio(stdio[i], i));
    if (dup.valid())
      impl->fds.emplace(i, stdio_entry(std::move(dup)));
  }
  uint32_t next = 3;
  for (const Preopen& p : config.preopens) {
    RILL_TRY(UniqueFd dir, open_preopen_dir(p));
    FdEntry e;
    e.host = std::move(dir);
    e.type = Filetype::Directory;
    e.rights_base = rights::kDirBase;
    e.rights_inheriting = rights::kDirInheriting;
    e.preopen = p.guest_path;
    impl->fds.emplace(next++, std::move(e));
  }
  return std::shared_ptr<Context>(new Context(std::move(impl)));
}

}  // namespace rill::wasi::p1
