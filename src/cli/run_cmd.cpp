// `rill run` (run_cmd.h) for core modules: load, link with wasi_snapshot_preview1, run
// _initialize/_start or an --invoke'd export, and turn the outcome into an exit status. Messages
// go to stderr; the guest's own output goes straight to fd 1/2 through the WASI host. Components
// are run by run_component.cpp.
#include "rill/cli/run_cmd.h"

#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "rill/base/escape.h"
#include "rill/cli/run_limits.h"
#include "rill/rill.h"
#include "rill/wasi.h"

extern char** environ;

namespace rill::cli {

void run_fail(const std::string& msg) {
  std::fprintf(stderr, "rill run: %s\n", terminal_safe(msg).c_str());
}

std::vector<std::string> guest_env(const RunFlags& f) {
  std::vector<std::string> env;
  if (f.inherit_env)
    for (char** e = environ; e && *e; ++e)
      env.emplace_back(*e);
  for (const std::string& kv : f.env) {
    std::string key = kv.substr(0, kv.find('='));
    std::erase_if(env, [&key](const std::string& e) { return e.substr(0, e.find('=')) == key; });
    env.push_back(kv.find('=') == std::string::npos ? kv + "=" : kv);
  }
  return env;
}

std::vector<wasi::p1::Preopen> guest_preopens(const RunFlags& f) {
  std::vector<wasi::p1::Preopen> out;
  for (const std::string& d : f.dirs) {
    size_t sep = d.find("::");
    if (sep == std::string::npos)
      out.push_back({d, d});
    else
      out.push_back({d.substr(0, sep), d.substr(sep + 2)});
  }
  return out;
}

Result<wasi::p2::NetPolicy> guest_net_policy(const RunFlags& f) {
  wasi::p2::NetPolicy net;
  net.allow_all = f.allow_net;
  net.allow_lookup = f.allow_net || f.allow_dns;
  for (const std::string& text : f.allow_ips) {
    auto c = wasi::p2::Cidr::parse(text);
    if (!c)
      return Error{"--allow-ip: " + c.error().message};
    net.allowed.push_back(*c);
  }
  return net;
}

int trap_status(const Trap& trap, const std::string& timeout_text) {
  if (trap.kind == TrapKind::Exit) {
    // WASI reserves 126 and up (126/127: the shell's "cannot run", 128+n: killed by signal n), so
    // a guest can neither look killed (134 is what a trap gives) nor exit 0 by wrapping at 256.
    const auto code = static_cast<uint32_t>(trap.exit_code);
    if (code < kMaxGuestExitCode)
      return static_cast<int>(code);
    run_fail("guest exited with code " + std::to_string(code) + ", outside [0, " +
             std::to_string(kMaxGuestExitCode) + ")");
    return 1;
  }
  run_fail(trap_report(trap, timeout_text));
  return kTrapExitStatus;
}

bool is_component_file(const std::string& path) {
  // Binary.md: the preamble is "\0asm", a version and a layer; layer 1 is a component.
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    return false;
  unsigned char head[8] = {};
  size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  return n == sizeof head && std::memcmp(head, "\0asm", 4) == 0 && head[6] == 1 && head[7] == 0;
}

namespace {

bool parse_arg(const std::string& s, ValType t, Val& out) {
  errno = 0;
  char* end = nullptr;
  switch (t) {
    case ValType::I32: {
      long long v = std::strtoll(s.c_str(), &end, 0);
      if (v < INT32_MIN || v > UINT32_MAX)
        return false;
      out = Val::from_i32(static_cast<int32_t>(static_cast<uint32_t>(v)));
      break;
    }
    case ValType::I64:
      out = s.starts_with('-')
                ? Val::from_i64(std::strtoll(s.c_str(), &end, 0))
                : Val::from_i64(static_cast<int64_t>(std::strtoull(s.c_str(), &end, 0)));
      break;
    case ValType::F32:
      out = Val::from_f32(std::strtof(s.c_str(), &end));
      break;
    case ValType::F64:
      out = Val::from_f64(std::strtod(s.c_str(), &end));
      break;
    default:
      return false;
  }
  return errno == 0 && end && *end == '\0' && !s.empty();
}

std::string format(const Val& v) {
  char buf[64];
  switch (v.type()) {
    case ValType::I32:
      std::snprintf(buf, sizeof buf, "%" PRId32, v.i32());
      break;
    case ValType::I64:
      std::snprintf(buf, sizeof buf, "%" PRId64, v.i64());
      break;
    case ValType::F32:
      std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v.f32()));
      break;
    case ValType::F64:
      std::snprintf(buf, sizeof buf, "%.17g", v.f64());
      break;
    default:
      return v.ref() ? "ref" : "null";
  }
  return buf;
}

