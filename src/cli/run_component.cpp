// `rill run` for components (run_cmd.h): link the WASI 0.2 host (src/wasi/p2) with a Context of
// its own, instantiate, call wasi:cli/run@0.2.x#run and map its outcome to an exit status.
#include <optional>
#include <string>
#include <vector>

#include "rill/cli/run_cmd.h"
#include "rill/component.h"
#include "rill/wasi_p2.h"

namespace rill::cli {

int run_component(const RunFlags& f) {
  if (!f.invoke.empty()) {
    run_fail("--invoke is not supported for components yet");
    return 1;
  }
  Engine engine;
  auto component = Component::compile_file(engine, f.file);
  if (!component) {
    run_fail(f.file + ": " + component.error().to_string());
    return 1;
  }
  wasi::p2::Config config;
  config.args.push_back(f.file);
  config.args.insert(config.args.end(), f.args.begin(), f.args.end());
  config.env = guest_env(f);
  config.preopens = guest_preopens(f);
  auto net = guest_net_policy(f);
  if (!net) {
    run_fail(net.error().message);
    return 1;
  }
  config.net = std::move(*net);
  auto ctx = wasi::p2::Context::create(config);
  if (!ctx) {
    run_fail(ctx.error().message);
    return 1;
  }
  ComponentLinker linker;
  wasi::p2::add_to_linker(linker, *ctx);
  Store store(engine);
  auto instance = linker.instantiate(store, *component);
  if (!instance) {
    run_fail(f.file + ": " + instance.error().to_string());
    return 1;
  }
  std::string run_iface;
  for (const std::string& e : instance->exports())
    if (e.starts_with("wasi:cli/run@0.2."))
      run_iface = e;
  auto run = run_iface.empty() ? std::nullopt : instance->func(run_iface + "#run");
  if (!run) {
    run_fail(f.file + ": the component does not export wasi:cli/run@0.2.x");
    return 1;
  }
  auto r = run->call({});
  if (!r)
    return trap_status(r.trap());
  if (r->size() != 1 || r->front().kind() != ValueKind::Result)
    return 1;
  return r->front().is_err() ? 1 : 0;
}

}  // namespace rill::cli
