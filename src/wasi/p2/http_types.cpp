// wasi:http/types (types.wit): fields with their validation rules, incoming-request,
// outgoing-request and request-options, http-error-code; wasi:http/outgoing-handler, which
// refuses every request (HTTP-request-denied: outbound HTTP is not implemented yet). Bodies,
// responses and futures are in http_bodies.cpp; add_http and the handles the server makes here.
#include <algorithm>
#include <cctype>
#include <cstring>

#include "rill/wasi/p2/http_state.h"

namespace rill::wasi::p2 {
namespace {

/// Erases {rep} from the table {member} of the caller's (or {h}'s own) http state.
template <class T>
std::function<void(uint32_t)> http_eraser(const HostPtr& base, Table<T> HttpState::*member) {
  return [base, member](uint32_t rep) {
    Context* c = base->ctx ? base->ctx.get() : static_cast<Context*>(Store::caller_data());
    if (c && c->impl().http)
      (c->impl().http.get()->*member).erase(rep);
  };
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

Value header_err(const char* label) {
  return Value::err(Value::variant(label));
}

/// The bytes of a field-value argument.
std::string value_bytes(const Value& v) {
  std::string scratch;
  return std::string(list_bytes(v, scratch));
}

/// An error for a name/value pair a guest may not set, or nullopt.
std::optional<Value> check_field(std::string_view name, std::string_view value) {
  if (!valid_field_name(name) || !valid_field_value(value))
    return header_err("invalid-syntax");
  if (forbidden_field_name(name))
    return header_err("forbidden");
  return std::nullopt;
}

Value entries_value(const FieldList& l) {
  std::vector<Value> out;
  out.reserve(l.entries.size());
  for (const auto& [n, v] : l.entries)
    out.push_back(Value::tuple({Value::string(n), Value::bytes(v)}));
  return Value::list(std::move(out));
}

using FieldsOp = TrapOr<Value> (*)(HttpHost&, FieldsRes&, std::span<const Value>);

void define_fields(ComponentLinker::Instance& t, const HttpHostPtr& h, const char* name, FieldsOp op) {
  define(t, name, [h, op](std::span<const Value> a) -> TrapOr<Value> {
    FieldsRes* f = h->state().fields.get(rep_of(a[0]));
    if (!f)
      return bad_handle("fields");
    return op(*h, *f, a);
  });
}

TrapOr<Value> new_fields(HttpHost& h, std::shared_ptr<FieldList> list, bool immutable) {
  return h.base->own(h.state().fields, h.fields, FieldsRes{std::move(list), immutable});
}

/// method / scheme variants.
Value method_value(const std::string& m) {
  static const char* const kKnown[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (const char* k : kKnown) {
    if (m == k) {
      std::string label(k);
      std::transform(label.begin(), label.end(), label.begin(), [](unsigned char c) { return std::tolower(c); });
      return Value::variant(label);
    }
  }
  return Value::variant("other", Value::string(m));
}

Value scheme_value(const std::string& s) {
  if (s == "http")
    return Value::variant("HTTP");
  if (s == "https")
    return Value::variant("HTTPS");
  return Value::variant("other", Value::string(s));
}

std::optional<std::string> opt_string(const Value& v) {
  if (!v.is_some())
    return std::nullopt;
  return v.payload()->str();
}

Value some_string(const std::optional<std::string>& s) {
  return s ? Value::some(Value::string(*s)) : Value::none();
}

}  // namespace

bool valid_field_name(std::string_view name) {
  static constexpr std::string_view kTchar = "!#$%&'*+-.^_`|~";
  if (name.empty())
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kTchar.find(c) != std::string_view::npos;
  });
}

bool valid_field_value(std::string_view value) {
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return false;  // CR, LF, NUL and the other controls
  }
  return value.empty() || (value.front() != ' ' && value.front() != '\t' && value.back() != ' ' &&
                           value.back() != '\t');
}

bool forbidden_field_name(std::string_view name) {
  static const char* const kForbidden[] = {"connection", "keep-alive", "proxy-authenticate",
                                           "proxy-authorization", "proxy-connection", "te",
                                           "transfer-encoding", "upgrade", "host", "http2-settings"};
  return std::any_of(std::begin(kForbidden), std::end(kForbidden),
                     [&](const char* f) { return iequals(name, f); });
}

