// What the wasi:sockets files share (sockets_network.cpp defines it): ip-socket-address values
// to and from host sockaddrs, the host errno -> network.error-code mapping, the network
// policy check, and the error-code results.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <span>

#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {

/// A host socket address of either family.
struct SockAddr {
  sockaddr_storage ss{};
  socklen_t len = 0;

  bool v6() const { return ss.ss_family == AF_INET6; }
  /// The address bytes (4 or 16, network order).
  const uint8_t* ip() const;
  uint16_t port() const;
};

/// The ip-socket-address {v} as a host address.
SockAddr sockaddr_of(const Value& v);
/// The ip-socket-address of host address {sa}.
Value socket_address_value(const sockaddr* sa);
/// getsockname / getpeername of {fd} as ok(ip-socket-address), or err.
Value local_address_of(int fd);
Value remote_address_of(int fd);

/// The network.error-code label for host {errno_value}.
const char* net_error_label(int errno_value);
/// err(error-code.{label}).
Value net_err(const char* label);
/// err(error-code) for host {errno_value}.
Value net_err(int errno_value);

/// The checks every address a guest binds, connects or sends to goes through, in order:
/// nullptr when {a} may be used by a socket of family {v6}, else the error-code label
/// (invalid-argument for a family mismatch, an IPv4-mapped IPv6 address or a multicast
/// address, then access-denied when the policy does not permit it). {remote}: also refuse the
/// unspecified address and port 0 (invalid-argument).
const char* check_address(const NetPolicy& policy, const SockAddr& a, bool v6, bool remote);

/// A new non-blocking close-on-exec socket of {type} and family {v6}, or -1 (errno set).
int new_socket(bool v6, int type);

/// start-bind(network a[1], local-address a[2]) and finish-bind, the same for TCP and UDP
/// ({S}: TcpSocket or UdpSocket, each with a State of Unbound, BindStarted, Bound, ...): the
/// address is checked against the policy, then bound. {reuse_address} (TCP): SO_REUSEADDR for
/// a fixed port, so a recent connection in TIME_WAIT does not block the bind.
template <class S>
TrapOr<Value> start_bind_socket(Host& h, S& s, std::span<const Value> a, bool reuse_address) {
  using State = typename S::State;
  if (!h.impl().networks.get(rep_of(a[1])))
    return bad_handle("network");
  if (s.state != State::Unbound)
    return net_err(s.state == State::BindStarted ? "concurrency-conflict" : "invalid-state");
  SockAddr addr = sockaddr_of(a[2]);
  if (const char* e = check_address(h.impl().net, addr, s.v6, false))
    return net_err(e);
  if (reuse_address && addr.port() != 0) {
    int one = 1;
    (void)::setsockopt(s.fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  }
  if (::bind(s.fd.get(), reinterpret_cast<const sockaddr*>(&addr.ss), addr.len) != 0)
    return net_err(errno == EINVAL ? "invalid-state" : net_error_label(errno));
  s.state = State::BindStarted;
  return Value::ok();
}
template <class S>
TrapOr<Value> finish_bind_socket(Host&, S& s, std::span<const Value>) {
  if (s.state != S::State::BindStarted)
    return net_err("not-in-progress");
  s.state = S::State::Bound;
  return Value::ok();
}

/// The resolve-address-stream and network parts (sockets_network.cpp), TCP (sockets_tcp.cpp)
/// and UDP (sockets_udp.cpp).
void add_sockets_tcp(ComponentLinker& linker, const HostPtr& h);
void add_sockets_udp(ComponentLinker& linker, const HostPtr& h);

}  // namespace rill::wasi::p2
