// Connection (connection.h): the keep-alive loop of one client. A head is read with Beast's
// parser under --max-header-bytes / --max-body-bytes and a header timeout; the request's guest
// then runs on a fiber of its own (fresh Store, the one shared linker, the request's WASI
// Context as the store's data) while this thread's io_context serves other connections; when
// the fiber ends, a response the guest did not give is answered by the host (500 trap, 504
// timeout, 413 body too large), and the connection carries on or closes.
#include <boost/asio/post.hpp>

#include <chrono>
#include <utility>

#include "rill/host/connection.h"

namespace rill::host {
namespace {

/// The bytes Beast serializes for {res} (just the head with {head_only}).
template <class Body>
std::string to_wire(http::response<Body>& res, bool head_only) {
  http::response_serializer<Body> sr{res};
  sr.split(head_only);
  std::string out;
  beast::error_code ec;
  while (!(head_only ? sr.is_header_done() : sr.is_done())) {
    sr.next(ec, [&](beast::error_code&, const auto& bufs) {
      for (auto b : beast::buffers_range_ref(bufs))
        out.append(static_cast<const char*>(b.data()), b.size());
      sr.consume(beast::buffer_bytes(bufs));
    });
    if (ec)
      break;
  }
  return out;
}

/// The response-outparam's server side: forwards to the connection while it lives.
class Sink final : public wasi::p2::ResponseSink {
 public:
  explicit Sink(std::weak_ptr<Connection> c) : conn_(std::move(c)) {}
  std::shared_ptr<wasi::p2::BodyWriter> respond(uint16_t status, const wasi::p2::FieldList& headers) override {
    auto c = conn_.lock();
    return c ? c->respond(status, headers) : nullptr;
  }
  void respond_error(const std::string& label) override {
    if (auto c = conn_.lock())
      c->respond_error(label);
  }

