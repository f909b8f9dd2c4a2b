// WASI preview1 (wasi_snapshot_preview1) for embedders: a Config saying what the guest may see
// (argv, an explicit environment, preopened directories, stdio), a per-instance Context that owns
// the guest's file descriptor table, and add_to_linker, which defines all 46 preview1 functions.
// The implementation (src/wasi/p1) is built only on the public API in rill/rill.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rill/base/result.h"
#include "rill/rill.h"

namespace rill::wasi::p1 {

/// The import module name every preview1 function is defined under.
inline constexpr const char* kModuleName = "wasi_snapshot_preview1";

/// A host directory the guest may use, and the name it is given there.
struct Preopen {
  std::string host_path;   ///< directory on the host
  std::string guest_path;  ///< what fd_prestat_dir_name reports (e.g. "/" or "data")
};

/// What the guest can see. Nothing of the host process is inherited unless listed here.
struct Config {
  /// argv, argv[0] (the program name) first.
  std::vector<std::string> args;
  /// The entire environment, each entry "KEY=VALUE".
  std::vector<std::string> env;
  /// Directories preopened as guest fds 3, 4, ... in this order.
  std::vector<Preopen> preopens;
  /// Host descriptors behind guest fds 0, 1 and 2 (duplicated; -1 leaves the guest fd closed).
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
};

/// One guest's WASI state: its fd table, args and environment. Owned by the embedder (shared
/// with the host functions add_to_linker defines); use one Context per instance.
class Context {
 public:
  struct Impl;

  /// Open the preopens and stdio of {config}; an Error names a directory that cannot be opened.
  static Result<std::shared_ptr<Context>> create(const Config& config);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  /// The implementation the host functions work on (internal to src/wasi).
  Impl& impl() { return *impl_; }

 private:
  explicit Context(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Define every wasi_snapshot_preview1 function in {linker}, each working on {ctx}.
/// proc_exit ends the guest with a Trap of kind Exit carrying its code.
void add_to_linker(Linker& linker, std::shared_ptr<Context> ctx);

}  // namespace rill::wasi::p1
