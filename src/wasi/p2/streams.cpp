// wasi:io/streams: input-stream and output-stream over host fds (stdio, files). For those the
// host keeps no buffers: a write is done (or has failed) when it returns, so flush only reports
// state.
// A stream whose fd is closed, or which saw EPIPE or end of file, reports stream-error.closed.
// TCP streams (sockets_tcp.cpp) are the same streams over a non-blocking socket: a read with
// nothing there gives 0 bytes (blocking-read waits in the event loop); a write never blocks:
// what the socket does not take at once is kept (up to check-write's permit) and sent by later
// check-write, write and flush calls (blocking-flush waits until it is all gone).
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "rill/wasi/p2/event_loop.h"
#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {
namespace {

/// Most bytes one read returns (the guest asks for a u64 length).
constexpr uint64_t kMaxRead = 1 << 20;
/// What check-write permits at once; writes themselves are done in full.
constexpr uint64_t kWritePermit = 1 << 20;


/// Read up to {len} bytes; without {block} a pipe or tty that has nothing yet gives 0 bytes.
/// Returns the byte count, -1 at end of stream (closed), or -2 with {err} set.
ssize_t read_some(InputStream& s, uint8_t* buf, size_t len, bool block, int& err) {
  if (!s.fd.valid())
    return -1;
  if (len == 0)
    return 0;
  if (!s.offset) {
    pollfd p{s.fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 0) == 0) {
      if (!block)
        return 0;
      if (!loop_wait_fd(s.fd.get(), POLLIN))  // a pipe or tty: wait in the loop, not in read(2)
        return 0;                             // cancelled: back to the guest, which traps
    }
  }
  for (;;) {
    ssize_t n = s.offset ? ::pread(s.fd.get(), buf, len, static_cast<off_t>(*s.offset))
                         : ::read(s.fd.get(), buf, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && s.socket && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!block)
        return 0;
      if (!loop_wait_fd(s.fd.get(), POLLIN))  // sockets are non-blocking: wait in the loop
        return 0;
      continue;
    }
    if (n < 0) {
      err = errno;
      return -2;
    }
    if (n == 0)
      return -1;
    if (s.offset)
      *s.offset += static_cast<uint64_t>(n);
    return n;
  }
}

/// Write all of {data}; 0, or the errno that stopped it (EPIPE closes the stream). Files, pipes
/// and terminals (sockets go through send_some and {pending}).
int write_all(OutputStream& s, const uint8_t* data, size_t len) {
  while (len > 0) {
    ssize_t n = s.offset ? ::pwrite(s.fd.get(), data, len, static_cast<off_t>(*s.offset))
                         : ::write(s.fd.get(), data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno;
    if (s.offset)
      *s.offset += static_cast<uint64_t>(n);
    data += n;
    len -= static_cast<size_t>(n);
  }
  return 0;
}

/// Send what a socket stream's {pending} holds, without blocking; with {block}, until it is
/// empty (waiting in the event loop). 0, or the errno that stopped it.
int send_pending(OutputStream& s, bool block) {
  size_t sent = 0;
  int err = 0;
  while (sent < s.pending.size()) {
    ssize_t n = ::send(s.fd.get(), s.pending.data() + sent, s.pending.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!block)
        break;
      if (!loop_wait_fd(s.fd.get(), POLLOUT)) {
        err = ECANCELED;
        break;
      }
      continue;
    }
    if (n < 0) {
      err = errno;
      break;
    }
    sent += static_cast<size_t>(n);
  }
  s.pending.erase(s.pending.begin(), s.pending.begin() + static_cast<std::ptrdiff_t>(sent));
  return err;
}

/// {c}'s source, but ready only when {done}(c): a wait for a flush must not return (and loop)
/// merely because the channel could take more bytes.
template <class Pred>
class UntilSource final : public engine::WaitSource {
 public:
  UntilSource(ByteChannel& c, Pred done) : c_(c), done_(done), inner_(c.source()) {}
  bool ready() const override { return done_(c_); }
  void arm(const engine::WakerPtr& w) override { inner_->arm(w); }

