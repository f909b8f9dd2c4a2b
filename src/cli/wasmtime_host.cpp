// The host items of Wasmtime's component wast harness (wasmtime_host.h): synchronous ones, and
// asynchronous ones that end at once, on the next turn of the thread's io_context (pending
// once), or only when cancelled.
#include "rill/cli/wasmtime_host.h"
#include "rill/component/rt/task.h"
#include "rill/engine/reactor.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace rill::cli {
namespace {

namespace crt = component::rt;

/// (module (global (export "g") i32 (i32.const 100)) (func (export "f") (result i32) i32.const 101))
constexpr uint8_t kSimpleModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                    // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,                          // type: () -> i32
    0x03, 0x02, 0x01, 0x00,                                            // func 0: type 0
    0x06, 0x07, 0x01, 0x7f, 0x00, 0x41, 0xe4, 0x00, 0x0b,              // global i32 = 100
    0x07, 0x09, 0x02, 0x01, 'g', 0x03, 0x00, 0x01, 'f', 0x00, 0x00,    // export g, f
    0x0a, 0x07, 0x01, 0x05, 0x00, 0x41, 0xe5, 0x00, 0x0b,              // f: i32.const 101
};

/// A host function typed by the import it satisfies.
crt::Item func(crt::HostFn fn) {
  auto f = std::make_shared<crt::HostFuncRt>();
  f->fn = std::move(fn);
  return crt::Item{crt::FuncPtr(std::move(f))};
}

/// An asynchronous host function typed by the import it satisfies.
crt::Item async_func(crt::AsyncHostFn fn) {
  auto f = std::make_shared<crt::HostFuncRt>();
  f->async_fn = std::move(fn);
  return crt::Item{crt::FuncPtr(std::move(f))};
}

/// Echoes its argument; {slowly}: pending once, resolved on the io_context's next turn.
crt::Item echo(bool slowly) {
  return async_func([slowly](std::span<const Value> a, std::shared_ptr<crt::HostCall> call) {
    std::vector<Value> results(a.begin(), a.end());
    if (!slowly) return call->resolve(std::move(results));
    boost::asio::post(engine::thread_io_context(),
                      [call, results = std::move(results)]() mutable { call->resolve(std::move(results)); });
  });
}

/// Returns 2 on the io_context's next turn.
crt::Item two_slowly() {
  return async_func([](std::span<const Value>, std::shared_ptr<crt::HostCall> call) {
    boost::asio::post(engine::thread_io_context(), [call] { call->resolve({Value::u32(2)}); });
  });
}

/// Never ends, unless its caller cancels it.
crt::Item never_return() {
  return async_func([](std::span<const Value>, std::shared_ptr<crt::HostCall> call) {
    std::weak_ptr<crt::HostCall> weak = call;
    call->on_cancel = [weak] {
      if (auto c = weak.lock()) c->cancelled();
    };
  });
}

/// A function of no parameters returning {v}.
crt::Item constant(Value v) {
  return func([v = std::move(v)](std::span<const Value>, std::vector<Value>& out) -> crt::MaybeTrap {
    out.push_back(v);
    return std::nullopt;
  });
}

/// The trap of a failed harness assertion (Wasmtime's `ensure!`/`assert!`).
crt::MaybeTrap check(bool ok, const char* what) {
  if (ok) return std::nullopt;
  return engine::Trap::host(what);
}

bool is(const Value& v, ValueKind k) { return v.kind() == k; }

