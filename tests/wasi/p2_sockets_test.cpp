// wasi:sockets in-process: the network policy (Cidr, NetPolicy; deny by default), TCP and UDP
// on loopback through tests/component/wat/p2_sockets.wat (which re-exports the imported socket
// interfaces, so each call goes to the host with the types a guest imports them with), the
// two-phase state machine's errors, ip-name-lookup's policy check before any query, and
// dropping a socket before its streams.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <time.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <tuple>
#include <optional>
#include <string>
#include <vector>

#include "rill/component.h"
#include "rill/wasi/p2/context.h"
#include "rill/wasi/p2/event_loop.h"
#include "rill/wasi/p2/host.h"
#include "rill/wasi_p2.h"

namespace rill::wasi_test {
namespace {

using wasi::p2::Cidr;
using wasi::p2::NetPolicy;

// ---------------------------------------------------------------------------------------------
// Cidr and NetPolicy

bool in(const char* cidr, const char* addr) {
  auto c = Cidr::parse(cidr);
  EXPECT_TRUE(c) << cidr << ": " << c.error().message;
  uint8_t b[16] = {};
  bool v6 = ::inet_pton(AF_INET, addr, b) != 1;
  if (v6) {
    EXPECT_EQ(::inet_pton(AF_INET6, addr, b), 1) << addr;
  }
  return c->contains(v6, b);
}

TEST(WasiP2Cidr, ParsesAndMatches) {
  EXPECT_TRUE(in("127.0.0.1/32", "127.0.0.1"));
  EXPECT_FALSE(in("127.0.0.1/32", "127.0.0.2"));
  EXPECT_TRUE(in("127.0.0.1", "127.0.0.1"));  // a bare address is /32
  EXPECT_FALSE(in("127.0.0.1", "127.0.0.2"));
  EXPECT_TRUE(in("10.0.0.0/8", "10.255.1.2"));
  EXPECT_FALSE(in("10.0.0.0/8", "11.0.0.0"));
  EXPECT_TRUE(in("10.1.2.3/8", "10.9.9.9"));  // host bits are ignored
  EXPECT_TRUE(in("192.168.4.0/22", "192.168.7.255"));
  EXPECT_FALSE(in("192.168.4.0/22", "192.168.8.0"));
  EXPECT_TRUE(in("0.0.0.0/0", "8.8.8.8"));
  EXPECT_FALSE(in("0.0.0.0/0", "::1"));  // families never mix
  EXPECT_TRUE(in("::1/128", "::1"));
  EXPECT_FALSE(in("::1/128", "::2"));
  EXPECT_TRUE(in("fd00::/8", "fdab:1::5"));
  EXPECT_FALSE(in("fd00::/8", "fe80::1"));
  EXPECT_TRUE(in("2001:db8::/33", "2001:db8:7fff::1"));
  EXPECT_FALSE(in("2001:db8::/33", "2001:db8:8000::1"));
  EXPECT_TRUE(in("::/0", "::ffff:1.2.3.4"));
  EXPECT_FALSE(in("::1/128", "127.0.0.1"));
}

TEST(WasiP2Cidr, RejectsMalformed) {
  for (const char* bad : {"", "/", "127.0.0.1/", "127.0.0.1/33", "::1/129", "127.0.0.1/x",
                          "127.0.0.1/-1", "127.0.0.1/ 8", "localhost", "1.2.3/8", "1.2.3.4.5",
                          "::1::2/64", "127.0.0.1/1000", "10.0.0.0/8/8"}) {
    auto c = Cidr::parse(bad);
    EXPECT_FALSE(c) << bad;
    if (!c) {
      EXPECT_NE(c.error().message.find("invalid CIDR"), std::string::npos) << c.error().message;
    }
  }
}

TEST(WasiP2Cidr, PolicyDeniesByDefault) {
  uint8_t lo[4] = {127, 0, 0, 1};
  NetPolicy none;
  EXPECT_FALSE(none.permits(false, lo));
  NetPolicy some;
  some.allowed.push_back(*Cidr::parse("127.0.0.0/8"));
  EXPECT_TRUE(some.permits(false, lo));
  uint8_t other[4] = {10, 0, 0, 1};
  EXPECT_FALSE(some.permits(false, other));
  NetPolicy all;
  all.allow_all = true;
  EXPECT_TRUE(all.permits(false, other));
}

// ---------------------------------------------------------------------------------------------
// The host through p2_sockets.wasm

bool have_component() {
  return RILL_HAVE_JCO != 0;
}

#define RILL_REQUIRE_SOCKETS_COMPONENT()                                  \
  do {                                                                    \
    if (!have_component())                                                \
      GTEST_SKIP() << "node/jco unavailable: p2_sockets.wasm was not built"; \
  } while (0)

Value ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
  return Value::variant(
      "ipv4", Value::record({{"port", Value::u16(port)},
                             {"address", Value::tuple({Value::u8(a), Value::u8(b), Value::u8(c),
                                                       Value::u8(d)})}}));
}

Value loopback(uint16_t port) {
  return ipv4(127, 0, 0, 1, port);
}

Value ipv6_loopback(uint16_t port) {
  std::vector<Value> segs(7, Value::u16(0));
  segs.push_back(Value::u16(1));
  return Value::variant("ipv6", Value::record({{"port", Value::u16(port)},
                                               {"flow-info", Value::u32(0)},
                                               {"address", Value::tuple(std::move(segs))},
                                               {"scope-id", Value::u32(0)}}));
}

Value borrow(const Value& own) {
  return Value::borrow(own.resource());
}

Value bytes(const std::string& s) {
  std::vector<Value> v;
  for (char c : s)
    v.push_back(Value::u8(static_cast<uint8_t>(c)));
  return Value::list(std::move(v));
}

std::string text(const Value& list) {
  std::string scratch;
  return std::string(list_bytes(list, scratch));
}

/// The error-code label of an err result, or "ok".
std::string code(const Value& r) {
  if (r.kind() != ValueKind::Result)
    return "not a result: " + r.to_string();
  if (!r.is_err())
    return "ok";
  return r.payload()->str();
}

/// The port of an ok(ip-socket-address).
uint16_t port_of(const Value& r) {
  EXPECT_EQ(code(r), "ok") << r.to_string();
  if (r.is_err() || !r.payload())
    return 0;
  return static_cast<uint16_t>(r.payload()->payload()->items()[0].as_u32());
}

/// One instance of p2_sockets.wasm with a Context of {net}.
class Sockets {
 public:
  explicit Sockets(NetPolicy net) {
    auto comp = Component::compile_file(engine_, std::string(RILL_COMPONENT_WASM_DIR) + "/p2_sockets.wasm");
    if (!comp) {
      error_ = comp.error().to_string();
      return;
    }
    wasi::p2::Config config;
    config.net = std::move(net);
    auto ctx = wasi::p2::Context::create(config);
    if (!ctx) {
      error_ = ctx.error().message;
      return;
    }
    ctx_ = *ctx;
    ComponentLinker linker;
    wasi::p2::add_to_linker(linker, ctx_);
    store_.emplace(engine_);
    auto inst = linker.instantiate(*store_, *comp);
    if (!inst) {
      error_ = inst.error().to_string();
      return;
    }
    inst_ = std::move(*inst);
  }

