// reactor_wait (reactor.h) on this thread's boost::asio::io_context: each descriptor is assigned
// to an asio posix::descriptor for an async_wait, the deadline is a steady_timer, sources get the
// wait's Waker. The first to complete wakes the wait; the others are then cancelled and the
// descriptors released (they belong to the caller, not to asio). Handlers only hold the shared
// Waker, so the ones cancelled late find it woken and do nothing.
#include "rill/engine/reactor.h"

#include <time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <utility>

#include "rill/engine/fiber.h"

namespace rill::engine {

namespace asio = boost::asio;

asio::io_context& thread_io_context() {
  thread_local asio::io_context io(1);
  return io;
}

uint64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

void Waker::wake() {
  if (woken_)
    return;
  woken_ = true;
  if (Fiber* f = std::exchange(fiber_, nullptr)) {
    // Posted, never resumed here: wake() may run inside another fiber's host call, and one
    // guest never runs nested in another's.
    asio::post(thread_io_context(), [f] { f->resume(); });
  }
}

void Event::set() {
  set_ = true;
  notify();
}

void Event::notify() {
  std::vector<WakerPtr> ws;
  ws.swap(waiters_);
  for (const WakerPtr& w : ws)
    w->wake();
}

/// One reactor_wait: registers everything, sleeps, then unregisters.
namespace {
/// The fibers of this thread that its io_context drives (set_reactor_driven).
thread_local std::vector<Fiber*> tl_driven;

/// The running fiber when the reactor drives it, else null (the wait blocks the thread).
Fiber* driven_fiber() {
  Fiber* f = Fiber::current();
  if (!f) return nullptr;
  for (Fiber* d : tl_driven)
    if (d == f) return f;
  return nullptr;
}
}  // namespace

void set_reactor_driven(Fiber* f, bool driven) {
  std::erase(tl_driven, f);
  if (driven) tl_driven.push_back(f);
}

struct WaitRun {
  asio::io_context& io = thread_io_context();
  WakerPtr waker = std::make_shared<Waker>();
  std::vector<std::unique_ptr<asio::posix::stream_descriptor>> watched;
  std::optional<asio::steady_timer> timer;

  auto handler() {
    return [w = waker](const boost::system::error_code& ec) {
      if (ec != asio::error::operation_aborted)
        w->wake();
    };
  }

  void watch_fds(std::span<const pollfd> fds) {
    std::map<int, short> wanted;  // one asio descriptor per fd (epoll refuses one fd twice)
    for (const pollfd& p : fds)
      wanted[p.fd] |= p.events;
    for (const auto& [fd, events] : wanted) {
      auto d = std::make_unique<asio::posix::stream_descriptor>(io);
      boost::system::error_code ec;
      d->assign(fd, ec);
      if (ec) {
        waker->wake();  // epoll cannot watch it (a regular file is always ready)
        continue;
      }
      if (events & POLLIN)
        d->async_wait(asio::posix::descriptor_base::wait_read, handler());
      if (events & POLLOUT)
        d->async_wait(asio::posix::descriptor_base::wait_write, handler());
      if (!(events & (POLLIN | POLLOUT)))
        d->async_wait(asio::posix::descriptor_base::wait_error, handler());
      watched.push_back(std::move(d));
    }
  }

  void arm_timer(uint64_t deadline_ns) {
    // Armed even without a deadline: a wait with nothing to end it must sleep, not return to a
    // caller that loops. Far deadlines sleep a day at a time; the caller re-checks.
    constexpr uint64_t kMaxStepNs = 24ull * 3600 * 1000000000;
    const uint64_t now = monotonic_ns();
    if (deadline_ns != UINT64_MAX && deadline_ns <= now)
      waker->wake();
    const uint64_t wait_ns = deadline_ns == UINT64_MAX
                                 ? kMaxStepNs
                                 : std::min(deadline_ns > now ? deadline_ns - now : 0, kMaxStepNs);
    timer.emplace(io);
    timer->expires_after(std::chrono::nanoseconds(static_cast<int64_t>(wait_ns)));
    timer->async_wait(handler());
  }

  void sleep() {
    if (waker->woken())
      return;
    if (Fiber* f = driven_fiber()) {
      waker->fiber_ = f;
      Fiber::suspend();  // resumed by the handler Waker::wake posted
      return;
    }
    io.restart();
    while (!waker->woken()) {
      if (io.run_one() == 0)
        break;  // cannot happen while the timer is armed
    }
  }

  ~WaitRun() {
    if (timer)
      timer->cancel();
    for (auto& d : watched) {
      boost::system::error_code ec;
      d->cancel(ec);
    }
    if (driven_fiber() == nullptr) {
      io.restart();
      io.poll();  // the cancelled handlers (a fiber's are run by the loop that runs it)
    }
    for (auto& d : watched)
      (void)d->release();  // deregisters without closing: the fd is the caller's
  }
};

bool reactor_wait(std::span<const pollfd> fds, uint64_t deadline_ns,
                  std::span<WaitSource* const> sources, Event* cancel) {
  if (cancel && cancel->ready())
    return false;
  for (WaitSource* s : sources)
    if (s->ready())
      return true;
  WaitRun run;
  if (cancel)
    cancel->arm(run.waker);
  for (WaitSource* s : sources)
    s->arm(run.waker);
  run.watch_fds(fds);
  run.arm_timer(deadline_ns);
  run.sleep();
  return !(cancel && cancel->ready());
}

}  // namespace rill::engine
