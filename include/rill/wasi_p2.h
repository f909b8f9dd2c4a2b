// WASI 0.2 (preview2) for embedders: a per-instance Context built from the same Config as
// preview1 (argv, environment, preopens, stdio) and add_to_linker, which defines wasi:io,
// wasi:cli, wasi:clocks, wasi:random and wasi:filesystem @0.2.12 on a ComponentLinker (imports
// of any 0.2.x up to 0.2.12 resolve to them). The implementation is in src/wasi/p2.
#pragma once

#include <memory>

#include "rill/base/result.h"
#include "rill/component.h"
#include "rill/wasi.h"

namespace rill::wasi::p2 {

/// The version every interface is defined at (the latest 0.2.x in ../shared/spec/wasi).
inline constexpr const char* kVersion = "0.2.12";

/// What the guest can see; the same as preview1's (preopens become descriptors in
/// wasi:filesystem/preopens.get-directories, in this order).
using Config = p1::Config;
using Preopen = p1::Preopen;

/// One component instance's WASI state: its resource tables (streams, pollables, descriptors,
/// errors), args and environment. Shared with the host functions add_to_linker defines; use one
/// Context (and one linker) per component instance.
class Context {
 public:
  struct Impl;

  /// Open the preopens and stdio of {config}; an Error names a directory that cannot be opened.
  static Result<std::shared_ptr<Context>> create(const Config& config);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  /// The implementation the host functions work on (internal to src/wasi/p2).
  Impl& impl() { return *impl_; }

 private:
  explicit Context(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Define the WASI 0.2 interfaces in {linker}, every function working on {ctx}.
/// wasi:cli/exit ends the guest with a Trap of kind Exit (exit(err) has code 1).
void add_to_linker(ComponentLinker& linker, std::shared_ptr<Context> ctx);

}  // namespace rill::wasi::p2
