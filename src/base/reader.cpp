// Reader implementation: LEB128 decoding with the spec's overlong/overflow rules.
#include "rill/base/reader.h"

namespace rill {

Result<uint8_t> Reader::u8() {
  if (pos_ >= data_.size()) return error("unexpected end");
  return data_[pos_++];
}

Result<uint8_t> Reader::peek_u8() const {
  if (pos_ >= data_.size()) return error("unexpected end");
  return data_[pos_];
}

Result<uint32_t> Reader::u32_fixed() {
  if (remaining() < 4) return error("unexpected end");
  uint32_t v;
  std::memcpy(&v, data_.data() + pos_, 4);
  pos_ += 4;
  return v;
}

Result<uint64_t> Reader::u64_fixed() {
  if (remaining() < 8) return error("unexpected end");
  uint64_t v;
  std::memcpy(&v, data_.data() + pos_, 8);
  pos_ += 8;
  return v;
}

template <class T, int Bits, bool Signed>
Result<T> Reader::leb() {
  using U = std::make_unsigned_t<T>;
  U result = 0;
  int shift = 0;
  constexpr int kMaxBytes = (Bits + 6) / 7;
  for (int i = 0; i < kMaxBytes; ++i) {
    if (pos_ >= data_.size()) return error("unexpected end");
    const uint8_t b = data_[pos_++];
    if (i == kMaxBytes - 1) {
      // The last byte may only carry the bits that remain; the rest must be a sign/zero extension.
      const int used = Bits - shift;  // bits still meaningful in this byte
      if (b & 0x80) return error_at("integer representation too long", offset() - 1);
      if constexpr (Signed) {
        const uint8_t sign_bits = static_cast<uint8_t>(b & 0x7f) >> (used - 1);
        const uint8_t all = static_cast<uint8_t>(0x7f >> (used - 1));
        if (sign_bits != 0 && sign_bits != all) return error_at("integer too large", offset() - 1);
      } else {
        if ((b & 0x7f) >> used) return error_at("integer too large", offset() - 1);
      }
    }
    result |= static_cast<U>(static_cast<U>(b & 0x7f) << shift);
    shift += 7;
    if (!(b & 0x80)) {
      if constexpr (Signed) {
        if (shift < static_cast<int>(sizeof(T) * 8) && (b & 0x40)) result |= static_cast<U>(~U{0} << shift);
      }
      if constexpr (Signed && Bits < static_cast<int>(sizeof(T) * 8)) {
        // Sign-extend from Bits (used for s33).
        const int sh = static_cast<int>(sizeof(T) * 8) - Bits;
        return static_cast<T>(static_cast<T>(result << sh) >> sh);
      }
      return static_cast<T>(result);
    }
  }
  return error("integer representation too long");
}

Result<uint32_t> Reader::u32() { return leb<uint32_t, 32, false>(); }
Result<uint64_t> Reader::u64() { return leb<uint64_t, 64, false>(); }
Result<int32_t> Reader::s32() { return leb<int32_t, 32, true>(); }
Result<int64_t> Reader::s64() { return leb<int64_t, 64, true>(); }
Result<int64_t> Reader::s33() { return leb<int64_t, 33, true>(); }

Result<std::span<const uint8_t>> Reader::bytes(size_t n) {
  if (n > remaining()) return error("unexpected end");
  auto s = data_.subspan(pos_, n);
  pos_ += n;
  return s;
}

Result<void> Reader::skip(size_t n) {
  if (n > remaining()) return error("unexpected end");
  pos_ += n;
  return {};
}

Result<std::string_view> Reader::name() {
  auto len = u32();
  if (!len) return len.error();
  const uint64_t at = offset();
  if (*len > remaining()) return error("unexpected end");
  std::string_view s(reinterpret_cast<const char*>(data_.data() + pos_), *len);
  pos_ += *len;
  if (!is_valid_utf8(s)) return error_at("malformed UTF-8 encoding", at);
  return s;
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) { ++i; continue; }
    int len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + static_cast<size_t>(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      const unsigned cc = p[i + static_cast<size_t>(k)];
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += static_cast<size_t>(len);
  }
  return true;
}

}  // namespace rill
