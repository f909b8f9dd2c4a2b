// One client connection of `rill serve` (Boost.Beast over the thread's io_context): request
// heads, the request's guest on a fiber, the request body as the guest reads it (InBody) and
// the response as the guest writes it (OutWriter). What every connection shares (the compiled
// component, its one linker, limits, metrics) is Shared; server.cpp owns it and the threads.
#pragma once

#include <atomic>
#include <functional>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/logger.h>

#include "rill/component.h"
#include "rill/engine/fiber.h"
#include "rill/engine/reactor.h"
#include "rill/host/metrics.h"
#include "rill/host/serve.h"
#include "rill/wasi/p2/http_state.h"

namespace rill::host {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace asio = boost::asio;

/// What every thread and connection of one server shares. Immutable once serving starts, but
/// for the atomics.
struct Shared {
  ServeOptions opt;
  Engine engine;
  std::optional<Component> component;
  ComponentLinker linker;           ///< one linker for every instance (caller-context WASI)
  wasi::p2::HttpHostPtr http;
  std::string handler;              ///< "wasi:http/incoming-handler@0.2.N#handle"
  uint64_t timeout_ticks = 0;       ///< --request-timeout in epoch ticks
  Metrics metrics;
  std::atomic<uint32_t> running{0};  ///< guests running now (all threads)
  std::atomic<bool> draining{false};
  std::shared_ptr<spdlog::logger> log;  ///< errors and limits
  std::shared_ptr<spdlog::logger> access;  ///< one line per request; null: off
};

class Connection;

/// The connections of one thread (to close the idle ones when draining).
struct ThreadConns {
  std::list<std::weak_ptr<Connection>> live;
};

/// A request body arriving on the connection, read only as the guest asks for it: at most one
/// chunk (kChunk bytes) is buffered.
class InBody final : public wasi::p2::IncomingBody,
                     public engine::WaitSource,
                     public std::enable_shared_from_this<InBody> {
 public:
  static constexpr size_t kChunk = 64 << 10;
  explicit InBody(std::shared_ptr<Connection> conn);

  bool read(std::vector<uint8_t>& out, size_t max, std::string& err) override;
  std::shared_ptr<engine::WaitSource> source() override { return shared_from_this(); }
  bool finished() const override { return done_ || error_.has_value(); }
  const wasi::p2::FieldList& trailers() const override { return trailers_; }
  std::optional<std::string> error() const override { return error_; }
  void discard() override;
  bool ready() const override { return pos_ < data_.size() || finished(); }
  void arm(const engine::WakerPtr& w) override;
  /// The whole body was received (the connection can carry another request).
  bool complete() const { return done_; }
  /// The connection is going away: wake the waiters; reads fail from now on.
  void fail(std::string label);

 private:
  void start_read();
  void on_read(beast::error_code ec);
  void wake();

  std::shared_ptr<Connection> conn_;
  std::vector<uint8_t> chunk_;  ///< the parser's buffer_body target
  std::vector<uint8_t> data_;   ///< received, not yet read by the guest
  size_t pos_ = 0;
  bool reading_ = false;
  bool done_ = false;
  bool discarding_ = false;
  std::optional<std::string> error_;
  wasi::p2::FieldList trailers_;
  std::vector<engine::WakerPtr> waiters_;
};

/// The response on the wire: the head, then the body as the guest writes it (chunked unless the
/// guest declared a content-length), then the last chunk with trailers. Writes queue at most
/// kQueueBytes; the socket drains them asynchronously.
class OutWriter final : public wasi::p2::BodyWriter,
                        public engine::WaitSource,
                        public std::enable_shared_from_this<OutWriter> {
 public:
  static constexpr size_t kQueueBytes = 256 << 10;
  OutWriter(std::shared_ptr<Connection> conn, bool chunked) : conn_(std::move(conn)), chunked_(chunked) {}

  std::optional<uint64_t> permit() override;
  void write(std::span<const uint8_t> data) override;
  bool flushed() override { return pending_.empty() && !writing_; }
  void finish(const wasi::p2::FieldList& trailers) override;
  void abort() override;
  std::shared_ptr<engine::WaitSource> source() override { return shared_from_this(); }
  bool ready() const override { return closed_ || pending_.size() < kQueueBytes; }
  void arm(const engine::WakerPtr& w) override { waiters_.push_back(w); }

  /// Whether body bytes are sent as chunks (set with the head).
  void set_chunked(bool chunked) { chunked_ = chunked; }
  /// Queues raw bytes (the head).
  void queue(std::string_view bytes);
  bool finished() const { return finished_; }
  bool aborted() const { return aborted_ || closed_; }
  /// The socket failed or was closed.
  void close();
  /// Called once everything queued is on the socket (or it failed); replaced each time.
  std::function<void()> on_drained;

 private:
  void pump();
  void wake();

  std::shared_ptr<Connection> conn_;
  bool chunked_;
  std::string pending_;
  std::string inflight_;
  bool writing_ = false;
  bool finished_ = false;
  bool aborted_ = false;
  bool closed_ = false;
  std::vector<engine::WakerPtr> waiters_;
};

/// One request in flight: its store and WASI context, the fiber its guest runs on, and the
/// response's state.
struct Request {
  uint64_t start_ns = 0;
  std::string method, target;
  bool keep_alive = true;
  std::optional<Store> store;
  std::shared_ptr<wasi::p2::Context> ctx;
  std::unique_ptr<engine::Fiber> fiber;
  std::shared_ptr<InBody> body;
  std::shared_ptr<OutWriter> writer;  ///< set once the head is queued
  unsigned status = 0;                ///< what was sent (0: nothing yet)
  std::optional<Trap> trap;
  bool timed_out = false;
  std::optional<asio::steady_timer> timer;
};

/// A client connection: reads a head, runs its request, then the next (keep-alive).
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Shared& shared, asio::ip::tcp::socket socket);
  ~Connection();

  void start() { read_head(true); }
  /// Queues the response head for the running request; the body writer.
  std::shared_ptr<OutWriter> respond(unsigned status, const wasi::p2::FieldList& headers);
  /// The guest answered with an error-code instead of a response.
  void respond_error(const std::string& label);
  /// Closes the socket at once (idle when draining, or an aborted response).
  void close();
  bool idle() const { return idle_; }

  Shared& shared;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::optional<http::request_parser<http::buffer_body>> parser;
  size_t head_fields = 0;  ///< fields in the head (those after them are trailers)

 private:
  void read_head(bool first);
  void on_head(beast::error_code ec);
  /// A response of the host's own ({status}, a short text body), then close or carry on.
  void reply(unsigned status, std::string_view why, bool close_after);
  void start_request();
  void run_guest();
  void guest_done();
  void after_response();
  void log_access();

  std::unique_ptr<Request> req_;
  bool idle_ = false;
  bool closed_ = false;
  ThreadConns* conns_ = nullptr;
  friend void start_connection(Shared&, ThreadConns&, asio::ip::tcp::socket);
};

/// Starts serving the accepted {socket}.
void start_connection(Shared& shared, ThreadConns& conns, asio::ip::tcp::socket socket);
/// Closes the connection if it waits for a request (draining); a busy one closes after it.
void close_if_idle(const std::shared_ptr<Connection>& c);

}  // namespace rill::host
