// wasi:sockets/network, instance-network and ip-name-lookup, the network policy (Cidr,
// NetPolicy: deny by default) and the helpers of sockets.h the TCP and UDP files share.
//
// resolve-addresses never blocks: an IP literal resolves at once, a name on a thread of its own
// (getaddrinfo blocks), which makes an eventfd readable when done; the stream's pollable is an fd
// pollable on that eventfd. A network whose policy forbids lookups gets access-denied before
// any query is made (the check is the first thing resolve-addresses does).
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <thread>

#include "rill/wasi/p2/sockets.h"

namespace rill::wasi {
namespace p2 {

Result<Cidr> Cidr::parse(std::string_view text) {
  std::string s(text);
  std::string addr = s;
  std::string prefix;
  if (size_t slash = s.find('/'); slash != std::string::npos) {
    addr = s.substr(0, slash);
    prefix = s.substr(slash + 1);
  }
  Cidr c;
  if (::inet_pton(AF_INET, addr.c_str(), c.addr.data()) == 1) {
    c.v6 = false;
  } else if (::inet_pton(AF_INET6, addr.c_str(), c.addr.data()) == 1) {
    c.v6 = true;
  } else {
    return Error{"invalid CIDR '" + s + "': '" + addr + "' is not an IPv4 or IPv6 address"};
  }
  const unsigned max = c.v6 ? 128 : 32;
  unsigned bits = max;
  if (s.find('/') != std::string::npos) {
    if (prefix.empty() || prefix.size() > 3 ||
        !std::all_of(prefix.begin(), prefix.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return Error{"invalid CIDR '" + s + "': the prefix length '" + prefix + "' is not a number"};
    bits = static_cast<unsigned>(std::stoul(prefix));
    if (bits > max)
      return Error{"invalid CIDR '" + s + "': the prefix length " + prefix + " is more than " +
                   std::to_string(max)};
  }
  c.prefix = static_cast<uint8_t>(bits);
  // Host bits are ignored (10.1.2.3/8 is 10.0.0.0/8).
  for (unsigned i = 0; i < 16; ++i) {
    unsigned keep = bits >= 8 * (i + 1) ? 8 : (bits > 8 * i ? bits - 8 * i : 0);
    c.addr[i] &= static_cast<uint8_t>(keep == 0 ? 0 : 0xff << (8 - keep));
  }
  return c;
}

bool Cidr::contains(bool is_v6, const uint8_t* bytes) const {
  if (is_v6 != v6)
    return false;
  unsigned bits = prefix;
  for (unsigned i = 0; bits > 0; ++i) {
    unsigned n = std::min(bits, 8u);
    auto mask = static_cast<uint8_t>(0xff << (8 - n));
    if ((bytes[i] & mask) != (addr[i] & mask))
      return false;
    bits -= n;
  }
  return true;
}

bool NetPolicy::permits(bool is_v6, const uint8_t* bytes) const {
  if (allow_all)
    return true;
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const Cidr& c) { return c.contains(is_v6, bytes); });
}

const uint8_t* SockAddr::ip() const {
  if (v6())
    return reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr.s6_addr;
  return reinterpret_cast<const uint8_t*>(&reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr);
}

uint16_t SockAddr::port() const {
  if (v6())
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&ss)->sin_port);
}

SockAddr sockaddr_of(const Value& v) {
  SockAddr out;
  const auto& f = v.payload()->items();  // the record's fields in WIT order
  if (v.str() == "ipv4") {
    auto* sin = reinterpret_cast<sockaddr_in*>(&out.ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(f[0].as_u32()));
    auto* b = reinterpret_cast<uint8_t*>(&sin->sin_addr);
    for (size_t i = 0; i < 4; ++i)
      b[i] = static_cast<uint8_t>(f[1].items()[i].as_u32());
    out.len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out.ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(f[0].as_u32()));
    sin6->sin6_flowinfo = htonl(f[1].as_u32());
    for (size_t i = 0; i < 8; ++i) {
      uint32_t seg = f[2].items()[i].as_u32();
      sin6->sin6_addr.s6_addr[2 * i] = static_cast<uint8_t>(seg >> 8);
      sin6->sin6_addr.s6_addr[2 * i + 1] = static_cast<uint8_t>(seg);
    }
    sin6->sin6_scope_id = f[3].as_u32();
    out.len = sizeof(sockaddr_in6);
  }
  return out;
}

