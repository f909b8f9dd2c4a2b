// Spec-script runner: per-file counting and printing, expected failures, the epoch watchdog, and
// optional per-file process isolation (a crash or hang then fails one file, not the run).
#include "rill/cli/wast_runner.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstring>
#include <filesystem>
#include <set>

#include "rill/cli/json_util.h"
#include "rill/cli/wast_script.h"

namespace rill::cli {
namespace {

using nlohmann::json;

/// Prints one file's detail lines (capped) and keeps its counts.
class FileReport {
 public:
  FileReport(std::FILE* out, std::string script, const RunOptions& options)
      : out_(out), script_(std::move(script)), options_(options) {}

  FileStats& stats() { return stats_; }
  const std::string& script() const { return script_; }

  void failure(uint64_t line, std::string_view what, std::string_view detail) {
    ++stats_.failed;
    if (++failures_shown_ > options_.max_failures_shown) return;
    print(line, "FAIL", what, detail);
  }
  void warning(uint64_t line, std::string_view what, std::string_view detail) {
    ++stats_.warnings;
    if (++warnings_shown_ > options_.max_failures_shown && !options_.verbose) return;
    print(line, "warning", what, detail);
  }
  void trace(uint64_t line, std::string_view what) {
    std::fprintf(out_, "  %s:%" PRIu64 ": run %.*s\n", script_.c_str(), line, static_cast<int>(what.size()),
                 what.data());
    std::fflush(out_);
  }
  void verbose(uint64_t line, const char* tag, std::string_view what, std::string_view detail) {
    if (options_.verbose) print(line, tag, what, detail);
  }

  /// The closing "PASS/FAIL script (...)" line, preceded by a count of unprinted failures.
  void finish() {
    if (failures_shown_ > options_.max_failures_shown) {
      std::fprintf(out_, "  %s: ... %" PRIu64 " more failures not shown\n", script_.c_str(),
                   failures_shown_ - options_.max_failures_shown);
    }
    std::string xfail;
    if (stats_.expected_failures) xfail = ", " + std::to_string(stats_.expected_failures) + " expected failures";
    if (stats_.failed) {
      std::fprintf(out_, "FAIL %s (%" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped%s)\n", script_.c_str(),
                   stats_.passed, stats_.failed, stats_.skipped, xfail.c_str());
    } else {
      std::fprintf(out_, "PASS %s (%" PRIu64 " passed, %" PRIu64 " skipped%s)\n", script_.c_str(), stats_.passed,
                   stats_.skipped, xfail.c_str());
    }
    std::fflush(out_);
  }

 private:
  void print(uint64_t line, const char* tag, std::string_view what, std::string_view detail) {
    std::fprintf(out_, "  %s:%" PRIu64 ": %s %.*s: %.*s\n", script_.c_str(), line, tag, static_cast<int>(what.size()),
                 what.data(), static_cast<int>(detail.size()), detail.data());
    std::fflush(out_);  // keep what was printed if the engine crashes later
  }