  const std::string& error() const { return error_; }
  wasi::p2::Context::Impl& impl() { return ctx_->impl(); }

  /// {iface}#{fn}({args}); a trap is a test failure and a unit value.
  TrapOr<Value> try_call(const std::string& iface, const std::string& fn, std::vector<Value> args) {
    auto f = inst_->func(iface + "#" + fn);
    if (!f)
      return Trap::host("no export " + iface + "#" + fn);
    auto r = f->call(std::span<const Value>(args));
    if (!r)
      return std::move(r).trap();
    if (r->empty())
      return Value::tuple({});
    return std::move((*r)[0]);
  }
  Value call(const std::string& iface, const std::string& fn, std::vector<Value> args) {
    auto r = try_call(iface, fn, std::move(args));
    EXPECT_TRUE(r) << iface << "#" << fn << ": " << r.trap().to_string();
    return r ? std::move(*r) : Value::tuple({});
  }
  Value tcp(const std::string& method, const Value& sock, std::vector<Value> args = {}) {
    args.insert(args.begin(), borrow(sock));
    return call("tcp", "[method]tcp-socket." + method, std::move(args));
  }
  Value udp(const std::string& method, const Value& sock, std::vector<Value> args = {}) {
    args.insert(args.begin(), borrow(sock));
    return call("udp", "[method]udp-socket." + method, std::move(args));
  }
  /// The ok payload of {r} (a test failure when it is an err).
  static Value ok(const Value& r) {
    EXPECT_EQ(code(r), "ok") << r.to_string();
    return r.payload() ? *r.payload() : Value::tuple({});
  }

  Value network() { return call("instance-network", "instance-network", {}); }
  Value new_tcp(const char* family = "ipv4") {
    return ok(call("tcp-create-socket", "create-tcp-socket", {Value::enumeration(family)}));
  }
  Value new_udp(const char* family = "ipv4") {
    return ok(call("udp-create-socket", "create-udp-socket", {Value::enumeration(family)}));
  }
  void block(const Value& pollable) {
    call("poll", "[method]pollable.block", {borrow(pollable)});
    drop(pollable);
  }
  bool ready(const Value& pollable) {
    return call("poll", "[method]pollable.ready", {borrow(pollable)}).as_bool();
  }
  void drop(const Value& own) {
    auto r = inst_->resource_drop(own);
    EXPECT_TRUE(r) << r.trap().to_string();
  }

