// reactor_wait (engine/reactor.h) on fibers: only a fiber the thread's io_context drives
// (set_reactor_driven, the HTTP server's request fibers) is suspended by a wait; on any other
// fiber (the component scheduler's, which resumes its threads itself) the wait blocks the
// thread, as on the thread's own stack, and never hands the fiber to the io_context.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "rill/engine/fiber.h"
#include "rill/engine/reactor.h"

namespace {

using rill::engine::Fiber;

TEST(Reactor, AWaitOnAnUndrivenFiberBlocksTheThread) {
  bool returned = false;
  auto f = Fiber::create([&] {
    rill::engine::reactor_wait({}, rill::engine::monotonic_ns() + 5'000'000);
    returned = true;
  });
  ASSERT_TRUE(f);
  (*f)->resume();
  EXPECT_TRUE(returned);
  EXPECT_TRUE((*f)->done());
}

TEST(Reactor, AWaitOnADrivenFiberSuspendsIt) {
  bool returned = false;
  auto f = Fiber::create([&] {
    rill::engine::reactor_wait({}, rill::engine::monotonic_ns() + 5'000'000);
    returned = true;
  });
  ASSERT_TRUE(f);
  rill::engine::set_reactor_driven(f->get(), true);
  (*f)->resume();
  EXPECT_FALSE(returned);
  EXPECT_EQ((*f)->state(), Fiber::State::Suspended);
  // The io_context resumes it once the deadline passes.
  auto& io = rill::engine::thread_io_context();
  io.restart();
  while (!(*f)->done()) io.run_one();
  EXPECT_TRUE(returned);
  rill::engine::set_reactor_driven(f->get(), false);
}

}  // namespace
