// Context::Impl: one component instance's WASI 0.2 state — args, environment, stdio and preopen
// descriptors, and a table per host resource type (streams, pollables, errors, descriptors)
// keyed by the rep handed to the guest. The interfaces that use it are io.cpp, cli.cpp,
// clocks_random.cpp, filesystem.cpp and sockets_*.cpp; the resource types themselves are in
// host.h.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "rill/engine/reactor.h"
#include "rill/wasi/p1/context.h"
#include "rill/wasi_p2.h"

namespace rill::wasi::p2 {

using p1::UniqueFd;

/// Most live resources of one kind a guest may hold (past it, creating one more traps).
inline constexpr size_t kMaxResources = 65536;

/// Resources of one kind by rep; reps start at 1 and are never reused.
template <class T>
class Table {
 public:
  /// Store {v}; 0 when kMaxResources are live.
  uint32_t insert(T v) {
    if (items_.size() >= kMaxResources)
      return 0;
    uint32_t rep = next_++;
    items_.emplace(rep, std::move(v));
    return rep;
  }
  T* get(uint32_t rep) {
    auto it = items_.find(rep);
    return it == items_.end() ? nullptr : &it->second;
  }
  void erase(uint32_t rep) { items_.erase(rep); }

 private:
  std::map<uint32_t, T> items_;
  uint32_t next_ = 1;
};

/// A stream whose bytes the host produces or consumes itself (an HTTP body: src/wasi/p2/http_*),
/// not over a descriptor. Reads and writes never block; blocking variants wait on source().
class ByteChannel {
 public:
  virtual ~ByteChannel() = default;
  /// Up to {max} bytes into {out}: true with what is there now (maybe none), false at the end.
  /// {err} set: the stream failed (its message).
  virtual bool read(std::vector<uint8_t>& out, size_t max, std::string& err) = 0;
  /// How many bytes write may take now (0: wait on source()); nullopt: closed.
  virtual std::optional<uint64_t> write_permit() = 0;
  /// Takes {data} (at most write_permit()); false: closed. {err} set: the stream failed.
  virtual bool write(std::span<const uint8_t> data, std::string& err) = 0;
  /// Whether everything written so far has left the host (blocking-flush waits for it).
  virtual bool flushed() = 0;
  /// Ready when read or write would make progress (or flushed() turns true).
  virtual std::shared_ptr<engine::WaitSource> source() = 0;
};

/// An input-stream: stdin, a file read from {offset} on, a connected TCP socket, or a channel.
struct InputStream {
  UniqueFd fd;                     ///< invalid: closed (reads report stream-error.closed)
  std::optional<uint64_t> offset;  ///< files: pread position; nullopt: read(2) (pipes, ttys)
  bool socket = false;  ///< a non-blocking socket: EAGAIN is "nothing yet", blocking waits in poll
  std::shared_ptr<ByteChannel> channel = {};  ///< set: reads come from it, not from {fd}
};

/// An output-stream: stdout/stderr, a file written at {offset} (appending streams reopen the
/// file with O_APPEND and use write(2)), or a connected TCP socket.
struct OutputStream {
  UniqueFd fd;                     ///< invalid: closed
  std::optional<uint64_t> offset;  ///< files: pwrite position; nullopt: write(2)
  /// A non-blocking socket: send(MSG_NOSIGNAL); what the socket does not take at once waits in
  /// {pending} (at most the write permit), so `write` never blocks.
  bool socket = false;
  std::vector<uint8_t> pending = {};
  std::shared_ptr<ByteChannel> channel = {};  ///< set: writes go to it, not to {fd}
};

/// A pollable: always ready, ready at a monotonic-clock deadline, when an fd is, or when an
/// in-process source is (an HTTP body, a response that is sent: engine/reactor.h).
struct Pollable {
  enum class Kind : uint8_t { Ready, Deadline, Fd, Source };
  Kind kind = Kind::Ready;
  uint64_t deadline_ns = 0;  ///< Kind::Deadline: monotonic-clock instant
  UniqueFd fd;               ///< Kind::Fd: a duplicate of the stream's descriptor
  short events = 0;          ///< Kind::Fd: POLLIN or POLLOUT
  std::shared_ptr<engine::WaitSource> source = {};  ///< Kind::Source
};

/// A wasi:io/error: what a failed stream operation reports.
struct IoError {
  std::string message;
  int host_errno = 0;  ///< for wasi:filesystem/types.filesystem-error-code
};

/// A wasi:filesystem descriptor: a host fd and what the guest may do with it.
struct Descriptor {
  UniqueFd fd;
  bool read = false;
  bool write = false;
  bool mutate_dir = false;  ///< directories: create/remove/rename entries beneath
  /// descriptor-flags file-integrity-sync, data-integrity-sync, requested-write-sync: what
  /// open-at was asked for (O_SYNC, O_DSYNC, O_RSYNC), reported back by get-flags.
  std::vector<std::string> sync_flags;
};

/// A directory-entry-stream: entries read at read-directory, handed out one by one.
struct DirStream {
  std::vector<std::pair<std::string, std::string>> entries;  ///< (descriptor-type, name)
  size_t next = 0;
};

/// A wasi:sockets/network (the one instance-network hands out; the policy is the Context's).
struct Network {};

/// A wasi:sockets tcp-socket and its state (tcp.wit; TcpSocketOperationalSemantics.md).
struct TcpSocket {
  enum class State : uint8_t {
    Unbound, BindStarted, Bound, ListenStarted, Listening, ConnectStarted, Connected, Closed
  };
  UniqueFd fd;  ///< non-blocking, close-on-exec
  bool v6 = false;
  State state = State::Unbound;
  int backlog = 128;  ///< set-listen-backlog-size before listen
};

/// A wasi:sockets udp-socket. stream() hands out a new generation of datagram streams; only
/// the newest generation works (older ones report invalid-state).
struct UdpSocket {
  enum class State : uint8_t { Unbound, BindStarted, Bound };
  UniqueFd fd;
  bool v6 = false;
  State state = State::Unbound;
  bool connected = false;  ///< the last stream() had a remote address
  std::shared_ptr<uint64_t> generation = std::make_shared<uint64_t>(0);
};

/// An incoming- or outgoing-datagram-stream of a udp-socket (a duplicate of its fd).
struct DatagramStream {
  UniqueFd fd;
  bool v6 = false;
  bool connected = false;  ///< stream(some(remote)): sends go to {remote} only
  sockaddr_storage remote{};  ///< the connected peer
  std::shared_ptr<uint64_t> socket_generation;
  uint64_t generation = 0;
  uint64_t permit = 0;  ///< outgoing: datagrams the last check-send allowed
};

/// An IP address a name resolved to.
struct IpAddr {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
};

/// What a name lookup ended with: 0 and {addrs}, or a getaddrinfo EAI_* code.
struct LookupResult {
  int gai_error = 0;
  std::vector<IpAddr> addrs;
};
/// Resolves a host name (getaddrinfo by default); runs on a lookup thread.
using Resolver = std::function<LookupResult(const std::string& name)>;
/// getaddrinfo (sockets_network.cpp).
Resolver system_resolver();

/// The shared state of one lookup: the thread fills it in and makes {ready} readable.
struct LookupState {
  std::mutex mutex;
  bool done = false;
  LookupResult result;
  UniqueFd ready;  ///< an eventfd, readable once {done}
};

/// A resolve-address-stream: a lookup (pending or done) and how many addresses were handed out.
struct ResolveStream {
  std::shared_ptr<LookupState> state;
  size_t next = 0;
};

struct HttpState;  // wasi:http's resources (http_state.h)

struct Context::Impl {
  Impl();
  ~Impl();

  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  UniqueFd stdio[3];
  std::vector<std::pair<UniqueFd, std::string>> preopens;
  std::pair<uint64_t, uint64_t> insecure_seed;

