// A wasi:http 0.2 handler component (wit/http.wit, world `handler`) written against the
// canonical ABI by hand (no wit-bindgen). One component, routed by path, serves every HTTP test
// of tests/host and the benchmark:
//   /            "hello from rill\n" (content-length)         /echo     the request body, streamed
//   /headers     x-echo: the request's x-test header           /trailers chunked, x-checksum trailer
//   /sleep?MS    waits MS ms on a monotonic-clock pollable     /trap     unreachable
//   /loop        loops forever                                  /oom      allocates until malloc fails
//   /bad-header  tries a forbidden and an invalid header, reports the errors
//   /short       declares content-length 10, writes 5          /none     returns without a response
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))
#define TYPES "wasi:http/types@0.2.12"
#define STREAMS "wasi:io/streams@0.2.12"

IMPORT(TYPES, "[constructor]fields") int32_t fields_new(void);
IMPORT(TYPES, "[method]fields.get") void fields_get(int32_t self, const char* name, size_t len, void* ret);
IMPORT(TYPES, "[method]fields.append")
void fields_append(int32_t self, const char* name, size_t nlen, const void* val, size_t vlen, void* ret);
IMPORT(TYPES, "[resource-drop]fields") void fields_drop(int32_t self);
IMPORT(TYPES, "[method]incoming-request.path-with-query") void req_path(int32_t self, void* ret);
IMPORT(TYPES, "[method]incoming-request.headers") int32_t req_headers(int32_t self);
IMPORT(TYPES, "[method]incoming-request.consume") void req_consume(int32_t self, void* ret);
IMPORT(TYPES, "[resource-drop]incoming-request") void req_drop(int32_t self);
IMPORT(TYPES, "[method]incoming-body.stream") void body_stream(int32_t self, void* ret);
IMPORT(TYPES, "[resource-drop]incoming-body") void in_body_drop(int32_t self);
IMPORT(TYPES, "[constructor]outgoing-response") int32_t resp_new(int32_t headers);
IMPORT(TYPES, "[method]outgoing-response.set-status-code") int32_t resp_set_status(int32_t self, int32_t code);
IMPORT(TYPES, "[method]outgoing-response.body") void resp_body(int32_t self, void* ret);
IMPORT(TYPES, "[method]outgoing-body.write") void out_body_write(int32_t self, void* ret);
IMPORT(TYPES, "[static]outgoing-body.finish")
void out_body_finish(int32_t self, int32_t has_trailers, int32_t trailers, void* ret);
IMPORT(TYPES, "[static]response-outparam.set")
void outparam_set(int32_t param, int32_t is_err, int32_t a, int32_t b, int64_t c, int32_t d, int32_t e,
                  int32_t f, int32_t g);
IMPORT(STREAMS, "[method]input-stream.blocking-read") void in_read(int32_t self, int64_t len, void* ret);
IMPORT(STREAMS, "[resource-drop]input-stream") void in_drop(int32_t self);
IMPORT(STREAMS, "[method]output-stream.blocking-write-and-flush")
void out_write(int32_t self, const void* data, size_t len, void* ret);
IMPORT(STREAMS, "[resource-drop]output-stream") void out_drop(int32_t self);
IMPORT("wasi:clocks/monotonic-clock@0.2.12", "subscribe-duration") int32_t subscribe_duration(int64_t ns);
IMPORT("wasi:io/poll@0.2.12", "[method]pollable.block") void pollable_block(int32_t self);
IMPORT("wasi:io/poll@0.2.12", "[resource-drop]pollable") void pollable_drop(int32_t self);

__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size, size_t align,
                                                                  size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void*)align;
  void* p = realloc(old, new_size);
  if (!p) abort();
  return p;
}

// Return areas: results that flatten to more than one value come back through memory.
static _Alignas(8) uint8_t ret[64];
static uint32_t ret_u32(int off) { uint32_t v; memcpy(&v, ret + off, 4); return v; }

struct Response {
  int32_t resp, body, stream;
};

// An outgoing-response with {status} and headers (name, value) pairs; its body and stream.
static struct Response respond(int32_t outparam, int status, const char* const* hdrs, int n) {
  int32_t h = fields_new();
  for (int i = 0; i < n; i++) fields_append(h, hdrs[2 * i], strlen(hdrs[2 * i]), hdrs[2 * i + 1], strlen(hdrs[2 * i + 1]), ret);
  struct Response r = {resp_new(h), 0, 0};
  resp_set_status(r.resp, status);
  resp_body(r.resp, ret);
  r.body = (int32_t)ret_u32(4);
  out_body_write(r.body, ret);
  r.stream = (int32_t)ret_u32(4);
  outparam_set(outparam, 0, r.resp, 0, 0, 0, 0, 0, 0);
  return r;
}

static int write_all(int32_t stream, const void* data, size_t len) {
  // blocking-write-and-flush takes at most 4096 bytes a call (streams.wit).
  const uint8_t* p = data;
  while (len > 0) {
    size_t n = len < 4096 ? len : 4096;
    out_write(stream, p, n, ret);
    if (ret[0] != 0) return -1;
    p += n;
    len -= n;
  }
  return 0;
}

