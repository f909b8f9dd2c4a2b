// The string transcoding the canonical ABI needs: UTF-8 validation and conversion between
// UTF-8, UTF-16LE and Latin-1. Strings inside the runtime are UTF-8 (std::string).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rill::component::rt {

/// Appends code point {cp} to {out} as UTF-8.
void append_utf8(uint32_t cp, std::string& out);
/// How [p, p+n) reads as UTF-8.
enum class Utf8 : uint8_t {
  Valid,       ///< well-formed (no overlongs, surrogates or values past U+10FFFF)
  Invalid,     ///< a byte that cannot appear where it does
  Incomplete,  ///< well-formed up to a character that the end cuts short
};
Utf8 check_utf8(const uint8_t* p, size_t n);
/// True when [p, p+n) is well-formed UTF-8.
inline bool valid_utf8(const uint8_t* p, size_t n) { return check_utf8(p, n) == Utf8::Valid; }
/// Index of the first byte >= 0x80 in [p, p+n), or n.
size_t ascii_prefix(const uint8_t* p, size_t n);
/// Decodes {units} UTF-16LE code units at {p} into {out}; false on an unpaired surrogate.
bool utf16_to_utf8(const uint8_t* p, size_t units, std::string& out);
/// Decodes {n} Latin-1 bytes into {out}.
void latin1_to_utf8(const uint8_t* p, size_t n, std::string& out);
/// Number of UTF-16 code units of valid UTF-8 {s}.
size_t utf16_length(const std::string& s);
/// Writes valid UTF-8 {s} as UTF-16LE to {out} (utf16_length(s) * 2 bytes).
void utf8_to_utf16(const std::string& s, uint8_t* out);
/// Number of code points of valid UTF-8 {s}; {all_latin1} is set when each is below U+0100.
size_t code_points(const std::string& s, bool& all_latin1);
/// Writes valid UTF-8 {s} whose code points are all below U+0100 as Latin-1 to {out}.
void utf8_to_latin1(const std::string& s, uint8_t* out);
/// Writes the leading code points of valid UTF-8 {s} that are below U+0100 as Latin-1 to {out}
/// and returns how many there were.
size_t utf8_latin1_prefix(const std::string& s, uint8_t* out);

}  // namespace rill::component::rt
