// `rill run`: instantiate a WASI preview1 command (or reactor) module with the host from
// src/wasi/p1 and run it, or call one export with --invoke. Flag parsing is in main.cpp.
#pragma once

#include <string>
#include <vector>

namespace rill::cli {

/// Exit status for a guest that trapped (what an abort gives a native program).
inline constexpr int kTrapExitStatus = 134;

/// What `rill run` was asked to do.
struct RunFlags {
  std::string file;
  /// Guest arguments after the file (argv[1...]; argv[0] is {file}).
  std::vector<std::string> args;
  /// "KEY=VALUE" entries, applied after --inherit-env.
  std::vector<std::string> env;
  bool inherit_env = false;
  /// "HOST[::GUEST]" directories to preopen.
  std::vector<std::string> dirs;
  /// Call this export instead of _start; {args} are its parameters.
  std::string invoke;
};

/// Run {flags}; returns the process exit status (the guest's proc_exit code, 0 when _start
/// returns, kTrapExitStatus on a trap, 1 when the module cannot be loaded or linked).
int run_module(const RunFlags& flags);

}  // namespace rill::cli
