// wasi:clocks (monotonic-clock over CLOCK_MONOTONIC, wall-clock over CLOCK_REALTIME) and
// wasi:random (random and insecure both from getrandom(2); insecure-seed fixed per Context).
#include <sys/random.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {
namespace {

/// Most random bytes one call returns (the guest asks for a u64 length).
constexpr uint64_t kMaxRandomBytes = 1 << 20;

Value datetime(uint64_t seconds, uint32_t nanoseconds) {
  return Value::record({{"seconds", Value::u64(seconds)}, {"nanoseconds", Value::u32(nanoseconds)}});
}

uint64_t resolution_ns(clockid_t id) {
  timespec ts{};
  ::clock_getres(id, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

TrapOr<Value> random_bytes(uint64_t len) {
  if (len > kMaxRandomBytes)
    return Trap::host("wasi:random: more than 1 MiB of random bytes asked for at once");
  std::vector<uint8_t> buf(len);
  size_t got = 0;
  while (got < buf.size()) {
    ssize_t n = ::getrandom(buf.data() + got, buf.size() - got, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return Trap::host("wasi:random: getrandom failed");
    got += static_cast<size_t>(n);
  }
  return Value::bytes(buf.data(), buf.size());
}

TrapOr<Value> random_u64() {
  uint64_t v = 0;
  while (::getrandom(&v, sizeof v, 0) != static_cast<ssize_t>(sizeof v)) {
    if (errno != EINTR)
      return Trap::host("wasi:random: getrandom failed");
  }
  return Value::u64(v);
}

void add_clocks(ComponentLinker& linker, const HostPtr& h) {
  auto& mono = iface(linker, "wasi:clocks/monotonic-clock");
  mono.resource("pollable", h->pollable);
  define(mono, "now", [](std::span<const Value>) -> TrapOr<Value> {
    return Value::u64(monotonic_now_ns());
  });
  define(mono, "resolution", [](std::span<const Value>) -> TrapOr<Value> {
    return Value::u64(resolution_ns(CLOCK_MONOTONIC));
  });
  define(mono, "subscribe-instant", [h](std::span<const Value> a) {
    return h->new_pollable(Pollable{Pollable::Kind::Deadline, a[0].as_u64(), {}, 0});
  });
  define(mono, "subscribe-duration", [h](std::span<const Value> a) {
    uint64_t now = monotonic_now_ns();
    uint64_t d = a[0].as_u64();
    uint64_t when = d > UINT64_MAX - now ? UINT64_MAX : now + d;
    return h->new_pollable(Pollable{Pollable::Kind::Deadline, when, {}, 0});
  });

  auto& wall = iface(linker, "wasi:clocks/wall-clock");
  define(wall, "now", [](std::span<const Value>) -> TrapOr<Value> {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return datetime(static_cast<uint64_t>(ts.tv_sec), static_cast<uint32_t>(ts.tv_nsec));
  });
  define(wall, "resolution", [](std::span<const Value>) -> TrapOr<Value> {
    uint64_t r = resolution_ns(CLOCK_REALTIME);
    return datetime(r / 1000000000u, static_cast<uint32_t>(r % 1000000000u));
  });
}

void add_random(ComponentLinker& linker, const HostPtr& h) {
  auto& random = iface(linker, "wasi:random/random");
  define(random, "get-random-bytes", [](std::span<const Value> a) { return random_bytes(a[0].as_u64()); });
  define(random, "get-random-u64", [](std::span<const Value>) { return random_u64(); });
  auto& insecure = iface(linker, "wasi:random/insecure");
  define(insecure, "get-insecure-random-bytes",
         [](std::span<const Value> a) { return random_bytes(a[0].as_u64()); });
  define(insecure, "get-insecure-random-u64", [](std::span<const Value>) { return random_u64(); });
  define(iface(linker, "wasi:random/insecure-seed"), "insecure-seed",
         [h](std::span<const Value>) -> TrapOr<Value> {
           auto [a, b] = h->impl().insecure_seed;
           return Value::tuple({Value::u64(a), Value::u64(b)});
         });
}

}  // namespace

void add_clocks_random(ComponentLinker& linker, const HostPtr& h) {
  add_clocks(linker, h);
  add_random(linker, h);
}

}  // namespace rill::wasi::p2
