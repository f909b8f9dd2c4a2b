// Opcode metadata table and encoding lookup.
#include "rill/wasm/opcodes.h"

#include <array>

namespace rill::wasm {
namespace {

constexpr OpInfo kInfo[] = {
#define RILL_OP(name, prefix, code, text, imm, sig) {text, prefix, code, ImmKind::imm, sig},
#include "rill/wasm/opcodes.def"
};
static_assert(sizeof(kInfo) / sizeof(kInfo[0]) == kOpCount);

constexpr uint16_t kNone = 0xffff;

struct Tables {
  std::array<uint16_t, 256> single{};
  std::array<uint16_t, 32> fc{};
  std::array<uint16_t, 256> fd{};
  constexpr Tables() {
    single.fill(kNone);
    fc.fill(kNone);
    fd.fill(kNone);
    for (uint32_t i = 0; i < kOpCount; ++i) {
      const auto& in = kInfo[i];
      if (in.prefix == 0) single[in.code] = static_cast<uint16_t>(i);
      else if (in.prefix == 0xFC) fc[in.code] = static_cast<uint16_t>(i);
      else fd[in.code] = static_cast<uint16_t>(i);
    }
  }
};
constexpr Tables kTables;

}  // namespace

const OpInfo& op_info(Op op) { return kInfo[static_cast<uint32_t>(op)]; }

std::optional<Op> lookup_op(uint8_t prefix, uint32_t code) {
  uint16_t v = kNone;
  if (prefix == 0) v = kTables.single[code & 0xff];
  else if (prefix == 0xFC && code < kTables.fc.size()) v = kTables.fc[code];
  else if (prefix == 0xFD && code < kTables.fd.size()) v = kTables.fd[code];
  if (v == kNone) return std::nullopt;
  return static_cast<Op>(v);
}

const char* unsupported_proposal(uint8_t prefix, uint32_t code) {
  if (prefix == 0) {
    switch (code) {
      case 0x06: case 0x07: case 0x08: case 0x09: case 0x0a: case 0x18: case 0x19: case 0x1f:
        return "exception handling";
      case 0x14: case 0x15: case 0xd3: case 0xd4: case 0xd6:
        return "typed function references";
      case 0xd5: case 0xfb:
        return "garbage collection";
      case 0xfe:
        return "threads";
      default:
        return nullptr;
    }
  }
  if (prefix == 0xFD && code >= 0x100 && code <= 0x113) return "relaxed SIMD";
  if (prefix == 0xFC && (code == 18 || code == 19)) return "memory64";
  return nullptr;
}

}  // namespace rill::wasm
