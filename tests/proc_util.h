// Runs a shell command for tests and captures its exit status and output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace rill::test {

struct Proc {
  int status = -1;
  std::string output;  ///< stdout and stderr
};

/// Runs {cmd} with sh, stderr joined to stdout.
inline Proc run_cmd(const std::string& cmd) {
  Proc r;
  std::FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace rill::test