 private:
  ByteChannel& c_;
  Pred done_;
  std::shared_ptr<engine::WaitSource> inner_;
};

/// Waits on {c}'s source until {done}(c); false when the wait was cancelled.
template <class Pred>
bool wait_channel(ByteChannel& c, Pred done) {
  UntilSource<Pred> until(c, done);
  engine::WaitSource* const sources[] = {&until};
  while (!done(c)) {
    if (!loop_wait({}, UINT64_MAX, sources))
      return false;
  }
  return true;
}

/// err(last-operation-failed) with {message}.
TrapOr<Value> channel_failed(Host& h, std::string message) {
  auto e = h.own(h.impl().errors, h.error, IoError{std::move(message), EIO});
  if (!e)
    return e;
  return Value::err(Value::variant("last-operation-failed", std::move(*e)));
}

/// A read of up to {len} bytes from a channel; {block}: waits until there is one or the end.
TrapOr<Value> channel_read(Host& h, ByteChannel& c, uint64_t len, bool block) {
  std::vector<uint8_t> buf;
  std::string err;
  for (;;) {
    if (!c.read(buf, static_cast<size_t>(len), err))
      return err.empty() ? stream_closed() : channel_failed(h, err);
    if (!buf.empty() || !block || len == 0)
      return Value::ok(Value::bytes(buf.data(), buf.size()));
    auto src = c.source();
    engine::WaitSource* const sources[] = {src.get()};
    if (!loop_wait({}, UINT64_MAX, sources))
      return Value::ok(Value::bytes(buf.data(), 0));  // cancelled: the guest traps next
  }
}

/// write / blocking-write-and-flush ({flush}) of {len} bytes to a channel. Without {flush}, more
/// than write_permit() traps as streams.wit says; with it, waits for room, then for the flush.
TrapOr<Value> channel_write(Host& h, ByteChannel& c, const uint8_t* data, size_t len, bool flush) {
  std::string err;
  if (!flush) {
    auto permit = c.write_permit();
    if (!permit)
      return stream_closed();
    if (len > *permit)
      return Trap::host("wasi:io/streams: output-stream.write of " + std::to_string(len) +
                        " bytes, more than check-write permitted");
    if (!c.write(std::span<const uint8_t>(data, len), err))
      return err.empty() ? stream_closed() : channel_failed(h, err);
    return Value::ok();
  }
  while (len > 0) {
    if (!wait_channel(c, [](ByteChannel& ch) {
          auto p = ch.write_permit();
          return !p || *p > 0;
        }))
      return stream_closed();
    auto permit = c.write_permit();
    if (!permit)
      return stream_closed();
    const size_t n = static_cast<size_t>(std::min<uint64_t>(*permit, len));
    if (!c.write(std::span<const uint8_t>(data, n), err))
      return err.empty() ? stream_closed() : channel_failed(h, err);
    data += n;
    len -= n;
  }
  if (!wait_channel(c, [](ByteChannel& ch) { return ch.flushed(); }))
    return stream_closed();
  return Value::ok();
}

/// The stream-error for host {e} on {s} (a broken connection closes the stream).
TrapOr<Value> write_error(Host& h, OutputStream& s, int e) {
  if (e == EPIPE || e == ECONNRESET) {
    s.fd.reset();
    s.pending.clear();
    return stream_closed();
  }
  return stream_failed(h, e);
}

/// What check-write permits on {s}: sockets get what is left of the permit after their
/// pending bytes (after trying to send those).
TrapOr<Value> do_check_write(Host& h, OutputStream& s) {
  if (s.channel) {
    auto permit = s.channel->write_permit();
    return permit ? Value::ok(Value::u64(*permit)) : stream_closed();
  }
  if (!s.fd.valid())
    return stream_closed();
  if (!s.socket)
    return Value::ok(Value::u64(kWritePermit));
  if (int e = send_pending(s, false))
    return write_error(h, s, e);
  return Value::ok(Value::u64(kWritePermit - s.pending.size()));
}

