// `rill serve FILE.wasm [--addr HOST:PORT] [limits...]`: flags to host::ServeOptions.
#include "rill/cli/serve_cmd.h"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "rill/cli/run_limits.h"
#include "rill/host/serve.h"

namespace rill::cli {

CLI::App* add_serve(CLI::App& app, ServeFlags& f) {
  CLI::App* s = app.add_subcommand(
      "serve", "Serve a wasi:http 0.2 component over HTTP/1.1, a fresh instance per request");
  s->add_option("file", f.run.file, "The component (exports wasi:http/incoming-handler@0.2.x)")->required();
  s->add_option("--addr", f.addr, "Listen on HOST:PORT (port 0: any free port)")->capture_default_str();
  s->add_option("--metrics-addr", f.metrics_addr, "Serve Prometheus metrics at http://HOST:PORT/metrics");
  s->add_option("--threads", f.threads, "Server threads (default: one per core)");
  s->add_flag("--quiet", f.quiet, "No access log on stdout");
  s->add_option("--env", f.run.env, "Set KEY=VALUE in every instance's environment (repeatable)")
      ->allow_extra_args(false);
  s->add_flag("--inherit-env", f.run.inherit_env, "Give instances this process's environment");
  s->add_option("--dir", f.run.dirs, "Preopen HOST directory as GUEST in every instance")
      ->type_name("HOST[::GUEST]")
      ->allow_extra_args(false);
  s->add_flag("--allow-net", f.run.allow_net, "wasi:sockets: allow every address and lookups");
  s->add_option("--allow-ip", f.run.allow_ips, "wasi:sockets: allow addresses in CIDR (repeatable)")
      ->allow_extra_args(false);
  s->add_flag("--allow-dns", f.run.allow_dns, "wasi:sockets: allow ip-name-lookup");
  s->add_option("--max-memory", f.max_memory, "Memories and tables of one instance, e.g. 64M")->capture_default_str();
  s->add_option("--request-timeout", f.request_timeout, "Guest time per request (504), e.g. 30s")->capture_default_str();
  s->add_option("--header-timeout", f.header_timeout, "Time to receive a request head")->capture_default_str();
  s->add_option("--idle-timeout", f.idle_timeout, "Idle keep-alive connection lifetime")->capture_default_str();
  s->add_option("--max-connections", f.max_connections, "Open connections (503 past it)")->capture_default_str();
  s->add_option("--max-concurrent-requests", f.max_concurrent_requests, "Guests running at once (503 past it)")
      ->capture_default_str();
  s->add_option("--max-header-bytes", f.max_header_bytes, "Request head size (431 past it)")->capture_default_str();
  s->add_option("--max-body-bytes", f.max_body_bytes, "Request body size (413 past it), e.g. 1G")->capture_default_str();
  return s;
}

int run_serve(const ServeFlags& f) {
  host::ServeOptions o;
  o.file = f.run.file;
  o.addr = f.addr;
  o.metrics_addr = f.metrics_addr;
  o.threads = f.threads;
  o.access_log = !f.quiet;
  o.wasi.args.push_back(f.run.file);
  o.wasi.env = guest_env(f.run);
  o.wasi.preopens = guest_preopens(f.run);
  auto net = guest_net_policy(f.run);
  auto fail = [](const std::string& m) {
    std::fprintf(stderr, "rill serve: %s\n", m.c_str());
    return 1;
  };
  if (!net)
    return fail(net.error().message);
  o.wasi.net = std::move(*net);
  auto& l = o.limits;
  struct Dur {
    const char* flag;
    const std::string& text;
    uint64_t& out;
  };
  for (const Dur& d : {Dur{"--request-timeout", f.request_timeout, l.request_timeout_ms},
                       Dur{"--header-timeout", f.header_timeout, l.header_timeout_ms},
                       Dur{"--idle-timeout", f.idle_timeout, l.idle_timeout_ms}}) {
    auto ms = parse_duration_ms(d.text);
    if (!ms)
      return fail(std::string(d.flag) + ": " + ms.error().message);
    d.out = *ms;
  }
  auto mem = parse_byte_size(f.max_memory);
  if (!mem)
    return fail("--max-memory: " + mem.error().message);
  l.max_memory = *mem;
  auto body = parse_byte_size(f.max_body_bytes);
  if (!body)
    return fail("--max-body-bytes: " + body.error().message);
  l.max_body_bytes = *body;
  l.max_connections = f.max_connections;
  l.max_concurrent_requests = f.max_concurrent_requests;
  l.max_header_bytes = f.max_header_bytes;
  return host::serve(o);
}

}  // namespace rill::cli
