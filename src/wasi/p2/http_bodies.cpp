// wasi:http/types bodies and responses (types.wit): incoming-body and future-trailers over the
// server's IncomingBody, outgoing-response, outgoing-body (OutgoingBody: held until the response
// is sent, then the server's BodyWriter; content-length enforced), response-outparam and
// future-incoming-response. Fields and requests are in http_types.cpp.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "rill/wasi/p2/http_state.h"

namespace rill::wasi::p2 {
namespace {

/// The content-length {headers} declare, if one valid value.
std::optional<uint64_t> content_length(const FieldList& headers) {
  for (const auto& [n, v] : headers.entries) {
    if (n.size() == 14 && std::equal(n.begin(), n.end(), "content-length", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      uint64_t len = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), len);
      if (ec == std::errc() && p == v.data() + v.size())
        return len;
    }
  }
  return std::nullopt;
}

/// An error-code value for {label} (cases with a payload get an empty one).
Value error_code(const std::string& label) {
  if (label == "HTTP-response-body-size" || label == "HTTP-request-body-size")
    return Value::variant(label, Value::none());
  if (label == "internal-error")
    return Value::variant(label, Value::none());
  return Value::variant(label);
}

/// A wait source that is always ready (a future already resolved).
class Always final : public engine::WaitSource {
 public:
  bool ready() const override { return true; }
  void arm(const engine::WakerPtr& w) override { w->wake(); }
};

/// Ready once {body} is finished; arming it drains what is left of the body.
class TrailersReady final : public engine::WaitSource {
 public:
  explicit TrailersReady(std::shared_ptr<IncomingBody> b) : body_(std::move(b)) {}
  bool ready() const override { return body_->finished(); }
  void arm(const engine::WakerPtr& w) override {
    body_->discard();
    body_->source()->arm(w);
  }