/// resource1's functions: [constructor], [static] assert / last-drop / drops, [method] simple /
/// take-borrow / take-own.
void add_resource1_funcs(crt::InstanceRt& host, const std::shared_ptr<const crt::ResourceTypeRt>& rt,
                         const std::shared_ptr<WasmtimeHostDrops>& drops) {
  auto& e = host.exports;
  e.emplace_back("[constructor]resource1",
                 func([rt](std::span<const Value> a, std::vector<Value>& out) -> crt::MaybeTrap {
                   if (auto t = check(a.size() == 1, "constructor takes a rep")) return t;
                   out.push_back(Value::own(ResourceRef{rt, a[0].as_u32()}));
                   return std::nullopt;
                 }));
  e.emplace_back("[static]resource1.assert",
                 func([](std::span<const Value> a, std::vector<Value>&) -> crt::MaybeTrap {
                   if (auto t = check(a.size() == 2 && is(a[0], ValueKind::Own), "assert takes (own, rep)"))
                     return t;
                   return check(a[0].resource().rep == a[1].as_u32(), "mismatched rep");
                 }));
  e.emplace_back("[method]resource1.never-return", never_return());
  e.emplace_back("[static]resource1.last-drop",
                 func([drops](std::span<const Value>, std::vector<Value>& out) -> crt::MaybeTrap {
                   out.push_back(Value::u32(drops->last));
                   return std::nullopt;
                 }));
  e.emplace_back("[static]resource1.drops",
                 func([drops](std::span<const Value>, std::vector<Value>& out) -> crt::MaybeTrap {
                   out.push_back(Value::u32(drops->count));
                   return std::nullopt;
                 }));
  e.emplace_back("[method]resource1.simple",
                 func([](std::span<const Value> a, std::vector<Value>&) -> crt::MaybeTrap {
                   if (auto t = check(a.size() == 2 && is(a[0], ValueKind::Borrow), "simple takes (borrow, rep)"))
                     return t;
                   return check(a[0].resource().rep == a[1].as_u32(), "mismatched rep");
                 }));
  e.emplace_back("[method]resource1.take-borrow",
                 func([](std::span<const Value> a, std::vector<Value>&) -> crt::MaybeTrap {
                   return check(a.size() == 2 && is(a[0], ValueKind::Borrow) && is(a[1], ValueKind::Borrow),
                                "take-borrow takes (borrow, borrow)");
                 }));
  e.emplace_back("[method]resource1.take-own",
                 func([](std::span<const Value> a, std::vector<Value>&) -> crt::MaybeTrap {
                   return check(a.size() == 2 && is(a[0], ValueKind::Borrow) && is(a[1], ValueKind::Own),
                                "take-own takes (borrow, own)");
                 }));
}

crt::TypeRt resource_type(std::shared_ptr<const crt::ResourceTypeRt> rt) {
  crt::TypeRt t;
  t.kind = crt::TypeRt::Kind::Resource;
  t.resource = std::move(rt);
  return t;
}

}  // namespace

Result<crt::ImportMap> wasmtime_host_imports(engine::Engine& engine,
                                             std::shared_ptr<WasmtimeHostDrops> drops) {
  RILL_TRY(auto module, engine.compile(std::span<const uint8_t>(kSimpleModule)));
  auto resource1 = std::make_shared<crt::ResourceTypeRt>();
  resource1->name = "resource1";
  resource1->host_dtor = [drops](uint32_t rep) {
    drops->last = rep;
    drops->count++;
  };
  auto resource2 = std::make_shared<crt::ResourceTypeRt>();
  resource2->name = "resource2";

  auto nested = std::make_shared<crt::InstanceRt>();
  nested->exports.emplace_back("return-four", constant(Value::u32(4)));
  auto host = std::make_shared<crt::InstanceRt>();
  host->exports.emplace_back("return-three", constant(Value::u32(3)));
  host->exports.emplace_back("return-two-slowly", two_slowly());
  host->exports.emplace_back("echo-slowly", echo(true));
  host->exports.emplace_back("never-return", never_return());
  host->exports.emplace_back("return-hi", constant(Value::string("hi")));
  host->exports.emplace_back("nested", crt::Item{nested});
  host->exports.emplace_back("simple-module",
                             crt::Item{std::make_shared<crt::CoreModuleRt>(crt::CoreModuleRt{module})});
  host->exports.emplace_back("resource1", crt::Item{resource_type(resource1)});
  host->exports.emplace_back("resource2", crt::Item{resource_type(resource2)});
  // The same type again: its destructor is resource1's, so none of its own can ever run.
  host->exports.emplace_back("resource1-again", crt::Item{resource_type(resource1)});
  add_resource1_funcs(*host, resource1, drops);

  crt::ImportMap imports;
  imports.define("host-return-two", constant(Value::u32(2)));
  imports.define("host-echo-u32", echo(false));
  imports.define("host", crt::Item{host});
  return imports;
}

}  // namespace rill::cli