namespace {

Value ipv4_tuple(const uint8_t* b) {
  return Value::tuple({Value::u8(b[0]), Value::u8(b[1]), Value::u8(b[2]), Value::u8(b[3])});
}

Value ipv6_tuple(const uint8_t* b) {
  std::vector<Value> segs;
  for (size_t i = 0; i < 8; ++i)
    segs.push_back(Value::u16(static_cast<uint16_t>(b[2 * i] << 8 | b[2 * i + 1])));
  return Value::tuple(std::move(segs));
}

bool is_v4_mapped(const uint8_t* b) {
  static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(b, prefix, 12) == 0;
}

}  // namespace

Value socket_address_value(const sockaddr* sa) {
  if (sa->sa_family == AF_INET6) {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
    return Value::variant(
        "ipv6", Value::record({{"port", Value::u16(ntohs(sin6->sin6_port))},
                               {"flow-info", Value::u32(ntohl(sin6->sin6_flowinfo))},
                               {"address", ipv6_tuple(sin6->sin6_addr.s6_addr)},
                               {"scope-id", Value::u32(sin6->sin6_scope_id)}}));
  }
  const auto* sin = reinterpret_cast<const sockaddr_in*>(sa);
  return Value::variant(
      "ipv4", Value::record({{"port", Value::u16(ntohs(sin->sin_port))},
                             {"address", ipv4_tuple(reinterpret_cast<const uint8_t*>(&sin->sin_addr))}}));
}

Value local_address_of(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
    return net_err(errno);
  return Value::ok(socket_address_value(reinterpret_cast<sockaddr*>(&ss)));
}

Value remote_address_of(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
    return net_err(errno == ENOTCONN ? "invalid-state" : net_error_label(errno));
  return Value::ok(socket_address_value(reinterpret_cast<sockaddr*>(&ss)));
}

const char* net_error_label(int e) {
  switch (e) {
    case EACCES:
    case EPERM: return "access-denied";
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
    case EOPNOTSUPP: return "not-supported";
    case EINVAL:
    case EDESTADDRREQ: return "invalid-argument";
    case ENOMEM:
    case ENOBUFS: return "out-of-memory";
    case ETIMEDOUT: return "timeout";
    case EALREADY: return "concurrency-conflict";
    case EAGAIN:
    case EINPROGRESS: return "would-block";
    case EMFILE:
    case ENFILE: return "new-socket-limit";
    case EADDRNOTAVAIL: return "address-not-bindable";
    case EADDRINUSE: return "address-in-use";
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case ENETUNREACH:
    case ENETDOWN:
    case ENONET: return "remote-unreachable";
    case ECONNREFUSED: return "connection-refused";
    case ECONNRESET:
    case EPIPE: return "connection-reset";
    case ECONNABORTED: return "connection-aborted";
    case EMSGSIZE: return "datagram-too-large";
    case EISCONN:
    case ENOTCONN: return "invalid-state";
    default: return "unknown";
  }
}

Value net_err(const char* label) {
  return Value::err(Value::enumeration(label));
}

Value net_err(int errno_value) {
  return net_err(net_error_label(errno_value));
}

const char* check_address(const NetPolicy& policy, const SockAddr& a, bool v6, bool remote) {
  if (a.v6() != v6)
    return "invalid-argument";
  const uint8_t* ip = a.ip();
  if (v6 && is_v4_mapped(ip))
    return "invalid-argument";
  if (v6 ? ip[0] == 0xff : (ip[0] & 0xf0) == 0xe0)
    return "invalid-argument";  // multicast
  if (remote) {
    const size_t n = v6 ? 16 : 4;
    if (std::all_of(ip, ip + n, [](uint8_t b) { return b == 0; }) || a.port() == 0)
      return "invalid-argument";
    if (!v6 && std::all_of(ip, ip + 4, [](uint8_t b) { return b == 0xff; }))
      return "invalid-argument";  // broadcast
  }
  if (!policy.permits(v6, ip))
    return "access-denied";
  return nullptr;
}

