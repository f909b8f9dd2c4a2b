// serve (serve.h): compile the component once, link the WASI 0.2 + wasi:http host once (every
// function finds its request's Context through the caller's store), bind one SO_REUSEPORT
// acceptor per thread, each thread running its own io_context (engine::thread_io_context, the
// reactor request fibers wait in), one epoch ticker thread for --request-timeout, a metrics
// listener, and SIGINT/SIGTERM: stop accepting, close idle connections, drain, return 0.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "rill/host/connection.h"

namespace rill::host {
namespace {

using asio::ip::tcp;

/// Epoch tick of the request-timeout ticker.
constexpr uint64_t kTickMs = 10;

Result<tcp::endpoint> parse_addr(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos)
    return Error{"--addr " + text + ": expected HOST:PORT"};
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (ec)
    return Error{"--addr " + text + ": not an IP address"};
  unsigned long port = 0;
  try {
    port = std::stoul(text.substr(colon + 1));
  } catch (const std::exception&) {
    port = 70000;
  }
  if (port > 65535)
    return Error{"--addr " + text + ": bad port"};
  return tcp::endpoint(ip, static_cast<uint16_t>(port));
}

/// A listening socket on {ep} with SO_REUSEPORT (one per thread, the kernel spreads connections).
Result<std::unique_ptr<tcp::acceptor>> listen_on(asio::io_context& io, const tcp::endpoint& ep) {
  auto a = std::make_unique<tcp::acceptor>(io);
  boost::system::error_code ec;
  a->open(ep.protocol(), ec);
  if (!ec)
    a->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) {
    int one = 1;
    ::setsockopt(a->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    a->bind(ep, ec);
  }
  if (!ec)
    a->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error{"cannot listen on " + ep.address().to_string() + ":" + std::to_string(ep.port()) + ": " + ec.message()};
  return a;
}

/// One server thread: its acceptor, its connections; runs on thread_io_context().
struct Worker {
  Shared* shared = nullptr;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<tcp::acceptor> metrics;  ///< worker 0 only
  ThreadConns conns;
  asio::io_context* io = nullptr;

  void accept() {
    acceptor->async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec)
        return;  // closed (draining)
      s.set_option(tcp::no_delay(true), ec);
      start_connection(*shared, conns, std::move(s));
      accept();
    });
  }

  void accept_metrics() {
    metrics->async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec)
        return;
      serve_metrics(std::move(s));
      accept_metrics();
    });
  }

  void serve_metrics(tcp::socket s) {
    struct M {
      beast::tcp_stream stream;
      beast::flat_buffer buf;
      http::request<http::empty_body> req;
      http::response<http::string_body> res;
    };
    auto m = std::make_shared<M>(M{beast::tcp_stream(std::move(s)), {}, {}, {}});
    m->stream.expires_after(std::chrono::seconds(10));
    http::async_read(m->stream, m->buf, m->req, [this, m](beast::error_code ec, size_t) {
      if (ec)
        return;
      m->res.version(11);
      m->res.result(m->req.target() == "/metrics" ? http::status::ok : http::status::not_found);
      m->res.set(http::field::content_type, "text/plain; version=0.0.4");
      m->res.body() = m->req.target() == "/metrics" ? shared->metrics.prometheus() : "not found\n";
      m->res.keep_alive(false);
      m->res.prepare_payload();
      http::async_write(m->stream, m->res, [m](beast::error_code, size_t) {
        beast::error_code ignored;
        m->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      });
    });
  }

  /// Stop accepting, close the idle connections; busy ones close after their response.
  void drain() {
    boost::system::error_code ec;
    acceptor->close(ec);
    if (metrics)
      metrics->close(ec);
    for (auto& w : conns.live)
      if (auto c = w.lock())
        close_if_idle(c);
  }
};

Result<void> load(Shared& s) {
  auto c = Component::compile_file(s.engine, s.opt.file);
  if (!c)
    return Error{s.opt.file + ": " + c.error().to_string()};
  s.component = std::move(*c);
  for (const std::string& e : s.component->exports())
    if (e.starts_with("wasi:http/incoming-handler@0.2."))
      s.handler = e + "#handle";
  if (s.handler.empty())
    return Error{s.opt.file + ": the component does not export wasi:http/incoming-handler@0.2.x"};
  s.http = wasi::p2::add_to_linker_with_http(s.linker);
  // Link errors show now, not at the first request: one instantiation in a throwaway store.
  auto ctx = wasi::p2::Context::create(s.opt.wasi);
  if (!ctx)
    return Error{ctx.error().message};
  Store probe(s.engine);
  probe.set_data(*ctx);
  StoreLimits limits;
  limits.max_memory_bytes = s.opt.limits.max_memory;
  probe.set_limits(limits);
  auto inst = s.linker.instantiate(probe, *s.component);
  if (!inst)
    return Error{s.opt.file + ": " + inst.error().to_string()};
  return {};
}

}  // namespace

