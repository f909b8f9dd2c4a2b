// `rill run --timeout DURATION` and `--max-memory BYTES`: parsing the values, applying them to a
// Store, and the watchdog thread that ends a guest at the deadline.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "rill/cli/run_cmd.h"
#include "rill/rill.h"

namespace rill::cli {

/// "2s", "500ms", "1m", "1h", "1.5s", or a bare number of seconds, in milliseconds (> 0).
Result<uint64_t> parse_duration_ms(std::string_view text);
/// A byte count: "1048576", "64K"/"64KiB", "64M"/"64MiB", "1G"/"1GiB" (powers of 1024) or
/// "64KB"/"64MB"/"1GB" (powers of 1000).
Result<uint64_t> parse_byte_size(std::string_view text);

/// The parsed --timeout and --max-memory of a run.
struct RunLimits {
  uint64_t timeout_ms = 0;  ///< 0: none
  std::optional<uint64_t> max_memory_bytes;
};
/// Parses {f.timeout} and {f.max_memory}; the Error names the flag.
Result<RunLimits> parse_run_limits(const RunFlags& f);

/// --max-memory as the store's limit on all its linear memories and tables; with --timeout, an
/// epoch deadline of one tick (RunWatchdog advances the epoch once, at the deadline).
void apply_run_limits(const RunLimits& limits, Store& store);

/// One ticker thread for --timeout. At the deadline it advances the engine's epoch once, so a
/// guest running wasm traps with Interrupted at its next loop back-edge or call (reported by
/// trap_status, naming the timeout). A guest blocked in a host wait (poll_oneoff, a blocking
/// read, pollable.block) never reaches wasm again: if a guest call is still running kGraceMs
/// after the deadline, the watchdog reports the same trap and ends the process with
/// kTrapExitStatus. Without a timeout no thread is started.
class RunWatchdog {
 public:
  static constexpr uint64_t kGraceMs = 250;

  RunWatchdog(const Engine& engine, uint64_t timeout_ms, std::string timeout_text);
  ~RunWatchdog();
  RunWatchdog(const RunWatchdog&) = delete;
  RunWatchdog& operator=(const RunWatchdog&) = delete;

  /// Marks a guest call (instantiation, _initialize, _start, an --invoke'd export) for its scope.
  class Call {
   public:
    explicit Call(RunWatchdog& w) : w_(w) { w_.set_in_guest(true); }
    ~Call() { w_.set_in_guest(false); }
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

   private:
    RunWatchdog& w_;
  };

 private:
  void set_in_guest(bool in);
  void run(Engine engine, uint64_t timeout_ms);

  std::string text_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool in_guest_ = false;
  std::thread thread_;
};

/// The report of {trap} for `rill run`, naming --timeout {timeout_text} when the trap is an
/// interruption; without a trailing newline.
std::string trap_report(const Trap& trap, const std::string& timeout_text);

}  // namespace rill::cli