int new_socket(bool v6, int type) {
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  if (v6) {
    int one = 1;  // wasi:sockets IPv6 sockets are IPv6-only
    if (::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) {
      int e = errno;
      ::close(fd);
      errno = e;
      return -1;
    }
  }
  return fd;
}

Resolver system_resolver() {
  return [](const std::string& name) {
    LookupResult out;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;  // one entry per address rather than one per socket type
#ifdef AI_IDN
    hints.ai_flags = AI_IDN;  // Unicode names to ASCII (IDNA)
#endif
    addrinfo* res = nullptr;
    out.gai_error = ::getaddrinfo(name.c_str(), nullptr, &hints, &res);
    if (out.gai_error != 0)
      return out;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
      IpAddr a;
      if (ai->ai_family == AF_INET) {
        std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, 4);
      } else if (ai->ai_family == AF_INET6) {
        const uint8_t* b = reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr.s6_addr;
        if (is_v4_mapped(b)) {
          std::memcpy(a.bytes.data(), b + 12, 4);  // never handed out as IPv4-mapped IPv6
        } else {
          a.v6 = true;
          std::memcpy(a.bytes.data(), b, 16);
        }
      } else {
        continue;
      }
      bool dup = std::any_of(out.addrs.begin(), out.addrs.end(), [&](const IpAddr& x) {
        return x.v6 == a.v6 && x.bytes == a.bytes;
      });
      if (!dup)
        out.addrs.push_back(a);
    }
    ::freeaddrinfo(res);
    if (out.addrs.empty())
      out.gai_error = EAI_NONAME;
    return out;
  };
}

namespace {

/// Most lookups of one Context in flight at once; past it resolve-addresses fails with
/// temporary-resolver-failure.
constexpr int kMaxLookups = 16;

/// Whether {name} can be a host name at all (what resolve-addresses calls invalid-argument).
bool plausible_name(const std::string& name) {
  if (name.empty() || name.size() > 253)
    return false;
  for (unsigned char c : name)
    if (c <= 0x20 || c == 0x7f || std::strchr("/\\:@#?%[]<>^|\"'", c) != nullptr)
      return false;
  return true;
}

const char* lookup_error_label(int gai) {
  switch (gai) {
    case EAI_NONAME:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
      return "name-unresolvable";
    case EAI_AGAIN: return "temporary-resolver-failure";
    case EAI_MEMORY: return "out-of-memory";
    default: return "permanent-resolver-failure";
  }
}

TrapOr<Value> new_resolve_stream(Host& h, std::shared_ptr<LookupState> st) {
  auto v = h.own(h.impl().resolve_streams, h.resolve_address_stream, ResolveStream{std::move(st), 0});
  if (!v)
    return v;
  return Value::ok(std::move(*v));
}

TrapOr<Value> resolve_addresses(const HostPtr& h, std::span<const Value> a) {
  if (!h->impl().networks.get(rep_of(a[0])))
    return bad_handle("network");
  // The policy first: a network that may not resolve never reaches the resolver.
  if (!h->impl().net.allow_lookup)
    return net_err("access-denied");
  const std::string& name = a[1].str();
  // inet_pton and getaddrinfo stop at a NUL: "127.0.0.1\0x" must not resolve as 127.0.0.1.
  if (name.find('\0') != std::string::npos)
    return net_err("invalid-argument");
  auto st = std::make_shared<LookupState>();
  IpAddr lit;
  bool is_v4 = ::inet_pton(AF_INET, name.c_str(), lit.bytes.data()) == 1;
  lit.v6 = !is_v4 && ::inet_pton(AF_INET6, name.c_str(), lit.bytes.data()) == 1;
  if (is_v4 || lit.v6) {
    st->done = true;  // an IP literal: no query
    st->result.addrs.push_back(lit);
    return new_resolve_stream(*h, std::move(st));
  }
  if (!plausible_name(name))
    return net_err("invalid-argument");
  auto running = h->impl().lookups_running;
  if (running->load() >= kMaxLookups)
    return net_err("temporary-resolver-failure");  // a guest cannot pile up threads
  int efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0)
    return net_err(errno);
  st->ready = UniqueFd(efd);
  ++*running;
  try {
    std::thread([st, resolver = h->impl().resolver, name, running] {
      LookupResult r = resolver(name);
      {
        std::lock_guard<std::mutex> lock(st->mutex);
        st->result = std::move(r);
        st->done = true;
      }
      uint64_t one = 1;
      (void)!::write(st->ready.get(), &one, sizeof one);
      --*running;
    }).detach();
  } catch (const std::system_error&) {
    --*running;
    return net_err("out-of-memory");  // no thread for the lookup
  }
  return new_resolve_stream(*h, std::move(st));
}

