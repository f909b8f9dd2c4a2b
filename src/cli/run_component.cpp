// `rill run` for components (run_cmd.h): link the WASI 0.2 host (src/wasi/p2) with a Context of
// its own, and the exports of the --link'ed components (each instantiated first with a Context
// of its own), instantiate, call wasi:cli/run@0.2.x#run (or the --invoke'd export, its arguments
// and results in WAVE text) and map its outcome to an exit status.
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rill/base/escape.h"
#include "rill/cli/run_cmd.h"
#include "rill/cli/run_limits.h"
#include "rill/component.h"
#include "rill/wasi_p2.h"

namespace rill::cli {
namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\n");
  size_t e = s.find_last_not_of(" \t\n");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

/// --invoke 'NAME(ARGS)': NAME an export ("greet", or "iface#f" in an exported instance), ARGS
/// WAVE values; prints each result in WAVE on its own line.
int invoke(const ComponentInstance& instance, const RunFlags& f, RunWatchdog& watchdog) {
  std::string call = trim(f.invoke);
  size_t open = call.find('(');
  if (open == std::string::npos || call.back() != ')') {
    run_fail("--invoke for a component takes NAME(ARGS) with WAVE arguments, e.g. 'greet(\"x\", 1)'");
    return 1;
  }
  std::string name = trim(std::string_view(call).substr(0, open));
  auto func = instance.func(name);
  if (!func) {
    std::string known;
    for (const std::string& e : instance.exports())
      known += (known.empty() ? "" : ", ") + escape_name(e);
    run_fail("unknown export: function \"" + escape_name(name) + "\" (exports: " + known + ")");
    return 1;
  }
  auto args = func->parse_args(std::string_view(call).substr(open + 1, call.size() - open - 2));
  if (!args) {
    run_fail("--invoke " + name + ": " + args.error().message + " (the function is " + func->type() + ")");
    return 1;
  }
  auto results = [&] {
    RunWatchdog::Call in_guest(watchdog);
    return func->call(std::span<const Value>(*args));
  }();
  if (!results)
    return trap_status(results.trap(), f.timeout);
  for (const Value& v : *results) {
    v.print_to(stdout);  // in pieces: a result of millions of elements in bounded memory
    std::fputc('\n', stdout);
  }
  std::fflush(stdout);
  return 0;
}

/// What one run keeps alive. `rill run` exits right after the guest; tearing this down (every
/// compiled function, handle table and type) cost about a tenth of a hello-world run, so the
/// process leaves it to the kernel (see run_component).
struct Session {
  Engine engine;
  std::optional<Component> component;
  std::optional<Store> store;
  std::optional<ComponentInstance> instance;
  /// --link: each linked component and its instance.
  std::vector<Component> linked_components;
  std::vector<ComponentInstance> linked_instances;
};

/// A WASI context for the component at {path} (its argv[0]) with the flags' environment,
/// directories and network policy.
Result<std::shared_ptr<wasi::p2::Context>> make_context(const RunFlags& f, const std::string& path, bool main) {
  wasi::p2::Config config;
  config.args.push_back(path);
  if (main) config.args.insert(config.args.end(), f.args.begin(), f.args.end());
  config.env = guest_env(f);
  config.preopens = guest_preopens(f);
  RILL_TRY(config.net, guest_net_policy(f));
  return wasi::p2::Context::create(config);
}

/// --link: instantiates each linked component in order, offering its exports to the imports
/// of the ones after it (a name exported twice: the later one wins). The exports are added to
/// {offered} as (name, index into s.linked_instances).
bool link_components(Session& s, const RunFlags& f, RunWatchdog& watchdog,
                     std::vector<std::pair<std::string, size_t>>& offered) {
  for (const std::string& path : f.link) {
    auto c = Component::compile_file(s.engine, path);
    if (!c) {
      run_fail(path + ": " + c.error().to_string());
      return false;
    }
    auto ctx = make_context(f, path, false);
    if (!ctx) {
      run_fail(ctx.error().message);
      return false;
    }
    ComponentLinker linker;
    wasi::p2::add_to_linker(linker, *ctx);
    for (const auto& [name, i] : offered)
      if (auto d = linker.define(name, s.linked_instances[i], name); !d) {
        run_fail(path + ": " + d.error().message);
        return false;
      }
    auto inst = [&] {
      RunWatchdog::Call in_guest(watchdog);
      return linker.instantiate(*s.store, *c);
    }();
    if (!inst) {
      run_fail(path + ": " + inst.error().to_string());
      return false;
    }
    s.linked_components.push_back(std::move(*c));
    s.linked_instances.push_back(std::move(*inst));
    const size_t index = s.linked_instances.size() - 1;
    for (const std::string& e : s.linked_instances.back().exports()) {
      if (e.starts_with("wasi:cli/run@")) continue;  // a linked command is not run
      std::erase_if(offered, [&e](const auto& o) { return o.first == e; });
      offered.emplace_back(e, index);
    }
  }
  return true;
}

int run_session(Session& s, const RunFlags& f) {
  auto component = Component::compile_file(s.engine, f.file);
  if (!component) {
    run_fail(f.file + ": " + component.error().to_string());
    return 1;
  }
  s.component = std::move(*component);
  auto limits = parse_run_limits(f);
  if (!limits) {
    run_fail(limits.error().message);
    return 1;
  }
  s.store.emplace(s.engine);
  apply_run_limits(*limits, *s.store);
  RunWatchdog watchdog(s.engine, limits->timeout_ms, f.timeout);
  std::vector<std::pair<std::string, size_t>> offered;
  if (!link_components(s, f, watchdog, offered)) return 1;
  auto ctx = make_context(f, f.file, true);
  if (!ctx) {
    run_fail(ctx.error().message);
    return 1;
  }
  ComponentLinker linker;
  wasi::p2::add_to_linker(linker, *ctx);
  for (const auto& [name, i] : offered)
    if (auto d = linker.define(name, s.linked_instances[i], name); !d) {
      run_fail(f.file + ": " + d.error().message);
      return 1;
    }
  auto instance = [&] {
    RunWatchdog::Call in_guest(watchdog);
    return linker.instantiate(*s.store, *s.component);
  }();
  if (!instance) {
    run_fail(f.file + ": " + instance.error().to_string());
    return 1;
  }
  s.instance = std::move(*instance);
  if (!f.invoke.empty())
    return invoke(*s.instance, f, watchdog);
  std::string run_iface;
  for (const std::string& e : s.instance->exports())
    if (e.starts_with("wasi:cli/run@0.2."))
      run_iface = e;
  auto run = run_iface.empty() ? std::nullopt : s.instance->func(run_iface + "#run");
  if (!run) {
    run_fail(f.file + ": the component does not export wasi:cli/run@0.2.x");
    return 1;
  }
  auto r = [&] {
    RunWatchdog::Call in_guest(watchdog);
    return run->call({});
  }();
  if (!r)
    return trap_status(r.trap(), f.timeout);
  if (r->size() != 1 || r->front().kind() != ValueKind::Result)
    return 1;
  return r->front().is_err() ? 1 : 0;
}

}  // namespace

int run_component(const RunFlags& f) {
  auto session = std::make_unique<Session>();
  const int status = run_session(*session, f);
  if (f.leave_to_exit) {
    // Still reachable (so no leak report), never destroyed: the process is about to exit.
    static Session* kept = nullptr;
    kept = session.release();
    (void)kept;
  }
  return status;
}

}  // namespace rill::cli