HttpHost::HttpHost(HostPtr b)
    : base(std::move(b)),
      fields("fields", http_eraser(base, &HttpState::fields)),
      incoming_request("incoming-request", http_eraser(base, &HttpState::incoming_requests)),
      incoming_body("incoming-body", http_eraser(base, &HttpState::incoming_bodies)),
      future_trailers("future-trailers", http_eraser(base, &HttpState::future_trailers)),
      outgoing_response("outgoing-response", http_eraser(base, &HttpState::outgoing_responses)),
      outgoing_body("outgoing-body",
                    [b = base](uint32_t rep) {
                      // Dropped without finish: the body is incomplete (types.wit outgoing-body).
                      Context* c = b->ctx ? b->ctx.get() : static_cast<Context*>(Store::caller_data());
                      if (!c || !c->impl().http)
                        return;
                      auto& table = c->impl().http->outgoing_bodies;
                      if (OutgoingBodyRes* r = table.get(rep); r && !r->finished)
                        r->body->abort();
                      table.erase(rep);
                    }),
      response_outparam("response-outparam", http_eraser(base, &HttpState::outparams)),
      outgoing_request("outgoing-request", http_eraser(base, &HttpState::outgoing_requests)),
      request_options("request-options", http_eraser(base, &HttpState::request_options)),
      future_incoming_response("future-incoming-response",
                               http_eraser(base, &HttpState::future_responses)) {}

HttpState& HttpHost::state() {
  Context::Impl& impl = base->impl();
  if (!impl.http)
    impl.http = std::make_unique<HttpState>();
  return *impl.http;
}

void add_http_fields(ComponentLinker::Instance& t, const HttpHostPtr& h) {
  t.resource("fields", h->fields);
  t.resource("headers", h->fields);  // type headers = fields; type trailers = fields
  t.resource("trailers", h->fields);
  define(t, "[constructor]fields", [h](std::span<const Value>) {
    return new_fields(*h, std::make_shared<FieldList>(), false);
  });
  define(t, "[static]fields.from-list", [h](std::span<const Value> a) -> TrapOr<Value> {
    auto list = std::make_shared<FieldList>();
    for (size_t i = 0; i < a[0].list_size(); ++i) {
      const Value e = a[0].element(i);
      std::string name = e.items()[0].str();
      std::string value = value_bytes(e.items()[1]);
      if (auto err = check_field(name, value))
        return *err;
      list->entries.emplace_back(std::move(name), std::move(value));
    }
    auto f = new_fields(*h, std::move(list), false);
    if (!f)
      return f;
    return Value::ok(std::move(*f));
  });
  define_fields(t, h, "[method]fields.get", [](HttpHost&, FieldsRes& f, std::span<const Value> a) -> TrapOr<Value> {
    std::vector<Value> out;
    for (const auto& [n, v] : f.list->entries)
      if (iequals(n, a[1].str()))
        out.push_back(Value::bytes(v));
    return Value::list(std::move(out));
  });
  define_fields(t, h, "[method]fields.has", [](HttpHost&, FieldsRes& f, std::span<const Value> a) -> TrapOr<Value> {
    const auto& es = f.list->entries;
    return Value::boolean(std::any_of(es.begin(), es.end(), [&](const auto& e) { return iequals(e.first, a[1].str()); }));
  });
  define_fields(t, h, "[method]fields.set", [](HttpHost&, FieldsRes& f, std::span<const Value> a) -> TrapOr<Value> {
    if (f.immutable)
      return header_err("immutable");
    const std::string& name = a[1].str();
    std::vector<std::string> values;
    for (size_t i = 0; i < a[2].list_size(); ++i) {
      values.push_back(value_bytes(a[2].element(i)));
      if (auto err = check_field(name, values.back()))
        return *err;
    }
    if (auto err = check_field(name, ""))
      return *err;
    auto& es = f.list->entries;
    es.erase(std::remove_if(es.begin(), es.end(), [&](const auto& e) { return iequals(e.first, name); }), es.end());
    for (std::string& v : values)
      es.emplace_back(name, std::move(v));
    return Value::ok();
  });
  define_fields(t, h, "[method]fields.delete", [](HttpHost&, FieldsRes& f, std::span<const Value> a) -> TrapOr<Value> {
    if (f.immutable)
      return header_err("immutable");
    const std::string& name = a[1].str();
    if (auto err = check_field(name, ""))
      return *err;
    auto& es = f.list->entries;
    es.erase(std::remove_if(es.begin(), es.end(), [&](const auto& e) { return iequals(e.first, name); }), es.end());
    return Value::ok();
  });
  define_fields(t, h, "[method]fields.append", [](HttpHost&, FieldsRes& f, std::span<const Value> a) -> TrapOr<Value> {
    if (f.immutable)
      return header_err("immutable");
    std::string value = value_bytes(a[2]);
    if (auto err = check_field(a[1].str(), value))
      return *err;
    f.list->entries.emplace_back(a[1].str(), std::move(value));
    return Value::ok();
  });
  define_fields(t, h, "[method]fields.entries", [](HttpHost&, FieldsRes& f, std::span<const Value>) -> TrapOr<Value> {
    return entries_value(*f.list);
  });
  define_fields(t, h, "[method]fields.clone", [](HttpHost& hh, FieldsRes& f, std::span<const Value>) {
    return new_fields(hh, std::make_shared<FieldList>(*f.list), false);
  });
}

