// Bounds-checked access to the calling guest's linear memory for the preview1 host functions:
// every pointer and length a guest passes goes through here, and a bad one is Errno::Fault.
// The ABI structs themselves are encoded by the callers (abi.h has the layouts).
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <vector>

#include "rill/wasi/p1/abi.h"

namespace rill::wasi::p1 {

/// Most iovecs one call may pass (Linux's IOV_MAX; more is Errno::Inval).
inline constexpr uint32_t kMaxIovecs = 1024;
/// Longest path a guest may pass (PATH_MAX; longer is Errno::NameTooLong).
inline constexpr uint32_t kMaxPathLen = 4096;

/// The guest's memory as of the start of a host call (it cannot grow during the call).
class GuestMemory {
 public:
  GuestMemory(uint8_t* base, uint64_t size) : base_(base), size_(size) {}

  /// Whether [ptr, ptr+len) lies inside memory.
  bool in_bounds(uint32_t ptr, uint64_t len) const { return uint64_t{ptr} + len <= size_; }
  /// The address of guest {ptr}; only valid after in_bounds.
  uint8_t* at(uint32_t ptr) const { return base_ + ptr; }

  /// Load a little-endian T at {ptr}.
  template <class T>
  bool load(uint32_t ptr, T& out) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!in_bounds(ptr, sizeof(T)))
      return false;
    std::memcpy(&out, base_ + ptr, sizeof(T));
    return true;
  }
  /// Store a little-endian T at {ptr}.
  template <class T>
  bool store(uint32_t ptr, const T& v) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!in_bounds(ptr, sizeof(T)))
      return false;
    std::memcpy(base_ + ptr, &v, sizeof(T));
    return true;
  }
  /// Copy {bytes} to {ptr}.
  bool write(uint32_t ptr, const void* bytes, uint64_t len) const {
    if (!in_bounds(ptr, len))
      return false;
    if (len)
      std::memcpy(base_ + ptr, bytes, len);
    return true;
  }

  /// The guest string [ptr, ptr+len) (not NUL-terminated in the guest).
  Errno string(uint32_t ptr, uint32_t len, std::string_view& out) const {
    if (!in_bounds(ptr, len))
      return Errno::Fault;
    out = std::string_view(reinterpret_cast<const char*>(base_ + ptr), len);
    return Errno::Success;
  }

  /// Translate {count} guest iovecs at {ptr} into host iovecs pointing into memory.
  Errno iovecs(uint32_t ptr, uint32_t count, std::vector<iovec>& out) const {
    if (count > kMaxIovecs)
      return Errno::Inval;
    if (!in_bounds(ptr, uint64_t{count} * layout::kIovecSize))
      return Errno::Fault;
    out.clear();
    out.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t buf = 0;
      uint32_t len = 0;
      load(ptr + i * layout::kIovecSize, buf);
      load(ptr + i * layout::kIovecSize + 4, len);
      if (!in_bounds(buf, len))
        return Errno::Fault;
      out.push_back(iovec{base_ + buf, len});
    }
    return Errno::Success;
  }

 private:
  uint8_t* base_;
  uint64_t size_;
};

}  // namespace rill::wasi::p1
