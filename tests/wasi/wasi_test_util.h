// Helpers for tests/wasi: a temporary directory removed afterwards, running `rill run` as a
// subprocess with its output captured, and the paths of the guests built from guests/p1.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../bounded_child.h"

namespace rill::wasi_test {

/// A fresh directory under $TMPDIR, deleted with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rill-wasi-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// What a finished process left.
struct Outcome {
  int status = -1;  ///< exit status, or 128 + signal
  long max_rss_kb = 0;  ///< the process's peak resident set (getrusage ru_maxrss)
  std::string out;
  std::string err;
};

/// Limits this process's address space to {bytes} (for a child about to run hostile input);
/// nothing under ASan, whose shadow memory reserves terabytes.
inline void limit_address_space(uint64_t bytes) {
#if !RILL_TEST_UNDER_ASAN
  rlimit lim{};
  lim.rlim_cur = lim.rlim_max = static_cast<rlim_t>(bytes);
  ::setrlimit(RLIMIT_AS, &lim);
#else
  (void)bytes;
#endif
}

/// Run {argv} (argv[0] a path) with stdin from /dev/null, capturing stdout and stderr; with an
/// address space of at most {max_memory} bytes when not 0 (see limit_address_space).
inline Outcome run_process(const std::vector<std::string>& argv, uint64_t max_memory = 0) {
  TempDir tmp;
  std::string out_path = tmp / "stdout";
  std::string err_path = tmp / "stderr";
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (max_memory != 0)
      limit_address_space(max_memory);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  Outcome o;
  int ws = 0;
  rusage ru{};
  ::wait4(pid, &ws, 0, &ru);
  o.max_rss_kb = ru.ru_maxrss;
  o.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  o.out = read_file(out_path);
  o.err = read_file(err_path);
  return o;
}

/// `rill run` with {args} (address space limited to {max_memory} bytes when not 0).
inline Outcome rill_run(std::vector<std::string> args, uint64_t max_memory = 0) {
  args.insert(args.begin(), {RILL_BINARY, "run"});
  return run_process(args, max_memory);
}

/// Whether the guests were built (clang-19 + wasi-libc present at configure time).
inline bool have_guests() {
  return RILL_WASI_HAVE_GUESTS != 0;
}

/// The built guest {name} (guests/p1/{name}.c).
inline std::string guest(const std::string& name) {
  return std::string(RILL_WASI_GUEST_DIR) + "/" + name + ".wasm";
}

}  // namespace rill::wasi_test

#define RILL_REQUIRE_GUESTS()                                                  \
  do {                                                                         \
    if (!::rill::wasi_test::have_guests())                                     \
      GTEST_SKIP() << "clang-19/wasi-libc unavailable: guests were not built"; \
  } while (0)