TrapOr<Value> resolve_next(const HostPtr& h, std::span<const Value> a) {
  ResolveStream* s = h->impl().resolve_streams.get(rep_of(a[0]));
  if (!s)
    return bad_handle("resolve-address-stream");
  std::lock_guard<std::mutex> lock(s->state->mutex);
  if (!s->state->done)
    return net_err("would-block");
  const LookupResult& r = s->state->result;
  if (r.gai_error != 0)
    return net_err(lookup_error_label(r.gai_error));
  if (s->next >= r.addrs.size())
    return Value::ok(Value::none());
  const IpAddr& ip = r.addrs[s->next++];
  return Value::ok(Value::some(ip.v6 ? Value::variant("ipv6", ipv6_tuple(ip.bytes.data()))
                                     : Value::variant("ipv4", ipv4_tuple(ip.bytes.data()))));
}

TrapOr<Value> resolve_subscribe(const HostPtr& h, std::span<const Value> a) {
  ResolveStream* s = h->impl().resolve_streams.get(rep_of(a[0]));
  if (!s)
    return bad_handle("resolve-address-stream");
  {
    std::lock_guard<std::mutex> lock(s->state->mutex);
    if (s->state->done)
      return h->new_pollable(Pollable{});
  }
  return fd_pollable(*h, s->state->ready.get(), POLLIN);
}

}  // namespace

void add_sockets(ComponentLinker& linker, const HostPtr& h) {
  auto& net = iface(linker, "wasi:sockets/network");
  net.resource("network", h->network);
  net.resource("error", h->error);
  define(net, "network-error-code", [h](std::span<const Value> a) -> TrapOr<Value> {
    IoError* e = h->impl().errors.get(rep_of(a[0]));
    if (!e)
      return bad_handle("error");
    if (e->host_errno == 0)
      return Value::none();
    return Value::some(Value::enumeration(net_error_label(e->host_errno)));
  });

  auto& inst = iface(linker, "wasi:sockets/instance-network");
  inst.resource("network", h->network);
  define(inst, "instance-network", [h](std::span<const Value>) {
    return h->own(h->impl().networks, h->network, Network{});
  });

  auto& lookup = iface(linker, "wasi:sockets/ip-name-lookup");
  lookup.resource("network", h->network);
  lookup.resource("pollable", h->pollable);
  lookup.resource("resolve-address-stream", h->resolve_address_stream);
  define(lookup, "resolve-addresses", [h](std::span<const Value> a) { return resolve_addresses(h, a); });
  define(lookup, "[method]resolve-address-stream.resolve-next-address",
         [h](std::span<const Value> a) { return resolve_next(h, a); });
  define(lookup, "[method]resolve-address-stream.subscribe",
         [h](std::span<const Value> a) { return resolve_subscribe(h, a); });

  add_sockets_tcp(linker, h);
  add_sockets_udp(linker, h);
}

}  // namespace p2
}  // namespace rill::wasi