  /// A bound, listening TCP socket on 127.0.0.1 and its port.
  std::pair<Value, uint16_t> listener(const Value& net) {
    Value s = new_tcp();
    EXPECT_EQ(code(tcp("start-bind", s, {borrow(net), loopback(0)})), "ok");
    EXPECT_EQ(code(tcp("finish-bind", s)), "ok");
    EXPECT_EQ(code(tcp("start-listen", s)), "ok");
    EXPECT_EQ(code(tcp("finish-listen", s)), "ok");
    return {s, port_of(tcp("local-address", s))};
  }
  /// Connect a new TCP socket to 127.0.0.1:{port}, waiting on its pollable: the finish-connect
  /// result.
  std::pair<Value, Value> connect(const Value& net, uint16_t port) {
    Value s = new_tcp();
    EXPECT_EQ(code(tcp("start-connect", s, {borrow(net), loopback(port)})), "ok");
    Value r;
    for (int i = 0; i < 100; ++i) {
      block(tcp("subscribe", s));
      r = tcp("finish-connect", s);
      if (code(r) != "would-block")
        break;
    }
    return {s, r};
  }
  /// A listener on 127.0.0.1, a client connected to it, and the accepted connection.
  struct Connection {
    Value server;          ///< the listener
    Value client;          ///< the connecting tcp-socket
    Value client_streams;  ///< (input-stream, output-stream)
    Value accepted;        ///< (tcp-socket, input-stream, output-stream)
  };
  Connection connection(const Value& net) {
    Connection c;
    uint16_t port = 0;
    std::tie(c.server, port) = listener(net);
    Value connected;
    std::tie(c.client, connected) = connect(net, port);
    c.client_streams = ok(connected);
    block(tcp("subscribe", c.server));
    c.accepted = ok(tcp("accept", c.server));
    return c;
  }

