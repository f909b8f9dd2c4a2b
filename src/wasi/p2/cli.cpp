// wasi:cli: environment, exit, stdin/stdout/stderr and the terminal-* interfaces (no stream is
// reported as a terminal: get-terminal-* return none).
#include <fcntl.h>

#include <cstdint>
#include <optional>

#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {
namespace {

void add_environment(ComponentLinker& linker, const HostPtr& h) {
  auto& env = iface(linker, "wasi:cli/environment");
  define(env, "get-environment", [h](std::span<const Value>) -> TrapOr<Value> {
    std::vector<Value> out;
    for (const auto& [k, v] : h->impl().env)
      out.push_back(Value::tuple({Value::string(k), Value::string(v)}));
    return Value::list(std::move(out));
  });
  define(env, "get-arguments", [h](std::span<const Value>) -> TrapOr<Value> {
    std::vector<Value> out;
    for (const std::string& a : h->impl().args)
      out.push_back(Value::string(a));
    return Value::list(std::move(out));
  });
  define(env, "initial-cwd", [](std::span<const Value>) -> TrapOr<Value> { return Value::none(); });
}

void add_exit(ComponentLinker& linker) {
  auto& exit = iface(linker, "wasi:cli/exit");
  define_void(exit, "exit", [](std::span<const Value> a) -> std::optional<Trap> {
    return Trap::exit(a[0].is_err() ? 1 : 0);
  });
  define_void(exit, "exit-with-code", [](std::span<const Value> a) -> std::optional<Trap> {
    return Trap::exit(static_cast<int>(a[0].as_u32()));
  });
}

/// A new stream over a duplicate of stdio fd {i} (closed when the host's is).
template <class S>
TrapOr<Value> stdio_stream(Host& h, int i, Table<S>& table, const HostResource& type) {
  S s;
  if (h.impl().stdio[i].valid()) {
    int d = ::fcntl(h.impl().stdio[i].get(), F_DUPFD_CLOEXEC, 3);
    if (d >= 0)
      s.fd = UniqueFd(d);
  }
  return h.own(table, type, std::move(s));
}

void add_stdio(ComponentLinker& linker, const HostPtr& h) {
  // Each interface re-exports the resource types it `use`s; they are the same HostResource.
  iface(linker, "wasi:cli/stdin").resource("input-stream", h->input_stream);
  iface(linker, "wasi:cli/stdout").resource("output-stream", h->output_stream);
  iface(linker, "wasi:cli/stderr").resource("output-stream", h->output_stream);
  define(iface(linker, "wasi:cli/stdin"), "get-stdin", [h](std::span<const Value>) {
    return stdio_stream(*h, 0, h->impl().inputs, h->input_stream);
  });
  define(iface(linker, "wasi:cli/stdout"), "get-stdout", [h](std::span<const Value>) {
    return stdio_stream(*h, 1, h->impl().outputs, h->output_stream);
  });
  define(iface(linker, "wasi:cli/stderr"), "get-stderr", [h](std::span<const Value>) {
    return stdio_stream(*h, 2, h->impl().outputs, h->output_stream);
  });
}

void add_terminal(ComponentLinker& linker, const HostPtr& h) {
  iface(linker, "wasi:cli/terminal-input").resource("terminal-input", h->terminal_input);
  iface(linker, "wasi:cli/terminal-output").resource("terminal-output", h->terminal_output);
  iface(linker, "wasi:cli/terminal-stdin").resource("terminal-input", h->terminal_input);
  iface(linker, "wasi:cli/terminal-stdout").resource("terminal-output", h->terminal_output);
  iface(linker, "wasi:cli/terminal-stderr").resource("terminal-output", h->terminal_output);
  auto none = [](std::span<const Value>) -> TrapOr<Value> { return Value::none(); };
  define(iface(linker, "wasi:cli/terminal-stdin"), "get-terminal-stdin", none);
  define(iface(linker, "wasi:cli/terminal-stdout"), "get-terminal-stdout", none);
  define(iface(linker, "wasi:cli/terminal-stderr"), "get-terminal-stderr", none);
}

}  // namespace

void add_cli(ComponentLinker& linker, const HostPtr& h) {
  add_environment(linker, h);
  add_exit(linker);
  add_stdio(linker, h);
  add_terminal(linker, h);
}

}  // namespace rill::wasi::p2