int invoke(const Instance& instance, const RunFlags& f, RunWatchdog& watchdog) {
  auto func = instance.func(f.invoke);
  if (!func) {
    run_fail("unknown export: function \"" + escape_name(f.invoke) + "\"");
    return 1;
  }
  FuncType type = func->type();
  if (type.params.size() != f.args.size()) {
    run_fail("--invoke " + f.invoke + ": expected " + std::to_string(type.params.size()) +
         " arguments " + type.to_string() + ", got " + std::to_string(f.args.size()));
    return 1;
  }
  std::vector<Val> args(f.args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    if (!parse_arg(f.args[i], type.params[i], args[i])) {
      run_fail("--invoke " + f.invoke + ": argument " + std::to_string(i) + " (\"" + f.args[i] +
           "\") is not a valid " + to_string(type.params[i]));
      return 1;
    }
  }
  auto results = [&] {
    RunWatchdog::Call in_guest(watchdog);
    return func->call(args);
  }();
  if (!results)
    return trap_status(results.trap(), f.timeout);
  for (const Val& v : *results)
    std::printf("%s\n", format(v).c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

int run_module(const RunFlags& f) {
  if (auto net = guest_net_policy(f); !net) {  // checked for modules too: a typo is an error
    run_fail(net.error().message);
    return 1;
  }
  auto limits = parse_run_limits(f);
  if (!limits) {
    run_fail(limits.error().message);
    return 1;
  }
  if (is_component_file(f.file))
    return run_component(f);
  if (!f.link.empty()) {
    run_fail("--link links components; " + f.file + " is a core module");
    return 1;
  }
  Engine engine;
  auto module = Module::compile_file(engine, f.file);
  if (!module) {
    run_fail(f.file + ": " + module.error().to_string());
    return 1;
  }
  wasi::p1::Config config;
  config.args.push_back(f.file);
  if (f.invoke.empty())
    config.args.insert(config.args.end(), f.args.begin(), f.args.end());
  config.env = guest_env(f);
  config.preopens = guest_preopens(f);
  auto ctx = wasi::p1::Context::create(config);
  if (!ctx) {
    run_fail(ctx.error().message);
    return 1;
  }
  Linker linker;
  wasi::p1::add_to_linker(linker, *ctx);
  Store store(engine);
  apply_run_limits(*limits, store);
  RunWatchdog watchdog(engine, limits->timeout_ms, f.timeout);
  auto instance = [&] {
    RunWatchdog::Call in_guest(watchdog);
    return linker.instantiate(store, *module);
  }();
  if (!instance) {
    run_fail(f.file + ": " + instance.error().to_string());
    return 1;
  }
  auto init = instance->func("_initialize");
  // Each guest call is marked for the watchdog; the report comes after the mark ends.
  auto call = [&watchdog](const Func& fn) {
    RunWatchdog::Call in_guest(watchdog);
    return fn.call({});
  };
  if (init) {
    auto r = call(*init);
    if (!r)
      return trap_status(r.trap(), f.timeout);
  }
  if (!f.invoke.empty())
    return invoke(*instance, f, watchdog);
  auto start = instance->func("_start");
  if (!start && init)
    return 0;  // a reactor: _initialize was all there was to run
  if (!start) {
    run_fail(f.file + ": no _start or _initialize export (use --invoke NAME)");
    return 1;
  }
  auto r = call(*start);
  if (!r)
    return trap_status(r.trap(), f.timeout);
  return 0;
}

}  // namespace rill::cli
