// Linear memory over one mmap reservation: [0, size) read/write, the rest PROT_NONE, so guest
// out-of-bounds accesses fault (signals.cpp turns those into traps). Host access is bounds-checked.
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "rill/engine/runtime.h"
#include "rill/engine/signals.h"
#include "rill/wasm/decoder.h"

namespace rill::engine {
namespace {

/// What we actually map: the documented reservation plus one more page, so even a 16-byte access
/// at the largest u32 address + u32 offset starts and ends inside our own PROT_NONE range.
constexpr uint64_t kMappedBytes = Memory::kReservation + wasm::kPageSize;

/// Released reservations kept for reuse (wasmtime's pooling allocator in miniature). A pooled
/// reservation keeps the read/write extent it had, zeroed, so creating a memory of the same
/// size again costs no system call, and releasing one costs a reset (no mprotect, no munmap).
/// Pooled reservations stay registered with the fault handler.
class ReservationPool {
 public:
  struct Entry {
    uint8_t* base = nullptr;
    uint64_t accessible = 0;  ///< [0, accessible) is read/write and reads as zero
  };
  /// A clean reservation, preferring one whose accessible extent is {want}; base is null when
  /// the pool is empty.
  Entry take(uint64_t want) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (count_ == 0) return {};
    size_t pick = count_ - 1;
    for (size_t i = count_; i-- > 0;)
      if (free_[i].accessible == want) {
        pick = i;
        break;
      }
    Entry e = free_[pick];
    free_[pick] = free_[--count_];
    return e;
  }
  /// Reset [0, accessible) to zero pages and keep {base}; false when the pool is full or the
  /// reset failed (the caller then unmaps it).
  bool give(uint8_t* base, uint64_t accessible) {
    if (full()) return false;
    if (accessible != 0 && !zero(base, accessible)) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    if (count_ == kMaxPooled) return false;
    free_[count_++] = Entry{base, accessible};
    return true;
  }

 private:
  /// Enough for a burst of short-lived stores; each entry costs address space and at most
  /// kKeepResident bytes of zeroed RAM.
  static constexpr size_t kMaxPooled = 32;
  /// The head of a memory stays resident (zeroed in place) so the next instance's data segments
  /// and first accesses do not page-fault; the rest goes back to the kernel.
  static constexpr uint64_t kKeepResident = 64 * 1024;
  static constexpr uint64_t kOsPage = 4096;

  /// Make [0, len) read as zero again.
  static bool zero(uint8_t* base, uint64_t len) {
    const uint64_t keep = std::min(len, kKeepResident);
    unsigned char resident[kKeepResident / kOsPage];
    if (mincore(base, keep, resident) == 0) {
      // Only pages that were touched need clearing; writing the others would fault them in.
      for (uint64_t page = 0; page * kOsPage < keep; ++page) {
        if ((resident[page] & 1) != 0)
          std::memset(base + page * kOsPage, 0, std::min(kOsPage, keep - page * kOsPage));
      }
    } else if (madvise(base, keep, MADV_DONTNEED) != 0) {
      return false;
    }
    return len == keep || madvise(base + keep, len - keep, MADV_DONTNEED) == 0;
  }
  bool full() {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_ == kMaxPooled;
  }
  std::mutex mutex_;
  Entry free_[kMaxPooled] = {};
  size_t count_ = 0;
};

ReservationPool& pool() {
  static ReservationPool* p =
      new ReservationPool();  // never destroyed: memories may outlive statics
  return *p;
}

/// A fresh or pooled reservation registered with the fault handler whose first {bytes} are
/// read/write (zero) and the rest PROT_NONE, or null.
uint8_t* acquire_reservation(uint64_t bytes, std::string& error) {
  ReservationPool::Entry e = pool().take(bytes);
  if (e.base) {
    int rc = 0;
    if (e.accessible < bytes)
      rc = mprotect(e.base + e.accessible, bytes - e.accessible, PROT_READ | PROT_WRITE);
    else if (e.accessible > bytes)
      rc = mprotect(e.base + bytes, e.accessible - bytes, PROT_NONE);
    if (rc == 0) return e.base;
    // Part of the range may have changed: drop the reservation.
    signals::unregister_reservation(e.base);
    munmap(e.base, kMappedBytes);
  }
  void* base =
      mmap(nullptr, kMappedBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) {
    error = "failed to reserve linear memory (mmap)";
    return nullptr;
  }
  if (!signals::register_reservation(base, kMappedBytes)) {
    munmap(base, kMappedBytes);
    error = "too many linear memories";
    return nullptr;
  }
  if (bytes != 0 && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
    signals::unregister_reservation(base);
    munmap(base, kMappedBytes);
    error = "failed to commit linear memory (mprotect)";
    return nullptr;
  }
  return static_cast<uint8_t*>(base);
}

/// Return a reservation whose first {accessible} bytes were read/write.
void release_reservation(uint8_t* base, uint64_t accessible) {
  if (pool().give(base, accessible)) return;
  signals::unregister_reservation(base);
  munmap(base, kMappedBytes);
}

}  // namespace

