// The public component API (include/rill/component.h) over the run-time in src/component/rt.
#include <cstdio>

#include "rill/api/api_internal.h"
#include "rill/component.h"
#include "rill/component/rt/task.h"
#include "rill/component/rt/linker.h"
#include "rill/component/rt/wave.h"

namespace rill {
namespace detail {

struct ComponentImpl {
  std::shared_ptr<EngineImpl> engine;
  std::shared_ptr<const component::rt::CompiledComponent> compiled;
};
struct ComponentFuncImpl {
  StoreImpl* store = nullptr;
  component::rt::FuncPtr fn;
};
struct ComponentInstanceImpl {
  StoreImpl* store = nullptr;
  std::shared_ptr<component::rt::InstanceRt> inst;
};
/// A ComponentLinker definition made of another instance's export.
struct LinkedExport {
  StoreImpl* store = nullptr;
  component::rt::Item item;
};
struct LinkerInstanceDef {
  struct HostFunc {
    std::string name;
    ComponentHostFunc fn;
    std::optional<FuncShape> shape;  ///< typed host functions: checked when linking
    ComponentAsyncHostFunc async_fn;  ///< set instead of {fn} for func_async
  };
  std::vector<HostFunc> funcs;
  std::vector<std::pair<std::string, std::shared_ptr<const void>>> resources;
};

}  // namespace detail

namespace crt = component::rt;

Result<Component> Component::compile(const Engine& engine, std::span<const uint8_t> bytes) {
  const auto& e = detail::Access::impl(engine);
  RILL_TRY(auto compiled, crt::compile_component(e->engine, bytes));
  Component c;
  c.impl_ = std::make_shared<detail::ComponentImpl>(detail::ComponentImpl{e, std::move(compiled)});
  return c;
}

Result<Component> Component::compile_file(const Engine& engine, const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Error{"cannot open " + path};
  std::vector<uint8_t> bytes;
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
    bytes.insert(bytes.end(), buf, buf + n);
    if (bytes.size() > (uint64_t{1} << 30)) return Error{"component file too large: " + path};
  }
  return compile(engine, bytes);
}

std::vector<std::string> Component::imports() const {
  std::vector<std::string> out;
  if (!impl_) return out;
  for (const auto& d : impl_->compiled->root->defs)
    if (const auto* i = std::get_if<component::Import>(&d.def)) out.push_back(i->name.name);
  return out;
}

std::vector<std::string> Component::exports() const {
  std::vector<std::string> out;
  if (!impl_) return out;
  for (const auto& d : impl_->compiled->root->defs)
    if (const auto* e = std::get_if<component::Export>(&d.def)) out.push_back(e->name.name);
  return out;
}

HostResource::HostResource(std::string name, std::function<void(uint32_t rep)> dtor) {
  auto rt = std::make_shared<crt::ResourceTypeRt>();
  rt->name = std::move(name);
  rt->host_dtor = std::move(dtor);
  type_ = std::move(rt);
}

ResourceRef HostResource::ref(uint32_t rep) const { return ResourceRef{type_, rep}; }

TrapOr<std::vector<Value>> ComponentFunc::call(std::span<const Value> args) const {
  if (!impl_) return Trap::host("empty component function");
  std::vector<Value> results;
  crt::MaybeTrap t = crt::call_from_host(impl_->fn, args, results);
  if (t) return detail::from_engine(std::move(*t));
  return results;
}

std::string ComponentFunc::type() const {
  return impl_ && impl_->fn->type ? crt::to_string(*impl_->fn->type) : std::string("func");
}

Result<std::vector<Value>> ComponentFunc::parse_args(std::string_view args) const {
  if (!impl_ || !impl_->fn->type) return Error{"the function's type is not known"};
  return crt::parse_wave_args(args, *impl_->fn->type);
}

