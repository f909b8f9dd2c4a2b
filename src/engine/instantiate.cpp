// Store::instantiate (spec 2.0 "instantiation"): match imports, allocate functions, tables,
// memories and globals, evaluate element segments, run active element then data segments in
// order, then the start function. Import matching itself is link.cpp.
#include <algorithm>
#include <cstring>
#include <string>

#include "rill/engine/const_eval.h"
#include "rill/engine/link.h"
#include "rill/engine/store.h"

namespace rill::engine {

/// Builds one instance inside a Store; a friend of Store so it can own what it allocates.
class Instantiator {
 public:
  Instantiator(Store& store, std::shared_ptr<const CompiledModule> cm)
      : store_(store), cm_(std::move(cm)), m_(*cm_->module) {}

  InstantiateResult run(std::span<const Extern> imports);

 private:
  void add_imports(std::span<const Extern> imports);
  void alloc_funcs();
  /// Whether the defined tables' and memories' minimums fit in the store's limits.
  Result<void> check_limits() const;
  Result<void> alloc_tables();
  Result<void> alloc_memories();
  Result<void> alloc_globals();
  Result<void> eval_passive_elems();
  /// Active element segments, then active data segments; stops at the first trap.
  Result<std::optional<Trap>> init_active_segments();
  Result<std::optional<Trap>> init_elem(const wasm::ElemSegment& seg);
  Result<std::optional<Trap>> init_data(const wasm::DataSegment& seg);
  Result<Ref> eval_ref(const wasm::ConstExpr& expr) const;
  Result<uint32_t> eval_offset(const wasm::ConstExpr& expr) const;