/// write ({flush}: blocking-write-and-flush) of {data} to the output-stream {rep}. A socket
/// takes what it can at once and keeps the rest pending; more than check-write permits traps,
/// as streams.wit says.
TrapOr<Value> do_write(Host& h, uint32_t rep, const uint8_t* data, size_t len, bool flush) {
  OutputStream* s = h.impl().outputs.get(rep);
  if (!s)
    return bad_handle("output-stream");
  if (s->channel)
    return channel_write(h, *s->channel, data, len, flush);
  if (!s->fd.valid())
    return stream_closed();
  if (!s->socket) {
    if (int e = write_all(*s, data, len))
      return write_error(h, *s, e);
    return Value::ok();
  }
  if (!flush && len > kWritePermit - s->pending.size())
    return Trap::host("wasi:io/streams: output-stream.write of " + std::to_string(len) +
                      " bytes, more than check-write permitted");
  s->pending.insert(s->pending.end(), data, data + len);
  if (int e = send_pending(*s, flush))
    return write_error(h, *s, e);
  return Value::ok();
}

/// flush / blocking-flush: a socket's pending bytes go out (all of them, with {block}).
TrapOr<Value> do_flush(Host& h, uint32_t rep, bool block) {
  OutputStream* s = h.impl().outputs.get(rep);
  if (!s)
    return bad_handle("output-stream");
  if (s->channel) {
    if (block && !wait_channel(*s->channel, [](ByteChannel& c) { return c.flushed(); }))
      return stream_closed();
    return s->channel->write_permit() ? Value::ok() : stream_closed();
  }
  if (!s->fd.valid())
    return stream_closed();
  if (s->socket)
    if (int e = send_pending(*s, block))
      return write_error(h, *s, e);
  return Value::ok();
}

TrapOr<Value> do_read(Host& h, uint32_t rep, uint64_t len, bool block) {
  InputStream* s = h.impl().inputs.get(rep);
  if (!s)
    return bad_handle("input-stream");
  if (s->channel)
    return channel_read(h, *s->channel, std::min(len, kMaxRead), block);
  std::vector<uint8_t> buf(std::min(len, kMaxRead));
  int err = 0;
  ssize_t n = read_some(*s, buf.data(), buf.size(), block, err);
  if (n == -1)
    return stream_closed();
  if (n == -2)
    return stream_failed(h, err);
  return Value::ok(Value::bytes(buf.data(), static_cast<size_t>(n)));
}

TrapOr<Value> do_skip(Host& h, uint32_t rep, uint64_t len, bool block) {
  auto r = do_read(h, rep, len, block);
  if (!r || r->is_err())
    return r;
  return Value::ok(Value::u64(r->payload()->list_size()));
}

TrapOr<Value> do_write_zeroes(Host& h, uint32_t rep, uint64_t len, bool flush) {
  std::vector<uint8_t> zeroes(std::min(len, kWritePermit), 0);
  while (len > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(len, zeroes.size()));
    auto r = do_write(h, rep, zeroes.data(), n, flush);
    if (!r || r->is_err())
      return r;
    len -= n;
  }
  return Value::ok();
}

/// Move up to {len} bytes from {src} to the output-stream {rep}; the count moved.
TrapOr<Value> do_splice(Host& h, uint32_t rep, uint32_t src, uint64_t len, bool block) {
  if (!h.impl().outputs.get(rep))
    return bad_handle("output-stream");
  auto r = do_read(h, src, std::min(len, kWritePermit), block);
  if (!r || r->is_err())
    return r;
  std::string scratch;
  const std::string_view data = list_bytes(*r->payload(), scratch);
  auto w = do_write(h, rep, reinterpret_cast<const uint8_t*>(data.data()), data.size(), block);
  if (!w || w->is_err())
    return w;
  return Value::ok(Value::u64(data.size()));
}

