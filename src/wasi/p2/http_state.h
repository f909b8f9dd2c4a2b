// wasi:http@0.2 (types.wit) host state: the resources a guest holds (fields, requests,
// responses, bodies, futures) and the interfaces between them and whoever moves the bytes (the
// HTTP server in src/host implements IncomingBody, BodyWriter and ResponseSink). Bodies are byte
// channels (context.h ByteChannel) behind wasi:io streams, never one Value per byte. The host
// functions are in http_types.cpp and http_bodies.cpp; the server is not here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rill/wasi/p2/host.h"

namespace rill::wasi::p2 {

/// An HTTP field section: (name as given, value bytes) in wire order.
struct FieldList {
  std::vector<std::pair<std::string, std::string>> entries;
};

/// wasi:http field rules. A name is an RFC 9110 token; a value has no CR, LF or NUL (nor other
/// controls but HTAB) and no leading or trailing whitespace.
bool valid_field_name(std::string_view name);
bool valid_field_value(std::string_view value);
/// Hop-by-hop and host-controlled names a guest may not set (wasmtime's default list:
/// connection, keep-alive, proxy-*, te, transfer-encoding, upgrade, host, http2-settings).
bool forbidden_field_name(std::string_view name);

/// A request or response body arriving from the network: read as a channel; finished() once its
/// last byte (and its trailers) arrived. discard() drops what is left, so trailers arrive even
/// when the guest does not read the rest.
class IncomingBody : public ByteChannel {
 public:
  /// The whole body and its trailers are in (or it failed: error() says how).
  virtual bool finished() const = 0;
  /// The trailers (empty: none); valid once finished().
  virtual const FieldList& trailers() const = 0;
  /// Set when the body failed (the peer went away, a malformed chunk): an error-code label.
  virtual std::optional<std::string> error() const = 0;
  /// From now on, read and drop the rest of the body.
  virtual void discard() = 0;
  std::optional<uint64_t> write_permit() override { return std::nullopt; }
  bool write(std::span<const uint8_t>, std::string&) override { return false; }
  bool flushed() override { return true; }
};

/// Where an outgoing body's bytes go once the response is sent (the server's connection).
class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  /// Bytes write() may take now; nullopt: the connection is gone.
  virtual std::optional<uint64_t> permit() = 0;
  /// Queues {data} (at most permit()).
  virtual void write(std::span<const uint8_t> data) = 0;
  /// Everything queued has been handed to the socket.
  virtual bool flushed() = 0;
  /// The body is complete, with {trailers} (none: empty).
  virtual void finish(const FieldList& trailers) = 0;
  /// The body is incomplete (dropped without finish, or a content-length mismatch): the
  /// connection is cut so the client sees the truncation.
  virtual void abort() = 0;
  /// Ready when permit() grows, flushed() turns true or the connection goes.
  virtual std::shared_ptr<engine::WaitSource> source() = 0;
};

/// The server side of a response-outparam.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  /// response-outparam.set(ok(response)): sends the head; the body goes to the writer returned.
  virtual std::shared_ptr<BodyWriter> respond(uint16_t status, const FieldList& headers) = 0;
  /// response-outparam.set(err(code)): {label} is the error-code case.
  virtual void respond_error(const std::string& label) = 0;
};

/// An outgoing-body: the guest's writes, held until the response is sent (at most kEarlyBytes),
/// then passed to the server's BodyWriter. Enforces the declared content-length.
class OutgoingBody final : public ByteChannel {
 public:
  /// Bytes a body may hold before its response is sent (writes past it wait).
  static constexpr size_t kEarlyBytes = 64 << 10;

  explicit OutgoingBody(std::optional<uint64_t> content_length) : content_length_(content_length) {}
  bool read(std::vector<uint8_t>&, size_t, std::string&) override { return false; }
  std::optional<uint64_t> write_permit() override;
  bool write(std::span<const uint8_t> data, std::string& err) override;
  bool flushed() override { return writer_ ? writer_->flushed() : false; }
  std::shared_ptr<engine::WaitSource> source() override;

  /// The response was sent: the held bytes go to {w}, and later writes too.
  void attach(std::shared_ptr<BodyWriter> w);
  /// outgoing-body.finish: an error-code label when the content-length does not match.
  std::optional<std::string> finish(const FieldList& trailers);
  /// Dropped without finish (or its response was never sent): the body is incomplete.
  void abort();
  bool finished() const { return finished_; }
  uint64_t written() const { return written_; }