  Store& store_;
  std::shared_ptr<const CompiledModule> cm_;
  const wasm::Module& m_;
  Instance* inst_ = nullptr;
};

InstantiateResult Instantiator::run(std::span<const Extern> imports) {
  InstantiateResult result;
  if (auto linked = match_imports(*cm_, imports); !linked) {
    result.link_error = std::move(linked).error();
    return result;
  }
  auto owned = std::make_unique<Instance>();
  inst_ = owned.get();
  store_.instances_.push_back(std::move(owned));
  inst_->compiled = cm_;
  inst_->module = &m_;
  inst_->type_ids = cm_->type_ids.data();

  add_imports(imports);
  alloc_funcs();
  Result<void> allocated = check_limits();
  if (allocated) allocated = alloc_tables();
  if (allocated) allocated = alloc_memories();
  if (allocated) allocated = alloc_globals();
  if (allocated) allocated = eval_passive_elems();
  if (!allocated) {
    result.link_error = std::move(allocated).error();
    return result;
  }
  inst_->mem0 = inst_->memories.empty() ? nullptr : inst_->memories[0];
  result.instance = inst_;

  auto trap = init_active_segments();
  if (!trap) {
    result.instance = nullptr;
    result.link_error = std::move(trap).error();
    return result;
  }
  if (*trap) {
    result.trap = std::move(**trap);
    return result;
  }
  if (m_.start) {
    std::vector<Value> results;
    if (*m_.start >= inst_->funcs.size()) {
      result.instance = nullptr;
      result.link_error = Error{"unknown function " + std::to_string(*m_.start)};
      return result;
    }
    result.trap = store_.call(inst_->funcs[*m_.start], {}, results);
  }
  return result;
}

void Instantiator::add_imports(std::span<const Extern> imports) {
  inst_->funcs.reserve(m_.funcs.size());
  inst_->tables.reserve(m_.tables.size());
  inst_->memories.reserve(m_.memories.size());
  inst_->globals.reserve(m_.globals.size());
  // match_imports checked every kind, so the alternative held is the one the import names.
  for (const Extern& ext : imports) {
    if (auto* const* fn = std::get_if<Function*>(&ext))
      inst_->funcs.push_back(*fn);
    else if (auto* const* table = std::get_if<Table*>(&ext))
      inst_->tables.push_back(*table);
    else if (auto* const* memory = std::get_if<Memory*>(&ext))
      inst_->memories.push_back(*memory);
    else if (auto* const* global = std::get_if<Global*>(&ext))
      inst_->globals.push_back(*global);
  }
}

void Instantiator::alloc_funcs() {
  const uint32_t num_imported = static_cast<uint32_t>(inst_->funcs.size());
  for (uint32_t i = 0; i < cm_->funcs.size(); ++i) {
    const uint32_t index = num_imported + i;
    const uint32_t type_index = m_.funcs[index];
    auto fn = std::make_unique<Function>();
    fn->type = &m_.types[type_index];
    fn->type_id = cm_->type_ids[type_index];
    fn->instance = inst_;
    fn->func_index = index;
    fn->code = cm_->funcs[i].get();
    inst_->funcs.push_back(fn.get());
    store_.funcs_.push_back(std::move(fn));
  }
}

Result<void> Instantiator::check_limits() const {
  uint64_t elems = 0;
  uint64_t bytes = 0;
  // Sizes past the per-table and per-memory caps are refused by alloc_* with their own errors.
  for (size_t i = m_.num_imported_tables; i < m_.tables.size(); ++i)
    elems += std::min<uint64_t>(m_.tables[i].limits.min, wasm::kMaxTableSize);
  for (size_t i = m_.num_imported_memories; i < m_.memories.size(); ++i)
    bytes += std::min<uint64_t>(m_.memories[i].limits.min, wasm::kMaxPages32) * wasm::kPageSize;
  if (auto why = store_.account_.check(elems, bytes)) return unexpected("instantiation: " + *why);
  return {};
}

Result<void> Instantiator::alloc_tables() {
  for (size_t i = m_.num_imported_tables; i < m_.tables.size(); ++i) {
    const wasm::TableType& type = m_.tables[i];
    // Tables are eagerly allocated vectors; refuse sizes past the runtime cap instead of
    // allocating gigabytes for a guest-chosen minimum.
    if (type.limits.min > wasm::kMaxTableSize) {
      return unexpected("table size exceeds the runtime limit of " +
                        std::to_string(wasm::kMaxTableSize) + " elements");
    }
    store_.account_.charge_table(type.limits.min);  // check_limits made room
    auto table = std::make_unique<Table>(type, nullptr, &store_.account_);
    inst_->tables.push_back(table.get());
    store_.tables_.push_back(std::move(table));
  }
  return {};
}

Result<void> Instantiator::alloc_memories() {
  for (size_t i = m_.num_imported_memories; i < m_.memories.size(); ++i) {
    RILL_TRY(std::unique_ptr<Memory> memory, Memory::create(m_.memories[i]));
    store_.account_.charge_memory(memory->size_bytes());  // check_limits made room
    memory->set_account(&store_.account_);
    inst_->memories.push_back(memory.get());
    store_.memories_.push_back(std::move(memory));
  }
  return {};
}

Result<void> Instantiator::alloc_globals() {
  const size_t num_defined = m_.globals.size() - m_.num_imported_globals;
  if (m_.global_inits.size() != num_defined)
    return unexpected("global initialisers do not match globals");
  for (size_t i = 0; i < num_defined; ++i) {
    const wasm::GlobalType& type = m_.globals[m_.num_imported_globals + i];
    RILL_TRY(Value init, eval_const(m_.global_inits[i], *inst_));
    auto global = std::make_unique<Global>();
    global->type = type;
    store_value(global->value, init);
    inst_->globals.push_back(global.get());
    store_.globals_.push_back(std::move(global));
  }
  return {};
}

Result<Ref> Instantiator::eval_ref(const wasm::ConstExpr& expr) const {
  // Fast path for the index form of element segments: a single ref.func.
  if (expr.code.size() == 1 && expr.code[0].op == wasm::Op::RefFunc &&
      expr.code[0].index < inst_->funcs.size()) {
    return static_cast<Ref>(inst_->funcs[expr.code[0].index]);
  }
  RILL_TRY(Value v, eval_const(expr, *inst_));
  if (!v.type.is_ref()) return unexpected("type mismatch", expr.offset);
  return v.ref;
}

Result<uint32_t> Instantiator::eval_offset(const wasm::ConstExpr& expr) const {
  RILL_TRY(Value v, eval_const(expr, *inst_));
  if (v.type != wasm::kI32) return unexpected("type mismatch", expr.offset);
  return v.i32;
}

Result<void> Instantiator::eval_passive_elems() {
  // Active segments are written straight into their table by init_elem and declarative ones are
  // dropped at instantiation, so only passive segments keep their values (spec: elem.drop after
  // active init leaves them empty).
  inst_->elems.resize(m_.elems.size());
  for (size_t i = 0; i < m_.elems.size(); ++i) {
    const wasm::ElemSegment& seg = m_.elems[i];
    if (seg.mode != wasm::SegmentMode::Passive) continue;
    std::vector<Ref>& refs = inst_->elems[i];
    refs.reserve(seg.items.size());
    for (const wasm::ConstExpr& item : seg.items) {
      RILL_TRY(Ref r, eval_ref(item));
      refs.push_back(r);
    }
  }
  // Active data segments count as dropped from the start (spec: data.drop after memory.init).
  inst_->data_dropped.assign(m_.datas.size(), 0);
  for (size_t i = 0; i < m_.datas.size(); ++i) {
    if (m_.datas[i].mode == wasm::SegmentMode::Active) inst_->data_dropped[i] = 1;
  }
  return {};
}

Result<std::optional<Trap>> Instantiator::init_active_segments() {
  for (const wasm::ElemSegment& seg : m_.elems) {
    if (seg.mode != wasm::SegmentMode::Active) continue;
    RILL_TRY(std::optional<Trap> trap, init_elem(seg));
    if (trap) return trap;
  }
  for (const wasm::DataSegment& seg : m_.datas) {
    if (seg.mode != wasm::SegmentMode::Active) continue;
    RILL_TRY(std::optional<Trap> trap, init_data(seg));
    if (trap) return trap;
  }
  return std::optional<Trap>();
}

Result<std::optional<Trap>> Instantiator::init_elem(const wasm::ElemSegment& seg) {
  if (seg.table >= inst_->tables.size())
    return unexpected("unknown table " + std::to_string(seg.table), seg.decl_offset);
  Table* table = inst_->tables[seg.table];
  RILL_TRY(uint32_t offset, eval_offset(seg.offset));
  // table.init semantics: check the whole range first (even for zero items), then copy.
  if (uint64_t{offset} + seg.items.size() > table->size())
    return std::optional<Trap>(Trap::make(TrapKind::TableOutOfBounds));
  Ref* dst = table->data() + offset;
  for (const wasm::ConstExpr& item : seg.items) {
    RILL_TRY(Ref r, eval_ref(item));
    *dst++ = r;
  }
  return std::optional<Trap>();
}

Result<std::optional<Trap>> Instantiator::init_data(const wasm::DataSegment& seg) {
  if (seg.memory >= inst_->memories.size())
    return unexpected("unknown memory " + std::to_string(seg.memory));
  if (seg.data_offset > m_.bytes.size() || seg.size > m_.bytes.size() - seg.data_offset) {
    return unexpected("data segment out of range of the module bytes", seg.data_offset);
  }
  Memory* memory = inst_->memories[seg.memory];
  RILL_TRY(uint32_t offset, eval_offset(seg.offset));
  if (uint64_t{offset} + seg.size > memory->size_bytes())
    return std::optional<Trap>(Trap::make(TrapKind::MemoryOutOfBounds));
  if (seg.size != 0)
    std::memcpy(memory->base() + offset, m_.bytes.data() + seg.data_offset, seg.size);
  return std::optional<Trap>();
}

InstantiateResult Store::instantiate(std::shared_ptr<const CompiledModule> module,
                                     std::span<const Extern> imports) {
  if (module == nullptr || module->module == nullptr) {
    InstantiateResult result;
    result.link_error = Error{"no module"};
    return result;
  }
  return Instantiator(*this, std::move(module)).run(imports);
}

}  // namespace rill::engine
