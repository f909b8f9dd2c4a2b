// Reader: a bounds-checked cursor over bytes with LEB128 and little-endian reads.
// Every read checks the remaining input first; errors carry the offset of the failing item.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "rill/base/result.h"

namespace rill {

class Reader {
 public:
  /// {base} is the absolute offset of data[0], so nested readers report file offsets.
  explicit Reader(std::span<const uint8_t> data, uint64_t base = 0) : data_(data), base_(base) {}

  size_t pos() const { return pos_; }
  uint64_t offset() const { return base_ + pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }
  std::span<const uint8_t> data() const { return data_; }
  uint64_t base() const { return base_; }

  Result<uint8_t> u8();
  Result<uint8_t> peek_u8() const;
  Result<uint32_t> u32_fixed();
  Result<uint64_t> u64_fixed();
  /// LEB128 readers; "integer representation too long"/"integer too large" as the spec suite says.
  Result<uint32_t> u32();
  Result<uint64_t> u64();
  Result<int32_t> s32();
  Result<int64_t> s64();
  /// Signed 33-bit LEB (block types).
  Result<int64_t> s33();
  Result<std::span<const uint8_t>> bytes(size_t n);
  /// A length-prefixed UTF-8 name ("malformed UTF-8 encoding" when invalid).
  Result<std::string_view> name();
  Result<void> skip(size_t n);
  /// Unchecked skip for callers that have already checked {n} <= remaining() (hot paths).
  void advance(size_t n) { pos_ += n; }

  /// An error at the current position.
  Error error(std::string msg) const { return Error{std::move(msg), offset()}; }
  Error error_at(std::string msg, uint64_t abs_offset) const { return Error{std::move(msg), abs_offset}; }

 private:
  template <class T, int Bits, bool Signed>
  Result<T> leb();

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  uint64_t base_ = 0;
};

/// True when {s} is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace rill
