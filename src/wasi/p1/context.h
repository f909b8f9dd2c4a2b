// Context::Impl: one guest's preview1 state — the fd table (host descriptor, filetype, rights,
// fdflags, preopen name per guest fd), argv and environment. The functions that use it are in
// fd_ops.cpp, path_ops.cpp, poll.cpp and linker.cpp.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rill/wasi.h"
#include "rill/wasi/p1/abi.h"

namespace rill::wasi::p1 {

/// Most guest fds open at once (past it path_open fails with Errno::Mfile).
inline constexpr uint32_t kMaxFds = 16384;

/// An owned host file descriptor, closed on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

/// One open guest fd.
struct FdEntry {
  UniqueFd host;
  Filetype type = Filetype::Unknown;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  uint16_t fdflags = 0;
  /// The guest name of a preopened directory; nullopt for every other fd.
  std::optional<std::string> preopen;
  /// A duplicate of a host fd (stdio): it shares the open file description, and with it the
  /// status flags, with the caller of the host (a terminal, a pipe another process reads), so
  /// the guest may not change them (fd_fdstat_set_flags).
  bool shared_with_host = false;

  bool is_dir() const { return type == Filetype::Directory; }
};

/// The preview1 filetype of a host stat mode.
Filetype filetype_of(mode_t mode);
/// The filetype of open host descriptor {fd} (sockets distinguished stream/datagram).
Filetype filetype_of_fd(int fd);

/// Opening what a Config hands a guest (preview1 and the 0.2 host, src/wasi/p2, both use
/// these): a close-on-exec duplicate, above fd 2, of host stdio {fd} for guest stdio
/// {guest_fd}, invalid when {fd} is negative or closed in the host (then the guest's is closed
/// too, e.g. `rill run ... >&-`); an Error for any other failure.
Result<UniqueFd> dup_host_stdio(int fd, uint32_t guest_fd);
/// The host directory of preopen {p}, opened O_DIRECTORY; an Error names it.
Result<UniqueFd> open_preopen_dir(const Preopen& p);

struct Context::Impl {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::map<uint32_t, FdEntry> fds;

  /// The entry for guest {fd}, or nullptr.
  FdEntry* get(uint32_t fd) {
    auto it = fds.find(fd);
    return it == fds.end() ? nullptr : &it->second;
  }
  /// Store {e} at the lowest free fd; nullopt when kMaxFds are open.
  std::optional<uint32_t> insert(FdEntry e);
};

}  // namespace rill::wasi::p1
