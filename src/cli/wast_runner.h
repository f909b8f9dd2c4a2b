// `rill wast`: runs converted spec scripts (shared/testsuite/SOURCES.md), counts and prints the
// outcome of every command, and applies the expected-failures list. Commands are in wast_script.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rill/cli/expected_failures.h"
#include "rill/engine/engine.h"

namespace rill::cli {

/// Milliseconds between two epoch ticks of the watchdog.
inline constexpr uint32_t kEpochTickMs = 10;

struct RunOptions {
  bool verbose = false;
  /// Print each command before running it (to find the one that crashes or hangs).
  bool trace = false;
  /// Failures printed per file (the rest are only counted).
  uint32_t max_failures_shown = 20;
  /// Epoch ticks a command may run before it is interrupted (1000 ticks = 10 s).
  uint64_t deadline_ticks = 1000;
  /// Run each file in a child process, so a crash or hang fails only that file.
  bool isolate = false;
  /// Seconds a file may take in isolated mode before its process is killed.
  uint32_t file_timeout_s = 600;
  const ExpectedFailures* expected_failures = nullptr;
  /// Components import the host items of Wasmtime's component wast harness.
  bool wasmtime_host = false;
};

/// Counts for one file or a whole run.
struct FileStats {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  uint64_t expected_failures = 0;
  uint64_t warnings = 0;

  FileStats& operator+=(const FileStats& o);
};

/// Increments an Engine's epoch every kEpochTickMs on a background thread while alive.
class EpochWatchdog {
 public:
  explicit EpochWatchdog(engine::Engine& engine);
  ~EpochWatchdog();
  EpochWatchdog(const EpochWatchdog&) = delete;
  EpochWatchdog& operator=(const EpochWatchdog&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

class WastRunner {
 public:
  WastRunner(engine::Engine& engine, const RunOptions& options, std::FILE* out)
      : engine_(engine), options_(options), out_(out) {}

  /// Run the script {path} in a fresh Store; prints failures and the PASS/FAIL line.
  FileStats run_file(const std::string& path);

 private:
  engine::Engine& engine_;
  const RunOptions& options_;
  std::FILE* out_;
};

/// Run every file (in-process with one Engine, or one child process each when isolated),
/// print the "N passed, N failed, N skipped" total and return the exit status (0: no failures).
int run_wast(const std::vector<std::string>& files, const RunOptions& options, std::FILE* out);

}  // namespace rill::cli
