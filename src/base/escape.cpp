// escape_name / terminal_safe (escape.h).
#include "rill/base/escape.h"

#include <cstdint>
#include <cstdio>

namespace rill {
namespace {

/// Length of the UTF-8 sequence at s[i] and its code point; 0 when it is not valid UTF-8
/// (overlong, surrogate, above U+10FFFF, truncated).
size_t utf8_char(std::string_view s, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const uint8_t c = b(0);
  size_t n = 0;
  uint32_t min = 0;
  if (c >= 0xc2 && c <= 0xdf) n = 2, cp = c & 0x1f, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef) n = 3, cp = c & 0x0f, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4) n = 4, cp = c & 0x07, min = 0x10000;
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/// Code points a terminal interprets (C1 controls; bidi embeddings, overrides and isolates,
/// which reorder what follows; the line and paragraph separators).
bool dangerous(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void hex_byte(std::string& out, uint8_t c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

std::string escape(std::string_view s, bool whole_text) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      if (c == '\\' && !whole_text) out += '\\';
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x80) {  // C0 or DEL
      if (c == '\n' && whole_text) out += '\n';
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else hex_byte(out, c);
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = utf8_char(s, i, cp);
    if (n == 0) {
      hex_byte(out, c);
      ++i;
    } else if (dangerous(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(cp));
      out += buf;
      i += n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace

std::string escape_name(std::string_view s) { return escape(s, false); }

std::string terminal_safe(std::string_view s) { return escape(s, true); }

}  // namespace rill
