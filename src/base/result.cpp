// Error formatting and the invariant-failure path.
#include "rill/base/result.h"

#include <cstdio>
#include <cstdlib>

namespace rill {

std::string Error::to_string() const {
  if (offset == kNoOffset) return message;
  char buf[32];
  std::snprintf(buf, sizeof buf, " (at offset 0x%llx)", static_cast<unsigned long long>(offset));
  return message + buf;
}

namespace detail {
void assert_fail(const char* cond, const char* file, int line) {
  std::fprintf(stderr, "rill: internal invariant failed: %s at %s:%d\n", cond, file, line);
  std::abort();
}
}  // namespace detail

}  // namespace rill
