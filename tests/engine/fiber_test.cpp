// Tests for the native fiber primitive (engine/fiber.h): switching, nesting, many fibers, stack
// pooling, exceptions, and a stack overflow on a fiber being reported as such (never as a guest
// fault). Guest calls on fibers are in fiber_engine_test.cpp.
#include "rill/engine/fiber.h"

#include <gtest/gtest.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "rill/engine/signals.h"

namespace rill::engine {
namespace {

std::unique_ptr<Fiber> make(Fiber::Entry entry, size_t stack = kDefaultFiberStack) {
  auto f = Fiber::create(std::move(entry), stack);
  EXPECT_TRUE(f) << f.error().to_string();
  return f ? std::move(f).value() : nullptr;
}

TEST(Fiber, SuspendsAndResumesInOrder) {
  std::vector<std::string> log;
  std::unique_ptr<Fiber> f = make([&] {
    log.push_back("a");
    Fiber::suspend();
    log.push_back("b");
    Fiber::suspend();
    log.push_back("c");
  });
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->state(), Fiber::State::Ready);
  EXPECT_EQ(Fiber::current(), nullptr);
  f->resume();
  EXPECT_EQ(log, (std::vector<std::string>{"a"}));
  EXPECT_EQ(f->state(), Fiber::State::Suspended);
  log.push_back("main");
  f->resume();
  EXPECT_EQ(f->state(), Fiber::State::Suspended);
  f->resume();
  EXPECT_TRUE(f->done());
  EXPECT_EQ(log, (std::vector<std::string>{"a", "main", "b", "c"}));
  EXPECT_EQ(Fiber::current(), nullptr);
}

TEST(Fiber, RunsOnItsOwnStack) {
  uintptr_t sp = 0;
  Fiber* seen = nullptr;
  std::unique_ptr<Fiber> f = make([&] {
    seen = Fiber::current();
    sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  });
  ASSERT_NE(f, nullptr);
  f->resume();
  EXPECT_EQ(seen, f.get());
  EXPECT_GE(sp, f->stack_lo());
  EXPECT_LT(sp, f->stack_hi());
  EXPECT_GE(f->stack_hi() - f->stack_lo(), kDefaultFiberStack);
}

TEST(Fiber, NestedResumeReturnsToTheResumingFiber) {
  std::vector<std::string> log;
  std::unique_ptr<Fiber> inner;
  std::unique_ptr<Fiber> outer = make([&] {
    log.push_back("outer start");
    inner->resume();  // inner suspends: back here, still on outer
    EXPECT_EQ(Fiber::current(), outer.get());
    log.push_back("outer after inner suspended");
    Fiber::suspend();
    log.push_back("outer end");
  });
  inner = make([&] {
    EXPECT_EQ(Fiber::current(), inner.get());
    log.push_back("inner start");
    Fiber::suspend();
    // Resumed from the thread's stack this time, not from outer.
    EXPECT_EQ(Fiber::current(), inner.get());
    log.push_back("inner end");
  });
  ASSERT_NE(outer, nullptr);
  ASSERT_NE(inner, nullptr);
  outer->resume();
  EXPECT_EQ(Fiber::current(), nullptr);
  EXPECT_EQ(outer->state(), Fiber::State::Suspended);
  EXPECT_EQ(inner->state(), Fiber::State::Suspended);
  inner->resume();
  EXPECT_TRUE(inner->done());
  outer->resume();
  EXPECT_TRUE(outer->done());
  EXPECT_EQ(log, (std::vector<std::string>{"outer start", "inner start", "outer after inner suspended",
                                           "inner end", "outer end"}));
}

TEST(Fiber, ManyFibersInterleaved) {
  constexpr int kFibers = 199;  // prime: every stride below is a permutation
  constexpr int kSteps = 5;
  std::vector<int> steps(kFibers, 0);
  std::vector<std::unique_ptr<Fiber>> fibers;
  for (int i = 0; i < kFibers; ++i) {
    fibers.push_back(make([&steps, i] {
      for (int s = 0; s < kSteps; ++s) {
        ++steps[i];
        Fiber::suspend();
      }
    }));
    ASSERT_NE(fibers.back(), nullptr);
  }
  // Round r resumes the fibers in a different order each time (odd stride permutation).
  for (int r = 0; r <= kSteps; ++r) {
    for (int k = 0; k < kFibers; ++k) {
      const int i = (k * (2 * r + 1) + r) % kFibers;
      ASSERT_FALSE(fibers[i]->done());
      fibers[i]->resume();
    }
    for (int i = 0; i < kFibers; ++i) ASSERT_EQ(steps[i], std::min(r + 1, kSteps)) << i;
  }
  for (auto& f : fibers) EXPECT_TRUE(f->done());
}

TEST(Fiber, StacksAreReused) {
  uintptr_t first = 0;
  {
    std::unique_ptr<Fiber> f = make([] {});
    ASSERT_NE(f, nullptr);
    f->resume();
    first = f->stack_lo();
  }
  const size_t pooled = Fiber::pooled_stacks();
  EXPECT_GE(pooled, 1u);
  std::unique_ptr<Fiber> g = make([] {});
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(Fiber::pooled_stacks(), pooled - 1);
  EXPECT_EQ(g->stack_lo(), first);  // the pooled stack (a LIFO free list)
  g->resume();
  // Stacks of another size are not pooled.
  std::unique_ptr<Fiber> small = make([] {}, 128 * 1024);
  ASSERT_NE(small, nullptr);
  small.reset();
  EXPECT_EQ(Fiber::pooled_stacks(), pooled - 1);
  // A fiber that never ran can be destroyed; so can a finished one.
  std::unique_ptr<Fiber> never = make([] {});
  EXPECT_NE(never, nullptr);
}

TEST(Fiber, CustomStackSizeAndErrors) {
  std::unique_ptr<Fiber> f = make([] {}, 100 * 1024 + 1);
  ASSERT_NE(f, nullptr);
  EXPECT_GE(f->stack_hi() - f->stack_lo(), 100u * 1024 + 1);
  EXPECT_LT(f->stack_hi() - f->stack_lo(), 100u * 1024 + 1 + 65536);
  f->resume();
  EXPECT_TRUE(f->done());

  auto zero = Fiber::create([] {}, 0);
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("stack size"), std::string::npos);
  auto no_entry = Fiber::create(Fiber::Entry{});
  ASSERT_FALSE(no_entry);
  auto huge = Fiber::create([] {}, size_t{1} << 62);
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("cannot map"), std::string::npos) << huge.error().message;
}