static void finish(struct Response* r, int32_t trailers) {
  out_drop(r->stream);
  out_body_finish(r->body, trailers != 0, trailers, ret);
}

static void text(int32_t outparam, int status, const char* body) {
  char len[16];
  size_t n = strlen(body);
  int i = 15;
  len[i] = 0;
  do { len[--i] = (char)('0' + n % 10); n /= 10; } while (n);
  const char* hdrs[] = {"content-type", "text/plain", "content-length", len + i};
  struct Response r = respond(outparam, status, hdrs, 2);
  write_all(r.stream, body, strlen(body));
  finish(&r, 0);
}

static void echo(int32_t request, int32_t outparam) {
  req_consume(request, ret);
  int32_t in_body = (int32_t)ret_u32(4);
  body_stream(in_body, ret);
  int32_t in = (int32_t)ret_u32(4);
  struct Response r = respond(outparam, 200, NULL, 0);
  for (;;) {
    in_read(in, 65536, ret);
    if (ret[0] != 0) break;  // closed: the whole body was read
    uint8_t* data = (uint8_t*)(uintptr_t)ret_u32(4);
    size_t len = ret_u32(8);
    int failed = write_all(r.stream, data, len);
    free(data);
    if (failed) break;
  }
  in_drop(in);
  in_body_drop(in_body);
  finish(&r, 0);
}

static void headers(int32_t request, int32_t outparam) {
  int32_t h = req_headers(request);
  fields_get(h, "x-test", 6, ret);
  const uint32_t* vals = (const uint32_t*)(uintptr_t)ret_u32(0);
  char value[256] = "(none)";
  if (ret_u32(4) > 0 && vals[1] < sizeof value) {
    memcpy(value, (const void*)(uintptr_t)vals[0], vals[1]);
    value[vals[1]] = 0;
  }
  fields_drop(h);
  const char* hdrs[] = {"x-echo", value};
  struct Response r = respond(outparam, 200, hdrs, 1);
  write_all(r.stream, "ok\n", 3);
  finish(&r, 0);
}

static void trailers(int32_t outparam) {
  struct Response r = respond(outparam, 200, NULL, 0);
  write_all(r.stream, "part one\n", 9);
  write_all(r.stream, "part two\n", 9);
  int32_t t = fields_new();
  fields_append(t, "x-checksum", 10, "abc123", 6, ret);
  finish(&r, t);
}

static void bad_header(int32_t outparam) {
  int32_t h = fields_new();
  fields_append(h, "connection", 10, "close", 5, ret);
  int forbidden = ret[0] == 1 ? ret[1] : -1;  // header-error: 0 invalid-syntax, 1 forbidden
  fields_append(h, "x-bad", 5, "a\r\nb", 4, ret);
  int invalid = ret[0] == 1 ? ret[1] : -1;
  fields_drop(h);
  char msg[64] = "connection: x, crlf: x\n";
  msg[12] = (char)('0' + forbidden);
  msg[21] = (char)('0' + invalid);
  text(outparam, 200, msg);
}

static int starts(const char* s, size_t n, const char* prefix) {
  size_t m = strlen(prefix);
  return n >= m && memcmp(s, prefix, m) == 0 && (n == m || s[m] == '?');
}

__attribute__((export_name("wasi:http/incoming-handler@0.2.12#handle"))) void handle(int32_t request,
                                                                                   int32_t outparam) {
  req_path(request, ret);
  const char* path = ret[0] ? (const char*)(uintptr_t)ret_u32(4) : "/";
  size_t plen = ret[0] ? ret_u32(8) : 1;
  if (starts(path, plen, "/echo")) {
    echo(request, outparam);
  } else if (starts(path, plen, "/headers")) {
    headers(request, outparam);
  } else if (starts(path, plen, "/trailers")) {
    trailers(outparam);
  } else if (starts(path, plen, "/bad-header")) {
    bad_header(outparam);
  } else if (starts(path, plen, "/sleep")) {
    int64_t ms = plen > 7 ? atoll(path + 7) : 100;
    int32_t p = subscribe_duration(ms * 1000000);
    pollable_block(p);
    pollable_drop(p);
    text(outparam, 200, "slept\n");
  } else if (starts(path, plen, "/trap")) {
    __builtin_trap();
  } else if (starts(path, plen, "/loop")) {
    for (volatile int i = 0;; i++) {
    }
  } else if (starts(path, plen, "/oom")) {
    void* volatile keep = NULL;  // so the allocations cannot be optimised away
    for (;;) {
      void* p = malloc(1 << 20);
      if (!p) abort();
      memset(p, 1, 1 << 20);
      keep = p;
      (void)keep;
    }
  } else if (starts(path, plen, "/short")) {
    const char* hdrs[] = {"content-length", "10"};
    struct Response r = respond(outparam, 200, hdrs, 1);
    write_all(r.stream, "12345", 5);
    finish(&r, 0);
  } else if (starts(path, plen, "/none")) {
    // no response: the host answers 500
  } else {
    text(outparam, 200, "hello from rill\n");
  }
  req_drop(request);
}
