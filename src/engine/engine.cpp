// Engine: compile() (decode -> validate header -> validate+translate each body) and the canonical
// function-type registry. Instantiation lives in instantiate.cpp.
#include "rill/engine/engine.h"

#include "rill/engine/interp/compiled.h"
#include "rill/engine/interp/interp.h"
#include "rill/engine/interp/iops.h"

#include <algorithm>
#include <mutex>
#include "rill/wasm/decoder.h"
#include "rill/wasm/validator.h"

namespace rill::engine {

struct CompiledModule::Lazy {
  wasm::ModuleContext ctx;
  std::unique_ptr<std::once_flag[]> once;
  std::vector<std::unique_ptr<CompiledFunc>> code;
  std::vector<std::string> errors;
};

CompiledModule::~CompiledModule() = default;

const CompiledFunc* CompiledModule::translate(uint32_t i, std::string* error) const {
  if (!lazy) return funcs[i].get();
  Lazy& l = *lazy;
  std::call_once(l.once[i], [&] {
    auto fn = interp::compile_function(l.ctx, i, /*validated=*/true);
    if (fn)
      l.code[i] = std::move(*fn);
    else
      l.errors[i] = fn.error().to_string();
  });
  if (!l.code[i] && error != nullptr) *error = l.errors[i];
  return l.code[i].get();
}

Engine::Engine(Config config) : config_(config) {}
Engine::~Engine() = default;

Result<std::shared_ptr<const CompiledModule>> Engine::compile(std::span<const uint8_t> bytes) {
  RILL_TRY(std::shared_ptr<const wasm::Module> module, wasm::decode_module(bytes));
  return compile(std::move(module));
}

Result<std::shared_ptr<const CompiledModule>> Engine::compile(
    std::shared_ptr<const wasm::Module> module) {
  if (module == nullptr) return unexpected("no module");
  const wasm::Module& m = *module;
  wasm::ModuleContext ctx;
  ctx.module = &m;
  RILL_CHECK_OK(wasm::validate_module_header(m, ctx));
  ctx.module = &m;

  auto compiled = std::make_shared<CompiledModule>();
  const uint32_t num_defined = m.num_defined_funcs();
  compiled->funcs.reserve(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i) {
    RILL_TRY(std::unique_ptr<CompiledFunc> fn, interp::compile_function(ctx, i));
    compiled->funcs.push_back(std::move(fn));
  }
  compiled->type_ids.reserve(m.types.size());
  for (const wasm::FuncType& t : m.types) compiled->type_ids.push_back(intern_type(t));
  compiled->module = std::move(module);
  return std::shared_ptr<const CompiledModule>(std::move(compiled));
}

Result<std::shared_ptr<const CompiledModule>> Engine::compile_validated(
    std::shared_ptr<const wasm::Module> module) {
  if (module == nullptr) return unexpected("no module");
  const wasm::Module& m = *module;
  auto compiled = std::make_shared<CompiledModule>();
  compiled->lazy = std::make_unique<CompiledModule::Lazy>();
  CompiledModule::Lazy& lazy = *compiled->lazy;
  RILL_CHECK_OK(wasm::validate_module_header(m, lazy.ctx));
  lazy.ctx.module = &m;
  const uint32_t num_defined = m.num_defined_funcs();
  lazy.once = std::make_unique<std::once_flag[]>(num_defined);
  lazy.code.resize(num_defined);
  lazy.errors.resize(num_defined);
  compiled->funcs.reserve(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i) {
    const wasm::FuncType& t = m.types[m.funcs[m.num_imported_funcs + i]];
    auto stub = std::make_unique<CompiledFunc>();
    stub->code.push_back(Cell{interp::handler(interp::IOp::LazyCompile)});
    for (wasm::ValType p : t.params) stub->num_param_slots += p.slots();
    for (wasm::ValType r : t.results) stub->num_result_slots += r.slots();
    stub->num_local_slots = stub->num_param_slots;
    stub->frame_size = std::max(stub->num_param_slots, stub->num_result_slots);
    stub->func_index = m.num_imported_funcs + i;
    compiled->funcs.push_back(std::move(stub));
  }
  compiled->type_ids.reserve(m.types.size());
  for (const wasm::FuncType& t : m.types) compiled->type_ids.push_back(intern_type(t));
  compiled->module = std::move(module);
  return std::shared_ptr<const CompiledModule>(std::move(compiled));
}

uint32_t Engine::intern_type(const wasm::FuncType& type) {
  // Key: param count (4 bytes, so params and results cannot run into each other), then one
  // type byte per param and per result.
  std::string key;
  key.reserve(4 + type.params.size() + type.results.size());
  const auto n = static_cast<uint32_t>(type.params.size());
  for (int shift = 0; shift < 32; shift += 8) key.push_back(static_cast<char>((n >> shift) & 0xff));
  for (wasm::ValType t : type.params) key.push_back(static_cast<char>(t.kind()));
  for (wasm::ValType t : type.results) key.push_back(static_cast<char>(t.kind()));

  std::lock_guard<std::mutex> lock(types_mutex_);
  const auto next_id = static_cast<uint32_t>(type_ids_.size());
  return type_ids_.try_emplace(std::move(key), next_id).first->second;
}

}  // namespace rill::engine
