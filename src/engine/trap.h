// Traps as values: the kind, the spec's message, and a backtrace of wasm frames.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rill::engine {

/// Why execution stopped abnormally. Messages equal the spec test suite's texts.
enum class TrapKind : uint8_t {
  Unreachable,             ///< "unreachable"
  MemoryOutOfBounds,       ///< "out of bounds memory access"
  TableOutOfBounds,        ///< "out of bounds table access"
  IndirectCallNull,        ///< "uninitialized element"
  IndirectCallBadSig,      ///< "indirect call type mismatch"
  UndefinedElement,        ///< "undefined element" (call_indirect index past the table's end)
  IntegerDivideByZero,     ///< "integer divide by zero"
  IntegerOverflow,         ///< "integer overflow"
  InvalidConversion,       ///< "invalid conversion to integer"
  StackExhausted,          ///< "call stack exhausted"
  Interrupted,             ///< "interrupted" (epoch deadline reached)
  NullReference,           ///< "null reference"
  HostError,               ///< a host function failed; message says why
  Exit,                    ///< a host function asked to end the program (e.g. proc_exit); not a fault
  Component,               ///< a component-model trap; component_code says which
};

/// The spec text for {k}.
const char* trap_message(TrapKind k);

/// One wasm frame in a trap backtrace.
struct FrameInfo {
  uint32_t func_index = 0;
  std::string func_name;    ///< from the name section, or empty
  std::string module_name;  ///< from the name section, or empty
};

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string message;             ///< trap_message(kind) unless a host supplied its own
  int exit_code = 0;               ///< kind == Exit
  std::vector<FrameInfo> backtrace;  ///< innermost first
  /// kind == Component: the component layer's kind (component::rt::ComponentTrap).
  uint16_t component_code = 0;

  static Trap make(TrapKind k) { return Trap{k, trap_message(k), 0, {}, 0}; }
  static Trap host(std::string msg) { return Trap{TrapKind::HostError, std::move(msg), 0, {}, 0}; }
  /// "wasm trap: out of bounds memory access\n  0: func_name (func 3)\n ..."
  std::string to_string() const;
};

}  // namespace rill::engine