void add_http_requests(ComponentLinker::Instance& t, const HttpHostPtr& h) {
  t.resource("incoming-request", h->incoming_request);
  auto req = [h](std::span<const Value> a) { return h->state().incoming_requests.get(rep_of(a[0])); };
  define(t, "[method]incoming-request.method", [req](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = req(a);
    return r ? TrapOr<Value>(method_value(r->data.method)) : bad_handle("incoming-request");
  });
  define(t, "[method]incoming-request.path-with-query", [req](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = req(a);
    return r ? TrapOr<Value>(Value::some(Value::string(r->data.path_with_query))) : bad_handle("incoming-request");
  });
  define(t, "[method]incoming-request.scheme", [req](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = req(a);
    return r ? TrapOr<Value>(Value::some(scheme_value(r->data.scheme))) : bad_handle("incoming-request");
  });
  define(t, "[method]incoming-request.authority", [req](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = req(a);
    return r ? TrapOr<Value>(Value::some(Value::string(r->data.authority))) : bad_handle("incoming-request");
  });
  define(t, "[method]incoming-request.headers", [h, req](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = req(a);
    if (!r)
      return bad_handle("incoming-request");
    return new_fields(*h, r->headers, true);
  });
  define(t, "[method]incoming-request.consume", [h, req](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = req(a);
    if (!r)
      return bad_handle("incoming-request");
    if (r->consumed)
      return Value::err();
    r->consumed = true;
    auto b = h->base->own(h->state().incoming_bodies, h->incoming_body, IncomingBodyRes{r->data.body, false});
    if (!b)
      return b;
    return Value::ok(std::move(*b));
  });

  t.resource("outgoing-request", h->outgoing_request);
  define(t, "[constructor]outgoing-request", [h](std::span<const Value> a) -> TrapOr<Value> {
    FieldsRes* f = h->state().fields.get(rep_of(a[0]));
    if (!f)
      return bad_handle("fields");
    OutgoingRequestRes r;
    r.headers = f->list;
    return h->base->own(h->state().outgoing_requests, h->outgoing_request, std::move(r));
  });
  auto oreq = [h](std::span<const Value> a) { return h->state().outgoing_requests.get(rep_of(a[0])); };
  define(t, "[method]outgoing-request.body", [h, oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    if (!r)
      return bad_handle("outgoing-request");
    if (r->body_taken)
      return Value::err();
    r->body_taken = true;
    auto b = h->base->own(h->state().outgoing_bodies, h->outgoing_body,
                          OutgoingBodyRes{std::make_shared<OutgoingBody>(std::nullopt), false});
    if (!b)
      return b;
    return Value::ok(std::move(*b));
  });
  define(t, "[method]outgoing-request.headers", [h, oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    return r ? new_fields(*h, r->headers, true) : bad_handle("outgoing-request");
  });
  define(t, "[method]outgoing-request.method", [oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    return r ? TrapOr<Value>(r->method) : bad_handle("outgoing-request");
  });
  define(t, "[method]outgoing-request.set-method", [oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    if (!r)
      return bad_handle("outgoing-request");
    if (a[1].str() == "other" && !valid_field_name(a[1].payload()->str()))
      return Value::err();
    r->method = a[1];
    return Value::ok();
  });
  define(t, "[method]outgoing-request.path-with-query", [oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    return r ? TrapOr<Value>(some_string(r->path)) : bad_handle("outgoing-request");
  });
  define(t, "[method]outgoing-request.set-path-with-query", [oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    if (!r)
      return bad_handle("outgoing-request");
    r->path = opt_string(a[1]);
    return Value::ok();
  });
  define(t, "[method]outgoing-request.authority", [oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    return r ? TrapOr<Value>(some_string(r->authority)) : bad_handle("outgoing-request");
  });
  define(t, "[method]outgoing-request.set-authority", [oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    if (!r)
      return bad_handle("outgoing-request");
    r->authority = opt_string(a[1]);
    return Value::ok();
  });
  define(t, "[method]outgoing-request.scheme", [oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    if (!r)
      return bad_handle("outgoing-request");
    return r->scheme ? Value::some(*r->scheme) : Value::none();
  });
  define(t, "[method]outgoing-request.set-scheme", [oreq](std::span<const Value> a) -> TrapOr<Value> {
    auto* r = oreq(a);
    if (!r)
      return bad_handle("outgoing-request");
    r->scheme = a[1].is_some() ? std::optional<Value>(*a[1].payload()) : std::nullopt;
    return Value::ok();
  });

  t.resource("request-options", h->request_options);
  define(t, "[constructor]request-options", [h](std::span<const Value>) {
    return h->base->own(h->state().request_options, h->request_options, RequestOptionsRes{});
  });
  using Member = std::optional<uint64_t> RequestOptionsRes::*;
  const std::pair<const char*, Member> kOpts[] = {{"connect-timeout", &RequestOptionsRes::connect},
                                                  {"first-byte-timeout", &RequestOptionsRes::first_byte},
                                                  {"between-bytes-timeout", &RequestOptionsRes::between_bytes}};
  for (const auto& [name, member] : kOpts) {
    define(t, std::string("[method]request-options.") + name, [h, m = member](std::span<const Value> a) -> TrapOr<Value> {
      auto* o = h->state().request_options.get(rep_of(a[0]));
      if (!o)
        return bad_handle("request-options");
      return (o->*m) ? Value::some(Value::u64(*(o->*m))) : Value::none();
    });
    define(t, std::string("[method]request-options.set-") + name, [h, m = member](std::span<const Value> a) -> TrapOr<Value> {
      auto* o = h->state().request_options.get(rep_of(a[0]));
      if (!o)
        return bad_handle("request-options");
      o->*m = a[1].is_some() ? std::optional<uint64_t>(a[1].payload()->as_u64()) : std::nullopt;
      return Value::ok();
    });
  }
  define(t, "http-error-code", [](std::span<const Value>) -> TrapOr<Value> { return Value::none(); });
}

