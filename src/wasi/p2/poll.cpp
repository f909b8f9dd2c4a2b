// wasi:io/poll and wasi:io/error. poll checks every pollable at once (a zero-timeout ppoll(2)
// for the fd ones) and, when none is ready, sleeps in the thread's event loop (event_loop.h,
// Boost.Asio) on all their fds and the nearest clock deadline: waiting never spins.
#include <poll.h>

#include <cerrno>
#include <vector>

#include "rill/wasi/p2/event_loop.h"
#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {

uint64_t monotonic_now_ns() {
  return engine::monotonic_ns();
}

namespace {

/// Most pollables one poll call may wait on (the list is guest-sized).
constexpr size_t kMaxPollables = 4096;

/// Indices of the ready pollables in {ps}; with {block}, waits in the event loop
/// (event_loop.h) until at least one is: its fds and the nearest deadline.
std::vector<uint32_t> wait_ready(const std::vector<Pollable*>& ps, bool block) {
  std::vector<pollfd> fds;
  std::vector<size_t> fd_owner;
  std::vector<engine::WaitSource*> sources;
  uint64_t deadline = UINT64_MAX;
  for (size_t i = 0; i < ps.size(); ++i) {
    const Pollable& p = *ps[i];
    if (p.kind == Pollable::Kind::Deadline && p.deadline_ns < deadline)
      deadline = p.deadline_ns;
    if (p.kind == Pollable::Kind::Source)
      sources.push_back(p.source.get());
    if (p.kind == Pollable::Kind::Fd) {
      fds.push_back(pollfd{p.fd.get(), p.events, 0});
      fd_owner.push_back(i);
    }
  }
  for (;;) {
    // Which are ready now: a zero-timeout ppoll for the fds, the clock for deadlines.
    for (pollfd& f : fds)
      f.revents = 0;
    timespec zero{};
    if (!fds.empty() && ::ppoll(fds.data(), fds.size(), &zero, nullptr) < 0 && errno != EINTR)
      for (pollfd& f : fds)
        f.revents = POLLERR;  // cannot tell: report them ready rather than wait forever
    const uint64_t now = monotonic_now_ns();
    std::vector<bool> ready(ps.size(), false);
    for (size_t i = 0; i < ps.size(); ++i) {
      const Pollable& p = *ps[i];
      ready[i] = p.kind == Pollable::Kind::Ready ||
                 (p.kind == Pollable::Kind::Deadline && now >= p.deadline_ns) ||
                 (p.kind == Pollable::Kind::Source && p.source->ready());
    }
    for (size_t j = 0; j < fds.size(); ++j)
      if (fds[j].revents != 0)
        ready[fd_owner[j]] = true;
    std::vector<uint32_t> out;
    for (size_t i = 0; i < ps.size(); ++i)
      if (ready[i])
        out.push_back(static_cast<uint32_t>(i));
    if (!out.empty() || !block)
      return out;
    if (!loop_wait(fds, deadline, sources))
      return out;  // cancelled: none ready; the guest traps on its epoch deadline next
  }
}

}  // namespace

void add_poll(ComponentLinker& linker, const HostPtr& h) {
  auto& poll = iface(linker, "wasi:io/poll");
  poll.resource("pollable", h->pollable);
  define(poll, "[method]pollable.ready", [h](std::span<const Value> a) -> TrapOr<Value> {
    Pollable* p = h->impl().pollables.get(rep_of(a[0]));
    if (!p)
      return bad_handle("pollable");
    return Value::boolean(!wait_ready({p}, false).empty());
  });
  define_void(poll, "[method]pollable.block", [h](std::span<const Value> a) -> std::optional<Trap> {
    Pollable* p = h->impl().pollables.get(rep_of(a[0]));
    if (!p)
      return bad_handle("pollable");
    (void)wait_ready({p}, true);
    return std::nullopt;
  });
  define(poll, "poll", [h](std::span<const Value> a) -> TrapOr<Value> {
    const auto& list = a[0].items();
    if (list.empty())
      return Trap::host("wasi:io/poll.poll: empty list of pollables");
    if (list.size() > kMaxPollables)
      return Trap::host("wasi:io/poll.poll: more than 4096 pollables");
    std::vector<Pollable*> ps;
    for (const Value& v : list) {
      Pollable* p = h->impl().pollables.get(rep_of(v));
      if (!p)
        return bad_handle("pollable");
      ps.push_back(p);
    }
    std::vector<Value> out;
    for (uint32_t i : wait_ready(ps, true))
      out.push_back(Value::u32(i));
    return Value::list(std::move(out));
  });

  auto& error = iface(linker, "wasi:io/error");
  error.resource("error", h->error);
  define(error, "[method]error.to-debug-string", [h](std::span<const Value> a) -> TrapOr<Value> {
    IoError* e = h->impl().errors.get(rep_of(a[0]));
    if (!e)
      return bad_handle("error");
    return Value::string(e->message);
  });
}

}  // namespace rill::wasi::p2
