// rill: command-line entry point. Parses flags (CLI11) and dispatches to subcommands;
// `rill wast` is implemented in wast_runner, `rill run` in run_cmd, `rill inspect` in
// inspect_cmd.
#include <cstdio>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "rill/cli/expected_failures.h"
#include "rill/cli/inspect_cmd.h"
#include "rill/cli/run_cmd.h"
#include "rill/cli/serve_cmd.h"
#include "rill/cli/wast_runner.h"

namespace {

struct WastFlags {
  std::vector<std::string> files;
  std::string expected_failures;
  bool verbose = false;
  bool trace = false;
  bool wasmtime_host = false;
  bool isolate = false;
  uint32_t max_failures = 20;
  double timeout_s = 10;
  uint32_t file_timeout_s = 600;
};

void add_wast(CLI::App& app, WastFlags& f) {
  CLI::App* wast = app.add_subcommand("wast", "Run converted spec test scripts (.json + .wasm)");
  wast->add_option("files", f.files, "Script files (NAME.json)")->required();
  wast->add_flag("-v,--verbose", f.verbose, "Print every failure, skip and note");
  wast->add_flag("--trace", f.trace, "Print each command before running it");
  wast->add_flag("--wasmtime-host", f.wasmtime_host,
                 "Components import the host items of Wasmtime's component wast harness");
  wast->add_option("--expected-failures", f.expected_failures,
                   "List of known failures, lines \"script.json:LINE reason\"");
  wast->add_flag("--isolate", f.isolate, "Run each file in its own process (contains crashes and hangs)");
  wast->add_option("--max-failures", f.max_failures, "Failures printed per file")->capture_default_str();
  wast->add_option("--timeout", f.timeout_s, "Seconds a command may run before it is interrupted")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 86400.0));
  wast->add_option("--file-timeout", f.file_timeout_s, "Seconds per file with --isolate")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
}

int run_wast(const WastFlags& f) {
  std::optional<rill::cli::ExpectedFailures> xfail;
  if (!f.expected_failures.empty()) {
    auto loaded = rill::cli::ExpectedFailures::load(f.expected_failures);
    if (!loaded) {
      std::fprintf(stderr, "rill wast: %s\n", loaded.error().message.c_str());
      return 2;
    }
    xfail = std::move(*loaded);
  }
  rill::cli::RunOptions options;
  options.verbose = f.verbose;
  options.trace = f.trace;
  options.wasmtime_host = f.wasmtime_host;
  options.isolate = f.isolate;
  options.max_failures_shown = f.max_failures;
  options.deadline_ticks = static_cast<uint64_t>(f.timeout_s * 1000.0 / rill::cli::kEpochTickMs) + 1;
  options.file_timeout_s = f.file_timeout_s;
  options.expected_failures = xfail ? &*xfail : nullptr;
  return rill::cli::run_wast(f.files, options, stdout);
}

void add_run(CLI::App& app, rill::cli::RunFlags& f) {
  CLI::App* run = app.add_subcommand("run", "Run a WASI preview1 program or WASI 0.2 command component: rill run [FLAGS] FILE.wasm [ARGS...]");
  run->add_option("--env", f.env, "Set KEY=VALUE in the guest environment (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  run->add_flag("--inherit-env", f.inherit_env, "Give the guest this process's environment");
  run->add_option("--dir", f.dirs, "Preopen HOST directory as GUEST (default: the host path)")
      ->type_name("HOST[::GUEST]")
      ->allow_extra_args(false);
  run->add_flag("--allow-net", f.allow_net,
                "wasi:sockets: allow every address and name lookups (default: no network)");
  run->add_option("--allow-ip", f.allow_ips,
                  "wasi:sockets: allow binding, connecting and sending to addresses in CIDR, e.g. "
                  "127.0.0.1/32 or ::1/128 (repeatable)")
      ->type_name("CIDR")
      ->allow_extra_args(false);
  run->add_flag("--allow-dns", f.allow_dns,
                "wasi:sockets: allow ip-name-lookup (implied by --allow-net)");
  run->add_option("--invoke", f.invoke,
                  "Call an export and print its results instead of running the program: for a "
                  "core module NAME with ARGS as its parameters; for a component 'NAME(ARGS)' "
                  "with WAVE values, e.g. 'greet(\"x\", [1, 2])'")
      ->type_name("NAME|'NAME(ARGS)'");
  run->add_option("--timeout", f.timeout,
                  "End the guest with a trap (\"interrupted\") after DURATION, e.g. 500ms, 2s, "
                  "1m, 1h; also when it is blocked in a host wait")
      ->type_name("DURATION");
  run->add_option("--max-memory", f.max_memory,
                  "Limit all linear memories and tables together (8 bytes a table element) to "
                  "BYTES, e.g. 64M (MiB), 1G (GiB), 500MB (10^6); memory.grow past it fails")
      ->type_name("BYTES");
  run->add_option("--link", f.link,
                  "Instantiate this component first (with a WASI context of its own) and let its exports "
                  "satisfy the imports of the components after it (repeatable)");
  run->add_option("file", f.file, "The .wasm module")->required();
  // Everything after FILE belongs to the guest, flags included.
  run->prefix_command();
}

void add_inspect(CLI::App& app, std::string& file) {
  CLI::App* inspect = app.add_subcommand(
      "inspect", "Print what a binary imports and exports: WIT for a component, a list for a module");
  inspect->add_option("file", file, "The .wasm component or core module")->required();
}

}  // namespace

static int main_checked(int argc, char** argv) {
  CLI::App app{"rill: a WebAssembly runtime"};
  app.set_version_flag("--version", "rill 0.1.0");
  app.require_subcommand(1);
  WastFlags wast;
  add_wast(app, wast);
  rill::cli::RunFlags run;
  add_run(app, run);
  std::string inspect_file;
  add_inspect(app, inspect_file);
  rill::cli::ServeFlags serve;
  add_serve(app, serve);
  CLI11_PARSE(app, argc, argv);  // catches CLI11's exceptions and prints usage
  if (app.got_subcommand("wast")) return run_wast(wast);
  if (app.got_subcommand("serve")) return rill::cli::run_serve(serve);
  if (app.got_subcommand("inspect")) return rill::cli::inspect_file(inspect_file, stdout, stderr);
  if (CLI::App* sub = app.get_subcommand("run"); sub->parsed()) {
    run.args = sub->remaining();
    run.leave_to_exit = true;  // main returns right after
    return rill::cli::run_module(run);
  }
  return 2;
}

// Allocation failure on a guest's behalf is a trap inside the engine (host functions) or an
// Error (decoding, instantiation); anything that still escapes ends with a message and status
// 1, never std::terminate's abort (which would read as a trap, 134).
int main(int argc, char** argv) {
  try {
    return main_checked(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("rill: out of memory\n", stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rill: %s\n", e.what());
  }
  return 1;
}