  std::FILE* out_;
  std::string script_;
  const RunOptions& options_;
  FileStats stats_;
  uint64_t failures_shown_ = 0;
  uint64_t warnings_shown_ = 0;
};

/// Count {o} (the outcome of the command at {line}), honouring the expected-failures entry {listed}.
void record(FileReport& rep, uint64_t line, std::string_view type, const Outcome& o, const std::string* listed) {
  if (!o.warning.empty()) rep.warning(line, type, o.warning);
  if (!o.note.empty()) rep.verbose(line, "note", type, o.note);
  switch (o.status) {
    case Outcome::Status::Pass:
      if (listed) {
        rep.failure(line, type, "unexpectedly passed: remove it from the list (" + *listed + ")");
        return;
      }
      ++rep.stats().passed;
      return;
    case Outcome::Status::Fail:
      if (listed) {
        ++rep.stats().expected_failures;
        rep.verbose(line, "expected failure", type, o.detail + " [listed: " + *listed + "]");
        return;
      }
      rep.failure(line, type, o.detail);
      return;
    case Outcome::Status::Skip:
      ++rep.stats().skipped;
      rep.verbose(line, "skip", type, o.detail);
      return;
    case Outcome::Status::Silent: return;
  }
}

/// Run the commands of a parsed script document.
void run_commands(engine::Engine& engine, const RunOptions& options, const json& doc, const std::string& path,
                  FileReport& rep) {
  const json* commands = member(doc, "commands");
  if (!commands || !commands->is_array()) {
    rep.failure(0, "script", "malformed script: no \"commands\" array");
    return;
  }
  const std::map<uint64_t, std::string>* listed =
      options.expected_failures ? options.expected_failures->entries_for(rep.script()) : nullptr;
  std::set<uint64_t> seen;
  WastScript script(engine, std::filesystem::path(path).parent_path().string(), options.verbose,
                    options.deadline_ticks);
  script.set_wasmtime_host(options.wasmtime_host);
  for (const json& cmd : *commands) {
    uint64_t line = uint_member(cmd, "line").value_or(0);
    std::string type(string_member(cmd, "type").value_or("command"));
    if (options.trace) rep.trace(line, type);
    Outcome o = script.run(cmd);
    const std::string* reason = nullptr;
    if (listed) {
      auto it = listed->find(line);
      if (it != listed->end()) reason = &it->second;
      seen.insert(line);
    }
    record(rep, line, type, o, reason);
  }
  if (!listed) return;
  for (const auto& [line, reason] : *listed) {
    if (!seen.count(line)) rep.warning(line, "expected-failures", "no command at this line: remove the entry");
  }
}

FileStats run_isolated(const std::string& path, const RunOptions& options, std::FILE* out) {
  std::fflush(out);
  std::string script(base_name(path));
  auto report_broken = [&](const std::string& why) {
    FileReport rep(out, script, options);
    rep.failure(0, "script", why);
    rep.finish();
    return rep.stats();
  };
  int fds[2];
  if (pipe(fds) != 0) return report_broken(std::string("pipe failed: ") + std::strerror(errno));
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return report_broken(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    FileStats s;
    {
      engine::Engine engine;
      EpochWatchdog watchdog(engine);
      s = WastRunner(engine, options, out).run_file(path);
    }
    std::fflush(out);
    ssize_t n = write(fds[1], &s, sizeof s);
    _exit(n == static_cast<ssize_t>(sizeof s) ? 0 : 1);
  }
  close(fds[1]);
  FileStats s;
  size_t got = 0;
  bool timed_out = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.file_timeout_s);
  while (got < sizeof s) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd pfd{fds[0], POLLIN, 0};
    int ready = left.count() > 0 ? poll(&pfd, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    ssize_t n = ready > 0 ? read(fds[0], reinterpret_cast<char*>(&s) + got, sizeof s - got) : -1;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return report_broken("timed out after " + std::to_string(options.file_timeout_s) + " s; killed");
  if (got == sizeof s && WIFEXITED(status) && WEXITSTATUS(status) == 0) return s;
  if (WIFSIGNALED(status)) {
    return report_broken("runner process crashed (signal " + std::to_string(WTERMSIG(status)) + ", " +
                         strsignal(WTERMSIG(status)) + ")");
  }
  return report_broken("runner process exited abnormally (status " + std::to_string(status) + ")");
}

}  // namespace

FileStats& FileStats::operator+=(const FileStats& o) {
  passed += o.passed;
  failed += o.failed;
  skipped += o.skipped;
  expected_failures += o.expected_failures;
  warnings += o.warnings;
  return *this;
}

EpochWatchdog::EpochWatchdog(engine::Engine& engine)
    : thread_([this, &engine] {
        std::unique_lock lock(mutex_);
        while (!cv_.wait_for(lock, std::chrono::milliseconds(kEpochTickMs), [this] { return stop_; })) {
          engine.increment_epoch();
        }
      }) {}

EpochWatchdog::~EpochWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

FileStats WastRunner::run_file(const std::string& path) {
  FileReport rep(out_, std::string(base_name(path)), options_);
  auto doc = load_json_file(path);
  if (!doc) {
    rep.failure(0, "script", doc.error().message);
  } else {
    run_commands(engine_, options_, *doc, path, rep);
  }
  rep.finish();
  return rep.stats();
}

int run_wast(const std::vector<std::string>& files, const RunOptions& options, std::FILE* out) {
  FileStats total;
  if (options.isolate) {
    for (const std::string& f : files) total += run_isolated(f, options, out);
  } else {
    engine::Engine engine;
    EpochWatchdog watchdog(engine);
    WastRunner runner(engine, options, out);
    for (const std::string& f : files) total += runner.run_file(f);
  }
  if (total.expected_failures) std::fprintf(out, "%" PRIu64 " expected failures\n", total.expected_failures);
  std::fprintf(out, "%" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped\n", total.passed, total.failed,
               total.skipped);
  std::fflush(out);
  return total.failed ? 1 : 0;
}

}  // namespace rill::cli