std::optional<ComponentFunc> ComponentInstance::func(std::string_view name) const {
  if (!impl_) return std::nullopt;
  const crt::InstanceRt* inst = impl_->inst.get();
  std::string_view fname = name;
  if (const size_t hash = name.find('#'); hash != std::string_view::npos) {
    const crt::Item* i = inst->find(name.substr(0, hash));
    const auto* sub = i ? std::get_if<std::shared_ptr<crt::InstanceRt>>(i) : nullptr;
    if (!sub) return std::nullopt;
    inst = sub->get();
    fname = name.substr(hash + 1);
  }
  const crt::Item* item = inst->find(fname);
  const auto* f = item ? std::get_if<crt::FuncPtr>(item) : nullptr;
  if (!f) return std::nullopt;
  ComponentFunc out;
  out.impl_ = std::make_shared<detail::ComponentFuncImpl>(detail::ComponentFuncImpl{impl_->store, *f});
  return out;
}

Result<void> ComponentLinker::define(const std::string& name, const ComponentInstance& from,
                                     std::string_view export_name) {
  if (!from.impl_) return Error{"define " + name + ": empty component instance"};
  const crt::InstanceRt* inst = from.impl_->inst.get();
  std::string_view item_name = export_name;
  if (const size_t hash = export_name.find('#'); hash != std::string_view::npos) {
    const crt::Item* i = inst->find(export_name.substr(0, hash));
    const auto* sub = i ? std::get_if<std::shared_ptr<crt::InstanceRt>>(i) : nullptr;
    if (!sub) return Error{"define " + name + ": the instance exports no instance " + std::string(export_name.substr(0, hash))};
    inst = sub->get();
    item_name = export_name.substr(hash + 1);
  }
  const crt::Item* item = inst->find(item_name);
  if (!item || !(std::holds_alternative<crt::FuncPtr>(*item) || std::holds_alternative<std::shared_ptr<crt::InstanceRt>>(*item)))
    return Error{"define " + name + ": the instance exports no function or instance " + std::string(export_name)};
  linked_[name] = std::make_shared<const detail::LinkedExport>(detail::LinkedExport{from.impl_->store, *item});
  return {};
}

std::vector<std::string> ComponentInstance::exports() const {
  std::vector<std::string> out;
  if (impl_)
    for (const auto& [n, item] : impl_->inst->exports) out.push_back(n);
  return out;
}

TrapOr<void> ComponentInstance::resource_drop(const Value& own) const {
  if (own.kind() != ValueKind::Own || !own.resource().type) return Trap::host("resource_drop: not an own handle");
  const auto* rt = static_cast<const crt::ResourceTypeRt*>(own.resource().type.get());
  crt::MaybeTrap t = crt::run_destructor(nullptr, *rt, own.resource().rep);
  if (t) return detail::from_engine(std::move(*t));
  return {};
}

ComponentLinker::ComponentLinker() { root_.def_ = std::make_shared<detail::LinkerInstanceDef>(); }

ComponentLinker::Instance& ComponentLinker::root() { return root_; }

ComponentLinker::Instance& ComponentLinker::instance(const std::string& name) {
  Instance& i = instances_[name];
  if (!i.def_) i.def_ = std::make_shared<detail::LinkerInstanceDef>();
  return i;
}

ComponentLinker::Instance& ComponentLinker::Instance::func_new(std::string name, ComponentHostFunc f) {
  return define(std::move(name), std::move(f), std::nullopt);
}

ComponentLinker::Instance& ComponentLinker::Instance::define(std::string name, ComponentHostFunc f,
                                                             std::optional<FuncShape> shape) {
  std::erase_if(def_->funcs, [&name](const auto& e) { return e.name == name; });
  def_->funcs.push_back({std::move(name), std::move(f), std::move(shape), nullptr});
  return *this;
}

ComponentLinker::Instance& ComponentLinker::Instance::func_async(std::string name, ComponentAsyncHostFunc f) {
  std::erase_if(def_->funcs, [&name](const auto& e) { return e.name == name; });
  def_->funcs.push_back({std::move(name), nullptr, std::nullopt, std::move(f)});
  return *this;
}

