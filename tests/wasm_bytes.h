// Byte helpers for tests that build core wasm binaries by hand: LEB128 and sections.
#pragma once

#include <cstdint>
#include <vector>

namespace rill::test {

using Bytes = std::vector<uint8_t>;

/// Appends {v} as unsigned LEB128.
inline void put_leb(Bytes& b, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    b.push_back(byte);
  } while (v);
}

/// Appends section {id} with {payload}.
inline void put_section(Bytes& out, uint8_t id, const Bytes& payload) {
  out.push_back(id);
  put_leb(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

}  // namespace rill::test
