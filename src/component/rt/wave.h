// WAVE text (the WebAssembly Value Encoding wasmtime's `--invoke` and wasm-tools use) read
// against a run-time type: `42`, `-1.5`, `nan`, `'x'`, `"a\nb"`, `[1, 2]`, `(1, "a")`,
// `{x: 1, y: 2}` (option fields may be left out), `red`, `circle(2.0)`, `some(1)`, `none`,
// `ok`, `err("e")`, `{read, write}` (flags). Labels that are keywords take a `%` prefix.
// Value::to_string prints the same notation.
#pragma once

#include <string_view>
#include <vector>

#include "rill/base/result.h"
#include "rill/component/rt/rtype.h"
#include "rill/component_val.h"

namespace rill::component::rt {

/// The value of type {t} that {text} spells; an Error names what was expected and the byte
/// offset in {text} where it was not found.
Result<Value> parse_wave(std::string_view text, const RType& t);

/// Comma-separated arguments for {ft} ("1, \"a\""; a trailing comma is allowed).
Result<std::vector<Value>> parse_wave_args(std::string_view text, const FuncTypeRt& ft);

}  // namespace rill::component::rt