  Table<InputStream> inputs;
  Table<OutputStream> outputs;
  Table<Pollable> pollables;
  Table<IoError> errors;
  Table<Descriptor> descriptors;
  Table<DirStream> dir_streams;

  NetPolicy net;
  Resolver resolver;  ///< getaddrinfo unless a test replaced it
  /// Lookup threads still running (dropping a stream does not stop its thread).
  std::shared_ptr<std::atomic<int>> lookups_running = std::make_shared<std::atomic<int>>(0);
  Table<Network> networks;
  Table<TcpSocket> tcp_sockets;
  Table<UdpSocket> udp_sockets;
  Table<DatagramStream> incoming_datagrams;
  Table<DatagramStream> outgoing_datagrams;
  Table<ResolveStream> resolve_streams;

  /// Set (by the embedder, e.g. the HTTP server at a request's deadline): every wait of the
  /// guest returns at once from then on, so it gets back to wasm and traps on the epoch.
  std::shared_ptr<engine::Event> cancel = std::make_shared<engine::Event>();
  std::unique_ptr<HttpState> http;  ///< wasi:http resources
};

/// The Context of the store whose guest made the running host call (Store::caller_data()),
/// for hosts added without a Context; aborts when that store has none.
Context& caller_context();

}  // namespace rill::wasi::p2
