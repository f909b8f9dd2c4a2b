// `rill wast --wasmtime-host`: the host items of Wasmtime's component wast harness
// (crates/wast, link_component_spectest), so scripts written for Wasmtime run unchanged. Each
// function is untyped and takes the type of the script's import. The async items
// (host-echo-u32, return-two-slowly, echo-slowly, never-return, [method]resource1.never-return)
// wait for the async host API (issue 11) and are not defined.
#pragma once

#include <cstdint>
#include <memory>

#include "rill/base/result.h"
#include "rill/component/rt/linker.h"
#include "rill/engine/engine.h"

namespace rill::cli {

/// What the harness's resource1 destructor has seen ([static]resource1.last-drop / drops).
struct WasmtimeHostDrops {
  uint32_t last = 0;
  uint32_t count = 0;
};

/// The imports: root host-return-two; instance "host" with return-three, return-hi, instance
/// "nested" (return-four), core module simple-module, resources resource1, resource2 and
/// resource1-again (resource1's type again) and resource1's functions. {drops} is updated by
/// resource1's destructor and must outlive every instance that uses the imports.
Result<component::rt::ImportMap> wasmtime_host_imports(engine::Engine& engine,
                                                        std::shared_ptr<WasmtimeHostDrops> drops);

}  // namespace rill::cli
