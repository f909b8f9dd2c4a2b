// Private to src/api: the pimpl structs behind the public handles, the Access bridge that builds
// handles from engine pointers, and conversions between public (include/rill) and engine types.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "rill/engine/engine.h"
#include "rill/engine/runtime.h"
#include "rill/engine/store.h"
#include "rill/engine/trap.h"
#include "rill/engine/value.h"
#include "rill/rill.h"

namespace rill::detail {

struct EngineImpl {
  explicit EngineImpl(const Config& c);
  Config config;
  engine::Engine engine;
};

struct ModuleImpl {
  std::shared_ptr<EngineImpl> engine;
  std::shared_ptr<const engine::CompiledModule> compiled;
};

struct StoreImpl {
  explicit StoreImpl(std::shared_ptr<EngineImpl> e) : engine(std::move(e)), store(engine->engine) {}
  std::shared_ptr<EngineImpl> engine;  ///< declared first: outlives {store}
  engine::Store store;
  /// Host definitions (HostDef::id) already made concrete in this store.
  std::unordered_map<uint64_t, engine::Function*> host_funcs;
  /// Objects of higher layers that live as long as the store (e.g. component instances).
  std::vector<std::shared_ptr<void>> extensions;
};

/// Builds public handles and reaches their private members (a friend of each).
struct Access {
  static Func func(StoreImpl* s, engine::Function* f) { return Func(s, f); }
  static Memory memory(StoreImpl* s, engine::Memory* m) { return Memory(s, m); }
  static Table table(StoreImpl* s, engine::Table* t) { return Table(s, t); }
  static Global global(StoreImpl* s, engine::Global* g) { return Global(s, g); }
  static Caller caller(StoreImpl* s, engine::Caller* c) { return Caller(s, c); }
  static Instance instance(StoreImpl* s, engine::Instance* i) { return Instance(s, i); }

  static engine::Function* raw(const Func& f) { return f.fn_; }
  static StoreImpl* store_of(const Func& f) { return f.store_; }
  static StoreImpl* store_of(const Memory& m) { return m.store_; }
  static StoreImpl* store_of(const Table& t) { return t.store_; }
  static StoreImpl* store_of(const Global& g) { return g.store_; }
  static StoreImpl* store_of(const Instance& i) { return i.store_; }
  static engine::Instance* raw(const Instance& i) { return i.inst_; }
  static StoreImpl* impl(Store& s) { return s.impl_.get(); }
  static const std::shared_ptr<EngineImpl>& impl(const Engine& e) { return e.impl_; }
  /// Null for a default-constructed (empty) Module.
  static const ModuleImpl* impl(const Module& m) { return m.impl_.get(); }
  static Module module(std::shared_ptr<const ModuleImpl> impl) {
    Module m;
    m.impl_ = std::move(impl);
    return m;
  }

  /// The engine extern behind {e}; {store} receives the store it belongs to.
  static engine::Extern to_engine(const Extern& e, StoreImpl*& store);
  /// The public handle for an engine extern of {store}.
  static Extern from_engine(StoreImpl* store, const engine::Extern& e);
};

wasm::ValType to_wasm(ValType t);
ValType from_wasm(wasm::ValType t);
wasm::FuncType to_wasm(const FuncType& t);
FuncType from_wasm(const wasm::FuncType& t);
TableType from_wasm(const wasm::TableType& t);
MemoryType from_wasm(const wasm::MemoryType& t);
GlobalType from_wasm(const wasm::GlobalType& t);
ExternKind from_wasm(wasm::ExternKind k);
engine::Value to_engine(const Val& v);
Val from_engine(const engine::Value& v);
Trap from_engine(engine::Trap&& t);
engine::Trap to_engine(Trap&& t);

}  // namespace rill::detail
