// Host construction, Context::create and the shared helpers of host.h: defining functions,
// resource handles, and the error values (filesystem error-code, stream-error) every
// interface returns.
#include "rill/wasi/p2/host.h"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "rill/wasi/p2/http_state.h"

namespace rill::wasi::p2 {
namespace {

/// Erase {rep} from the table {member} of {ctx}'s Impl when the guest drops its handle.
/// Without {ctx}, the caller's context; a drop with no guest caller (the host dropping a
/// handle it received) leaves the rep to die with its context.
template <class T>
std::function<void(uint32_t)> eraser(std::shared_ptr<Context> ctx, Table<T> Context::Impl::*member) {
  return [ctx = std::move(ctx), member](uint32_t rep) {
    Context* c = ctx ? ctx.get() : static_cast<Context*>(Store::caller_data());
    if (c)
      (c->impl().*member).erase(rep);
  };
}

}  // namespace

Context::Impl::Impl() = default;
Context::Impl::~Impl() = default;

Context& caller_context() {
  void* data = Store::caller_data();
  if (data == nullptr) {
    std::fputs("rill: a WASI 0.2 host without a Context was called from a store without one\n", stderr);
    std::abort();
  }
  return *static_cast<Context*>(data);
}

Context::Context(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Context::~Context() = default;

Result<std::shared_ptr<Context>> Context::create(const Config& config) {
  auto impl = std::make_unique<Impl>();
  impl->args = config.args;
  for (const std::string& kv : config.env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos)
      impl->env.emplace_back(kv, "");
    else
      impl->env.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  const int stdio[3] = {config.stdin_fd, config.stdout_fd, config.stderr_fd};
  for (uint32_t i = 0; i < 3; ++i) {
    RILL_TRY(impl->stdio[i], p1::dup_host_stdio(stdio[i], i));
  }
  for (const Preopen& p : config.preopens) {
    RILL_TRY(UniqueFd dir, p1::open_preopen_dir(p));
    impl->preopens.emplace_back(std::move(dir), p.guest_path);
  }
  uint64_t seed[2] = {0, 0};
  if (::getrandom(seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed))
    return Error{std::string("wasi: getrandom: ") + std::strerror(errno)};
  impl->insecure_seed = {seed[0], seed[1]};
  impl->net = config.net;
  impl->resolver = system_resolver();
  return std::shared_ptr<Context>(new Context(std::move(impl)));
}

Host::Host(std::shared_ptr<Context> c)
    : ctx(c),
      input_stream("input-stream", eraser(c, &Context::Impl::inputs)),
      output_stream("output-stream", eraser(c, &Context::Impl::outputs)),
      pollable("pollable", eraser(c, &Context::Impl::pollables)),
      error("error", eraser(c, &Context::Impl::errors)),
      descriptor("descriptor", eraser(c, &Context::Impl::descriptors)),
      dir_stream("directory-entry-stream", eraser(c, &Context::Impl::dir_streams)),
      terminal_input("terminal-input"),
      terminal_output("terminal-output"),
      network("network", eraser(c, &Context::Impl::networks)),
      tcp_socket("tcp-socket", eraser(c, &Context::Impl::tcp_sockets)),
      udp_socket("udp-socket", eraser(c, &Context::Impl::udp_sockets)),
      incoming_datagram_stream("incoming-datagram-stream",
                               eraser(c, &Context::Impl::incoming_datagrams)),
      outgoing_datagram_stream("outgoing-datagram-stream",
                               eraser(c, &Context::Impl::outgoing_datagrams)),
      resolve_address_stream("resolve-address-stream", eraser(c, &Context::Impl::resolve_streams)) {}

ComponentLinker::Instance& iface(ComponentLinker& linker, const char* name) {
  return linker.instance(std::string(name) + "@" + kVersion);
}

void define(ComponentLinker::Instance& inst, std::string name, Body body) {
  inst.func_new(std::move(name),
                [body = std::move(body)](std::span<const Value> args,
                                         std::vector<Value>& results) -> std::optional<Trap> {
                  TrapOr<Value> r = body(args);
                  if (!r)
                    return std::move(r).trap();
                  results.push_back(std::move(r).value());
                  return std::nullopt;
                });
}

void define_void(ComponentLinker::Instance& inst, std::string name, VoidBody body) {
  inst.func_new(std::move(name),
                [body = std::move(body)](std::span<const Value> args, std::vector<Value>&) {
                  return body(args);
                });
}

Trap bad_handle(const char* what) {
  return Trap::host(std::string("wasi: unknown ") + what + " handle");
}

const char* error_code_label(int e) {
  switch (e) {
    case EACCES: return "access";
    case EAGAIN: return "would-block";
    case EALREADY: return "already";
    case EBADF: return "bad-descriptor";
    case EBUSY: return "busy";
    case EDEADLK: return "deadlock";
    case EDQUOT: return "quota";
    case EEXIST: return "exist";
    case EFBIG: return "file-too-large";
    case EILSEQ: return "illegal-byte-sequence";
    case EINPROGRESS: return "in-progress";
    case EINTR: return "interrupted";
    case EINVAL: return "invalid";
    case EISDIR: return "is-directory";
    case ELOOP: return "loop";
    case EMLINK: return "too-many-links";
    case EMSGSIZE: return "message-size";
    case ENAMETOOLONG: return "name-too-long";
    case ENODEV: return "no-device";
    case ENOENT: return "no-entry";
    case ENOLCK: return "no-lock";
    case ENOMEM: return "insufficient-memory";
    case ENOSPC: return "insufficient-space";
    case ENOTDIR: return "not-directory";
    case ENOTEMPTY: return "not-empty";
    case ENOTRECOVERABLE: return "not-recoverable";
    case ENOTSUP: return "unsupported";
    case ENOTTY: return "no-tty";
    case ENXIO: return "no-such-device";
    case EOVERFLOW: return "overflow";
    case EPERM: return "not-permitted";
    case EXDEV: return "not-permitted";  // openat2 RESOLVE_BENEATH: the path leaves its directory
    case EPIPE: return "pipe";
    case EROFS: return "read-only";
    case ESPIPE: return "invalid-seek";
    case ETXTBSY: return "text-file-busy";
    default: return "io";
  }
}

Value fs_err(int errno_value) {
  return fs_err(error_code_label(errno_value));
}

Value fs_err(const char* label) {
  return Value::err(Value::enumeration(label));
}

Value stream_closed() {
  return Value::err(Value::variant("closed"));
}

TrapOr<Value> stream_failed(Host& h, int errno_value) {
  auto e = h.own(h.impl().errors, h.error, IoError{std::strerror(errno_value), errno_value});
  if (!e)
    return e;
  return Value::err(Value::variant("last-operation-failed", std::move(*e)));
}

}  // namespace rill::wasi::p2
