// `rill serve`: an HTTP/1.1 server (Boost.Beast) for components exporting
// wasi:http/incoming-handler@0.2.x, a fresh instance per request, each request's guest on a fiber
// of its own (engine/fiber.h) so a guest waiting on a body never stalls its thread's other
// connections. ServeOptions is what the CLI (src/cli) parses; everything else lives here.
#pragma once

#include <cstdint>
#include <string>

#include "rill/wasi_p2.h"

namespace rill::host {

/// Limits with their defaults; each exceeded limit has its own status and log line.
struct ServeLimits {
  uint64_t max_memory = 64ull << 20;        ///< bytes of memories and tables per instance
  uint64_t request_timeout_ms = 30000;      ///< guest time per request (504), CPU included
  uint64_t header_timeout_ms = 10000;       ///< to receive a request head (slowloris: closed)
  uint64_t idle_timeout_ms = 60000;         ///< a keep-alive connection with no request
  uint32_t max_connections = 10000;         ///< open connections (past it: 503, closed)
  uint32_t max_concurrent_requests = 1000;  ///< guests running at once (past it: 503)
  uint32_t max_header_bytes = 8192;         ///< request head (431)
  uint64_t max_body_bytes = 1ull << 30;     ///< request body (413)
};

struct ServeOptions {
  std::string file;                 ///< the component
  std::string addr = "127.0.0.1:8080";
  std::string metrics_addr;         ///< empty: no metrics listener
  uint32_t threads = 0;             ///< 0: one per core
  bool access_log = true;
  wasi::p2::Config wasi;            ///< env, preopens, network policy of every instance
  ServeLimits limits;
};

/// Runs the server until SIGINT/SIGTERM (then drains and returns 0); 1 when the component
/// cannot be loaded or the address cannot be bound. The first stderr line is the base URL.
int serve(const ServeOptions& options);

}  // namespace rill::host
