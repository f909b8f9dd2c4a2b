// The spec interpreter's "spectest" module: print functions (no-ops unless verbose), immutable
// globals of value 666 / 666.6, a funcref table (10..20) and a memory (1..2 pages).
#include "rill/cli/spectest_host.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "rill/cli/wast_values.h"

namespace rill::cli {
namespace {

using wasm::ValType;

struct PrintFunc {
  std::string_view name;
  std::vector<ValType> params;
};

engine::HostFunc make_print(std::string_view name, bool verbose) {
  return [name, verbose](engine::Caller&, std::span<const engine::Value> args,
                         std::span<engine::Value>) -> std::optional<engine::Trap> {
    if (!verbose) return std::nullopt;
    std::string line = "spectest." + std::string(name) + "(";
    for (size_t i = 0; i < args.size(); ++i) {
      if (i) line += ", ";
      line += format_value(args[i].type, args[i]);
    }
    std::printf("%s)\n", line.c_str());
    return std::nullopt;
  };
}

}  // namespace

Result<void> SpectestHost::create() {
  const PrintFunc prints[] = {
      {"print", {}},
      {"print_i32", {wasm::kI32}},
      {"print_i64", {wasm::kI64}},
      {"print_f32", {wasm::kF32}},
      {"print_f64", {wasm::kF64}},
      {"print_i32_f32", {wasm::kI32, wasm::kF32}},
      {"print_f64_f64", {wasm::kF64, wasm::kF64}},
  };
  for (const PrintFunc& p : prints) {
    wasm::FuncType type{p.params, {}};
    exports_.emplace_back(p.name, store_.create_host_function(std::move(type), make_print(p.name, verbose_)));
  }

  float f32 = 666.6f;
  double f64 = 666.6;
  uint32_t f32_bits;
  uint64_t f64_bits;
  std::memcpy(&f32_bits, &f32, 4);
  std::memcpy(&f64_bits, &f64, 8);
  exports_.emplace_back("global_i32", store_.create_global({wasm::kI32, false}, engine::Value::from_i32(666)));
  exports_.emplace_back("global_i64", store_.create_global({wasm::kI64, false}, engine::Value::from_i64(666)));
  exports_.emplace_back("global_f32",
                        store_.create_global({wasm::kF32, false}, engine::Value::from_f32_bits(f32_bits)));
  exports_.emplace_back("global_f64",
                        store_.create_global({wasm::kF64, false}, engine::Value::from_f64_bits(f64_bits)));

  wasm::TableType table{wasm::kFuncRef, wasm::Limits{10, 20, false, false}};
  auto created = store_.create_table(table, nullptr);
  if (!created) return Error{"spectest table: " + created.error().message};
  exports_.emplace_back("table", *created);

  auto memory = store_.create_memory(wasm::MemoryType{wasm::Limits{1, 2, false, false}});
  if (!memory) return Error{"spectest memory: " + memory.error().message};
  exports_.emplace_back("memory", *memory);
  return {};
}

Result<std::optional<engine::Extern>> SpectestHost::lookup(std::string_view field) {
  if (!created_) {
    created_ = true;  // one attempt per script
    if (auto made = create(); !made) create_error_ = made.error();
  }
  if (create_error_) return *create_error_;
  for (const auto& [name, ext] : exports_) {
    if (name == field) return std::optional<engine::Extern>(ext);
  }
  return std::optional<engine::Extern>();
}

}  // namespace rill::cli
