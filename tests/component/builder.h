// Byte builders for the component decoder tests: LEB128s, strings, sections and preambles, so
// each test spells out its input the way Binary.md writes the grammar.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "../wasm_bytes.h"

namespace rill::component::testing {

using Bytes = std::vector<uint8_t>;

/// Concatenation.
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// Unsigned LEB128.
inline Bytes u32(uint64_t v) {
  Bytes b;
  rill::test::put_leb(b, v);
  return b;
}

/// Signed LEB128 (valtype indices are written as non-negative s33s).
inline Bytes s33(int64_t v) {
  Bytes b;
  for (;;) {
    const uint8_t byte = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
      b.push_back(byte);
      return b;
    }
    b.push_back(byte | 0x80);
  }
}

/// A length-prefixed string (core:name, labellit, ...).
inline Bytes str(std::string_view s) {
  Bytes b = u32(s.size());
  b.insert(b.end(), s.begin(), s.end());
  return b;
}

/// section_N(payload): id, size, payload.
inline Bytes section(uint8_t id, const Bytes& payload) {
  return cat({{id}, u32(payload.size()), payload});
}

/// A vec(...) section: id, size, count, items.
inline Bytes vec_section(uint8_t id, std::initializer_list<Bytes> items) {
  Bytes payload = u32(items.size());
  for (const Bytes& i : items) payload.insert(payload.end(), i.begin(), i.end());
  return section(id, payload);
}

/// vec(items) without a section.
inline Bytes vec(std::initializer_list<Bytes> items) {
  Bytes out = u32(items.size());
  for (const Bytes& i : items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

inline const Bytes kComponentPreamble = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
inline const Bytes kCorePreamble = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

/// A component: the preamble then {sections}.
inline Bytes component(std::initializer_list<Bytes> sections) {
  Bytes out = kComponentPreamble;
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

/// nameattributes 0x00 form.
inline Bytes name(std::string_view s) { return cat({{0x00}, str(s)}); }

// Section ids (Binary.md "Component Definitions").
inline constexpr uint8_t kCustom = 0, kCoreModule = 1, kCoreInstance = 2, kCoreType = 3,
                         kComponent = 4, kInstance = 5, kAlias = 6, kType = 7, kCanon = 8,
                         kStart = 9, kImport = 10, kExport = 11, kValue = 12;

/// One valid component touching every section kind (and a nested component and core module).
inline Bytes every_section_component() {
  const Bytes module = cat({kCorePreamble, section(1, {0x01, 0x60, 0x00, 0x00})});
  return component({
      section(kCustom, cat({str("note"), {1, 2}})),
      section(kCoreModule, module),
      vec_section(kCoreInstance, {cat({{0x00}, u32(0), vec({})})}),
      vec_section(kCoreType, {cat({{0x60}, vec({{0x7f}}), vec({})}),
                              cat({{0x50}, vec({cat({{0x03}, str("e"), {0x00}, u32(0)})})})}),
      section(kComponent, component({vec_section(kImport, {cat({name("f"), {0x01, 0x00}})})})),
      vec_section(kInstance, {cat({{0x01}, vec({})})}),
      vec_section(kAlias, {cat({{0x00, 0x00, 0x01}, u32(0), str("f")})}),
      vec_section(kType, {{0x73},
                          cat({{0x72}, vec({cat({str("a"), {0x79}})})}),
                          cat({{0x40}, vec({cat({str("x"), {0x7a}})}), {0x00, 0x73}}),
                          cat({{0x42}, vec({cat({{0x04}, name("g"), {0x01}, u32(2)})})})}),
      vec_section(kCanon,
                  {cat({{0x00, 0x00}, u32(0), vec({{0x00}, cat({{0x03}, u32(0)})}), u32(2)}),
                   cat({{0x02}, u32(0)})}),
      section(kStart, cat({u32(0), vec({}), u32(0)})),
      vec_section(kImport, {cat({name("h"), {0x01}, u32(2)})}),
      vec_section(kExport, {cat({name("g"), {0x01}, u32(0), {0x00}})}),
      vec_section(kValue, {cat({{0x7f}, u32(1), {0x00}})}),
  });
}

}  // namespace rill::component::testing
