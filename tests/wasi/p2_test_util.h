// Paths of the WASI 0.2 command components built by tests/component/components.cmake, and a
// skip when they were not built (no node/jco or no wasm32-wasi clang).
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace rill::wasi_test {

inline bool have_component_guests() {
  return RILL_HAVE_COMPONENT_GUESTS != 0;
}

/// The component {name}.wasm (guests/component/{name}.c, or p1_{x} for guests/p1/{x}.c).
inline std::string component(const std::string& name) {
  return std::string(RILL_COMPONENT_GUEST_DIR) + "/" + name + ".wasm";
}

}  // namespace rill::wasi_test

#define RILL_REQUIRE_COMPONENT_GUESTS()                                              \
  do {                                                                               \
    if (!::rill::wasi_test::have_component_guests())                                 \
      GTEST_SKIP() << "node/jco or clang-19/wasi-libc unavailable: no component guests"; \
  } while (0)
