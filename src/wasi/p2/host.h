// The state the WASI 0.2 host functions share: the instance's Context and the host resource
// types (one set per add_to_linker, so handles of two contexts never mix), plus the helpers
// every interface file uses to define functions and build results. One add_* per interface
// group; add_to_linker (linker.cpp) calls them all.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rill/component.h"
#include "rill/wasi/p2/context.h"
#include "rill/wasi_p2.h"

namespace rill::wasi::p2 {

/// What the closures of one add_to_linker capture.
struct Host {
  /// Functions work on {c}, or, when it is null, on the caller's context (caller_context()).
  explicit Host(std::shared_ptr<Context> c);

  std::shared_ptr<Context> ctx;  ///< null: one Host serves every store (caller_context())
  HostResource input_stream;
  HostResource output_stream;
  HostResource pollable;
  HostResource error;
  HostResource descriptor;
  HostResource dir_stream;
  HostResource terminal_input;
  HostResource terminal_output;
  HostResource network;
  HostResource tcp_socket;
  HostResource udp_socket;
  HostResource incoming_datagram_stream;
  HostResource outgoing_datagram_stream;
  HostResource resolve_address_stream;

  Context::Impl& impl() { return ctx ? ctx->impl() : caller_context().impl(); }

  /// An own handle to a new resource {v} of {type} in {table}; traps past kMaxResources.
  template <class T>
  TrapOr<Value> own(Table<T>& table, const HostResource& type, T v) {
    uint32_t rep = table.insert(std::move(v));
    if (rep == 0)
      return Trap::host("wasi: too many live resources");
    return Value::own(type.ref(rep));
  }
  /// A new always-ready or deadline pollable.
  TrapOr<Value> new_pollable(Pollable p) { return own(impl().pollables, pollable, std::move(p)); }
};
using HostPtr = std::shared_ptr<Host>;

/// A host function with one result; {args} are already checked against the import's type.
using Body = std::function<TrapOr<Value>(std::span<const Value> args)>;
/// A host function without a result.
using VoidBody = std::function<std::optional<Trap>(std::span<const Value> args)>;

/// "wasi:io/streams" -> the linker instance "wasi:io/streams@0.2.12".
ComponentLinker::Instance& iface(ComponentLinker& linker, const char* name);
void define(ComponentLinker::Instance& inst, std::string name, Body body);
void define_void(ComponentLinker::Instance& inst, std::string name, VoidBody body);

/// The rep of a borrow/own argument.
inline uint32_t rep_of(const Value& v) {
  return v.resource().rep;
}
/// Trap for a handle whose rep is not in its table (a broken Rill invariant or a stale rep).
Trap bad_handle(const char* what);

/// Define {name} as {op}(host, resource, args) on the resource of the borrowed handle a[0],
/// looked up in {table}; a rep that is not there traps (bad_handle({what})).
template <class T>
void define_method(ComponentLinker::Instance& inst, const HostPtr& h, std::string name,
                   Table<T> Context::Impl::*table, const char* what,
                   TrapOr<Value> (*op)(Host&, T&, std::span<const Value>)) {
  define(inst, std::move(name), [h, table, what, op](std::span<const Value> a) -> TrapOr<Value> {
    T* r = (h->impl().*table).get(rep_of(a[0]));
    if (!r)
      return bad_handle(what);
    return op(*h, *r, a);
  });
}

/// The wasi:filesystem error-code label for host {errno_value}.
const char* error_code_label(int errno_value);
/// err(error-code) for host {errno_value}.
Value fs_err(int errno_value);
/// err(error-code.{label}).
Value fs_err(const char* label);

/// err(stream-error.closed).
Value stream_closed();
/// err(stream-error.last-operation-failed(error)) for host {errno_value}.
TrapOr<Value> stream_failed(Host& h, int errno_value);

/// CLOCK_MONOTONIC in nanoseconds (wasi:clocks/monotonic-clock instants).
uint64_t monotonic_now_ns();
/// A pollable ready when host {fd} is ready for {events} (a duplicate of {fd} is kept), or an
/// always-ready one when {fd} is closed.
TrapOr<Value> fd_pollable(Host& h, int fd, short events);
/// A pollable ready when {source} is.
TrapOr<Value> source_pollable(Host& h, std::shared_ptr<engine::WaitSource> source);

/// wasi:io/poll and wasi:io/error (poll.cpp).
void add_poll(ComponentLinker& linker, const HostPtr& h);
/// wasi:io/streams (streams.cpp).
void add_streams(ComponentLinker& linker, const HostPtr& h);
/// wasi:cli/* (cli.cpp).
void add_cli(ComponentLinker& linker, const HostPtr& h);
/// wasi:clocks/* and wasi:random/* (clocks_random.cpp).
void add_clocks_random(ComponentLinker& linker, const HostPtr& h);
/// wasi:filesystem/types and preopens (filesystem.cpp).
void add_filesystem(ComponentLinker& linker, const HostPtr& h);
/// wasi:sockets/* (sockets_network.cpp, sockets_tcp.cpp, sockets_udp.cpp).
void add_sockets(ComponentLinker& linker, const HostPtr& h);

}  // namespace rill::wasi::p2
