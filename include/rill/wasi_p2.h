// WASI 0.2 (preview2) for embedders: a per-instance Context built from a Config (preview1's
// argv, environment, preopens and stdio, plus a network policy) and add_to_linker, which
// defines wasi:io, wasi:cli, wasi:clocks, wasi:random, wasi:filesystem and wasi:sockets @0.2.12
// on a ComponentLinker (imports of any 0.2.x up to 0.2.12 resolve to them). The
// implementation is in src/wasi/p2.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "rill/base/result.h"
#include "rill/component.h"
#include "rill/wasi.h"

namespace rill::wasi::p2 {

/// The version every interface is defined at (the latest 0.2.x in ../shared/spec/wasi).
inline constexpr const char* kVersion = "0.2.12";

/// An IPv4 or IPv6 address block, e.g. 127.0.0.1/32, 10.0.0.0/8, ::1/128 (a bare address is a
/// single-address block: /32 or /128). IPv4 blocks never match IPv6 addresses (IPv4-mapped
/// ones included: wasi:sockets refuses those) and the other way round.
struct Cidr {
  bool v6 = false;
  std::array<uint8_t, 16> addr{};  ///< network byte order; IPv4 uses the first 4 bytes
  uint8_t prefix = 0;              ///< leading bits that must match (0..32 or 0..128)

  /// "ADDR/PREFIX" or "ADDR"; an Error names what is wrong with {text}.
  static Result<Cidr> parse(std::string_view text);
  /// Whether the address {bytes} (4 bytes IPv4, 16 bytes IPv6) is in this block.
  bool contains(bool is_v6, const uint8_t* bytes) const;
};

/// What wasi:sockets may do. Deny by default: without allow_all or a matching block, every
/// bind, connect and send to an address returns error-code.access-denied, and without
/// allow_lookup ip-name-lookup.resolve-addresses does (before any DNS query).
struct NetPolicy {
  bool allow_all = false;      ///< any address
  std::vector<Cidr> allowed;   ///< else only these addresses (local ones for bind, remote
                               ///< ones for connect and send)
  bool allow_lookup = false;   ///< ip-name-lookup

  /// Whether the address {bytes} (4 bytes IPv4, 16 bytes IPv6) may be used.
  bool permits(bool is_v6, const uint8_t* bytes) const;
};

/// What the guest can see: preview1's (preopens become descriptors in
/// wasi:filesystem/preopens.get-directories, in this order) plus the network policy.
struct Config : p1::Config {
  NetPolicy net;
};
using Preopen = p1::Preopen;

/// One component instance's WASI state: its resource tables (streams, pollables, descriptors,
/// errors), args and environment. Shared with the host functions add_to_linker defines; use one
/// Context (and one linker) per component instance.
class Context {
 public:
  struct Impl;

  /// Open the preopens and stdio of {config}; an Error names a directory that cannot be opened.
  static Result<std::shared_ptr<Context>> create(const Config& config);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  /// The implementation the host functions work on (internal to src/wasi/p2).
  Impl& impl() { return *impl_; }

 private:
  explicit Context(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Define the WASI 0.2 interfaces in {linker}, every function working on {ctx}.
/// wasi:cli/exit ends the guest with a Trap of kind Exit (exit(err) has code 1).
void add_to_linker(ComponentLinker& linker, std::shared_ptr<Context> ctx);
/// The same for many instances at once: every function works on the Context of the store its
/// caller runs in, which must be set with store.set_data(context) (a std::shared_ptr<Context>)
/// before instantiating. One linker (and one set of host functions) serves every store.
void add_to_linker(ComponentLinker& linker);

}  // namespace rill::wasi::p2
