// The SIGSEGV/SIGBUS handler that turns faults inside linear-memory reservations into a
// siglongjmp back to the interpreter, the lock-free reservation registry it reads, and the
// per-thread alternate signal stacks. Faults that are not ours go to the previous handler.
#include "rill/engine/signals.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <mutex>

#include "rill/engine/fiber.h"

namespace rill::engine::signals {

constinit thread_local sigjmp_buf* volatile tl_fault_jmp = nullptr;

namespace {

/// One registry entry; begin == 0 marks a free slot. Writers hold {g_registry_mutex}; the
/// signal handler reads without locking, so entries are published end-before-begin.
struct Range {
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
};

Range g_ranges[kMaxReservations];
/// High-water mark: slots at or past it have never been used, so the handler stops there.
std::atomic<uint32_t> g_used{0};
std::mutex g_registry_mutex;

struct sigaction g_prev_segv;
struct sigaction g_prev_bus;

/// Large enough for our handler and for chained handlers (ASan's report path included).
constexpr size_t kAltStackSize = 256 * 1024;
constexpr size_t kAltStackGuard = 4096;

/// This thread's alternate signal stack, when we installed it; released at thread exit.
struct AltStack {
  void* mapping = nullptr;
  ~AltStack() {
    if (mapping == nullptr) return;
    stack_t current{};
    if (sigaltstack(nullptr, &current) == 0 &&
        current.ss_sp == static_cast<char*>(mapping) + kAltStackGuard) {
      stack_t off{};
      off.ss_flags = SS_DISABLE;
      sigaltstack(&off, nullptr);
    }
    munmap(mapping, kAltStackSize + kAltStackGuard);
  }
};

thread_local AltStack tl_alt_stack;
thread_local bool tl_ready = false;

/// Hand a fault that is not ours to whoever had the signal before us. With no previous handler
/// the default action is restored, so returning re-executes the faulting instruction and the
/// process dies as it would have without Rill.
void chain(int sig, siginfo_t* info, void* context) {
  const struct sigaction& prev = sig == SIGBUS ? g_prev_bus : g_prev_segv;
  if ((prev.sa_flags & SA_SIGINFO) != 0 && prev.sa_sigaction != nullptr) {
    prev.sa_sigaction(sig, info, context);
    return;
  }
  if ((prev.sa_flags & SA_SIGINFO) == 0 && prev.sa_handler != SIG_DFL &&
      prev.sa_handler != SIG_IGN) {
    prev.sa_handler(sig);
    return;
  }
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  // A signal sent with kill() does not recur on return; send it again.
  if (info == nullptr || info->si_code <= 0) raise(sig);
}

void handle_fault(int sig, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  sigjmp_buf* jmp = tl_fault_jmp;
  // si_code > 0: raised by the kernel for a real access (si_addr is meaningful).
  if (jmp != nullptr && info != nullptr && info->si_code > 0 &&
      in_reservation(reinterpret_cast<uintptr_t>(info->si_addr))) {
    siglongjmp(*jmp, 1);
  }
  // A fiber that ran out of native stack (host code or the interpreter's own frames, never a
  // guest access): not a guest fault, and nothing to return to. Say so, then die as before.
  if (info != nullptr && info->si_code > 0 &&
      Fiber::in_current_guard(reinterpret_cast<uintptr_t>(info->si_addr))) {
    static constexpr char kMsg[] = "rill: native stack overflow on a fiber (guard page hit)\n";
    [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
  }
  chain(sig, info, context);
  errno = saved_errno;
}

void install_process_handler() {
  struct sigaction sa {};
  sa.sa_sigaction = &handle_fault;
  // SA_NODEFER: the signal stays unblocked after siglongjmp even when the jump buffer did not
  // save the signal mask, so the next guest fault is caught too.
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &g_prev_segv);
  sigaction(SIGBUS, &sa, &g_prev_bus);
}

/// Give this thread an alternate signal stack unless it already has one (ASan, the embedder).
/// Without it a fault near native stack exhaustion could not run the handler.
void install_alt_stack() {
  stack_t current{};
  if (sigaltstack(nullptr, &current) == 0 && (current.ss_flags & SS_DISABLE) == 0) return;
  void* mapping = mmap(nullptr, kAltStackSize + kAltStackGuard, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapping == MAP_FAILED) return;  // the handler still works away from stack exhaustion
  mprotect(mapping, kAltStackGuard, PROT_NONE);
  stack_t ss{};
  ss.ss_sp = static_cast<char*>(mapping) + kAltStackGuard;
  ss.ss_size = kAltStackSize;
  if (sigaltstack(&ss, nullptr) != 0) {
    munmap(mapping, kAltStackSize + kAltStackGuard);
    return;
  }
  tl_alt_stack.mapping = mapping;
}

}  // namespace

void ensure_installed() {
  if (tl_ready) return;
  static std::once_flag once;
  std::call_once(once, install_process_handler);
  install_alt_stack();
  tl_ready = true;
}

bool register_reservation(const void* begin, size_t size) {
  const auto b = reinterpret_cast<uintptr_t>(begin);
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  const uint32_t used = g_used.load(std::memory_order_relaxed);
  uint32_t slot = used;
  for (uint32_t i = 0; i < used; ++i) {
    if (g_ranges[i].begin.load(std::memory_order_relaxed) == 0) {
      slot = i;
      break;
    }
  }
  if (slot == kMaxReservations) return false;
  g_ranges[slot].end.store(b + size, std::memory_order_relaxed);
  g_ranges[slot].begin.store(b, std::memory_order_release);
  if (slot == used) g_used.store(used + 1, std::memory_order_release);
  return true;
}

void unregister_reservation(const void* begin) {
  const auto b = reinterpret_cast<uintptr_t>(begin);
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  const uint32_t used = g_used.load(std::memory_order_relaxed);
  for (uint32_t i = 0; i < used; ++i) {
    if (g_ranges[i].begin.load(std::memory_order_relaxed) != b) continue;
    g_ranges[i].begin.store(0, std::memory_order_release);
    g_ranges[i].end.store(0, std::memory_order_release);
    return;
  }
}

bool in_reservation(uintptr_t addr) {
  const uint32_t used = g_used.load(std::memory_order_acquire);
  for (uint32_t i = 0; i < used; ++i) {
    const uintptr_t b = g_ranges[i].begin.load(std::memory_order_acquire);
    if (b == 0 || addr < b) continue;
    if (addr < g_ranges[i].end.load(std::memory_order_acquire)) return true;
  }
  return false;
}

}  // namespace rill::engine::signals
