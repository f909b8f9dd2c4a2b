// wasi:io/poll and wasi:io/error. poll waits in one ppoll(2) for every fd pollable, with the
// nearest clock deadline as its timeout, so waiting on a clock sleeps rather than spins.
#include <poll.h>
#include <time.h>

#include <cerrno>
#include <vector>

#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {

uint64_t monotonic_now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

namespace {

/// Most pollables one poll call may wait on (the list is guest-sized).
constexpr size_t kMaxPollables = 4096;

/// Indices of the ready pollables in {ps}; with {block}, waits until at least one is.
std::vector<uint32_t> wait_ready(const std::vector<Pollable*>& ps, bool block) {
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<size_t> fd_owner;
    bool any_ready = false;
    uint64_t deadline = UINT64_MAX;
    for (size_t i = 0; i < ps.size(); ++i) {
      const Pollable& p = *ps[i];
      if (p.kind == Pollable::Kind::Ready)
        any_ready = true;
      if (p.kind == Pollable::Kind::Deadline && p.deadline_ns < deadline)
        deadline = p.deadline_ns;
      if (p.kind == Pollable::Kind::Fd) {
        fds.push_back(pollfd{p.fd.get(), p.events, 0});
        fd_owner.push_back(i);
      }
    }
    uint64_t now = monotonic_now_ns();
    timespec timeout{};
    timespec* tp = &timeout;
    if (block && !any_ready) {
      if (deadline == UINT64_MAX) {
        tp = nullptr;  // only fds: wait for one
      } else if (deadline > now) {
        uint64_t d = deadline - now;
        timeout.tv_sec = static_cast<time_t>(d / 1000000000u);
        timeout.tv_nsec = static_cast<long>(d % 1000000000u);
      }
    }
    int n = ::ppoll(fds.data(), fds.size(), tp, nullptr);
    if (n < 0 && errno != EINTR)
      n = 0;
    now = monotonic_now_ns();
    std::vector<bool> ready(ps.size(), false);
    for (size_t i = 0; i < ps.size(); ++i) {
      const Pollable& p = *ps[i];
      ready[i] = p.kind == Pollable::Kind::Ready ||
                 (p.kind == Pollable::Kind::Deadline && now >= p.deadline_ns);
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
