// Clocks, poll_oneoff, random_get, sched_yield, proc_raise and the sock_* functions.
// poll_oneoff blocks in ppoll(2) on the subscribed host fds with the nearest clock deadline as
// its timeout; it never spins.
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "rill/wasi/p1/errno_map.h"
#include "rill/wasi/p1/ops.h"

namespace rill::wasi::p1 {
namespace {

/// Most subscriptions one poll_oneoff may pass (more is Errno::Inval); bounds host allocation.
constexpr uint32_t kMaxSubscriptions = 1u << 16;

std::optional<clockid_t> host_clock(uint32_t id) {
  switch (id) {
    case kClockRealtime:
      return CLOCK_REALTIME;
    case kClockMonotonic:
      return CLOCK_MONOTONIC;
    case kClockProcessCputime:
      return CLOCK_PROCESS_CPUTIME_ID;
    case kClockThreadCputime:
      return CLOCK_THREAD_CPUTIME_ID;
    default:
      return std::nullopt;
  }
}

uint64_t to_ns(const struct timespec& t) {
  return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(t.tv_nsec);
}

uint64_t now_ns(clockid_t clock) {
  struct timespec t {};
  ::clock_gettime(clock, &t);
  return to_ns(t);
}

/// One subscription, decoded, with what happened to it.
struct Sub {
  uint64_t userdata = 0;
  uint8_t type = 0;
  Errno error = Errno::Success;  ///< reported at once (bad fd, bad clock)
  uint64_t deadline = 0;         ///< clock: CLOCK_MONOTONIC ns
  int pollfd = -1;               ///< fd_read/fd_write: index into the pollfd array
  int host_fd = -1;
};

/// Decode the clock subscription at {p} (the union starts 16 bytes in).
void decode_clock(const Mem& m, uint32_t p, uint64_t mono_now, Sub& s) {
  uint32_t id = 0;
  uint64_t timeout = 0;
  uint16_t flags = 0;
  m.load(p + 16, id);
  m.load(p + 24, timeout);
  m.load(p + 40, flags);
  if (!host_clock(id) || id > kClockMonotonic) {
    s.error = Errno::Inval;
    return;
  }
  if (!(flags & kSubclockAbstime)) {
    s.deadline = mono_now + std::min(timeout, UINT64_MAX - mono_now);
    return;
  }
  if (id == kClockMonotonic) {
    s.deadline = timeout;
    return;
  }
  uint64_t real_now = now_ns(CLOCK_REALTIME);
  s.deadline = timeout <= real_now ? mono_now : mono_now + (timeout - real_now);
}

/// Bytes available to read on {fd} (FIONREAD, or what is left of a regular file).
uint64_t readable_bytes(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = ::lseek(fd, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? static_cast<uint64_t>(st.st_size - pos) : 0;
  }
  int n = 0;
  return ::ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? static_cast<uint64_t>(n) : 0;
}

void store_event(const Mem& m, uint32_t p, const Sub& s, uint64_t nbytes, uint16_t flags) {
  uint8_t ev[layout::kEventSize] = {};
  auto err = static_cast<uint16_t>(s.error);
  std::memcpy(ev, &s.userdata, 8);
  std::memcpy(ev + 8, &err, 2);
  ev[10] = s.type;
  std::memcpy(ev + 16, &nbytes, 8);
  std::memcpy(ev + 24, &flags, 2);
  m.write(p, ev, sizeof(ev));
}

}  // namespace

Errno clock_res_get(Ctx&, const Mem& m, uint32_t id, uint32_t res_ptr) {
  auto clock = host_clock(id);
  if (!clock)
    return Errno::Inval;
  struct timespec t {};
  if (::clock_getres(*clock, &t) != 0)
    return last_errno();
  return m.store(res_ptr, to_ns(t)) ? Errno::Success : Errno::Fault;
}

Errno clock_time_get(Ctx&, const Mem& m, uint32_t id, uint64_t, uint32_t time_ptr) {
  auto clock = host_clock(id);
  if (!clock)
    return Errno::Inval;
  struct timespec t {};
  if (::clock_gettime(*clock, &t) != 0)
    return last_errno();
  return m.store(time_ptr, to_ns(t)) ? Errno::Success : Errno::Fault;
}

namespace {

/// Decoded subscriptions and the host fds to poll for them.
struct PollSet {
  std::vector<Sub> subs;
  std::vector<pollfd> pfds;
  bool immediate = false;  ///< some subscription already has its answer (an error)
};

/// Decode {nsubs} subscriptions at {in} (already bounds-checked); Inval for an unknown type.
Errno decode_subs(Ctx& c, const Mem& m, uint32_t in, uint32_t nsubs, PollSet& set) {
  uint64_t mono_now = now_ns(CLOCK_MONOTONIC);
  set.subs.resize(nsubs);
  for (uint32_t i = 0; i < nsubs; ++i) {
    uint32_t p = in + i * layout::kSubscriptionSize;
    Sub& s = set.subs[i];
    m.load(p, s.userdata);
    m.load(p + 8, s.type);
    if (s.type == kEventClock) {
      decode_clock(m, p, mono_now, s);
    } else if (s.type == kEventFdRead || s.type == kEventFdWrite) {
      uint32_t fd = 0;
      m.load(p + 16, fd);
      FdEntry* e = nullptr;
      s.error = lookup(c, fd, rights::kPollFdReadwrite, e);
      if (s.error == Errno::Success) {
        s.host_fd = e->host.get();
        s.pollfd = static_cast<int>(set.pfds.size());
        short want = s.type == kEventFdRead ? POLLIN : POLLOUT;
        set.pfds.push_back(pollfd{s.host_fd, want, 0});
      }
    } else {
      return Errno::Inval;
    }
    set.immediate |= s.error != Errno::Success;
  }
  return Errno::Success;
}

/// One ppoll over the set, bounded by the nearest clock deadline (no bound without clocks).
Errno wait_once(PollSet& set) {
  std::optional<uint64_t> nearest;
  for (const Sub& s : set.subs)
    if (s.type == kEventClock && s.error == Errno::Success)
      nearest = std::min(nearest.value_or(UINT64_MAX), s.deadline);
  uint64_t now = now_ns(CLOCK_MONOTONIC);
  struct timespec ts {};
  const struct timespec* timeout = nullptr;
  if (set.immediate || nearest) {
    uint64_t wait = set.immediate || *nearest <= now ? 0 : *nearest - now;
    ts.tv_sec = static_cast<time_t>(wait / 1'000'000'000ull);
    ts.tv_nsec = static_cast<long>(wait % 1'000'000'000ull);
    timeout = &ts;
  }
  if (::ppoll(set.pfds.data(), set.pfds.size(), timeout, nullptr) < 0 && errno != EINTR)
    return last_errno();
  return Errno::Success;
}

/// Write an event for every subscription that has fired to {out}; returns how many.
uint32_t report(const Mem& m, uint32_t out, PollSet& set) {
  uint64_t now = now_ns(CLOCK_MONOTONIC);
  uint32_t nevents = 0;
  for (Sub& s : set.subs) {
    uint32_t p = out + nevents * layout::kEventSize;
    if (s.error != Errno::Success || (s.type == kEventClock && s.deadline <= now)) {
      store_event(m, p, s, 0, 0);
      ++nevents;
      continue;
    }
    if (s.type == kEventClock)
      continue;
    short rev = set.pfds[static_cast<size_t>(s.pollfd)].revents;
    if (!rev)
      continue;
    uint16_t flags = (rev & POLLHUP) ? kEventFdReadwriteHangup : 0;
    if (rev & POLLNVAL)
      s.error = Errno::Badf;
    uint64_t nbytes = s.type == kEventFdRead ? readable_bytes(s.host_fd) : 0;
    store_event(m, p, s, nbytes, flags);
    ++nevents;
  }
  return nevents;
}

}  // namespace

Errno poll_oneoff(Ctx& c,
                  const Mem& m,
                  uint32_t in,
                  uint32_t out,
                  uint32_t nsubs,
                  uint32_t nevents_ptr) {
  if (nsubs == 0 || nsubs > kMaxSubscriptions)
    return Errno::Inval;
  if (!m.in_bounds(in, uint64_t{nsubs} * layout::kSubscriptionSize) ||
      !m.in_bounds(out, uint64_t{nsubs} * layout::kEventSize) || !m.in_bounds(nevents_ptr, 4))
    return Errno::Fault;
  PollSet set;
  if (Errno r = decode_subs(c, m, in, nsubs, set); r != Errno::Success)
    return r;
  uint32_t nevents = 0;
  while (nevents == 0) {  // ppoll can wake early (EINTR) with nothing to report
    if (Errno r = wait_once(set); r != Errno::Success)
      return r;
    nevents = report(m, out, set);
  }
  m.store(nevents_ptr, nevents);
  return Errno::Success;
}

Errno proc_raise(Ctx&, const Mem&, uint32_t) {
  // Signals are not part of WASI's model (preview2 dropped proc_raise); refuse rather than
  // signal the host process.
  return Errno::NoSys;
}

Errno sched_yield(Ctx&, const Mem&) {
  ::sched_yield();
  return Errno::Success;
}

Errno random_get(Ctx&, const Mem& m, uint32_t buf, uint32_t len) {
  if (!m.in_bounds(buf, len))
    return Errno::Fault;
  uint32_t done = 0;
  while (done < len) {
    ssize_t n = ::getrandom(m.at(buf + done), len - done, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return last_errno();
    done += static_cast<uint32_t>(n);
  }
  return Errno::Success;
}

namespace {

/// Guest {fd} as a socket with {need} rights: Badf, NotSock or NotCapable otherwise.
Errno lookup_socket(Ctx& c, uint32_t fd, uint64_t need, FdEntry*& out) {
  out = c.get(fd);
  if (!out)
    return Errno::Badf;
  if (out->type != Filetype::SocketStream && out->type != Filetype::SocketDgram)
    return Errno::NotSock;
  return lookup(c, fd, need, out);
}

}  // namespace

Errno sock_accept(Ctx& c, const Mem& m, uint32_t fd, uint32_t flags, uint32_t fd_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_socket(c, fd, rights::kSockAccept, e); r != Errno::Success)
    return r;
  if ((flags & ~uint32_t{kFdflagNonblock}) != 0)
    return Errno::Inval;
  if (!m.in_bounds(fd_ptr, 4))
    return Errno::Fault;
  int s = ::accept4(e->host.get(), nullptr, nullptr,
                    SOCK_CLOEXEC | ((flags & kFdflagNonblock) ? SOCK_NONBLOCK : 0));
  if (s < 0)
    return last_errno();
  FdEntry accepted;
  accepted.host = UniqueFd(s);
  accepted.type = filetype_of_fd(s);
  accepted.rights_base = rights::kSocketBase;
  accepted.fdflags = static_cast<uint16_t>(flags);
  auto slot = c.insert(std::move(accepted));
  if (!slot)
    return Errno::Mfile;
  m.store(fd_ptr, *slot);
  return Errno::Success;
}

Errno sock_recv(Ctx& c,
                const Mem& m,
                uint32_t fd,
                uint32_t iovs,
                uint32_t iovs_len,
                uint32_t flags,
                uint32_t datalen_ptr,
                uint32_t oflags_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_socket(c, fd, rights::kFdRead, e); r != Errno::Success)
    return r;
  constexpr uint32_t kPeek = 1;
  constexpr uint32_t kWaitAll = 2;
  if ((flags & ~(kPeek | kWaitAll)) != 0)
    return Errno::Inval;
  std::vector<iovec> host;
  if (Errno r = m.iovecs(iovs, iovs_len, host); r != Errno::Success)
    return r;
  if (!m.in_bounds(datalen_ptr, 4) || !m.in_bounds(oflags_ptr, 2))
    return Errno::Fault;
  msghdr msg{};
  msg.msg_iov = host.data();
  msg.msg_iovlen = host.size();
  int hflags = ((flags & kPeek) ? MSG_PEEK : 0) | ((flags & kWaitAll) ? MSG_WAITALL : 0);
  ssize_t n = ::recvmsg(e->host.get(), &msg, hflags);
  if (n < 0)
    return last_errno();
  m.store(datalen_ptr, static_cast<uint32_t>(n));
  m.store(oflags_ptr, static_cast<uint16_t>((msg.msg_flags & MSG_TRUNC) ? 1 : 0));
  return Errno::Success;
}

Errno sock_send(Ctx& c,
                const Mem& m,
                uint32_t fd,
                uint32_t iovs,
                uint32_t iovs_len,
                uint32_t flags,
                uint32_t datalen_ptr) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_socket(c, fd, rights::kFdWrite, e); r != Errno::Success)
    return r;
  if (flags != 0)
    return Errno::Inval;
  std::vector<iovec> host;
  if (Errno r = m.iovecs(iovs, iovs_len, host); r != Errno::Success)
    return r;
  if (!m.in_bounds(datalen_ptr, 4))
    return Errno::Fault;
  msghdr msg{};
  msg.msg_iov = host.data();
  msg.msg_iovlen = host.size();
  ssize_t n = ::sendmsg(e->host.get(), &msg, MSG_NOSIGNAL);
  if (n < 0)
    return last_errno();
  m.store(datalen_ptr, static_cast<uint32_t>(n));
  return Errno::Success;
}

Errno sock_shutdown(Ctx& c, const Mem&, uint32_t fd, uint32_t how) {
  FdEntry* e = nullptr;
  if (Errno r = lookup_socket(c, fd, rights::kSockShutdown, e); r != Errno::Success)
    return r;
  int h;
  switch (how) {
    case kSdRd:
      h = SHUT_RD;
      break;
    case kSdWr:
      h = SHUT_WR;
      break;
    case kSdRd | kSdWr:
      h = SHUT_RDWR;
      break;
    default:
      return Errno::Inval;
  }
  return ::shutdown(e->host.get(), h) == 0 ? Errno::Success : last_errno();
}

}  // namespace rill::wasi::p1