 private:
  std::shared_ptr<IncomingBody> body_;
};

void add_incoming_body(ComponentLinker::Instance& t, const HttpHostPtr& h) {
  t.resource("incoming-body", h->incoming_body);
  define(t, "[method]incoming-body.stream", [h](std::span<const Value> a) -> TrapOr<Value> {
    IncomingBodyRes* b = h->state().incoming_bodies.get(rep_of(a[0]));
    if (!b)
      return bad_handle("incoming-body");
    if (b->stream_taken)
      return Value::err();
    b->stream_taken = true;
    InputStream in;
    in.channel = b->body;
    auto s = h->base->own(h->base->impl().inputs, h->base->input_stream, std::move(in));
    if (!s)
      return s;
    return Value::ok(std::move(*s));
  });
  define(t, "[static]incoming-body.finish", [h](std::span<const Value> a) -> TrapOr<Value> {
    auto& bodies = h->state().incoming_bodies;
    IncomingBodyRes* b = bodies.get(rep_of(a[0]));
    if (!b)
      return bad_handle("incoming-body");
    auto body = b->body;
    bodies.erase(rep_of(a[0]));
    return h->base->own(h->state().future_trailers, h->future_trailers, FutureTrailersRes{body, false});
  });

  t.resource("future-trailers", h->future_trailers);
  define(t, "[method]future-trailers.subscribe", [h](std::span<const Value> a) -> TrapOr<Value> {
    FutureTrailersRes* f = h->state().future_trailers.get(rep_of(a[0]));
    if (!f)
      return bad_handle("future-trailers");
    return source_pollable(*h->base, std::make_shared<TrailersReady>(f->body));
  });
  define(t, "[method]future-trailers.get", [h](std::span<const Value> a) -> TrapOr<Value> {
    FutureTrailersRes* f = h->state().future_trailers.get(rep_of(a[0]));
    if (!f)
      return bad_handle("future-trailers");
    f->body->discard();
    if (!f->body->finished())
      return Value::none();
    if (f->taken)
      return Value::some(Value::err());
    f->taken = true;
    if (auto e = f->body->error())
      return Value::some(Value::ok(Value::err(error_code(*e))));
    if (f->body->trailers().entries.empty())
      return Value::some(Value::ok(Value::ok(Value::none())));
    FieldsRes fr{std::make_shared<FieldList>(f->body->trailers()), true};
    auto tr = h->base->own(h->state().fields, h->fields, std::move(fr));
    if (!tr)
      return tr;
    return Value::some(Value::ok(Value::ok(Value::some(std::move(*tr)))));
  });
}

void add_outgoing_response(ComponentLinker::Instance& t, const HttpHostPtr& h) {
  t.resource("outgoing-response", h->outgoing_response);
  define(t, "[constructor]outgoing-response", [h](std::span<const Value> a) -> TrapOr<Value> {
    auto& fields = h->state().fields;
    FieldsRes* f = fields.get(rep_of(a[0]));
    if (!f)
      return bad_handle("fields");
    OutgoingResponseRes r;
    r.headers = f->list;
    fields.erase(rep_of(a[0]));  // an own handle: the headers now belong to the response
    return h->base->own(h->state().outgoing_responses, h->outgoing_response, std::move(r));
  });
  auto resp = [h](std::span<const Value> a) { return h->state().outgoing_responses.get(rep_of(a[0])); };
  define(t, "[method]outgoing-response.status-code", [resp](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = resp(a);
    return r ? TrapOr<Value>(Value::u16(r->status)) : bad_handle("outgoing-response");
  });
  define(t, "[method]outgoing-response.set-status-code", [resp](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = resp(a);
    if (!r)
      return bad_handle("outgoing-response");
    const uint32_t code = a[1].as_u32();
    if (code < 100 || code > 999)
      return Value::err();
    r->status = static_cast<uint16_t>(code);
    return Value::ok();
  });
  define(t, "[method]outgoing-response.headers", [h, resp](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = resp(a);
    if (!r)
      return bad_handle("outgoing-response");
    return h->base->own(h->state().fields, h->fields, FieldsRes{r->headers, true});
  });
  define(t, "[method]outgoing-response.body", [h, resp](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = resp(a);
    if (!r)
      return bad_handle("outgoing-response");
    if (r->body_taken)
      return Value::err();
    r->body_taken = true;
    r->body = std::make_shared<OutgoingBody>(content_length(*r->headers));
    auto b = h->base->own(h->state().outgoing_bodies, h->outgoing_body, OutgoingBodyRes{r->body, false});
    if (!b)
      return b;
    return Value::ok(std::move(*b));
  });
}

void add_outgoing_body(ComponentLinker::Instance& t, const HttpHostPtr& h) {
  t.resource("outgoing-body", h->outgoing_body);
  define(t, "[method]outgoing-body.write", [h](std::span<const Value> a) -> TrapOr<Value> {
    OutgoingBodyRes* b = h->state().outgoing_bodies.get(rep_of(a[0]));
    if (!b)
      return bad_handle("outgoing-body");
    if (b->body->finished() || b->finished)
      return Value::err();
    OutputStream out;
    out.channel = b->body;
    auto s = h->base->own(h->base->impl().outputs, h->base->output_stream, std::move(out));
    if (!s)
      return s;
    return Value::ok(std::move(*s));
  });
  define(t, "[static]outgoing-body.finish", [h](std::span<const Value> a) -> TrapOr<Value> {
    auto& bodies = h->state().outgoing_bodies;
    OutgoingBodyRes* b = bodies.get(rep_of(a[0]));
    if (!b)
      return bad_handle("outgoing-body");
    b->finished = true;
    auto body = b->body;
    bodies.erase(rep_of(a[0]));
    FieldList trailers;
    if (a[1].is_some()) {
      auto& fields = h->state().fields;
      const uint32_t rep = rep_of(*a[1].payload());
      FieldsRes* f = fields.get(rep);
      if (!f)
        return bad_handle("fields");
      trailers = *f->list;
      fields.erase(rep);
    }
    if (auto e = body->finish(trailers))
      return Value::err(Value::variant(*e, Value::some(Value::u64(body->written()))));
    return Value::ok();
  });
}

void add_outparam(ComponentLinker::Instance& t, const HttpHostPtr& h) {
  t.resource("response-outparam", h->response_outparam);
  define_void(t, "[static]response-outparam.set", [h](std::span<const Value> a) -> std::optional<Trap> {
    auto& params = h->state().outparams;
    OutparamRes* p = params.get(rep_of(a[0]));
    if (!p)
      return bad_handle("response-outparam");
    auto sink = p->sink;
    params.erase(rep_of(a[0]));
    if (a[1].is_err()) {
      sink->respond_error(a[1].payload() ? a[1].payload()->str() : "internal-error");
      return std::nullopt;
    }
    auto& responses = h->state().outgoing_responses;
    const uint32_t rep = rep_of(*a[1].payload());
    OutgoingResponseRes* r = responses.get(rep);
    if (!r)
      return bad_handle("outgoing-response");
    auto writer = sink->respond(r->status, *r->headers);
    if (!r->body_taken)  // no body asked for: an empty one
      r->body = std::make_shared<OutgoingBody>(std::nullopt), r->body->finish({});
    if (writer)
      r->body->attach(std::move(writer));
    responses.erase(rep);
    return std::nullopt;
  });
  define(t, "[method]response-outparam.send-informational", [](std::span<const Value>) -> TrapOr<Value> {
    return Value::err(Value::variant("internal-error", Value::some(Value::string("informational responses are not supported"))));
  });

  t.resource("future-incoming-response", h->future_incoming_response);
  define(t, "[method]future-incoming-response.subscribe", [h](std::span<const Value>) {
    return source_pollable(*h->base, std::make_shared<Always>());
  });
  define(t, "[method]future-incoming-response.get", [h](std::span<const Value> a) -> TrapOr<Value> {
    FutureResponseRes* f = h->state().future_responses.get(rep_of(a[0]));
    if (!f)
      return bad_handle("future-incoming-response");
    if (f->taken)
      return Value::some(Value::err());
    f->taken = true;
    return Value::some(Value::ok(Value::err(error_code(f->error))));
  });
}

}  // namespace

