// Disassembler for translated code (debugging and tests).
#include "rill/engine/interp/disasm.h"

#include <unordered_map>

namespace rill::engine::interp {

const char* iop_name(IOp op) {
  static const char* const kNames[] = {
#define RILL_IOP(name) #name,
#include "rill/engine/interp/iops.inc"
  };
  const auto i = static_cast<uint32_t>(op);
  return i < kIOpCount ? kNames[i] : "?";
}

std::string disassemble(const CompiledFunc& f) {
  std::unordered_map<const void*, uint32_t> ops;
  for (uint32_t i = 0; i < kIOpCount; ++i) ops.emplace(handler_table()[i], i);
  std::string out;
  for (size_t i = 0; i < f.code.size(); ++i) {
    auto it = ops.find(f.code[i].handler);
    if (it != ops.end()) {
      if (!out.empty()) out += '\n';
      out += std::to_string(i) + ": " + iop_name(static_cast<IOp>(it->second));
      continue;
    }
    out += ' ';
    out += std::to_string(f.code[i].u32[0]);
    out += ' ';
    out += std::to_string(f.code[i].u32[1]);
  }
  out += '\n';
  return out;
}

}  // namespace rill::engine::interp