 private:
  std::weak_ptr<Connection> conn_;
};

uint64_t now_ns() {
  return engine::monotonic_ns();
}

}  // namespace

Connection::Connection(Shared& s, asio::ip::tcp::socket socket) : shared(s), stream(std::move(socket)) {
  shared.metrics.connections.fetch_add(1, std::memory_order_relaxed);
}

Connection::~Connection() {
  shared.metrics.connections.fetch_sub(1, std::memory_order_relaxed);
}

void Connection::read_head(bool first) {
  if (closed_ || shared.draining.load(std::memory_order_relaxed)) {
    close();
    return;
  }
  idle_ = true;
  parser.emplace();
  parser->header_limit(shared.opt.limits.max_header_bytes);
  parser->body_limit(shared.opt.limits.max_body_bytes);
  const auto& l = shared.opt.limits;
  stream.expires_after(std::chrono::milliseconds(first ? l.header_timeout_ms : l.idle_timeout_ms));
  http::async_read_header(stream, buffer, *parser,
                          [self = shared_from_this()](beast::error_code ec, size_t) { self->on_head(ec); });
}

void Connection::on_head(beast::error_code ec) {
  idle_ = false;
  if (ec) {
    if (ec == http::error::header_limit) {
      shared.log->info("request head over --max-header-bytes {}: 431", shared.opt.limits.max_header_bytes);
      reply(431, "request header fields too large", true);
    } else if (ec == http::error::body_limit) {
      reply(413, "request body too large", true);
    } else if (ec == beast::error::timeout) {
      if (buffer.size() > 0)
        shared.log->info("request head not received in time: connection closed");
      close();
    } else if (ec == http::error::end_of_stream || ec == asio::error::eof ||
               ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
               ec == asio::error::bad_descriptor) {
      close();
    } else {
      shared.log->info("malformed request ({}): 400", ec.message());
      reply(400, "malformed request", true);
    }
    return;
  }
  stream.expires_never();
  auto& m = parser->get();
  head_fields = static_cast<size_t>(std::distance(m.begin(), m.end()));
  if (auto cl = parser->content_length(); cl && *cl > shared.opt.limits.max_body_bytes) {
    shared.log->info("request body of {} bytes over --max-body-bytes {}: 413", *cl, shared.opt.limits.max_body_bytes);
    reply(413, "request body too large", true);
    return;
  }
  if (shared.running.load(std::memory_order_relaxed) >= shared.opt.limits.max_concurrent_requests) {
    shared.metrics.rejected.fetch_add(1, std::memory_order_relaxed);
    shared.log->info("--max-concurrent-requests {} reached: 503", shared.opt.limits.max_concurrent_requests);
    reply(503, "server busy", true);
    return;
  }
  start_request();
}

void Connection::start_request() {
  auto& m = parser->get();
  req_ = std::make_unique<Request>();
  Request& r = *req_;
  r.start_ns = now_ns();
  r.method = std::string(m.method_string());
  r.target = std::string(m.target());
  r.keep_alive = m.keep_alive();
  r.writer = std::make_shared<OutWriter>(shared_from_this(), false);
  if (beast::iequals(m[http::field::expect], "100-continue"))
    r.writer->queue("HTTP/1.1 100 Continue\r\n\r\n");
  r.body = std::make_shared<InBody>(shared_from_this());
  auto ctx = wasi::p2::Context::create(shared.opt.wasi);
  if (!ctx) {
    shared.log->error("WASI context: {}", ctx.error().message);
    reply(500, "internal error", true);
    return;
  }
  r.ctx = std::move(*ctx);
  r.store.emplace(shared.engine);
  r.store->set_data(r.ctx);
  StoreLimits limits;
  limits.max_memory_bytes = shared.opt.limits.max_memory;
  r.store->set_limits(limits);
  r.store->set_epoch_deadline(shared.timeout_ticks);
  shared.running.fetch_add(1, std::memory_order_relaxed);
  r.timer.emplace(stream.get_executor());
  r.timer->expires_after(std::chrono::milliseconds(shared.opt.limits.request_timeout_ms));
  r.timer->async_wait([self = shared_from_this(), rp = &r](beast::error_code ec) {
    if (ec || self->req_.get() != rp || !rp->fiber)
      return;
    rp->timed_out = true;
    rp->store->set_epoch_deadline(0);  // back in wasm, the guest traps at once
    rp->ctx->impl().cancel->set();     // and a guest waiting in the host returns to wasm
  });
  auto fiber = engine::Fiber::create([self = shared_from_this()] { self->run_guest(); });
  if (!fiber) {
    shared.running.fetch_sub(1, std::memory_order_relaxed);
    shared.log->error("fiber: {}", fiber.error().message);
    reply(500, "internal error", true);
    return;
  }
  r.fiber = std::move(*fiber);
  engine::set_reactor_driven(r.fiber.get(), true);
  r.fiber->resume();  // runs until the guest first waits (or is done)
}

void Connection::run_guest() {
  Request& r = *req_;
  Shared& s = shared;
  s.metrics.live_instances.fetch_add(1, std::memory_order_relaxed);
  {
    auto inst = s.linker.instantiate(*r.store, *s.component);
    if (!inst) {
      r.trap = Trap::host("instantiation: " + inst.error().to_string());
    } else if (auto f = inst->func(s.handler)) {
      const auto& m = parser->get();
      wasi::p2::IncomingRequestData data;
      data.method = r.method;
      data.path_with_query = r.target;
      data.scheme = "http";
      data.authority = std::string(m[http::field::host]);
      for (const auto& field : m)
        data.headers.entries.emplace_back(std::string(field.name_string()), std::string(field.value()));
      data.body = r.body;
      auto req = wasi::p2::new_incoming_request(*s.http, *r.ctx, std::move(data));
      auto out = wasi::p2::new_response_outparam(*s.http, *r.ctx, std::make_shared<Sink>(weak_from_this()));
      if (!req || !out) {
        r.trap = Trap::host("too many resources");
      } else {
        auto result = f->call({std::move(*req), std::move(*out)});
        if (!result)
          r.trap = std::move(result).trap();
      }
    } else {
      r.trap = Trap::host("no export " + s.handler);
    }
  }
  s.metrics.live_instances.fetch_sub(1, std::memory_order_relaxed);
  // The fiber ends after this returns: finish on the thread's stack.
  asio::post(stream.get_executor(), [self = shared_from_this()] { self->guest_done(); });
}

std::shared_ptr<OutWriter> Connection::respond(unsigned status, const wasi::p2::FieldList& headers) {
  if (!req_ || req_->status != 0 || closed_)
    return nullptr;
  http::response<http::empty_body> res;
  res.result(status);
  res.version(11);
  for (const auto& [n, v] : headers.entries)
    res.insert(n, v);
  const bool sized = res.count(http::field::content_length) > 0;
  const bool no_body = status < 200 || status == 204 || status == 304 || req_->method == "HEAD";
  res.keep_alive(req_->keep_alive && !shared.draining.load(std::memory_order_relaxed));
  if (!sized && !no_body)
    res.chunked(true);
  req_->status = status;
  // The head goes after anything queued already (a 100 Continue), through the same writer.
  req_->writer->set_chunked(!sized && !no_body);
  req_->writer->queue(to_wire(res, true));
  return req_->writer;
}

void Connection::respond_error(const std::string& label) {
  if (!req_ || req_->status != 0)
    return;
  shared.log->info("guest answered error-code {}: 500", label);
  req_->status = 500;
  http::response<http::string_body> res{http::status::internal_server_error, 11};
  res.set(http::field::content_type, "text/plain");
  res.body() = "error: " + label + "\n";
  res.keep_alive(false);
  res.prepare_payload();
  req_->writer->queue(to_wire(res, false));
  req_->writer->finish({});
}

void Connection::guest_done() {
  Request& r = *req_;
  engine::set_reactor_driven(r.fiber.get(), false);
  r.fiber.reset();
  r.timer->cancel();
  shared.running.fetch_sub(1, std::memory_order_relaxed);
  const bool interrupted = r.timed_out || (r.trap && r.trap->kind == TrapKind::Interrupted);
  if (r.trap) {
    (interrupted ? shared.metrics.timeouts : shared.metrics.traps).fetch_add(1, std::memory_order_relaxed);
    shared.log->warn("{} {}: guest {}: {}", r.method, r.target, interrupted ? "timed out" : "trapped",
                     r.trap->to_string());
  }
  r.ctx.reset();  // the guest's resources (drops the writer's unfinished body)
  r.store.reset();
  if (r.status == 0) {
    unsigned status = interrupted ? 504 : 500;
    if (!interrupted && r.body->error() == std::optional<std::string>("HTTP-request-body-size"))
      status = 413;
    if (!r.trap)
      shared.log->info("{} {}: guest returned without a response: 500", r.method, r.target);
    reply(status, status == 504 ? "request timed out" : status == 413 ? "request body too large" : "guest failed",
          !r.body->complete());
    return;
  }
  if (!r.writer->finished())
    r.writer->abort();  // the body was left unfinished: the client must see it truncated
  after_response();
}

void Connection::reply(unsigned status, std::string_view why, bool close_after) {
  http::response<http::string_body> res;
  res.result(status);
  res.version(11);
  res.set(http::field::content_type, "text/plain");
  if (status == 503)
    res.set(http::field::retry_after, "1");
  res.body() = std::string(why) + "\n";
  res.keep_alive(!close_after && !shared.draining.load(std::memory_order_relaxed));
  res.prepare_payload();
  if (!req_) {
    req_ = std::make_unique<Request>();
    req_->start_ns = now_ns();
    req_->keep_alive = false;
  }
  req_->keep_alive = req_->keep_alive && !close_after;
  req_->status = status;
  if (!req_->writer)
    req_->writer = std::make_shared<OutWriter>(shared_from_this(), false);
  req_->writer->queue(to_wire(res, false));
  req_->writer->finish({});
  after_response();
}

void Connection::after_response() {
  Request& r = *req_;
  shared.metrics.record(r.status, now_ns() - r.start_ns);
  log_access();
  const bool reuse = r.keep_alive && r.body && r.body->complete() && !r.writer->aborted() &&
                     !shared.draining.load(std::memory_order_relaxed);
  auto w = r.writer;
  auto next = [self = shared_from_this(), reuse] {
    self->req_.reset();
    if (reuse && !self->closed_)
      self->read_head(false);
    else
      self->close();
  };
  if (w->aborted() || w->flushed())
    asio::post(stream.get_executor(), next);
  else
    w->on_drained = next;
}

void Connection::log_access() {
  if (!shared.access || !req_)
    return;
  const Request& r = *req_;
  shared.access->info("method={} path=\"{}\" status={} dur_us={}", r.method.empty() ? "-" : r.method,
                      r.target, r.status, (now_ns() - r.start_ns) / 1000);
}

void Connection::close() {
  if (closed_)
    return;
  closed_ = true;
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  stream.close();
  if (req_ && req_->body)
    req_->body->fail("connection-terminated");
  if (req_ && req_->writer)
    req_->writer->close();
}

void start_connection(Shared& shared, ThreadConns& conns, asio::ip::tcp::socket socket) {
  auto c = std::make_shared<Connection>(shared, std::move(socket));
  if (shared.metrics.connections.load(std::memory_order_relaxed) >
      static_cast<int64_t>(shared.opt.limits.max_connections)) {
    shared.metrics.rejected.fetch_add(1, std::memory_order_relaxed);
    shared.log->info("--max-connections {} reached: 503", shared.opt.limits.max_connections);
    c->reply(503, "too many connections", true);
    return;
  }
  conns.live.remove_if([](const std::weak_ptr<Connection>& w) { return w.expired(); });
  conns.live.push_back(c);
  c->conns_ = &conns;
  c->start();
}

void close_if_idle(const std::shared_ptr<Connection>& c) {
  if (c->idle())
    c->close();
}

}  // namespace rill::host