 private:
  Engine engine_;
  std::shared_ptr<wasi::p2::Context> ctx_;
  std::optional<Store> store_;
  std::optional<ComponentInstance> inst_;
  std::string error_;
};

NetPolicy allow(const char* cidr) {
  NetPolicy p;
  p.allowed.push_back(*Cidr::parse(cidr));
  return p;
}

#define RILL_SOCKETS(name, policy) \
  RILL_REQUIRE_SOCKETS_COMPONENT(); \
  Sockets name(policy);             \
  ASSERT_EQ(name.error(), "")

TEST(WasiP2Sockets, TcpLoopbackCarriesDataBothWays) {
  RILL_SOCKETS(s, allow("127.0.0.1/32"));
  Value net = s.network();
  auto [server, port] = s.listener(net);
  ASSERT_NE(port, 0);
  EXPECT_TRUE(s.tcp("is-listening", server).as_bool());
  EXPECT_EQ(code(s.tcp("accept", server)), "would-block");  // nobody has connected yet
  Value waiting = s.tcp("subscribe", server);
  EXPECT_FALSE(s.ready(waiting));  // an fd pollable: ready only once a connection is pending

  auto [client, connected] = s.connect(net, port);
  Value client_streams = Sockets::ok(connected);
  ASSERT_EQ(client_streams.items().size(), 2u);
  s.block(waiting);
  Value accepted = Sockets::ok(s.tcp("accept", server));
  ASSERT_EQ(accepted.items().size(), 3u);
  const Value& conn = accepted.items()[0];
  const Value& server_in = accepted.items()[1];
  const Value& server_out = accepted.items()[2];
  const Value& client_in = client_streams.items()[0];
  const Value& client_out = client_streams.items()[1];

  EXPECT_EQ(port_of(s.tcp("remote-address", client)), port);
  EXPECT_EQ(port_of(s.tcp("remote-address", conn)), port_of(s.tcp("local-address", client)));
  EXPECT_FALSE(s.tcp("is-listening", conn).as_bool());

  // Nothing sent yet: a non-blocking read is empty, not an error.
  Value empty = Sockets::ok(s.call("streams", "[method]input-stream.read", {borrow(server_in), Value::u64(16)}));
  EXPECT_EQ(empty.items().size(), 0u);

  EXPECT_EQ(code(s.call("streams", "[method]output-stream.blocking-write-and-flush",
                        {borrow(client_out), bytes("ping")})), "ok");
  std::string got;
  while (got.size() < 4) {
    Value r = s.call("streams", "[method]input-stream.blocking-read", {borrow(server_in), Value::u64(16)});
    ASSERT_EQ(code(r), "ok") << r.to_string();
    got += text(*r.payload());
  }
  EXPECT_EQ(got, "ping");

  Value permit = Sockets::ok(s.call("streams", "[method]output-stream.check-write", {borrow(server_out)}));
  EXPECT_GT(permit.as_u64(), 0u);
  EXPECT_EQ(code(s.call("streams", "[method]output-stream.write", {borrow(server_out), bytes("pong!")})), "ok");
  s.block(s.call("streams", "[method]input-stream.subscribe", {borrow(client_in)}));
  got.clear();
  while (got.size() < 5) {
    Value r = s.call("streams", "[method]input-stream.blocking-read", {borrow(client_in), Value::u64(16)});
    ASSERT_EQ(code(r), "ok") << r.to_string();
    got += text(*r.payload());
  }
  EXPECT_EQ(got, "pong!");

  // shutdown(send) on the client: the server reads end of stream.
  EXPECT_EQ(code(s.tcp("shutdown", client, {Value::enumeration("send")})), "ok");
  EXPECT_EQ(code(s.tcp("shutdown", client, {Value::enumeration("send")})), "ok");  // idempotent
  Value eof = s.call("streams", "[method]input-stream.blocking-read", {borrow(server_in), Value::u64(16)});
  ASSERT_TRUE(eof.is_err()) << eof.to_string();
  EXPECT_EQ(eof.payload()->str(), "closed");

  for (const Value* v : std::initializer_list<const Value*>{&client_in, &client_out, &server_in,
                                                           &server_out, &conn, &client, &server})
    s.drop(*v);
  s.drop(net);
}

/// CPU time this thread has used, in milliseconds.
double thread_cpu_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

TEST(WasiP2Sockets, ABlockedPollSleepsInTheEventLoop) {
  // pollable.block on a listener nobody connects to for 300 ms: the thread sleeps in the event
  // loop (Boost.Asio's reactor) until another thread connects, using next to no CPU.
  RILL_SOCKETS(s, allow("127.0.0.1/32"));
  Value net = s.network();
  auto [server, port] = s.listener(net);
  const uint16_t listen_port = port;  // a structured binding cannot be captured in C++20
  std::thread connector([listen_port] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(listen_port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::close(fd);
  });
  const auto wall0 = std::chrono::steady_clock::now();
  const double cpu0 = thread_cpu_ms();
  Value waiting = s.tcp("subscribe", server);
  Value deadline = s.call("monotonic-clock", "subscribe-duration", {Value::u64(10'000'000'000)});
  Value never = s.call("monotonic-clock", "subscribe-duration", {Value::u64(UINT64_MAX)});
  Value ready = s.call("poll", "poll", {Value::list({borrow(never), borrow(deadline), borrow(waiting)})});
  const double cpu = thread_cpu_ms() - cpu0;
  const auto wall = std::chrono::steady_clock::now() - wall0;
  connector.join();
  EXPECT_EQ(ready.to_string(), "[2]");  // the listener, not the 10 s deadline or the endless one
  EXPECT_GE(wall, std::chrono::milliseconds(250));
  EXPECT_LT(cpu, 100.0) << "the wait used " << cpu << " ms of CPU: it spins";
  Value accepted = Sockets::ok(s.tcp("accept", server));
  for (const Value& v : accepted.items())
    s.drop(v);
  s.drop(waiting);
  s.drop(deadline);
  s.drop(never);
  s.drop(server);
  s.drop(net);
}

TEST(WasiP2EventLoop, ADeadlineSleepsWithoutSpinning) {
  // loop_wait with only a deadline: the timer ends it, on time, with next to no CPU used.
  const double cpu0 = thread_cpu_ms();
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(wasi::p2::loop_wait({}, wasi::p2::monotonic_now_ns() + 200'000'000));
  const auto wall = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(wall, std::chrono::milliseconds(195));
  EXPECT_LT(thread_cpu_ms() - cpu0, 50.0);
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_TRUE(wasi::p2::loop_wait({}, wasi::p2::monotonic_now_ns() - 1));  // already past: at once
  EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::milliseconds(100));
}

TEST(WasiP2Sockets, WritesNeverBlockAndBackpressureShowsInCheckWrite) {
  // The server does not read: the client's non-blocking writes fill the socket, then the host's
  // pending buffer, until check-write permits nothing; nothing blocks, a write past the permit
  // traps, and once the server reads, every byte arrives in order.
  RILL_SOCKETS(s, allow("127.0.0.1/32"));
  Value net = s.network();
  auto [server, client, client_streams, accepted] = s.connection(net);
  const Value& server_in = accepted.items()[1];
  const Value& client_out = client_streams.items()[1];
  uint64_t written = 0;
  for (int i = 0; i < 1000; ++i) {
    uint64_t permit = Sockets::ok(s.call("streams", "[method]output-stream.check-write", {borrow(client_out)})).as_u64();
    if (permit == 0)
      break;
    std::string chunk(std::min<uint64_t>(permit, 256 * 1024), '\0');
    for (size_t j = 0; j < chunk.size(); ++j)
      chunk[j] = static_cast<char>('a' + (written + j) % 26);
    EXPECT_EQ(code(s.call("streams", "[method]output-stream.write", {borrow(client_out), bytes(chunk)})), "ok");
    written += chunk.size();
  }
  // A write that blocked would never return here (the server reads nothing): CTest's timeout.
  EXPECT_EQ(Sockets::ok(s.call("streams", "[method]output-stream.check-write", {borrow(client_out)})).as_u64(), 0u);
  EXPECT_GT(written, 1u << 20);  // the socket's own buffers and the host's full permit
  // A connected socket's own pollable is always ready (TcpSocketOperationalSemantics.md), even
  // now that it is neither readable nor writable.
  Value connected_pollable = s.tcp("subscribe", client);
  EXPECT_TRUE(s.ready(connected_pollable));
  s.drop(connected_pollable);
  auto over = s.try_call("streams", "[method]output-stream.write", {borrow(client_out), bytes("x")});
  ASSERT_FALSE(over);
  EXPECT_NE(over.trap().to_string().find("more than check-write permitted"), std::string::npos);
  // Drain; when the server has read all the socket held, the client's flush sends more.
  uint64_t got = 0;
  bool in_order = true;
  while (got < written) {
    Value r = s.call("streams", "[method]input-stream.read", {borrow(server_in), Value::u64(1 << 16)});
    ASSERT_EQ(code(r), "ok") << r.to_string();
    const std::string chunk = text(*r.payload());
    for (char b : chunk) {
      in_order = in_order && b == static_cast<char>('a' + got % 26);
      ++got;
    }
    if (chunk.empty()) {
      EXPECT_EQ(code(s.call("streams", "[method]output-stream.flush", {borrow(client_out)})), "ok");
    }
  }
  EXPECT_EQ(got, written);
  EXPECT_TRUE(in_order);
  EXPECT_EQ(code(s.call("streams", "[method]output-stream.blocking-flush", {borrow(client_out)})), "ok");
  for (const Value& v : accepted.items())
    s.drop(v);
  for (const Value& v : client_streams.items())
    s.drop(v);
  s.drop(client);
  s.drop(server);
  s.drop(net);
}

TEST(WasiP2Sockets, ConnectToAClosedPortIsRefused) {
  RILL_SOCKETS(s, allow("127.0.0.1/32"));
  // A bound socket that does not listen: connections to its port are refused.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof sin), 0);
  socklen_t len = sizeof sin;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&sin), &len), 0);
  Value net = s.network();
  auto [client, r] = s.connect(net, ntohs(sin.sin_port));
  ::close(fd);
  EXPECT_EQ(code(r), "connection-refused") << r.to_string();
  // A failed connect leaves the socket closed: it cannot connect again.
  EXPECT_EQ(code(s.tcp("start-connect", client, {borrow(net), loopback(1)})), "invalid-state");
  s.drop(client);
}

