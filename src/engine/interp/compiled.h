// TEMPORARY: the interpreter helper replaces this with the real CompiledFunc definition.
#pragma once
namespace rill::engine {
struct CompiledFunc;
}