int serve(const ServeOptions& options) {
  auto shared = std::make_unique<Shared>();
  Shared& s = *shared;
  s.opt = options;
  s.log = spdlog::stderr_logger_mt("rill");
  s.log->set_pattern("rill serve: %v");
  if (options.access_log) {
    s.access = spdlog::stdout_logger_mt("access");
    s.access->set_pattern("%Y-%m-%dT%H:%M:%S.%e %v");
  }
  s.timeout_ticks = (options.limits.request_timeout_ms + kTickMs - 1) / kTickMs + 1;
  if (auto r = load(s); !r) {
    std::fprintf(stderr, "rill serve: %s\n", r.error().message.c_str());
    return 1;
  }
  auto ep = parse_addr(options.addr);
  if (!ep) {
    std::fprintf(stderr, "rill serve: %s\n", ep.error().message.c_str());
    return 1;
  }
  const uint32_t n = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Worker>> workers;
  std::mutex mu;
  std::condition_variable cv;
  size_t ready = 0;
  std::string bind_error;
  tcp::endpoint bound = *ep;
  std::vector<std::thread> threads;
  for (uint32_t i = 0; i < n; ++i)
    workers.push_back(std::make_unique<Worker>());
  // Worker 0 binds first (port 0 becomes a real port the others share); each worker's
  // acceptor belongs to its own thread's io_context.
  auto run_worker = [&](uint32_t i) {
    Worker& w = *workers[i];
    w.shared = &s;
    w.io = &engine::thread_io_context();
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return ready == i; });
      auto a = listen_on(*w.io, bound);
      if (!a)
        bind_error = a.error().message;
      else {
        w.acceptor = std::move(*a);
        bound = w.acceptor->local_endpoint();
      }
      if (i == 0 && !options.metrics_addr.empty() && bind_error.empty()) {
        auto mep = parse_addr(options.metrics_addr);
        auto m = mep ? listen_on(*w.io, *mep) : Result<std::unique_ptr<tcp::acceptor>>(mep.error());
        if (!m)
          bind_error = "metrics: " + m.error().message;
        else
          w.metrics = std::move(*m);
      }
      ++ready;
      cv.notify_all();
      cv.wait(lock, [&] { return ready >= n || !bind_error.empty(); });
      if (!bind_error.empty())
        return;
    }
    // The pending accept keeps run() going until drain() closes the acceptor and the last
    // connection ends.
    w.accept();
    if (w.metrics)
      w.accept_metrics();
    w.io->run();
  };
  for (uint32_t i = 0; i < n; ++i)
    threads.emplace_back(run_worker, i);
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return ready >= n || !bind_error.empty(); });
  }
  if (!bind_error.empty()) {
    for (auto& t : threads)
      t.join();
    std::fprintf(stderr, "rill serve: %s\n", bind_error.c_str());
    return 1;
  }
  std::fprintf(stderr, "http://%s:%u/\n", bound.address().to_string().c_str(), bound.port());
  std::fflush(stderr);
  // One epoch ticker for the engine (--request-timeout pre-empts a guest in wasm).
  std::atomic<bool> stop_ticker{false};
  std::thread ticker([&] {
    while (!stop_ticker.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(kTickMs));
      s.engine.increment_epoch();
    }
  });
  // Signals on this (main) thread's own io_context.
  asio::io_context sig_io;
  asio::signal_set signals(sig_io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int sig) {
    s.log->info("signal {}: draining", sig);
    s.draining.store(true);
    for (auto& w : workers)
      asio::post(*w->io, [wp = w.get()] { wp->drain(); });
  });
  sig_io.run();
  for (auto& t : threads)
    t.join();
  stop_ticker.store(true);
  ticker.join();
  s.log->info("drained: {} requests served", s.metrics.requests.load());
  spdlog::drop_all();
  return 0;
}

}  // namespace rill::host
