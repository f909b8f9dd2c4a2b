// What the wasi:sockets files share (sockets_network.cpp defines it): ip-socket-address values
// to and from host sockaddrs, the host errno -> network.error-code mapping, the network
// policy check, and the error-code results.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

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

/// The resolve-address-stream and network parts (sockets_network.cpp), TCP (sockets_tcp.cpp)
/// and UDP (sockets_udp.cpp).
void add_sockets_tcp(ComponentLinker& linker, const HostPtr& h);
void add_sockets_udp(ComponentLinker& linker, const HostPtr& h);

}  // namespace rill::wasi::p2