TEST(WasiP2Sockets, NetworkIsDeniedByDefault) {
  RILL_SOCKETS(s, NetPolicy{});
  Value net = s.network();
  Value t = s.new_tcp();
  EXPECT_EQ(code(s.tcp("start-bind", t, {borrow(net), loopback(0)})), "access-denied");
  EXPECT_EQ(code(s.tcp("start-connect", t, {borrow(net), loopback(80)})), "access-denied");
  Value t6 = s.new_tcp("ipv6");
  EXPECT_EQ(code(s.tcp("start-bind", t6, {borrow(net), ipv6_loopback(0)})), "access-denied");
  Value u = s.new_udp();
  EXPECT_EQ(code(s.udp("start-bind", u, {borrow(net), loopback(0)})), "access-denied");
  // Denial is not a state change: the socket is still unbound.
  EXPECT_EQ(code(s.tcp("finish-bind", t)), "not-in-progress");
}

TEST(WasiP2Sockets, AllowIpPermitsOnlyItsBlock) {
  RILL_SOCKETS(s, allow("127.0.0.1/32"));
  Value net = s.network();
  Value ok = s.new_tcp();
  EXPECT_EQ(code(s.tcp("start-bind", ok, {borrow(net), loopback(0)})), "ok");
  Value other = s.new_tcp();
  EXPECT_EQ(code(s.tcp("start-bind", other, {borrow(net), ipv4(127, 0, 0, 2, 0)})), "access-denied");
  EXPECT_EQ(code(s.tcp("start-bind", other, {borrow(net), ipv4(0, 0, 0, 0, 0)})), "access-denied");
  EXPECT_EQ(code(s.tcp("start-connect", other, {borrow(net), ipv4(10, 1, 2, 3, 80)})), "access-denied");
  Value v6 = s.new_tcp("ipv6");
  EXPECT_EQ(code(s.tcp("start-bind", v6, {borrow(net), ipv6_loopback(0)})), "access-denied");
}

TEST(WasiP2Sockets, AllowAllPermitsEverything) {
  NetPolicy all;
  all.allow_all = true;
  RILL_SOCKETS(s, all);
  Value net = s.network();
  Value t = s.new_tcp();
  EXPECT_EQ(code(s.tcp("start-bind", t, {borrow(net), ipv4(0, 0, 0, 0, 0)})), "ok");
  EXPECT_EQ(code(s.tcp("finish-bind", t)), "ok");
}

