// The component validator (Explainer.md / Binary.md validation notes): index spaces per sort,
// type well-formedness, import/export names, canonical definitions and core instantiation.
// Decoding is decoder.h's; type subtyping between components and instantiation are not here yet.
#pragma once

#include "rill/base/result.h"
#include "rill/component/component.h"

namespace rill::component {

/// Validates a decoded component (and everything nested in it). The error names what is wrong
/// and carries the absolute byte offset of the offending definition.
Result<void> validate_component(const Component& c);

}  // namespace rill::component