Result<std::unique_ptr<Memory>> Memory::create(const wasm::MemoryType& type) {
  const wasm::Limits& lim = type.limits;
  if (lim.is64) return unexpected(std::string(wasm::kUnsupportedPrefix) + "memory64");
  if (lim.shared) return unexpected(std::string(wasm::kUnsupportedPrefix) + "threads");
  if (lim.min > wasm::kMaxPages32 || (lim.max && *lim.max > wasm::kMaxPages32)) {
    return unexpected("memory size must be at most 65536 pages (4GiB)");
  }
  if (lim.max && *lim.max < lim.min) {
    return unexpected("size minimum must not be greater than maximum");
  }
  signals::ensure_installed();

  std::string error;
  const uint64_t bytes = lim.min * wasm::kPageSize;
  uint8_t* base = acquire_reservation(bytes, error);
  if (base == nullptr) return unexpected(std::move(error));
  std::unique_ptr<Memory> mem(new Memory());
  mem->base_ = base;
  mem->pages_ = lim.min;
  mem->max_pages_ = lim.max;
  return mem;
}

Memory::~Memory() {
  if (base_ == nullptr) return;
  release_reservation(base_, size_bytes());
}

wasm::MemoryType Memory::type() const {
  wasm::MemoryType t;
  t.limits.min = pages_;
  t.limits.max = max_pages_;
  return t;
}

int64_t Memory::grow(uint64_t delta_pages) {
  const uint64_t old = pages_;
  const uint64_t limit = max_pages_ ? *max_pages_ : wasm::kMaxPages32;
  if (delta_pages > limit || old + delta_pages > limit) return -1;
  if (delta_pages == 0) return static_cast<int64_t>(old);
  // Pages past the size hold zeros: never touched, or reset when a pooled reservation came back.
  uint8_t* start = base_ + old * wasm::kPageSize;
  const uint64_t len = delta_pages * wasm::kPageSize;
  if (account_ && account_->check(0, len)) return -1;
  if (mprotect(start, len, PROT_READ | PROT_WRITE) != 0) {
    // A failed mprotect may have changed part of the range; nothing past the size may be
    // accessible.
    mprotect(start, len, PROT_NONE);
    return -1;
  }
  pages_ = old + delta_pages;
  if (account_) account_->charge_memory(len);
  return static_cast<int64_t>(old);
}

bool Memory::read(uint64_t offset, void* out, uint64_t len) const {
  const uint64_t size = size_bytes();
  if (offset > size || len > size - offset) return false;
  if (len != 0) std::memcpy(out, base_ + offset, len);
  return true;
}

bool Memory::write(uint64_t offset, const void* in, uint64_t len) {
  const uint64_t size = size_bytes();
  if (offset > size || len > size - offset) return false;
  if (len != 0) std::memcpy(base_ + offset, in, len);
  return true;
}

}  // namespace rill::engine
