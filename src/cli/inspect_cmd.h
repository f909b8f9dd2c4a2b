// `rill inspect FILE.wasm`: what a binary needs and provides. A component prints as WIT
// (component/wit.h), a core module as one line per import and export. Flags are in main.cpp.
#pragma once

#include <cstdio>
#include <string>

#include "rill/wasm/module.h"

namespace rill::cli {

/// The imports and exports of {m}, one per line: `import module::name: func (i32) -> (i32)`,
/// `export memory: memory 2`.
std::string describe_core_module(const wasm::Module& m);

/// Inspects the file {path}, writing the description to {out} and errors to {err}; returns the
/// exit status (1 when the file cannot be read, decoded or validated).
int inspect_file(const std::string& path, std::FILE* out, std::FILE* err);

}  // namespace rill::cli
