// Prints what a component imports and exports as WIT (WIT.md): a `world` block, then one nested
// `package` block per package of the interfaces it names, as `wasm-tools component wit` does.
// Types are resolved through wit_resolve.h; this is a view of the binary, not a WIT parser.
#pragma once

#include <string>

#include "rill/base/result.h"
#include "rill/component/component.h"

namespace rill::component {

/// The WIT of {c}'s imports and exports: `package root:component;`, `world root { ... }` and the
/// interfaces it uses. Fails only when the output would be unreasonably large. {c} should have
/// been validated: types that do not resolve are printed as `unknown`.
Result<std::string> print_wit(const Component& c);

}  // namespace rill::component
