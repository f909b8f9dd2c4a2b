// Trap messages (the spec suite's texts) and backtrace formatting.
#include "rill/engine/trap.h"
#include "rill/base/escape.h"

namespace rill::engine {

const char* trap_message(TrapKind k) {
  switch (k) {
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::TableOutOfBounds: return "out of bounds table access";
    case TrapKind::IndirectCallNull: return "uninitialized element";
    case TrapKind::IndirectCallBadSig: return "indirect call type mismatch";
    case TrapKind::UndefinedElement: return "undefined element";
    case TrapKind::IntegerDivideByZero: return "integer divide by zero";
    case TrapKind::IntegerOverflow: return "integer overflow";
    case TrapKind::InvalidConversion: return "invalid conversion to integer";
    case TrapKind::StackExhausted: return "call stack exhausted";
    case TrapKind::Interrupted: return "interrupted";
    case TrapKind::NullReference: return "null reference";
    case TrapKind::HostError: return "host error";
    case TrapKind::Exit: return "exit";
    case TrapKind::Component: return "component trap";
  }
  return "unknown trap";
}

std::string Trap::to_string() const {
  std::string s = "wasm trap: " + message;
  for (size_t i = 0; i < backtrace.size(); ++i) {
    const auto& f = backtrace[i];
    s += "\n  " + std::to_string(i) + ": ";
    if (!f.module_name.empty()) s += escape_name(f.module_name) + "!";
    s += f.func_name.empty() ? "<unnamed>" : escape_name(f.func_name);
    s += " (func " + std::to_string(f.func_index) + ")";
  }
  return s;
}

}  // namespace rill::engine
