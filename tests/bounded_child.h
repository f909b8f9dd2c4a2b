// Runs a hostile case in a forked child under a memory rlimit, so that a regression (a decoder or
// runtime that allocates without bound) fails the test instead of exhausting the machine.
// RLIMIT_DATA, not RLIMIT_AS: linear memories reserve 8 GiB of PROT_NONE address space each,
// which RLIMIT_DATA does not count (only writable private mappings and the heap). Under
// AddressSanitizer (which maps terabytes of shadow) the limit is skipped; the case still runs.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <functional>

#if defined(__SANITIZE_ADDRESS__)
#define RILL_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RILL_TEST_UNDER_ASAN 1
#endif
#endif
#ifndef RILL_TEST_UNDER_ASAN
#define RILL_TEST_UNDER_ASAN 0
#endif

namespace rill::test {

/// Whether run_bounded applies its limit (false under AddressSanitizer).
inline constexpr bool kMemoryLimitApplies = !RILL_TEST_UNDER_ASAN;

/// Peak resident set of this process so far, in bytes.
inline uint64_t peak_rss() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_maxrss) * 1024;
}

/// Exit status run_bounded reports for a child that threw (e.g. std::bad_alloc at the limit).
inline constexpr int kChildThrew = 99;

/// Runs {fn} in a child process whose data segment (heap and writable mappings) is limited to
/// {bytes}, and returns its exit status: what {fn} returned (0-255; return 0 for success),
/// kChildThrew if it threw, or 128 + the signal that killed it. Use no gtest assertions in {fn}.
inline int run_bounded(uint64_t bytes, const std::function<int()>& fn) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (kMemoryLimitApplies) {
      rlimit rl{static_cast<rlim_t>(bytes), static_cast<rlim_t>(bytes)};
      if (setrlimit(RLIMIT_DATA, &rl) != 0) _exit(98);
    }
    int rc = 1;
    try {
      rc = fn();
    } catch (...) {
      rc = kChildThrew;
    }
    std::fflush(nullptr);
    _exit(rc);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

}  // namespace rill::test
