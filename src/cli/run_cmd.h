// `rill run`: instantiate a WASI preview1 command (or reactor) module with the host from
// src/wasi/p1 and run it, or call one export with --invoke; or run a WASI 0.2 command
// component (wasi:cli/run) with the host from src/wasi/p2. Flag parsing is in main.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rill/rill.h"
#include "rill/wasi.h"
#include "rill/wasi_p2.h"

namespace rill::cli {

/// Exit status for a guest that trapped (what an abort gives a native program).
inline constexpr int kTrapExitStatus = 134;
/// Guest exit codes must be below this (WASI's range, as Wasmtime enforces it); any other code
/// is reported as an error and `rill run` exits 1.
inline constexpr uint32_t kMaxGuestExitCode = 126;

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
  /// The caller exits right after (the `rill` binary): a component run's compiled code and
  /// instances are left to the process exit instead of being torn down.
  bool leave_to_exit = false;
  /// wasi:sockets (components only; deny by default): --allow-net permits every address and
  /// name lookups, --allow-ip the addresses in these CIDR blocks, --allow-dns lookups.
  bool allow_net = false;
  std::vector<std::string> allow_ips;
  bool allow_dns = false;
  /// --timeout DURATION as written ("2s"); empty: none. Parsed by run_limits.h.
  std::string timeout;
  /// --max-memory BYTES as written ("64M"); empty: no limit beyond the engine's.
  std::string max_memory;
  /// --link FILE.wasm (components, repeatable): instantiated first, in order, each with a WASI
  /// context of its own; their exports satisfy the matching imports of the components after
  /// them and of {file}.
  std::vector<std::string> link;
};

/// Run {flags}; returns the process exit status (the guest's proc_exit code when below
/// kMaxGuestExitCode, 0 when _start returns, kTrapExitStatus on a trap, 1 when the module cannot
/// be loaded or linked or the exit code is out of range).
/// A component file is handed to run_component.
int run_module(const RunFlags& flags);

/// Run the component {flags.file}'s wasi:cli/run export: 0 for ok, 1 for err or a load/link
/// failure, the code of wasi:cli/exit (as trap_status checks it), kTrapExitStatus on a trap.
int run_component(const RunFlags& flags);

/// Whether {path} starts with a component preamble (layer 1) rather than a core module's.
bool is_component_file(const std::string& path);
/// "rill run: {msg}" on stderr.
void run_fail(const std::string& msg);
/// The guest environment: the host's when asked, then each --env (a later KEY replaces).
std::vector<std::string> guest_env(const RunFlags& f);
/// The --dir flags as preopens.
std::vector<wasi::p1::Preopen> guest_preopens(const RunFlags& f);
/// The --allow-net, --allow-ip and --allow-dns flags as a network policy; an Error names a
/// CIDR that does not parse.
Result<wasi::p2::NetPolicy> guest_net_policy(const RunFlags& f);
/// A trap's exit status: its code for an Exit trap (a code outside [0, kMaxGuestExitCode) is
/// reported on stderr and gives 1), else the report on stderr (naming --timeout {timeout_text}
/// for an interruption) and kTrapExitStatus.
int trap_status(const Trap& trap, const std::string& timeout_text = {});

}  // namespace rill::cli