TEST(Fiber, ExceptionIsRethrownByResume) {
  bool after = false;
  std::unique_ptr<Fiber> f = make([&] {
    Fiber::suspend();
    throw std::runtime_error("from the fiber");
  });
  ASSERT_NE(f, nullptr);
  f->resume();
  EXPECT_THROW(f->resume(), std::runtime_error);
  EXPECT_TRUE(f->done());
  after = true;
  EXPECT_TRUE(after);
}

TEST(Fiber, FaultJumpBufferFollowsTheFiber) {
  signals::ensure_installed();
  sigjmp_buf outer_buf;
  sigjmp_buf fiber_buf;
  sigjmp_buf* seen_on_fiber = nullptr;
  sigjmp_buf* seen_after_resume = nullptr;
  signals::tl_fault_jmp = &outer_buf;
  std::unique_ptr<Fiber> f = make([&] {
    seen_on_fiber = signals::tl_fault_jmp;  // a fresh fiber starts with none
    signals::tl_fault_jmp = &fiber_buf;
    Fiber::suspend();
    seen_after_resume = signals::tl_fault_jmp;
    signals::tl_fault_jmp = nullptr;
  });
  ASSERT_NE(f, nullptr);
  f->resume();
  EXPECT_EQ(seen_on_fiber, nullptr);
  EXPECT_EQ(signals::tl_fault_jmp, &outer_buf);  // the resumer's is back
  signals::tl_fault_jmp = nullptr;
  f->resume();  // resumed with another value on the thread: the fiber still sees its own
  EXPECT_EQ(seen_after_resume, &fiber_buf);
  EXPECT_EQ(signals::tl_fault_jmp, nullptr);
}

/// Native recursion with a 1 KiB frame: overflows any fiber stack.
__attribute__((noinline)) int deep(int n) {
  volatile char buf[1024];
  buf[0] = static_cast<char>(n);
  if (n == 0) return buf[0];
  return deep(n - 1) + buf[0];
}

TEST(FiberDeathTest, StackOverflowIsReportedNotTakenForAGuestFault) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // A guard-page hit with a guest fault jump buffer armed (as when the interpreter itself ran
  // out of stack) must not jump back as a guest memory fault: the process dies, saying why.
  EXPECT_DEATH(
      {
        signals::ensure_installed();
        auto f = Fiber::create(
            [] {
              sigjmp_buf jmp;
              if (sigsetjmp(jmp, 0) != 0) {
                signals::tl_fault_jmp = nullptr;
                std::fprintf(stderr, "taken as a guest fault\n");
                std::_Exit(0);
              }
              signals::tl_fault_jmp = &jmp;
              deep(1 << 30);
            },
            64 * 1024);
        if (f) (*f)->resume();
      },
      "native stack overflow on a fiber");
}

}  // namespace
}  // namespace rill::engine
