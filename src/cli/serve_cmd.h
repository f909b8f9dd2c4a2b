// `rill serve` flags (CLI11) and their translation into host::ServeOptions; the server itself
// is src/host.
#pragma once

#include <cstdint>
#include <string>

#include "rill/cli/run_cmd.h"

namespace CLI {
class App;
}

namespace rill::cli {

struct ServeFlags {
  RunFlags run;  ///< file, --env, --inherit-env, --dir, network flags: as for `rill run`
  std::string addr = "127.0.0.1:8080";
  std::string metrics_addr;
  uint32_t threads = 0;
  bool quiet = false;
  std::string max_memory = "64M";
  std::string request_timeout = "30s";
  std::string header_timeout = "10s";
  std::string idle_timeout = "60s";
  uint32_t max_connections = 10000;
  uint32_t max_concurrent_requests = 1000;
  uint32_t max_header_bytes = 8192;
  std::string max_body_bytes = "1G";
};

/// Adds the `serve` subcommand to {app}, parsing into {f}.
CLI::App* add_serve(CLI::App& app, ServeFlags& f);
/// Runs `rill serve` with {f}: the process's exit status.
int run_serve(const ServeFlags& f);

}  // namespace rill::cli
