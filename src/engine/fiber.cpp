// Fiber: stacks (mmap with a guard region, pooled per thread), the fcontext switch, and the
// per-thread state that follows a fiber across switches (see fiber.h).
#include "rill/engine/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <boost/context/detail/fcontext.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "rill/engine/signals.h"

#ifdef RILL_FIBER_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#endif

namespace rill::engine {

constinit thread_local Fiber* detail::tl_current_fiber = nullptr;
constinit thread_local Store* detail::tl_host_caller = nullptr;

namespace {

namespace bctx = boost::context::detail;

/// PROT_NONE bytes below every stack: larger than one page, so that a frame bigger than a page
/// (a host function's buffer) that overruns the stack still lands in it.
constexpr size_t kGuardSize = size_t{64} << 10;
/// Default-size stacks kept for reuse on each thread.
constexpr size_t kMaxPooledStacks = 64;

size_t page_size() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

size_t round_to_pages(size_t n) {
  const size_t p = page_size();
  return (n + p - 1) / p * p;
}

/// Unused default-size stacks of this thread (mappings, guard region first).
struct StackPool {
  std::vector<void*> free;
  ~StackPool();
};
/// 0: the pool was never used on this thread, 1: alive, 2: destroyed at thread exit (a fiber
/// destroyed after that unmaps its stack). Trivially destructible, so readable at any time.
constinit thread_local int tl_pool_state = 0;
thread_local StackPool tl_pool;

StackPool::~StackPool() {
  tl_pool_state = 2;
  for (void* m : free) munmap(m, kGuardSize + round_to_pages(kDefaultFiberStack));
}

/// This thread's pool, constructed on first use; null once destroyed.
StackPool* stack_pool() {
  if (tl_pool_state == 2) return nullptr;
  tl_pool_state = 1;
  return &tl_pool;  // the first access constructs it
}

[[noreturn]] void fatal(const char* what) {
  std::fprintf(stderr, "rill: fiber misuse: %s\n", what);
  std::abort();
}

}  // namespace

size_t Fiber::guard_size() { return kGuardSize; }

Fiber::Fiber(Entry entry, void* stack, size_t stack_size)
    : entry_(std::move(entry)), stack_(stack), stack_size_(stack_size) {}

Result<std::unique_ptr<Fiber>> Fiber::create(Entry entry, size_t stack_size) {
  if (!entry) return unexpected("fiber: no entry function");
  const size_t size = round_to_pages(stack_size);
  if (size == 0) return unexpected("fiber: stack size is zero");
  const bool pooled = size == round_to_pages(kDefaultFiberStack);
  void* mapping = nullptr;
  StackPool* pool = pooled ? stack_pool() : nullptr;
  if (pool != nullptr && !pool->free.empty()) {
    mapping = pool->free.back();
    pool->free.pop_back();
  } else {
    mapping = mmap(nullptr, kGuardSize + size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED) {
      return unexpected("fiber: cannot map a stack of " + std::to_string(size) + " bytes: " +
                        std::strerror(errno));
    }
    if (mprotect(mapping, kGuardSize, PROT_NONE) != 0) {
      const int err = errno;
      munmap(mapping, kGuardSize + size);
      return unexpected(std::string("fiber: cannot protect the stack's guard region: ") + std::strerror(err));
    }
  }
  std::unique_ptr<Fiber> fiber(new Fiber(std::move(entry), mapping, size));
#ifdef RILL_FIBER_ASAN
  // A suspended fiber's stack holds pointers too: LeakSanitizer scans it as a root, so what
  // only a fiber suspended at exit refers to is not reported as leaked.
  __lsan_register_root_region(reinterpret_cast<void*>(fiber->stack_lo()), size);
#endif
  fiber->ctx_ = bctx::make_fcontext(reinterpret_cast<void*>(fiber->stack_hi()), size,
                                    [](bctx::transfer_t t) {
                                      auto* f = static_cast<Fiber*>(t.data);
                                      f->caller_ = t.fctx;
                                      f->run_on_stack();
                                    });
  return fiber;
}

Fiber::~Fiber() {
  if (state_ == State::Running || state_ == State::Suspended) {
    fatal("a fiber was destroyed in the middle of its entry function");
  }
  const size_t size = stack_size_;
#ifdef RILL_FIBER_ASAN
  // Frames that never returned (the entry's bottom frame, frames a fault jumped over) leave
  // their redzones poisoned; the next fiber on this stack starts clean.
  __asan_unpoison_memory_region(reinterpret_cast<void*>(stack_lo()), size);
  __lsan_unregister_root_region(reinterpret_cast<void*>(stack_lo()), size);
#endif
  if (size == round_to_pages(kDefaultFiberStack)) {
    StackPool* pool = stack_pool();
    if (pool != nullptr && pool->free.size() < kMaxPooledStacks) {
      pool->free.push_back(stack_);
      return;
    }
  }
  munmap(stack_, kGuardSize + size);
}

size_t Fiber::pooled_stacks() {
  const StackPool* pool = stack_pool();
  return pool == nullptr ? 0 : pool->free.size();
}

void Fiber::run_on_stack() {
#ifdef RILL_FIBER_ASAN
  __sanitizer_finish_switch_fiber(nullptr, &resumer_bottom_, &resumer_size_);
#endif
  try {
    entry_();
  } catch (...) {
    error_ = std::current_exception();
  }
  switch_out(true);
  __builtin_unreachable();
}

void Fiber::resume() {
  if (state_ == State::Running) fatal("resume() of a running fiber (itself or one that resumed it)");
  if (state_ == State::Done) fatal("resume() of a finished fiber");
  Fiber* const resumer = detail::tl_current_fiber;
  sigjmp_buf* const resumer_jmp = signals::tl_fault_jmp;
  signals::tl_fault_jmp = static_cast<sigjmp_buf*>(saved_fault_jmp_);
  Store* const resumer_caller = detail::tl_host_caller;
  detail::tl_host_caller = saved_host_caller_;
  detail::tl_current_fiber = this;
  state_ = State::Running;
#ifdef RILL_FIBER_ASAN
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, reinterpret_cast<void*>(stack_lo()), stack_size_);
#endif
  const bctx::transfer_t t = bctx::jump_fcontext(ctx_, this);
#ifdef RILL_FIBER_ASAN
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
  ctx_ = t.fctx;  // where the fiber suspended (meaningless once Done)
  saved_fault_jmp_ = signals::tl_fault_jmp;
  signals::tl_fault_jmp = resumer_jmp;
  saved_host_caller_ = detail::tl_host_caller;
  detail::tl_host_caller = resumer_caller;
  detail::tl_current_fiber = resumer;
  if (state_ == State::Done && error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void Fiber::suspend() {
  Fiber* const self = detail::tl_current_fiber;
  if (self == nullptr) fatal("suspend() outside a fiber");
  self->switch_out(false);
}

void Fiber::switch_out(bool exiting) {
  state_ = exiting ? State::Done : State::Suspended;
#ifdef RILL_FIBER_ASAN
  // Exiting: a null save slot tells ASan to free the fiber's fake stack.
  __sanitizer_start_switch_fiber(exiting ? nullptr : &fake_stack_, resumer_bottom_, resumer_size_);
#endif
  const bctx::transfer_t t = bctx::jump_fcontext(caller_, nullptr);
  // Resumed (possibly by another resumer than last time).
  caller_ = t.fctx;
#ifdef RILL_FIBER_ASAN
  __sanitizer_finish_switch_fiber(fake_stack_, &resumer_bottom_, &resumer_size_);
#endif
}

bool Fiber::in_current_guard(uintptr_t addr) {
  const Fiber* f = detail::tl_current_fiber;
  if (f == nullptr) return false;
  const auto base = reinterpret_cast<uintptr_t>(f->stack_);
  return addr >= base && addr < base + kGuardSize;
}

ExecState* Fiber::leased_exec(const Store* store) const {
  for (const Lease& l : leases_) {
    if (l.store == store) return l.es;
  }
  return nullptr;
}

void Fiber::add_lease(const Store* store, ExecState* es) { leases_.push_back({store, es}); }

void Fiber::end_lease(const Store* store) {
  for (size_t i = 0; i < leases_.size(); ++i) {
    if (leases_[i].store != store) continue;
    leases_[i] = leases_.back();
    leases_.pop_back();
    return;
  }
}

}  // namespace rill::engine
