// Import matching: checks the externs supplied to Store::instantiate against a module's imports
// with the spec's subtyping rules (link.cpp). Allocation and initialisation are instantiate.cpp.
#pragma once

#include <span>

#include "rill/base/result.h"
#include "rill/engine/engine.h"
#include "rill/engine/runtime.h"

namespace rill::engine {

/// The suite's texts for link errors.
inline constexpr const char* kUnknownImport = "unknown import";
inline constexpr const char* kIncompatibleImport = "incompatible import type";

/// Check {imports} against {cm}'s imports (count, kind and type of each). Errors start with
/// kUnknownImport or kIncompatibleImport, followed by which import failed.
Result<void> match_imports(const CompiledModule& cm, std::span<const Extern> imports);

/// Limits subtyping (spec: "import subtyping"): {actual} may stand in for {expected}.
bool limits_match(const wasm::Limits& actual, const wasm::Limits& expected);

}  // namespace rill::engine