std::optional<uint64_t> OutgoingBody::write_permit() {
  if (aborted_ || finished_)
    return std::nullopt;
  if (!writer_)
    return kEarlyBytes - early_.size();
  return writer_->permit();
}

bool OutgoingBody::write(std::span<const uint8_t> data, std::string& err) {
  if (aborted_ || finished_)
    return false;
  if (content_length_ && written_ + data.size() > *content_length_) {
    // types.wit: never more than the declared content-length; the body is broken.
    err = "HTTP-response-body-size: more than the declared content-length";
    abort();
    return false;
  }
  written_ += data.size();
  if (!writer_) {
    early_.insert(early_.end(), data.begin(), data.end());
    return true;
  }
  if (!writer_->permit())
    return false;
  writer_->write(data);
  return true;
}

std::shared_ptr<engine::WaitSource> OutgoingBody::source() {
  if (writer_)
    return writer_->source();
  return attached_;  // before the response is sent, only attach() makes room
}

void OutgoingBody::attach(std::shared_ptr<BodyWriter> w) {
  writer_ = std::move(w);
  if (!early_.empty())
    writer_->write(early_);
  early_.clear();
  early_.shrink_to_fit();
  if (aborted_)
    writer_->abort();
  else if (early_trailers_)
    writer_->finish(*early_trailers_);
  attached_->set();
}

std::optional<std::string> OutgoingBody::finish(const FieldList& trailers) {
  if (aborted_)
    return std::string("HTTP-response-body-size");
  if (content_length_ && written_ != *content_length_) {
    abort();
    return std::string("HTTP-response-body-size");
  }
  finished_ = true;
  if (writer_)
    writer_->finish(trailers);
  else
    early_trailers_ = trailers;
  return std::nullopt;
}

void OutgoingBody::abort() {
  if (aborted_ || finished_)
    return;
  aborted_ = true;
  if (writer_)
    writer_->abort();
}

void add_http_bodies(ComponentLinker::Instance& t, const HttpHostPtr& h) {
  add_incoming_body(t, h);
  add_outgoing_response(t, h);
  add_outgoing_body(t, h);
  add_outparam(t, h);
}

HttpHostPtr add_to_linker_with_http(ComponentLinker& linker) {
  auto base = std::make_shared<Host>(nullptr);
  add_poll(linker, base);
  add_streams(linker, base);
  add_cli(linker, base);
  add_clocks_random(linker, base);
  add_filesystem(linker, base);
  add_sockets(linker, base);
  return add_http(linker, base);
}

}  // namespace rill::wasi::p2