void add_input(ComponentLinker::Instance& s, const HostPtr& h) {
  s.resource("input-stream", h->input_stream);
  const char* kRead[] = {"[method]input-stream.read", "[method]input-stream.blocking-read"};
  const char* kSkip[] = {"[method]input-stream.skip", "[method]input-stream.blocking-skip"};
  for (int block = 0; block < 2; ++block) {
    define(s, kRead[block], [h, block](std::span<const Value> a) {
      return do_read(*h, rep_of(a[0]), a[1].as_u64(), block != 0);
    });
    define(s, kSkip[block], [h, block](std::span<const Value> a) {
      return do_skip(*h, rep_of(a[0]), a[1].as_u64(), block != 0);
    });
  }
  define(s, "[method]input-stream.subscribe", [h](std::span<const Value> a) -> TrapOr<Value> {
    InputStream* in = h->impl().inputs.get(rep_of(a[0]));
    if (!in)
      return bad_handle("input-stream");
    if (in->channel)
      return source_pollable(*h, in->channel->source());
    return fd_pollable(*h, in->offset ? -1 : in->fd.get(), POLLIN);
  });
}

void add_output(ComponentLinker::Instance& s, const HostPtr& h) {
  s.resource("output-stream", h->output_stream);
  define(s, "[method]output-stream.check-write", [h](std::span<const Value> a) -> TrapOr<Value> {
    OutputStream* out = h->impl().outputs.get(rep_of(a[0]));
    if (!out)
      return bad_handle("output-stream");
    return do_check_write(*h, *out);
  });
  const char* kWrite[] = {"[method]output-stream.write", "[method]output-stream.blocking-write-and-flush"};
  const char* kFlush[] = {"[method]output-stream.flush", "[method]output-stream.blocking-flush"};
  const char* kZeroes[] = {"[method]output-stream.write-zeroes",
                           "[method]output-stream.blocking-write-zeroes-and-flush"};
  for (int block = 0; block < 2; ++block) {
    define(s, kWrite[block], [h, block](std::span<const Value> a) {
      std::string scratch;
      const std::string_view data = list_bytes(a[1], scratch);
      return do_write(*h, rep_of(a[0]), reinterpret_cast<const uint8_t*>(data.data()), data.size(),
                      block != 0);
    });
    define(s, kFlush[block], [h, block](std::span<const Value> a) {
      return do_flush(*h, rep_of(a[0]), block != 0);
    });
    define(s, kZeroes[block], [h, block](std::span<const Value> a) {
      return do_write_zeroes(*h, rep_of(a[0]), a[1].as_u64(), block != 0);
    });
  }
  const char* kSplice[] = {"[method]output-stream.splice", "[method]output-stream.blocking-splice"};
  for (int block = 0; block < 2; ++block) {
    define(s, kSplice[block], [h, block](std::span<const Value> a) {
      return do_splice(*h, rep_of(a[0]), rep_of(a[1]), a[2].as_u64(), block != 0);
    });
  }
  define(s, "[method]output-stream.subscribe", [h](std::span<const Value> a) -> TrapOr<Value> {
    OutputStream* out = h->impl().outputs.get(rep_of(a[0]));
    if (!out)
      return bad_handle("output-stream");
    if (out->channel)
      return source_pollable(*h, out->channel->source());
    // Ready when check-write would permit something: at once unless a socket's pending bytes
    // fill the permit, then when the socket can take more.
    const bool waits = out->socket ? out->pending.size() >= kWritePermit : !out->offset;
    return fd_pollable(*h, waits ? out->fd.get() : -1, POLLOUT);
  });
}

}  // namespace

TrapOr<Value> fd_pollable(Host& h, int fd, short events) {
  Pollable p;
  if (fd >= 0) {
    int d = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (d >= 0) {
      p.kind = Pollable::Kind::Fd;
      p.fd = UniqueFd(d);
      p.events = events;
    }
  }
  return h.new_pollable(std::move(p));
}

TrapOr<Value> source_pollable(Host& h, std::shared_ptr<engine::WaitSource> source) {
  Pollable p;
  p.kind = Pollable::Kind::Source;
  p.source = std::move(source);
  return h.new_pollable(std::move(p));
}

void add_streams(ComponentLinker& linker, const HostPtr& h) {
  auto& s = iface(linker, "wasi:io/streams");
  s.resource("error", h->error);
  s.resource("pollable", h->pollable);
  add_input(s, h);
  add_output(s, h);
}

}  // namespace rill::wasi::p2