HttpHostPtr add_http(ComponentLinker& linker, const HostPtr& base) {
  auto h = std::make_shared<HttpHost>(base);
  auto& t = iface(linker, "wasi:http/types");
  t.resource("input-stream", base->input_stream);
  t.resource("output-stream", base->output_stream);
  t.resource("io-error", base->error);
  t.resource("pollable", base->pollable);
  add_http_fields(t, h);
  add_http_requests(t, h);
  add_http_bodies(t, h);
  auto& out = iface(linker, "wasi:http/outgoing-handler");
  out.resource("outgoing-request", h->outgoing_request);
  out.resource("request-options", h->request_options);
  out.resource("future-incoming-response", h->future_incoming_response);
  define(out, "handle", [h](std::span<const Value> a) -> TrapOr<Value> {
    // Outbound HTTP is not implemented: every request is refused before any DNS lookup. The
    // request (own) was moved to us: drop it from the caller's table.
    h->state().outgoing_requests.erase(rep_of(a[0]));
    return Value::err(Value::variant("HTTP-request-denied"));
  });
  return h;
}

TrapOr<Value> new_incoming_request(HttpHost& h, Context& ctx, IncomingRequestData data) {
  Context::Impl& impl = ctx.impl();
  if (!impl.http)
    impl.http = std::make_unique<HttpState>();
  IncomingRequestRes r;
  r.headers = std::make_shared<FieldList>(data.headers);
  r.data = std::move(data);
  return h.base->own(impl.http->incoming_requests, h.incoming_request, std::move(r));
}

TrapOr<Value> new_response_outparam(HttpHost& h, Context& ctx, std::shared_ptr<ResponseSink> sink) {
  Context::Impl& impl = ctx.impl();
  if (!impl.http)
    impl.http = std::make_unique<HttpState>();
  return h.base->own(impl.http->outparams, h.response_outparam, OutparamRes{std::move(sink)});
}

}  // namespace rill::wasi::p2
