// Binary decoder for components (Binary.md): preamble, every section, nested components, and
// embedded core modules (decoded by wasm::decode_module). Structure only: index, type and name
// rules are the validator's. Every error carries the absolute byte offset of the bad item.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "rill/base/result.h"
#include "rill/component/component.h"

namespace rill::component {

/// What the preamble's `layer` field says a binary is.
enum class BinaryKind : uint8_t {
  CoreModule,  ///< layer 0x00 (core version 1)
  Component,   ///< layer 0x01 (component version 0x0d)
};

/// Reads the 8-byte preamble: "magic header not detected", "unknown binary version" or
/// "unknown binary layer" when it is neither a core module nor a component.
Result<BinaryKind> detect_binary_kind(std::span<const uint8_t> bytes);

/// Decodes a component. The result does not point into {bytes}: custom sections and values are
/// kept as offsets into it, core modules own a copy of theirs.
Result<std::shared_ptr<const Component>> decode_component(std::span<const uint8_t> bytes);

}  // namespace rill::component