TEST(WasiP2Sockets, UdpSendAndReceiveOnLoopback) {
  RILL_SOCKETS(s, allow("127.0.0.1/32"));
  Value net = s.network();
  Value a = s.new_udp();
  Value b = s.new_udp();
  for (const Value* u : {&a, &b}) {
    EXPECT_EQ(code(s.udp("start-bind", *u, {borrow(net), loopback(0)})), "ok");
    EXPECT_EQ(code(s.udp("finish-bind", *u)), "ok");
  }
  uint16_t pa = port_of(s.udp("local-address", a));
  uint16_t pb = port_of(s.udp("local-address", b));
  Value sa = Sockets::ok(s.udp("stream", a, {Value::none()}));
  Value sb = Sockets::ok(s.udp("stream", b, {Value::none()}));
  const Value& a_out = sa.items()[1];
  const Value& b_in = sb.items()[0];
  EXPECT_EQ(code(s.udp("remote-address", a)), "invalid-state");  // not streaming to a peer

  auto datagram = [](const std::string& data, std::optional<Value> to) {
    return Value::record({{"data", bytes(data)},
                          {"remote-address", to ? Value::some(std::move(*to)) : Value::none()}});
  };
  auto send = [&](const Value& out, std::vector<Value> grams) {
    return s.call("udp", "[method]outgoing-datagram-stream.send", {borrow(out), Value::list(std::move(grams))});
  };
  auto check_send = [&](const Value& out) {
    return Sockets::ok(s.call("udp", "[method]outgoing-datagram-stream.check-send", {borrow(out)})).as_u64();
  };

  Value nothing_yet = s.call("udp", "[method]incoming-datagram-stream.subscribe", {borrow(b_in)});
  EXPECT_FALSE(s.ready(nothing_yet));
  s.drop(nothing_yet);
  ASSERT_GE(check_send(a_out), 2u);
  Value sent = send(a_out, {datagram("hello", loopback(pb)), datagram("world", loopback(pb))});
  EXPECT_EQ(Sockets::ok(sent).as_u64(), 2u);

  std::vector<std::string> got;
  while (got.size() < 2) {
    s.block(s.call("udp", "[method]incoming-datagram-stream.subscribe", {borrow(b_in)}));
    Value r = Sockets::ok(s.call("udp", "[method]incoming-datagram-stream.receive", {borrow(b_in), Value::u64(8)}));
    for (const Value& g : r.items()) {
      got.push_back(text(g.items()[0]));
      EXPECT_EQ(port_of(Value::ok(g.items()[1])), pa);
    }
  }
  EXPECT_EQ(got, (std::vector<std::string>{"hello", "world"}));
  Value none = Sockets::ok(s.call("udp", "[method]incoming-datagram-stream.receive", {borrow(b_in), Value::u64(8)}));
  EXPECT_TRUE(none.items().empty());

  // Unconnected: a datagram needs an address, and the address must be permitted.
  ASSERT_GE(check_send(a_out), 1u);
  EXPECT_EQ(code(send(a_out, {datagram("x", std::nullopt)})), "invalid-argument");
  ASSERT_GE(check_send(a_out), 1u);
  EXPECT_EQ(code(send(a_out, {datagram("x", ipv4(127, 0, 0, 2, pb))})), "access-denied");

  // More datagrams than check-send permitted traps.
  ASSERT_GE(check_send(a_out), 1u);
  std::vector<Value> many;
  for (int i = 0; i < 100; ++i)
    many.push_back(datagram("x", loopback(pb)));
  auto trap = s.try_call("udp", "[method]outgoing-datagram-stream.send", {borrow(a_out), Value::list(many)});
  EXPECT_FALSE(trap);

  // Connected to b: a datagram without an address goes to b; another address is refused; the
  // streams of the previous stream() call no longer work.
  Value sa2 = Sockets::ok(s.udp("stream", a, {Value::some(loopback(pb))}));
  EXPECT_EQ(port_of(s.udp("remote-address", a)), pb);
  const Value& a_out2 = sa2.items()[1];
  EXPECT_EQ(code(s.call("udp", "[method]outgoing-datagram-stream.check-send", {borrow(a_out)})), "invalid-state");
  ASSERT_GE(check_send(a_out2), 1u);
  EXPECT_EQ(Sockets::ok(send(a_out2, {datagram("again", std::nullopt)})).as_u64(), 1u);
  ASSERT_GE(check_send(a_out2), 1u);
  EXPECT_EQ(code(send(a_out2, {datagram("x", loopback(static_cast<uint16_t>(pb + 1)))})), "invalid-argument");
  s.block(s.call("udp", "[method]incoming-datagram-stream.subscribe", {borrow(b_in)}));
  Value r = Sockets::ok(s.call("udp", "[method]incoming-datagram-stream.receive", {borrow(b_in), Value::u64(8)}));
  ASSERT_EQ(r.items().size(), 1u);
  EXPECT_EQ(text(r.items()[0].items()[0]), "again");

  // Dropping the socket before its streams is fine.
  s.drop(a);
  s.drop(b);
  for (const Value* v : {&sa, &sb, &sa2})
    for (const Value& stream : v->items())
      s.drop(stream);
}

