// Fiber: a function running on a native stack of its own, which can suspend itself in the middle
// (from any depth, e.g. inside a host function called by a guest) and be resumed later. This is
// what lets an async guest call wait without blocking the thread.
//
// Built on Boost.Context's fcontext switch (jump_fcontext/make_fcontext). Every switch also
// carries the per-thread state that belongs to the code running on a stack, not to the thread:
//   - signals::tl_fault_jmp (where a guest memory fault jumps to) is saved on suspend and put
//     back on resume, so a fault always lands on the stack that took it;
//   - Fiber::current() gives the running stack's bounds to the interpreter's native-stack check;
//   - the store's ExecState (value and frame stacks) is leased per fiber (Store::exec()), so two
//     guest calls of one store suspended in any order do not share stacks;
//   - Store::host_caller() (the store whose guest made the running host call) is saved and put
//     back like the fault jump buffer, so host functions shared by many stores find theirs;
//   - the interpreter re-reads the store's epoch deadline after every host call, which is where a
//     guest on a fiber resumes.
// With AddressSanitizer, every switch is announced with __sanitizer_start/finish_switch_fiber.
//
// A fiber belongs to the thread that first resumes it (its stacks are pooled per thread).
// Exceptions never cross a switch: one escaping the entry is caught on the fiber and rethrown by
// resume() on the resumer's stack.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <vector>

#include "rill/base/result.h"

namespace rill::engine {

class Store;
struct ExecState;
class Fiber;

namespace detail {
/// The fiber running on this thread (Fiber::current()); here so the check inlines.
extern constinit thread_local Fiber* tl_current_fiber;
/// The store whose guest made the running host call (Store::host_caller()); saved and put back
/// on every switch, as the fault jump buffer is.
extern constinit thread_local Store* tl_host_caller;
}  // namespace detail

#if defined(__SANITIZE_ADDRESS__)
#define RILL_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RILL_FIBER_ASAN 1
#endif
#endif

/// Usable size of a fiber stack by default (a guard page comes below it). Entering the
/// interpreter requires 256 KiB of native stack left (1 MiB with ASan, whose frames are larger),
/// so a guest call on a fiber needs more than that.
#ifdef RILL_FIBER_ASAN
inline constexpr size_t kDefaultFiberStack = size_t{4} << 20;
#else
inline constexpr size_t kDefaultFiberStack = size_t{1} << 20;
#endif

class Fiber {
 public:
  using Entry = std::function<void()>;
  enum class State : uint8_t {
    Ready,      ///< created, never resumed
    Running,    ///< on its stack now (possibly having resumed another fiber nested in it)
    Suspended,  ///< stopped in suspend(), waiting for resume()
    Done,       ///< the entry returned (or threw)
  };

  /// A fiber that runs {entry} when first resumed, on a stack of {stack_size} bytes (rounded up
  /// to whole pages) above one PROT_NONE guard page. Stacks of kDefaultFiberStack bytes are
  /// pooled per thread. An error when the stack cannot be mapped.
  static Result<std::unique_ptr<Fiber>> create(Entry entry, size_t stack_size = kDefaultFiberStack);

  /// Aborts when the fiber is Running or Suspended: the objects on its stack would never be
  /// destroyed (a suspended call must be resumed to completion, e.g. with a cancellation).
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  /// Runs the fiber until it suspends or its entry returns. Precondition: Ready or Suspended.
  /// May be called from the thread's stack or from another fiber (nesting: the resumed fiber's
  /// suspend() returns here). Rethrows an exception that escaped the entry.
  void resume();

  /// Suspends the running fiber, back to its resumer; returns when resumed. Precondition:
  /// current() is not null.
  static void suspend();

  /// The fiber running on this thread; null on the thread's own stack.
  static Fiber* current() { return detail::tl_current_fiber; }

  /// Default-size stacks in this thread's pool (for tests).
  static size_t pooled_stacks();

  State state() const { return state_; }
  bool done() const { return state_ == State::Done; }
  /// The usable stack as [stack_lo(), stack_hi()); the guard page is just below stack_lo().
  uintptr_t stack_lo() const { return reinterpret_cast<uintptr_t>(stack_) + guard_size(); }
  uintptr_t stack_hi() const { return reinterpret_cast<uintptr_t>(stack_) + guard_size() + stack_size_; }

  /// True when {addr} is in the guard page of the fiber running on this thread.
  /// Async-signal-safe (for the fault handler).
  static bool in_current_guard(uintptr_t addr);

  // Engine-internal: the ExecState each store leased to this fiber (Store::exec()).
  ExecState* leased_exec(const Store* store) const;
  void add_lease(const Store* store, ExecState* es);
  void end_lease(const Store* store);

 private:
  Fiber(Entry entry, void* stack, size_t stack_size);
  static size_t guard_size();
  /// Runs the entry on the fiber's stack, then switches out for good.
  [[noreturn]] void run_on_stack();
  /// Switches from this fiber back to its resumer; returns when resumed (never when exiting).
  void switch_out(bool exiting);

  Entry entry_;
  void* stack_;         ///< the mapping: guard page, then stack_size_ usable bytes
  size_t stack_size_;
  void* ctx_ = nullptr;     ///< the fiber's saved context while not running
  void* caller_ = nullptr;  ///< the resumer's context while running
  State state_ = State::Ready;
  /// The fiber's fault jump buffer while it is not running (signals::tl_fault_jmp).
  void* saved_fault_jmp_ = nullptr;
  /// The fiber's detail::tl_host_caller while it is not running.
  Store* saved_host_caller_ = nullptr;
  std::exception_ptr error_;
  struct Lease {
    const Store* store;
    ExecState* es;
  };
  std::vector<Lease> leases_;
#ifdef RILL_FIBER_ASAN
  void* fake_stack_ = nullptr;           ///< ASan's fake stack of the fiber while suspended
  const void* resumer_bottom_ = nullptr;  ///< the resumer's stack, for switching back
  size_t resumer_size_ = 0;
#endif
};

}  // namespace rill::engine