 private:
  std::optional<uint64_t> content_length_;
  uint64_t written_ = 0;
  bool finished_ = false;
  bool aborted_ = false;
  std::vector<uint8_t> early_;
  std::optional<FieldList> early_trailers_;  ///< finished before the response was sent
  std::shared_ptr<BodyWriter> writer_;
  std::shared_ptr<engine::Event> attached_ = std::make_shared<engine::Event>();
};

/// A `fields` resource: its list, and whether the guest may change it.
struct FieldsRes {
  std::shared_ptr<FieldList> list;
  bool immutable = false;
};

/// What the server knows of a request before the guest runs.
struct IncomingRequestData {
  std::string method;  ///< as on the wire ("GET")
  std::string path_with_query;
  std::string scheme;  ///< "http"
  std::string authority;
  FieldList headers;
  std::shared_ptr<IncomingBody> body;
};

struct IncomingRequestRes {
  IncomingRequestData data;
  std::shared_ptr<FieldList> headers;
  bool consumed = false;
};
struct IncomingBodyRes {
  std::shared_ptr<IncomingBody> body;
  bool stream_taken = false;
};
struct FutureTrailersRes {
  std::shared_ptr<IncomingBody> body;
  bool taken = false;
};
struct OutgoingResponseRes {
  uint16_t status = 200;
  std::shared_ptr<FieldList> headers;
  bool body_taken = false;
  std::shared_ptr<OutgoingBody> body;
};
struct OutgoingBodyRes {
  std::shared_ptr<OutgoingBody> body;
  bool finished = false;
};
struct OutparamRes {
  std::shared_ptr<ResponseSink> sink;
};
/// An outgoing-request (outbound HTTP is refused: outgoing-handler.handle answers
/// HTTP-request-denied; the resource itself works).
struct OutgoingRequestRes {
  Value method = Value::variant("get");
  std::optional<std::string> path, authority;
  std::optional<Value> scheme;
  std::shared_ptr<FieldList> headers;
  bool body_taken = false;
};
struct RequestOptionsRes {
  std::optional<uint64_t> connect, first_byte, between_bytes;
};
/// A future-incoming-response: already resolved to err({error}).
struct FutureResponseRes {
  std::string error;
  bool taken = false;
};

/// One Context's wasi:http resources.
struct HttpState {
  Table<FieldsRes> fields;
  Table<IncomingRequestRes> incoming_requests;
  Table<IncomingBodyRes> incoming_bodies;
  Table<FutureTrailersRes> future_trailers;
  Table<OutgoingResponseRes> outgoing_responses;
  Table<OutgoingBodyRes> outgoing_bodies;
  Table<OutparamRes> outparams;
  Table<OutgoingRequestRes> outgoing_requests;
  Table<RequestOptionsRes> request_options;
  Table<FutureResponseRes> future_responses;
};

/// The wasi:http resource types of one add_http (shared by every Context it serves).
struct HttpHost {
  explicit HttpHost(HostPtr base);
  HostPtr base;  ///< wasi:io's streams, pollables and errors
  HostResource fields;
  HostResource incoming_request;
  HostResource incoming_body;
  HostResource future_trailers;
  HostResource outgoing_response;
  HostResource outgoing_body;
  HostResource response_outparam;
  HostResource outgoing_request;
  HostResource request_options;
  HostResource future_incoming_response;

  HttpState& state();
};
using HttpHostPtr = std::shared_ptr<HttpHost>;

/// Defines wasi:http/types and outgoing-handler on {linker}, on {base}'s contexts.
HttpHostPtr add_http(ComponentLinker& linker, const HostPtr& base);
/// The WASI 0.2 host and wasi:http, every function working on its caller's Context
/// (add_to_linker(linker) plus add_http): what `rill serve` links each component with.
HttpHostPtr add_to_linker_with_http(ComponentLinker& linker);

/// The handles `incoming-handler.handle` takes, made in {ctx} (the request's context).
TrapOr<Value> new_incoming_request(HttpHost& h, Context& ctx, IncomingRequestData data);
TrapOr<Value> new_response_outparam(HttpHost& h, Context& ctx, std::shared_ptr<ResponseSink> sink);

/// wasi:http/types functions (http_types.cpp: fields and requests; http_bodies.cpp: bodies,
/// responses and futures).
void add_http_fields(ComponentLinker::Instance& t, const HttpHostPtr& h);
void add_http_requests(ComponentLinker::Instance& t, const HttpHostPtr& h);
void add_http_bodies(ComponentLinker::Instance& t, const HttpHostPtr& h);

}  // namespace rill::wasi::p2
