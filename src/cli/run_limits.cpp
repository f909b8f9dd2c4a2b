// `rill run --timeout` and `--max-memory` (run_limits.h).
#include "rill/cli/run_limits.h"

#include <unistd.h>

#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace rill::cli {
namespace {

/// Splits "12.5ms" into 12.5 and "ms"; nullopt when there is no number.
std::optional<std::pair<double, std::string>> number_and_unit(std::string_view text) {
  const std::string s(text);
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(v) || v < 0) return std::nullopt;
  return std::make_pair(v, std::string(end));
}

}  // namespace

Result<uint64_t> parse_duration_ms(std::string_view text) {
  const std::string usage =
      "--timeout: \"" + std::string(text) + "\" is not a duration (e.g. 500ms, 2s, 1.5m, 1h)";
  auto nu = number_and_unit(text);
  if (!nu) return Error{usage};
  double ms = 0;
  const std::string& unit = nu->second;
  if (unit == "ms") ms = nu->first;
  else if (unit.empty() || unit == "s") ms = nu->first * 1e3;
  else if (unit == "m") ms = nu->first * 60e3;
  else if (unit == "h") ms = nu->first * 3600e3;
  else return Error{usage};
  if (ms < 1) return Error{"--timeout: " + std::string(text) + " is shorter than 1ms"};
  if (ms > 1e15) return Error{"--timeout: " + std::string(text) + " is too long"};
  return static_cast<uint64_t>(std::llround(ms));
}

Result<uint64_t> parse_byte_size(std::string_view text) {
  const std::string usage = "--max-memory: \"" + std::string(text) +
                            "\" is not a size in bytes (e.g. 1048576, 64K, 64MiB, 1G, 500MB)";
  auto nu = number_and_unit(text);
  if (!nu) return Error{usage};
  struct Unit {
    const char* name;
    double factor;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},          {"B", 1},
      {"K", 0x1p10},    {"KiB", 0x1p10}, {"KB", 1e3},
      {"M", 0x1p20},    {"MiB", 0x1p20}, {"MB", 1e6},
      {"G", 0x1p30},    {"GiB", 0x1p30}, {"GB", 1e9},
      {"T", 0x1p40},    {"TiB", 0x1p40}, {"TB", 1e12},
  };
  for (const Unit& u : kUnits) {
    if (nu->second != u.name) continue;
    const double bytes = nu->first * u.factor;
    if (bytes >= 0x1p63) return Error{"--max-memory: " + std::string(text) + " is too large"};
    return static_cast<uint64_t>(bytes);
  }
  return Error{usage};
}

Result<RunLimits> parse_run_limits(const RunFlags& f) {
  RunLimits l;
  if (!f.timeout.empty()) {
    RILL_TRY(l.timeout_ms, parse_duration_ms(f.timeout));
  }
  if (!f.max_memory.empty()) {
    RILL_TRY(const uint64_t bytes, parse_byte_size(f.max_memory));
    l.max_memory_bytes = bytes;
  }
  return l;
}

void apply_run_limits(const RunLimits& limits, Store& store) {
  if (limits.max_memory_bytes) {
    StoreLimits l = store.limits();
    l.max_memory_bytes = *limits.max_memory_bytes;
    store.set_limits(l);
  }
  if (limits.timeout_ms) store.set_epoch_deadline(1);
}

RunWatchdog::RunWatchdog(const Engine& engine, uint64_t timeout_ms, std::string timeout_text)
    : text_(std::move(timeout_text)) {
  if (timeout_ms == 0) return;
  thread_ = std::thread([this, engine, timeout_ms] { run(engine, timeout_ms); });
}

RunWatchdog::~RunWatchdog() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void RunWatchdog::set_in_guest(bool in) {
  std::lock_guard lock(mutex_);
  in_guest_ = in;
}

void RunWatchdog::run(Engine engine, uint64_t timeout_ms) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  if (cv_.wait_until(lock, deadline, [this] { return stop_; })) return;
  engine.increment_epoch();  // the store's deadline is one tick: running wasm traps now
  // A guest still in a call a grace period later is blocked in the host: end the process with
  // the report the trap would have given. Holding the lock keeps the main thread from
  // finishing its own report meanwhile.
  while (!cv_.wait_for(lock, std::chrono::milliseconds(kGraceMs), [this] { return stop_; })) {
    if (!in_guest_) continue;
    const std::string report =
        "rill run: wasm trap: interrupted (--timeout " + text_ +
        " elapsed; the guest was blocked in a host call)\n";
    std::fwrite(report.data(), 1, report.size(), stderr);
    std::fflush(stderr);
    ::_exit(kTrapExitStatus);
  }
}

std::string trap_report(const Trap& trap, const std::string& timeout_text) {
  std::string text = trap.to_string();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (trap.kind == TrapKind::Interrupted && !timeout_text.empty()) {
    const size_t eol = text.find('\n');
    text.insert(eol == std::string::npos ? text.size() : eol,
                " (--timeout " + timeout_text + " elapsed)");
  }
  return text;
}

}  // namespace rill::cli
