// wasi:sockets/udp and udp-create-socket: udp-socket over a non-blocking host socket, and the
// datagram streams stream() hands out (duplicates of its fd). stream(some(addr)) connects the
// socket (after disconnecting a previous association with AF_UNSPEC), stream(none) leaves it
// unconnected; each call starts a new generation, and streams of an older one report
// invalid-state. send needs a check-send permit (more datagrams than permitted trap), and
// checks every destination against the network policy. The incoming stream's pollable waits
// for POLLIN, the outgoing one's for POLLOUT; the socket's own is always ready.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "rill/wasi/p2/sockets.h"

namespace rill::wasi::p2 {
namespace {

using State = UdpSocket::State;

/// Datagrams one check-send permits and one receive returns at most.
constexpr uint64_t kSendPermit = 16;
constexpr uint64_t kMaxReceive = 64;
/// The largest UDP payload.
constexpr size_t kMaxDatagram = 65535;

TrapOr<Value> start_bind(Host& h, UdpSocket& s, std::span<const Value> a) {
  return start_bind_socket(h, s, a, false);
}

TrapOr<Value> finish_bind(Host& h, UdpSocket& s, std::span<const Value> a) {
  return finish_bind_socket(h, s, a);
}

TrapOr<Value> stream(Host& h, UdpSocket& s, std::span<const Value> a) {
  if (s.state != State::Bound)
    return net_err("invalid-state");
  std::optional<SockAddr> remote;
  if (a[1].is_some()) {
    remote = sockaddr_of(*a[1].payload());
    if (const char* e = check_address(h.impl().net, *remote, s.v6, true))
      return net_err(e);
  }
  if (s.connected) {
    sockaddr unspec{};
    unspec.sa_family = AF_UNSPEC;
    if (::connect(s.fd.get(), &unspec, sizeof unspec) != 0)
      return net_err(errno);
    s.connected = false;
  }
  if (remote) {
    if (::connect(s.fd.get(), reinterpret_cast<const sockaddr*>(&remote->ss), remote->len) != 0)
      return net_err(errno == ECONNRESET ? "remote-unreachable" : net_error_label(errno));
    s.connected = true;
  }
  int in = ::fcntl(s.fd.get(), F_DUPFD_CLOEXEC, 3);
  if (in < 0)
    return net_err(errno);
  int out = ::fcntl(s.fd.get(), F_DUPFD_CLOEXEC, 3);
  if (out < 0) {
    int e = errno;
    ::close(in);
    return net_err(e);
  }
  uint64_t gen = ++*s.generation;
  auto make = [&](int fd) {
    DatagramStream d;
    d.fd = UniqueFd(fd);
    d.v6 = s.v6;
    d.connected = remote.has_value();
    if (remote)
      d.remote = remote->ss;
    d.socket_generation = s.generation;
    d.generation = gen;
    return d;
  };
  DatagramStream incoming = make(in);
  DatagramStream outgoing = make(out);
  auto i = h.own(h.impl().incoming_datagrams, h.incoming_datagram_stream, std::move(incoming));
  if (!i)
    return i;
  auto o = h.own(h.impl().outgoing_datagrams, h.outgoing_datagram_stream, std::move(outgoing));
  if (!o)
    return o;
  return Value::ok(Value::tuple({std::move(*i), std::move(*o)}));
}

TrapOr<Value> local_address(Host&, UdpSocket& s, std::span<const Value>) {
  if (s.state != State::Bound)
    return net_err("invalid-state");
  return local_address_of(s.fd.get());
}

TrapOr<Value> remote_address(Host&, UdpSocket& s, std::span<const Value>) {
  if (!s.connected)
    return net_err("invalid-state");
  return remote_address_of(s.fd.get());
}

TrapOr<Value> address_family(Host&, UdpSocket& s, std::span<const Value>) {
  return Value::enumeration(s.v6 ? "ipv6" : "ipv4");
}

Value get_int(const UdpSocket& s, int level, int name, Value (*wrap)(int)) {
  int v = 0;
  socklen_t len = sizeof v;
  if (::getsockopt(s.fd.get(), level, name, &v, &len) != 0)
    return net_err(errno);
  return Value::ok(wrap(v));
}

Value set_int(const UdpSocket& s, int level, int name, int v) {
  if (::setsockopt(s.fd.get(), level, name, &v, sizeof v) != 0)
    return net_err(errno);
  return Value::ok();
}

TrapOr<Value> hop_limit(Host&, UdpSocket& s, std::span<const Value>) {
  return get_int(s, s.v6 ? IPPROTO_IPV6 : IPPROTO_IP, s.v6 ? IPV6_UNICAST_HOPS : IP_TTL,
                 [](int v) { return Value::u8(static_cast<uint8_t>(v)); });
}
TrapOr<Value> set_hop_limit(Host&, UdpSocket& s, std::span<const Value> a) {
  uint32_t v = a[1].as_u32();
  if (v == 0)
    return net_err("invalid-argument");
  return set_int(s, s.v6 ? IPPROTO_IPV6 : IPPROTO_IP, s.v6 ? IPV6_UNICAST_HOPS : IP_TTL, static_cast<int>(v));
}

Value size_value(int v) {
  return Value::u64(static_cast<uint64_t>(v));
}
Value set_buffer_size(const UdpSocket& s, int name, uint64_t v) {
  if (v == 0)
    return net_err("invalid-argument");
  return set_int(s, SOL_SOCKET, name, static_cast<int>(std::min<uint64_t>(v, INT_MAX / 2)));
}
TrapOr<Value> receive_buffer_size(Host&, UdpSocket& s, std::span<const Value>) {
  return get_int(s, SOL_SOCKET, SO_RCVBUF, size_value);
}
TrapOr<Value> set_receive_buffer_size(Host&, UdpSocket& s, std::span<const Value> a) {
  return set_buffer_size(s, SO_RCVBUF, a[1].as_u64());
}
TrapOr<Value> send_buffer_size(Host&, UdpSocket& s, std::span<const Value>) {
  return get_int(s, SOL_SOCKET, SO_SNDBUF, size_value);
}
TrapOr<Value> set_send_buffer_size(Host&, UdpSocket& s, std::span<const Value> a) {
  return set_buffer_size(s, SO_SNDBUF, a[1].as_u64());
}

TrapOr<Value> subscribe(Host& h, UdpSocket&, std::span<const Value>) {
  return h.new_pollable(Pollable{});  // bind is done in start-bind: nothing to wait for
}

bool stale(const DatagramStream& d) {
  return *d.socket_generation != d.generation;
}

TrapOr<Value> receive(Host&, DatagramStream& d, std::span<const Value> a) {
  if (stale(d))
    return net_err("invalid-state");
  uint64_t max = std::min(a[1].as_u64(), kMaxReceive);
  std::vector<Value> out;
  std::vector<uint8_t> buf(kMaxDatagram);
  while (out.size() < max) {
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    ssize_t n = ::recvfrom(d.fd.get(), buf.data(), buf.size(), MSG_DONTWAIT,
                           reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      break;
    if (n < 0) {
      if (!out.empty())
        break;
      return net_err(errno == ECONNRESET ? "remote-unreachable" : net_error_label(errno));
    }
    out.push_back(Value::record({{"data", Value::bytes(buf.data(), static_cast<size_t>(n))},
                                 {"remote-address", socket_address_value(reinterpret_cast<sockaddr*>(&from))}}));
  }
  return Value::ok(Value::list(std::move(out)));
}

TrapOr<Value> check_send(Host&, DatagramStream& d, std::span<const Value>) {
  if (stale(d))
    return net_err("invalid-state");
  pollfd p{d.fd.get(), POLLOUT, 0};
  d.permit = ::poll(&p, 1, 0) == 1 && (p.revents & POLLOUT) ? kSendPermit : 0;
  return Value::ok(Value::u64(d.permit));
}

bool same_address(const SockAddr& a, const sockaddr_storage& b) {
  if (a.ss.ss_family != b.ss_family)
    return false;
  SockAddr other;
  other.ss = b;
  return a.port() == other.port() && std::memcmp(a.ip(), other.ip(), a.v6() ? 16 : 4) == 0;
}

/// Send one datagram {g} (an outgoing-datagram record): 0, or the error-code label.
const char* send_one(Host& h, DatagramStream& d, const Value& g) {
  std::string scratch;
  const std::string_view data = list_bytes(g.items()[0], scratch);
  const Value& remote = g.items()[1];
  std::optional<SockAddr> to;
  if (remote.is_some()) {
    to = sockaddr_of(*remote.payload());
    if (d.connected) {
      if (!same_address(*to, d.remote))
        return "invalid-argument";  // a connected stream sends to its peer only
      to.reset();
    } else if (const char* e = check_address(h.impl().net, *to, d.v6, true)) {
      return e;
    }
  } else if (!d.connected) {
    return "invalid-argument";  // nowhere to send to
  }
  for (;;) {
    ssize_t n = to ? ::sendto(d.fd.get(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                              reinterpret_cast<const sockaddr*>(&to->ss), to->len)
                   : ::send(d.fd.get(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno == ECONNRESET ? "remote-unreachable" : net_error_label(errno);
    return nullptr;
  }
}

TrapOr<Value> send(Host& h, DatagramStream& d, std::span<const Value> a) {
  if (stale(d))
    return net_err("invalid-state");
  const auto& list = a[1].items();
  if (list.empty())
    return Value::ok(Value::u64(0));
  if (list.size() > d.permit)
    return Trap::host("wasi:sockets/udp: send of " + std::to_string(list.size()) +
                      " datagrams, but check-send permitted " + std::to_string(d.permit));
  d.permit -= list.size();
  uint64_t sent = 0;
  for (const Value& g : list) {
    const char* e = send_one(h, d, g);
    if (e == nullptr) {
      ++sent;
      continue;
    }
    if (sent == 0 && std::strcmp(e, "would-block") != 0)
      return net_err(e);
    break;  // what was sent counts; send never reports would-block
  }
  return Value::ok(Value::u64(sent));
}

using UdpOp = TrapOr<Value> (*)(Host&, UdpSocket&, std::span<const Value>);
using DgramOp = TrapOr<Value> (*)(Host&, DatagramStream&, std::span<const Value>);

void method(ComponentLinker::Instance& t, const HostPtr& h, const char* name, UdpOp op) {
  define_method(t, h, std::string("[method]udp-socket.") + name, &Context::Impl::udp_sockets, "udp-socket", op);
}

void dgram_method(ComponentLinker::Instance& t, const HostPtr& h, bool incoming, const char* name,
                  DgramOp op) {
  const char* type = incoming ? "incoming-datagram-stream" : "outgoing-datagram-stream";
  define_method(t, h, std::string("[method]") + type + "." + name,
                incoming ? &Context::Impl::incoming_datagrams : &Context::Impl::outgoing_datagrams, type, op);
}

}  // namespace

void add_sockets_udp(ComponentLinker& linker, const HostPtr& h) {
  auto& u = iface(linker, "wasi:sockets/udp");
  u.resource("udp-socket", h->udp_socket);
  u.resource("incoming-datagram-stream", h->incoming_datagram_stream);
  u.resource("outgoing-datagram-stream", h->outgoing_datagram_stream);
  u.resource("network", h->network);
  u.resource("pollable", h->pollable);
  method(u, h, "start-bind", start_bind);
  method(u, h, "finish-bind", finish_bind);
  method(u, h, "stream", stream);
  method(u, h, "local-address", local_address);
  method(u, h, "remote-address", remote_address);
  method(u, h, "address-family", address_family);
  method(u, h, "unicast-hop-limit", hop_limit);
  method(u, h, "set-unicast-hop-limit", set_hop_limit);
  method(u, h, "receive-buffer-size", receive_buffer_size);
  method(u, h, "set-receive-buffer-size", set_receive_buffer_size);
  method(u, h, "send-buffer-size", send_buffer_size);
  method(u, h, "set-send-buffer-size", set_send_buffer_size);
  method(u, h, "subscribe", subscribe);
  dgram_method(u, h, true, "receive", receive);
  dgram_method(u, h, true, "subscribe", [](Host& hh, DatagramStream& d, std::span<const Value>) {
    return fd_pollable(hh, d.fd.get(), POLLIN);
  });
  dgram_method(u, h, false, "check-send", check_send);
  dgram_method(u, h, false, "send", send);
  dgram_method(u, h, false, "subscribe", [](Host& hh, DatagramStream& d, std::span<const Value>) {
    return fd_pollable(hh, d.fd.get(), POLLOUT);
  });

  auto& c = iface(linker, "wasi:sockets/udp-create-socket");
  c.resource("udp-socket", h->udp_socket);
  c.resource("network", h->network);
  define(c, "create-udp-socket", [h](std::span<const Value> a) -> TrapOr<Value> {
    bool v6 = a[0].str() == "ipv6";
    int fd = new_socket(v6, SOCK_DGRAM);
    if (fd < 0)
      return net_err(errno);
    UdpSocket s;
    s.fd = UniqueFd(fd);
    s.v6 = v6;
    auto v = h->own(h->impl().udp_sockets, h->udp_socket, std::move(s));
    if (!v)
      return v;
    return Value::ok(std::move(*v));
  });
}

}  // namespace rill::wasi::p2
