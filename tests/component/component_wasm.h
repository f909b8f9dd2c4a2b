// Where the components encoded from tests/component/wat live at test time.
#pragma once

#include <string>

namespace rill::test {

/// tests/component/wat/{name}.wat, encoded by jco at build time.
inline std::string wasm_path(const char* name) {
  return std::string(RILL_COMPONENT_WASM_DIR) + "/" + name + ".wasm";
}

}  // namespace rill::test
