// wasi:sockets/tcp and tcp-create-socket: tcp-socket over a non-blocking host socket, with the
// state machine of tcp.wit (TcpSocketOperationalSemantics.md). bind is done in start-bind,
// listen in finish-listen (so the pollable is ready in between, as the semantics want);
// start-connect issues the non-blocking connect and finish-connect polls it (POLLOUT, then
// SO_ERROR). A connection's streams are the wasi:io
// input-stream and output-stream over duplicates of the socket, so they outlive the socket
// handle in either drop order. subscribe is an fd pollable on POLLIN|POLLOUT: a socket being
// connected is not ready until the connect ends, a listening one when a connection is
// pending, an unbound or bound one at once (Linux reports POLLHUP for those); subscribing to a
// connected (or closed) socket gives an always-ready pollable, as the semantics want.
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "rill/wasi/p2/sockets.h"

namespace rill::wasi::p2 {
namespace {

using State = TcpSocket::State;

/// Most a duration option (seconds on Linux) and keep-alive-count may be.
constexpr uint64_t kMaxKeepAliveSecs = 32767;
constexpr uint32_t kMaxKeepAliveCount = 127;

/// A duplicate of {fd} for a stream, or -1.
int dup_fd(int fd) {
  return ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/// ok(tuple<input-stream, output-stream>) over duplicates of {fd}, or a trap (too many
/// resources) / err (no fds).
TrapOr<Value> stream_pair(Host& h, int fd) {
  int in = dup_fd(fd);
  if (in < 0)
    return net_err(errno);
  int out = dup_fd(fd);
  if (out < 0) {
    int e = errno;
    ::close(in);
    return net_err(e);
  }
  auto i = h.own(h.impl().inputs, h.input_stream, InputStream{UniqueFd(in), std::nullopt, true});
  if (!i) {
    ::close(out);
    return i;
  }
  auto o = h.own(h.impl().outputs, h.output_stream, OutputStream{UniqueFd(out), std::nullopt, true});
  if (!o)
    return o;
  return Value::tuple({std::move(*i), std::move(*o)});
}

TrapOr<Value> start_bind(Host& h, TcpSocket& s, std::span<const Value> a) {
  return start_bind_socket(h, s, a, true);
}

TrapOr<Value> finish_bind(Host& h, TcpSocket& s, std::span<const Value> a) {
  return finish_bind_socket(h, s, a);
}

TrapOr<Value> start_connect(Host& h, TcpSocket& s, std::span<const Value> a) {
  if (!h.impl().networks.get(rep_of(a[1])))
    return bad_handle("network");
  switch (s.state) {
    case State::Unbound:
    case State::Bound: break;
    case State::BindStarted:
    case State::ListenStarted:
    case State::ConnectStarted: return net_err("concurrency-conflict");
    default: return net_err("invalid-state");
  }
  SockAddr addr = sockaddr_of(a[2]);
  if (const char* e = check_address(h.impl().net, addr, s.v6, true))
    return net_err(e);
  int r;
  do {
    r = ::connect(s.fd.get(), reinterpret_cast<const sockaddr*>(&addr.ss), addr.len);
  } while (r != 0 && errno == EINTR);
  if (r != 0 && errno != EINPROGRESS) {
    int e = errno;
    s.state = State::Closed;  // a failed connect leaves nothing but drop
    return net_err(e == EADDRNOTAVAIL ? "address-in-use" : net_error_label(e));
  }
  s.state = State::ConnectStarted;
  return Value::ok();
}

TrapOr<Value> finish_connect(Host& h, TcpSocket& s, std::span<const Value>) {
  if (s.state != State::ConnectStarted)
    return net_err("not-in-progress");
  pollfd p{s.fd.get(), POLLOUT, 0};
  if (::poll(&p, 1, 0) <= 0)  // not yet (or EINTR): the guest waits on subscribe and retries
    return net_err("would-block");
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(s.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0)
    err = errno;
  if (err != 0) {
    s.state = State::Closed;
    return net_err(err);
  }
  auto streams = stream_pair(h, s.fd.get());
  if (!streams || streams->kind() != ValueKind::Tuple)
    return streams;
  s.state = State::Connected;
  return Value::ok(std::move(*streams));
}

TrapOr<Value> start_listen(Host&, TcpSocket& s, std::span<const Value>) {
  switch (s.state) {
    case State::Bound: break;
    case State::BindStarted:
    case State::ListenStarted:
    case State::ConnectStarted: return net_err("concurrency-conflict");
    default: return net_err("invalid-state");
  }
  s.state = State::ListenStarted;
  return Value::ok();
}

TrapOr<Value> finish_listen(Host&, TcpSocket& s, std::span<const Value>) {
  if (s.state != State::ListenStarted)
    return net_err("not-in-progress");
  // listen(2) here rather than in start-listen: until then the socket's pollable is ready (a
  // listening socket's is only ready with a connection pending).
  if (::listen(s.fd.get(), s.backlog) != 0) {
    s.state = State::Bound;
    return net_err(errno);
  }
  s.state = State::Listening;
  return Value::ok();
}

TrapOr<Value> accept(Host& h, TcpSocket& s, std::span<const Value>) {
  if (s.state != State::Listening)
    return net_err("invalid-state");
  int fd;
  do {
    fd = ::accept4(s.fd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return net_err(errno);
  UniqueFd conn(fd);
  auto streams = stream_pair(h, conn.get());
  if (!streams || streams->kind() != ValueKind::Tuple)
    return streams;
  auto sock = h.own(h.impl().tcp_sockets, h.tcp_socket,
                    TcpSocket{std::move(conn), s.v6, State::Connected, s.backlog});
  if (!sock)
    return sock;
  std::vector<Value> items = std::move(streams->items());
  return Value::ok(Value::tuple({std::move(*sock), std::move(items[0]), std::move(items[1])}));
}

bool bound(const TcpSocket& s) {
  return s.state != State::Unbound && s.state != State::BindStarted && s.state != State::Closed;
}

TrapOr<Value> local_address(Host&, TcpSocket& s, std::span<const Value>) {
  if (!bound(s))
    return net_err("invalid-state");
  return local_address_of(s.fd.get());
}

TrapOr<Value> remote_address(Host&, TcpSocket& s, std::span<const Value>) {
  if (s.state != State::Connected)
    return net_err("invalid-state");
  return remote_address_of(s.fd.get());
}

TrapOr<Value> is_listening(Host&, TcpSocket& s, std::span<const Value>) {
  return Value::boolean(s.state == State::Listening);
}

TrapOr<Value> address_family(Host&, TcpSocket& s, std::span<const Value>) {
  return Value::enumeration(s.v6 ? "ipv6" : "ipv4");
}

TrapOr<Value> set_backlog(Host&, TcpSocket& s, std::span<const Value> a) {
  uint64_t v = a[1].as_u64();
  if (v == 0)
    return net_err("invalid-argument");
  if (s.state == State::ConnectStarted || s.state == State::Connected)
    return net_err("invalid-state");
  s.backlog = static_cast<int>(std::min<uint64_t>(v, INT_MAX));
  if (s.state == State::Listening && ::listen(s.fd.get(), s.backlog) != 0)
    return net_err(errno);  // Linux lets a listening socket change its backlog
  return Value::ok();
}

/// getsockopt of an int option.
bool get_int(const TcpSocket& s, int level, int name, int& v) {
  socklen_t len = sizeof v;
  return ::getsockopt(s.fd.get(), level, name, &v, &len) == 0;
}

Value set_int(const TcpSocket& s, int level, int name, int v) {
  if (::setsockopt(s.fd.get(), level, name, &v, sizeof v) != 0)
    return net_err(errno);
  return Value::ok();
}

/// A socket option as result<T, error-code> through {wrap}.
template <class Wrap>
Value get_opt(const TcpSocket& s, int level, int name, Wrap wrap) {
  int v = 0;
  if (!get_int(s, level, name, v))
    return net_err(errno);
  return Value::ok(wrap(v));
}

TrapOr<Value> keep_alive_enabled(Host&, TcpSocket& s, std::span<const Value>) {
  return get_opt(s, SOL_SOCKET, SO_KEEPALIVE, [](int v) { return Value::boolean(v != 0); });
}
TrapOr<Value> set_keep_alive_enabled(Host&, TcpSocket& s, std::span<const Value> a) {
  return set_int(s, SOL_SOCKET, SO_KEEPALIVE, a[1].as_bool() ? 1 : 0);
}

/// A keep-alive time in seconds as a duration (nanoseconds).
Value secs_duration(int v) {
  return Value::u64(static_cast<uint64_t>(v) * 1000000000u);
}
/// A duration (nanoseconds, not 0) as whole seconds for TCP_KEEPIDLE/TCP_KEEPINTVL: rounded up
/// and clamped to what Linux takes.
Value set_secs(const TcpSocket& s, int name, uint64_t ns) {
  if (ns == 0)
    return net_err("invalid-argument");
  uint64_t secs = std::clamp<uint64_t>(ns / 1000000000u + (ns % 1000000000u != 0), 1, kMaxKeepAliveSecs);
  return set_int(s, IPPROTO_TCP, name, static_cast<int>(secs));
}

TrapOr<Value> keep_alive_idle_time(Host&, TcpSocket& s, std::span<const Value>) {
  return get_opt(s, IPPROTO_TCP, TCP_KEEPIDLE, secs_duration);
}
TrapOr<Value> set_keep_alive_idle_time(Host&, TcpSocket& s, std::span<const Value> a) {
  return set_secs(s, TCP_KEEPIDLE, a[1].as_u64());
}
TrapOr<Value> keep_alive_interval(Host&, TcpSocket& s, std::span<const Value>) {
  return get_opt(s, IPPROTO_TCP, TCP_KEEPINTVL, secs_duration);
}
TrapOr<Value> set_keep_alive_interval(Host&, TcpSocket& s, std::span<const Value> a) {
  return set_secs(s, TCP_KEEPINTVL, a[1].as_u64());
}
TrapOr<Value> keep_alive_count(Host&, TcpSocket& s, std::span<const Value>) {
  return get_opt(s, IPPROTO_TCP, TCP_KEEPCNT, [](int v) { return Value::u32(static_cast<uint32_t>(v)); });
}
TrapOr<Value> set_keep_alive_count(Host&, TcpSocket& s, std::span<const Value> a) {
  uint32_t v = a[1].as_u32();
  if (v == 0)
    return net_err("invalid-argument");
  return set_int(s, IPPROTO_TCP, TCP_KEEPCNT, static_cast<int>(std::min(v, kMaxKeepAliveCount)));
}

TrapOr<Value> hop_limit(Host&, TcpSocket& s, std::span<const Value>) {
  return get_opt(s, s.v6 ? IPPROTO_IPV6 : IPPROTO_IP, s.v6 ? IPV6_UNICAST_HOPS : IP_TTL,
                 [](int v) { return Value::u8(static_cast<uint8_t>(v)); });
}
TrapOr<Value> set_hop_limit(Host&, TcpSocket& s, std::span<const Value> a) {
  uint32_t v = a[1].as_u32();
  if (v == 0)
    return net_err("invalid-argument");
  return set_int(s, s.v6 ? IPPROTO_IPV6 : IPPROTO_IP, s.v6 ? IPV6_UNICAST_HOPS : IP_TTL, static_cast<int>(v));
}

/// SO_RCVBUF / SO_SNDBUF (Linux reports twice what was set: its bookkeeping overhead).
Value buffer_size(const TcpSocket& s, int name) {
  return get_opt(s, SOL_SOCKET, name, [](int v) { return Value::u64(static_cast<uint64_t>(v)); });
}
Value set_buffer_size(const TcpSocket& s, int name, uint64_t v) {
  if (v == 0)
    return net_err("invalid-argument");
  return set_int(s, SOL_SOCKET, name, static_cast<int>(std::min<uint64_t>(v, INT_MAX / 2)));
}

TrapOr<Value> receive_buffer_size(Host&, TcpSocket& s, std::span<const Value>) {
  return buffer_size(s, SO_RCVBUF);
}
TrapOr<Value> set_receive_buffer_size(Host&, TcpSocket& s, std::span<const Value> a) {
  return set_buffer_size(s, SO_RCVBUF, a[1].as_u64());
}
TrapOr<Value> send_buffer_size(Host&, TcpSocket& s, std::span<const Value>) {
  return buffer_size(s, SO_SNDBUF);
}
TrapOr<Value> set_send_buffer_size(Host&, TcpSocket& s, std::span<const Value> a) {
  return set_buffer_size(s, SO_SNDBUF, a[1].as_u64());
}

TrapOr<Value> subscribe(Host& h, TcpSocket& s, std::span<const Value>) {
  // Connected (or closed) is the last state but one, and always ready (the streams' pollables
  // are the ones for I/O); before that, the fd says when the operation in progress ends.
  if (s.state == State::Connected || s.state == State::Closed)
    return h.new_pollable(Pollable{});
  return fd_pollable(h, s.fd.get(), POLLIN | POLLOUT);
}

TrapOr<Value> shutdown(Host&, TcpSocket& s, std::span<const Value> a) {
  if (s.state != State::Connected)
    return net_err("invalid-state");
  const std::string& how = a[1].str();
  int mode = how == "receive" ? SHUT_RD : how == "send" ? SHUT_WR : SHUT_RDWR;
  if (::shutdown(s.fd.get(), mode) != 0 && errno != ENOTCONN)
    return net_err(errno);
  return Value::ok();  // ENOTCONN: the peer is already gone, which is as shut down as it gets
}

using TcpOp = TrapOr<Value> (*)(Host&, TcpSocket&, std::span<const Value>);

void method(ComponentLinker::Instance& t, const HostPtr& h, const char* name, TcpOp op) {
  define_method(t, h, std::string("[method]tcp-socket.") + name, &Context::Impl::tcp_sockets, "tcp-socket", op);
}

}  // namespace

void add_sockets_tcp(ComponentLinker& linker, const HostPtr& h) {
  auto& t = iface(linker, "wasi:sockets/tcp");
  t.resource("tcp-socket", h->tcp_socket);
  t.resource("network", h->network);
  t.resource("input-stream", h->input_stream);
  t.resource("output-stream", h->output_stream);
  t.resource("pollable", h->pollable);
  method(t, h, "start-bind", start_bind);
  method(t, h, "finish-bind", finish_bind);
  method(t, h, "start-connect", start_connect);
  method(t, h, "finish-connect", finish_connect);
  method(t, h, "start-listen", start_listen);
  method(t, h, "finish-listen", finish_listen);
  method(t, h, "accept", accept);
  method(t, h, "local-address", local_address);
  method(t, h, "remote-address", remote_address);
  method(t, h, "is-listening", is_listening);
  method(t, h, "address-family", address_family);
  method(t, h, "set-listen-backlog-size", set_backlog);
  method(t, h, "keep-alive-enabled", keep_alive_enabled);
  method(t, h, "set-keep-alive-enabled", set_keep_alive_enabled);
  method(t, h, "keep-alive-idle-time", keep_alive_idle_time);
  method(t, h, "set-keep-alive-idle-time", set_keep_alive_idle_time);
  method(t, h, "keep-alive-interval", keep_alive_interval);
  method(t, h, "set-keep-alive-interval", set_keep_alive_interval);
  method(t, h, "keep-alive-count", keep_alive_count);
  method(t, h, "set-keep-alive-count", set_keep_alive_count);
  method(t, h, "hop-limit", hop_limit);
  method(t, h, "set-hop-limit", set_hop_limit);
  method(t, h, "receive-buffer-size", receive_buffer_size);
  method(t, h, "set-receive-buffer-size", set_receive_buffer_size);
  method(t, h, "send-buffer-size", send_buffer_size);
  method(t, h, "set-send-buffer-size", set_send_buffer_size);
  method(t, h, "subscribe", subscribe);
  method(t, h, "shutdown", shutdown);

  auto& c = iface(linker, "wasi:sockets/tcp-create-socket");
  c.resource("tcp-socket", h->tcp_socket);
  c.resource("network", h->network);
  define(c, "create-tcp-socket", [h](std::span<const Value> a) -> TrapOr<Value> {
    bool v6 = a[0].str() == "ipv6";
    int fd = new_socket(v6, SOCK_STREAM);
    if (fd < 0)
      return net_err(errno);
    auto v = h->own(h->impl().tcp_sockets, h->tcp_socket, TcpSocket{UniqueFd(fd), v6, State::Unbound, 128});
    if (!v)
      return v;
    return Value::ok(std::move(*v));
  });
}

}  // namespace rill::wasi::p2
