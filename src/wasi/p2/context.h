// Context::Impl: one component instance's WASI 0.2 state — args, environment, stdio and preopen
// descriptors, and a table per host resource type (streams, pollables, errors, descriptors)
// keyed by the rep handed to the guest. The interfaces that use it are io.cpp, cli.cpp,
// clocks_random.cpp and filesystem.cpp; the resource types themselves are in host.h.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rill/wasi/p1/context.h"
#include "rill/wasi_p2.h"

namespace rill::wasi::p2 {

using p1::UniqueFd;

/// Most live resources of one kind a guest may hold (past it, creating one more traps).
inline constexpr size_t kMaxResources = 65536;

/// Resources of one kind by rep; reps start at 1 and are never reused.
template <class T>
class Table {
 public:
  /// Store {v}; 0 when kMaxResources are live.
  uint32_t insert(T v) {
    if (items_.size() >= kMaxResources)
      return 0;
    uint32_t rep = next_++;
    items_.emplace(rep, std::move(v));
    return rep;
  }
  T* get(uint32_t rep) {
    auto it = items_.find(rep);
    return it == items_.end() ? nullptr : &it->second;
  }
  void erase(uint32_t rep) { items_.erase(rep); }

 private:
  std::map<uint32_t, T> items_;
  uint32_t next_ = 1;
};

/// An input-stream: stdin, or a file read from {offset} on.
struct InputStream {
  UniqueFd fd;                     ///< invalid: closed (reads report stream-error.closed)
  std::optional<uint64_t> offset;  ///< files: pread position; nullopt: read(2) (pipes, ttys)
};

/// An output-stream: stdout/stderr, or a file written at {offset} (appending streams reopen the
/// file with O_APPEND and use write(2)).
struct OutputStream {
  UniqueFd fd;                     ///< invalid: closed
  std::optional<uint64_t> offset;  ///< files: pwrite position; nullopt: write(2)
};

/// A pollable: always ready, ready at a monotonic-clock deadline, or when an fd is.
struct Pollable {
  enum class Kind : uint8_t { Ready, Deadline, Fd };
  Kind kind = Kind::Ready;
  uint64_t deadline_ns = 0;  ///< Kind::Deadline: monotonic-clock instant
  UniqueFd fd;               ///< Kind::Fd: a duplicate of the stream's descriptor
  short events = 0;          ///< Kind::Fd: POLLIN or POLLOUT
};

/// A wasi:io/error: what a failed stream operation reports.
struct IoError {
  std::string message;
  int host_errno = 0;  ///< for wasi:filesystem/types.filesystem-error-code
};

/// A wasi:filesystem descriptor: a host fd and what the guest may do with it.
struct Descriptor {
  UniqueFd fd;
  bool read = false;
  bool write = false;
  bool mutate_dir = false;  ///< directories: create/remove/rename entries beneath
  /// descriptor-flags file-integrity-sync, data-integrity-sync, requested-write-sync: what
  /// open-at was asked for (O_SYNC, O_DSYNC, O_RSYNC), reported back by get-flags.
  std::vector<std::string> sync_flags;
};

/// A directory-entry-stream: entries read at read-directory, handed out one by one.
struct DirStream {
  std::vector<std::pair<std::string, std::string>> entries;  ///< (descriptor-type, name)
  size_t next = 0;
};

struct Context::Impl {
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  UniqueFd stdio[3];
  std::vector<std::pair<UniqueFd, std::string>> preopens;
  std::pair<uint64_t, uint64_t> insecure_seed;

  Table<InputStream> inputs;
  Table<OutputStream> outputs;
  Table<Pollable> pollables;
  Table<IoError> errors;
  Table<Descriptor> descriptors;
  Table<DirStream> dir_streams;
};

}  // namespace rill::wasi::p2
