#include "rill/component/rt/unicode.h"

#include <cstring>

namespace rill::component::rt {

size_t ascii_prefix(const uint8_t* p, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

namespace {
/// The range of the byte after lead {c} (the rest are 0x80..0xBF): overlongs, surrogates and
/// values past U+10FFFF are refused at the second byte.
bool second_ok(uint8_t c, uint8_t b) {
  if (c == 0xE0) return b >= 0xA0 && b <= 0xBF;
  if (c == 0xED) return b >= 0x80 && b <= 0x9F;
  if (c == 0xF0) return b >= 0x90 && b <= 0xBF;
  if (c == 0xF4) return b >= 0x80 && b <= 0x8F;
  return (b & 0xC0) == 0x80;
}
}  // namespace

Utf8 check_utf8(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    // Skip ASCII 16 bytes at a time.
    if (p[i] < 0x80) {
      while (i + 16 <= n) {
        uint64_t a, b;
        std::memcpy(&a, p + i, 8);
        std::memcpy(&b, p + i + 8, 8);
        if ((a | b) & 0x8080808080808080ull) break;
        i += 16;
      }
      while (i < n && p[i] < 0x80) ++i;
      if (i == n) return Utf8::Valid;
    }
    const uint8_t c = p[i];
    // c < 0xC2: a continuation byte or an overlong 2-byte lead; past 0xF4: no such lead.
    if (c < 0xC2 || c > 0xF4) return Utf8::Invalid;
    const size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t k = 1; k < len; ++k) {
      if (i + k == n) return Utf8::Incomplete;
      if (k == 1 ? !second_ok(c, p[i + 1]) : (p[i + k] & 0xC0) != 0x80) return Utf8::Invalid;
    }
    i += len;
  }
  return Utf8::Valid;
}

void append_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {
/// Decodes the code point at s[i] (valid UTF-8) and advances i.
uint32_t next_cp(const std::string& s, size_t& i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const uint8_t c = p[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  if (c < 0xE0) {
    uint32_t cp = ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
    i += 2;
    return cp;
  }
  if (c < 0xF0) {
    uint32_t cp = ((c & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
    i += 3;
    return cp;
  }
  uint32_t cp = ((c & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) | ((p[i + 2] & 0x3Fu) << 6) |
                (p[i + 3] & 0x3Fu);
  i += 4;
  return cp;
}
}  // namespace

bool utf16_to_utf8(const uint8_t* p, size_t units, std::string& out) {
  out.reserve(out.size() + units);
  for (size_t i = 0; i < units; ++i) {
    uint32_t u = p[2 * i] | (uint32_t{p[2 * i + 1]} << 8);
    if (u >= 0xD800 && u < 0xDC00) {
      if (i + 1 >= units) return false;
      uint32_t v = p[2 * i + 2] | (uint32_t{p[2 * i + 3]} << 8);
      if (v < 0xDC00 || v >= 0xE000) return false;
      u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
      ++i;
    } else if (u >= 0xDC00 && u < 0xE000) {
      return false;
    }
    append_utf8(u, out);
  }
  return true;
}

void latin1_to_utf8(const uint8_t* p, size_t n, std::string& out) {
  out.reserve(out.size() + n);
  for (size_t i = 0; i < n; ++i) append_utf8(p[i], out);
}

size_t utf16_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

void utf8_to_utf16(const std::string& s, uint8_t* out) {
  size_t i = 0, o = 0;
  while (i < s.size()) {
    uint32_t cp = next_cp(s, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      const uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
      out[o++] = static_cast<uint8_t>(hi);
      out[o++] = static_cast<uint8_t>(hi >> 8);
      out[o++] = static_cast<uint8_t>(lo);
      out[o++] = static_cast<uint8_t>(lo >> 8);
    } else {
      out[o++] = static_cast<uint8_t>(cp);
      out[o++] = static_cast<uint8_t>(cp >> 8);
    }
  }
}

size_t code_points(const std::string& s, bool& all_latin1) {
  size_t n = 0;
  all_latin1 = true;
  size_t i = 0;
  while (i < s.size()) {
    if (next_cp(s, i) >= 0x100) all_latin1 = false;
    ++n;
  }
  return n;
}

size_t utf8_latin1_prefix(const std::string& s, uint8_t* out) {
  size_t i = 0, n = 0;
  while (i < s.size()) {
    size_t next = i;
    const uint32_t cp = next_cp(s, next);
    if (cp >= 0x100) break;
    out[n++] = static_cast<uint8_t>(cp);
    i = next;
  }
  return n;
}

void utf8_to_latin1(const std::string& s, uint8_t* out) {
  size_t i = 0, o = 0;
  while (i < s.size()) out[o++] = static_cast<uint8_t>(next_cp(s, i));
}

}  // namespace rill::component::rt
