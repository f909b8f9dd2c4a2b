// Tests for the guest-fault handler: faults inside a memory reservation come back through
// sigsetjmp; faults elsewhere still crash (or reach the previous handler).
#include "rill/engine/signals.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csetjmp>
#include <csignal>
#include <thread>

#include "rill/engine/runtime.h"

namespace rill::engine {
namespace {

std::unique_ptr<Memory> make_memory(uint64_t pages) {
  wasm::MemoryType t;
  t.limits.min = pages;
  auto m = Memory::create(t);
  return m ? std::move(m).value() : nullptr;
}

/// Reads {addr} inside a sigsetjmp scope; returns 1 when the handler jumped back, 0 when the
/// read succeeded (the byte goes to {out}).
int guarded_read(const volatile uint8_t* addr, uint8_t* out) {
  signals::ensure_installed();
  sigjmp_buf jmp;
  if (sigsetjmp(jmp, 0) != 0) {
    signals::tl_fault_jmp = nullptr;
    return 1;
  }
  signals::tl_fault_jmp = &jmp;
  *out = *addr;
  signals::tl_fault_jmp = nullptr;
  return 0;
}

int guarded_write(volatile uint8_t* addr) {
  signals::ensure_installed();
  sigjmp_buf jmp;
  if (sigsetjmp(jmp, 0) != 0) {
    signals::tl_fault_jmp = nullptr;
    return 1;
  }
  signals::tl_fault_jmp = &jmp;
  *addr = 1;
  signals::tl_fault_jmp = nullptr;
  return 0;
}

TEST(SignalsTest, OutOfBoundsReadJumpsBack) {
  auto m = make_memory(1);
  ASSERT_NE(m, nullptr);
  uint8_t v = 0;
  EXPECT_EQ(guarded_read(m->base() + 10, &v), 0);
  EXPECT_EQ(v, 0);
  EXPECT_EQ(guarded_read(m->base() + wasm::kPageSize, &v), 1);
  EXPECT_EQ(signals::tl_fault_jmp, nullptr);
}

TEST(SignalsTest, RepeatedFaultsAreAllCaught) {
  // sigsetjmp(.., 0) does not restore the signal mask; SA_NODEFER keeps the signal unblocked.
  auto m = make_memory(0);
  ASSERT_NE(m, nullptr);
  uint8_t v = 0;
  for (int i = 0; i < 100; ++i) ASSERT_EQ(guarded_read(m->base() + i * 4096, &v), 1) << i;
  for (int i = 0; i < 10; ++i) ASSERT_EQ(guarded_write(m->base() + i), 1) << i;
}

TEST(SignalsTest, FaultsAcrossTheWholeGuardRegionAreCaught) {
  auto m = make_memory(1);
  ASSERT_NE(m, nullptr);
  uint8_t v = 0;
  // Largest u32 address + largest u32 offset, and the last byte of the reservation.
  const uint64_t far = uint64_t{UINT32_MAX} + UINT32_MAX;
  EXPECT_EQ(guarded_read(m->base() + far, &v), 1);
  EXPECT_EQ(guarded_read(m->base() + Memory::kReservation - 1, &v), 1);
  EXPECT_EQ(guarded_read(m->base() + (uint64_t{4} << 30), &v), 1);
}

TEST(SignalsTest, GrowMakesPagesAccessible) {
  auto m = make_memory(1);
  ASSERT_NE(m, nullptr);
  uint8_t v = 9;
  EXPECT_EQ(guarded_read(m->base() + wasm::kPageSize + 5, &v), 1);
  ASSERT_EQ(m->grow(1), 1);
  EXPECT_EQ(guarded_read(m->base() + wasm::kPageSize + 5, &v), 0);
  EXPECT_EQ(v, 0);
  EXPECT_EQ(guarded_read(m->base() + 2 * wasm::kPageSize, &v), 1);
}

TEST(SignalsTest, ReusedReservationsFaultPastTheirSize) {
  {
    auto big = make_memory(4);
    ASSERT_NE(big, nullptr);
    big->base()[3 * wasm::kPageSize] = 1;
  }
  // Whichever reservation comes back (likely the one just released), only one page is accessible.
  for (int i = 0; i < 3; ++i) {
    auto m = make_memory(1);
    ASSERT_NE(m, nullptr);
    uint8_t v = 0;
    EXPECT_EQ(guarded_read(m->base() + wasm::kPageSize, &v), 1);
    EXPECT_EQ(guarded_read(m->base() + 3 * wasm::kPageSize, &v), 1);
    EXPECT_EQ(guarded_read(m->base(), &v), 0);
  }
}

TEST(SignalsTest, WorksOnOtherThreads) {
  auto m = make_memory(1);
  ASSERT_NE(m, nullptr);
  int results[4] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      uint8_t v = 0;
      results[i] = guarded_read(m->base() + wasm::kPageSize * (i + 1), &v);
      stack_t ss{};
      if (sigaltstack(nullptr, &ss) != 0 || (ss.ss_flags & SS_DISABLE) != 0) results[i] = -1;
    });
  }
  for (auto& t : threads) t.join();
  for (int r : results) EXPECT_EQ(r, 1);
}

TEST(SignalsTest, ThreadGetsAnAlternateSignalStack) {
  std::thread t([] {
    signals::ensure_installed();
    stack_t ss{};
    ASSERT_EQ(sigaltstack(nullptr, &ss), 0);
    EXPECT_EQ(ss.ss_flags & SS_DISABLE, 0);
    EXPECT_GE(ss.ss_size, static_cast<size_t>(MINSIGSTKSZ));
  });
  t.join();
}

TEST(SignalsTest, RegistryTracksRegistrations) {
  alignas(64) static uint8_t region[256];
  const auto b = reinterpret_cast<uintptr_t>(region);
  EXPECT_FALSE(signals::in_reservation(b + 10));
  ASSERT_TRUE(signals::register_reservation(region, 128));
  EXPECT_TRUE(signals::in_reservation(b));
  EXPECT_TRUE(signals::in_reservation(b + 127));
  EXPECT_FALSE(signals::in_reservation(b + 128));
  signals::unregister_reservation(region);
  EXPECT_FALSE(signals::in_reservation(b + 10));
}

/// Faults outside every reservation are not ours, even with a jump buffer set.
void fault_outside_reservation() {
  signals::ensure_installed();
  void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  sigjmp_buf jmp;
  if (sigsetjmp(jmp, 0) != 0) _exit(3);  // wrongly treated as a guest fault
  signals::tl_fault_jmp = &jmp;
  *static_cast<volatile uint8_t*>(page) = 1;
  _exit(4);  // the write did not fault at all
}

/// Died of the fault itself (or, under ASan, of ASan's SEGV report), not through our exits.
bool died_of_fault(int status) {
  if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS;
  return WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3 &&
         WEXITSTATUS(status) != 4;
}

TEST(SignalsDeathTest, ForeignFaultStillCrashes) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(fault_outside_reservation(), died_of_fault, "");
}

void previous_handler(int, siginfo_t*, void*) {
  _exit(42);
}

/// With a handler installed before Rill's, foreign faults reach it.
void fault_with_previous_handler() {
  struct sigaction sa {};
  sa.sa_sigaction = &previous_handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
  fault_outside_reservation();
}

TEST(SignalsDeathTest, ForeignFaultChainsToThePreviousHandler) {
  // "threadsafe" re-executes the binary, so the child installs its handler before Rill's.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(fault_with_previous_handler(), testing::ExitedWithCode(42), "");
}

}  // namespace
}  // namespace rill::engine