namespace detail {
struct CompletionAccess {
  static ComponentCompletion make(std::shared_ptr<crt::HostCall> call) {
    ComponentCompletion c;
    c.call_ = std::move(call);
    return c;
  }
};
}  // namespace detail

namespace {
crt::HostCall& host_call(const std::shared_ptr<void>& p) { return *static_cast<crt::HostCall*>(p.get()); }
}  // namespace

void ComponentCompletion::resolve(std::vector<Value> results) {
  if (call_) host_call(call_).resolve(std::move(results));
}
void ComponentCompletion::fail(std::string message) {
  if (call_) host_call(call_).fail(crt::component_trap(crt::ComponentTrap::HostValueMismatch, message));
}
void ComponentCompletion::on_cancel(std::function<void()> f) {
  if (call_) host_call(call_).on_cancel = std::move(f);
}
void ComponentCompletion::cancelled() {
  if (call_) host_call(call_).cancelled();
}
bool ComponentCompletion::pending() const { return call_ && !host_call(call_).done; }

ComponentLinker::Instance& ComponentLinker::Instance::resource(std::string name, const HostResource& r) {
  def_->resources.emplace_back(std::move(name), r.type_);
  return *this;
}

namespace {

void add_items(const detail::LinkerInstanceDef& def,
               std::vector<std::pair<std::string, crt::Item>>& out) {
  for (const auto& [name, type] : def.resources) {
    crt::TypeRt t;
    t.kind = crt::TypeRt::Kind::Resource;
    t.resource = std::static_pointer_cast<const crt::ResourceTypeRt>(type);
    out.emplace_back(name, t);
  }
  for (const auto& [name, fn, shape, async_fn] : def.funcs) {
    auto h = std::make_shared<crt::HostFuncRt>();
    h->shape = shape;
    if (async_fn) {
      h->async_fn = [async_fn](std::span<const Value> args, std::shared_ptr<crt::HostCall> call) {
        async_fn(args, detail::CompletionAccess::make(std::move(call)));
      };
      out.emplace_back(name, crt::FuncPtr(std::move(h)));
      continue;
    }
    h->fn = [fn](std::span<const Value> args, std::vector<Value>& results) -> crt::MaybeTrap {
      std::optional<Trap> t = fn(args, results);
      if (!t) return std::nullopt;
      return detail::to_engine(std::move(*t));
    };
    out.emplace_back(name, crt::FuncPtr(std::move(h)));
  }
}

}  // namespace

Result<ComponentInstance> ComponentLinker::instantiate(Store& store, const Component& component) const {
  if (!component.impl_) return Error{"empty component"};
  detail::StoreImpl* s = detail::Access::impl(store);
  crt::ImportMap imports;
  std::vector<std::pair<std::string, crt::Item>> root_items;
  add_items(*root_.def_, root_items);
  for (auto& [name, item] : root_items) imports.define(name, std::move(item));
  for (const auto& [name, inst] : instances_) {
    auto ir = std::make_shared<crt::InstanceRt>();
    add_items(*inst.def_, ir->exports);
    imports.define(name, crt::Item{std::move(ir)});
  }
  for (const auto& [name, linked] : linked_) {
    if (linked->store != s) return Error{"import " + name + ": linked from an instance of another store"};
    imports.define(name, linked->item);
  }
  std::unique_ptr<crt::ComponentInstanceRt> root;
  crt::MaybeTrap trap;
  auto r = crt::instantiate(s->store, component.impl_->compiled, imports, root, trap);
  if (root) s->extensions.push_back(std::shared_ptr<crt::ComponentInstanceRt>(std::move(root)));
  if (trap) return Error{"component instantiation trapped: " + trap->message};
  if (!r) return std::move(r).error();
  ComponentInstance out;
  out.impl_ = std::make_shared<detail::ComponentInstanceImpl>(detail::ComponentInstanceImpl{s, std::move(*r)});
  return out;
}

}  // namespace rill