TEST(WasiP2Sockets, LookupDeniedBeforeAnyQuery) {
  RILL_SOCKETS(s, NetPolicy{});
  std::atomic<int> queries{0};
  s.impl().resolver = [&queries](const std::string& name) {
    ++queries;
    return wasi::p2::system_resolver()(name);
  };
  Value net = s.network();
  for (const char* name : {"localhost", "127.0.0.1", "example.com"}) {
    Value r = s.call("ip-name-lookup", "resolve-addresses", {borrow(net), Value::string(name)});
    EXPECT_EQ(code(r), "access-denied") << name;
  }
  EXPECT_EQ(queries.load(), 0);
}

TEST(WasiP2Sockets, LookupResolvesWhenAllowed) {
  NetPolicy p;
  p.allow_lookup = true;
  RILL_SOCKETS(s, p);
  std::atomic<int> queries{0};
  s.impl().resolver = [&queries](const std::string& name) {
    ++queries;
    return wasi::p2::system_resolver()(name);
  };
  Value net = s.network();
  auto resolve_all = [&](const char* name) {
    Value stream = Sockets::ok(s.call("ip-name-lookup", "resolve-addresses", {borrow(net), Value::string(name)}));
    std::vector<std::string> out;
    for (;;) {
      s.block(s.call("ip-name-lookup", "[method]resolve-address-stream.subscribe", {borrow(stream)}));
      Value r = s.call("ip-name-lookup", "[method]resolve-address-stream.resolve-next-address", {borrow(stream)});
      if (code(r) == "would-block")
        continue;
      if (code(r) != "ok") {
        out.push_back(code(r));
        break;
      }
      if (!r.payload()->is_some())
        break;
      out.push_back(r.payload()->payload()->to_string());
    }
    s.drop(stream);
    return out;
  };
  // An IP literal is returned as it is, without a query.
  auto lit = resolve_all("127.0.0.1");
  ASSERT_EQ(lit.size(), 1u);
  EXPECT_NE(lit[0].find("ipv4"), std::string::npos) << lit[0];
  EXPECT_EQ(queries.load(), 0);
  auto local = resolve_all("localhost");
  EXPECT_EQ(queries.load(), 1);
  ASSERT_FALSE(local.empty());
  bool loop = false;
  for (const std::string& a : local)
    loop = loop || a.find("127") != std::string::npos || a == "ipv6((0, 0, 0, 0, 0, 0, 0, 1))";
  EXPECT_TRUE(loop) << local[0];
  EXPECT_EQ(code(s.call("ip-name-lookup", "resolve-addresses", {borrow(net), Value::string("a b")})),
            "invalid-argument");
  EXPECT_EQ(code(s.call("ip-name-lookup", "resolve-addresses", {borrow(net), Value::string("")})),
            "invalid-argument");
  // A NUL ends the name for inet_pton and getaddrinfo: refused, never read as "127.0.0.1".
  for (const std::string& name : {std::string("127.0.0.1\0x", 11), std::string("localhost\0", 10)}) {
    EXPECT_EQ(code(s.call("ip-name-lookup", "resolve-addresses", {borrow(net), Value::string(name)})),
              "invalid-argument");
  }
  EXPECT_EQ(queries.load(), 1);
}

TEST(WasiP2Sockets, TwoPhaseOperationsCheckTheirState) {
  RILL_SOCKETS(s, allow("127.0.0.1/32"));
  Value net = s.network();
  Value t = s.new_tcp();
  EXPECT_EQ(code(s.tcp("finish-bind", t)), "not-in-progress");
  EXPECT_EQ(code(s.tcp("finish-connect", t)), "not-in-progress");
  EXPECT_EQ(code(s.tcp("finish-listen", t)), "not-in-progress");
  EXPECT_EQ(code(s.tcp("start-listen", t)), "invalid-state");  // not bound
  EXPECT_EQ(code(s.tcp("accept", t)), "invalid-state");
  EXPECT_EQ(code(s.tcp("local-address", t)), "invalid-state");
  EXPECT_EQ(code(s.tcp("remote-address", t)), "invalid-state");
  EXPECT_EQ(code(s.tcp("shutdown", t, {Value::enumeration("both")})), "invalid-state");
  EXPECT_EQ(code(s.tcp("start-bind", t, {borrow(net), ipv6_loopback(0)})), "invalid-argument");  // family
  EXPECT_EQ(code(s.tcp("start-connect", t, {borrow(net), loopback(0)})), "invalid-argument");  // port 0
  EXPECT_EQ(code(s.tcp("start-connect", t, {borrow(net), ipv4(0, 0, 0, 0, 80)})), "invalid-argument");
  EXPECT_EQ(code(s.tcp("start-bind", t, {borrow(net), loopback(0)})), "ok");
  EXPECT_EQ(code(s.tcp("start-bind", t, {borrow(net), loopback(0)})), "concurrency-conflict");
  EXPECT_EQ(code(s.tcp("start-listen", t)), "concurrency-conflict");  // bind not finished
  EXPECT_EQ(code(s.tcp("finish-bind", t)), "ok");
  EXPECT_EQ(code(s.tcp("finish-bind", t)), "not-in-progress");
  EXPECT_EQ(code(s.tcp("start-bind", t, {borrow(net), loopback(0)})), "invalid-state");  // bound
  Value p = s.tcp("subscribe", t);
  EXPECT_TRUE(s.ready(p));  // bound: nothing in progress
  EXPECT_EQ(code(s.tcp("start-listen", t)), "ok");
  EXPECT_EQ(code(s.tcp("start-listen", t)), "concurrency-conflict");
  EXPECT_TRUE(s.ready(p));  // listen-in-progress: finish-listen would not block
  EXPECT_EQ(code(s.tcp("finish-listen", t)), "ok");
  EXPECT_FALSE(s.ready(p));  // listening, nobody connecting
  s.drop(p);
  EXPECT_EQ(code(s.tcp("start-listen", t)), "invalid-state");  // already listening
  EXPECT_EQ(code(s.tcp("start-connect", t, {borrow(net), loopback(80)})), "invalid-state");
  EXPECT_EQ(s.tcp("address-family", t).str(), "ipv4");

  Value u = s.new_udp();
  EXPECT_EQ(code(s.udp("finish-bind", u)), "not-in-progress");
  EXPECT_EQ(code(s.udp("stream", u, {Value::none()})), "invalid-state");  // not bound
  EXPECT_EQ(code(s.udp("local-address", u)), "invalid-state");
}

TEST(WasiP2Sockets, OptionsReadBackAndRejectZero) {
  RILL_SOCKETS(s, NetPolicy{});
  Value t = s.new_tcp();
  EXPECT_EQ(code(s.tcp("set-keep-alive-enabled", t, {Value::boolean(true)})), "ok");
  EXPECT_TRUE(Sockets::ok(s.tcp("keep-alive-enabled", t)).as_bool());
  EXPECT_EQ(code(s.tcp("set-keep-alive-enabled", t, {Value::boolean(false)})), "ok");
  EXPECT_FALSE(Sockets::ok(s.tcp("keep-alive-enabled", t)).as_bool());
  EXPECT_EQ(code(s.tcp("set-keep-alive-idle-time", t, {Value::u64(2'000'000'000)})), "ok");
  EXPECT_EQ(Sockets::ok(s.tcp("keep-alive-idle-time", t)).as_u64(), 2'000'000'000u);
  EXPECT_EQ(code(s.tcp("set-keep-alive-idle-time", t, {Value::u64(0)})), "invalid-argument");
  EXPECT_EQ(code(s.tcp("set-hop-limit", t, {Value::u8(42)})), "ok");
  EXPECT_EQ(Sockets::ok(s.tcp("hop-limit", t)).as_u32(), 42u);
  EXPECT_EQ(code(s.tcp("set-hop-limit", t, {Value::u8(0)})), "invalid-argument");
  EXPECT_EQ(code(s.tcp("set-receive-buffer-size", t, {Value::u64(65536)})), "ok");
  EXPECT_GE(Sockets::ok(s.tcp("receive-buffer-size", t)).as_u64(), 65536u);
  EXPECT_EQ(code(s.tcp("set-receive-buffer-size", t, {Value::u64(0)})), "invalid-argument");
  EXPECT_EQ(code(s.tcp("set-listen-backlog-size", t, {Value::u64(0)})), "invalid-argument");
  EXPECT_EQ(code(s.tcp("set-listen-backlog-size", t, {Value::u64(16)})), "ok");
}

TEST(WasiP2Sockets, DroppingASocketBeforeItsStreamsIsFine) {
  RILL_SOCKETS(s, allow("127.0.0.1/32"));
  Value net = s.network();
  auto [server, client, client_streams, accepted] = s.connection(net);
  // Parents first: the listener, then both connected sockets; the streams still work.
  s.drop(server);
  s.drop(accepted.items()[0]);
  s.drop(client);
  s.drop(net);
  EXPECT_EQ(code(s.call("streams", "[method]output-stream.blocking-write-and-flush",
                        {borrow(client_streams.items()[1]), bytes("late")})), "ok");
  Value r = s.call("streams", "[method]input-stream.blocking-read", {borrow(accepted.items()[1]), Value::u64(4)});
  ASSERT_EQ(code(r), "ok") << r.to_string();
  EXPECT_EQ(text(*r.payload()).substr(0, 1), "l");
  // A dropped socket's handle traps instead of reaching freed state.
  auto stale = s.try_call("tcp", "[method]tcp-socket.is-listening", {borrow(server)});
  EXPECT_FALSE(stale);
  for (const Value& v : client_streams.items())
    s.drop(v);
  s.drop(accepted.items()[1]);
  s.drop(accepted.items()[2]);
}

}  // namespace
}  // namespace rill::wasi_test
