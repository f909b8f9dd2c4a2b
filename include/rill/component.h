// Rill's public API for components: compile a component, define host functions and resources
// for its imports, instantiate it in a Store and call its exports with component-model Values
// (rill/component_val.h) or with plain C++ types (typed calls, see ComponentFunc::call_typed
// and ComponentLinker::Instance::func). Nothing here throws; errors are Result / TrapOr values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rill/component_typed.h"
#include "rill/component_val.h"
#include "rill/rill.h"

namespace rill {

namespace detail {
struct ComponentImpl;
struct ComponentFuncImpl;
struct ComponentInstanceImpl;
struct LinkerInstanceDef;
struct LinkedExport;
}  // namespace detail

/// A compiled component: decoded, validated, its core modules translated. Immutable and
/// shareable across stores of its engine.
class Component {
 public:
  static Result<Component> compile(const Engine& engine, std::span<const uint8_t> bytes);
  static Result<Component> compile_file(const Engine& engine, const std::string& path);

  /// The names of the component's imports and exports, in declaration order.
  std::vector<std::string> imports() const;
  std::vector<std::string> exports() const;

 private:
  friend class ComponentLinker;
  std::shared_ptr<const detail::ComponentImpl> impl_;
};

/// A host function body: reads {args} (already checked against the import's type), appends the
/// result (if the function has one) to {results}. Return a Trap to abort the calling component.
using ComponentHostFunc =
    std::function<std::optional<Trap>(std::span<const Value> args, std::vector<Value>& results)>;

/// Ends one call of an asynchronous host function (ComponentLinker::Instance::func_async),
/// once: resolve() with its result (none or one value, as the function's type says), fail()
/// with a trap, or, after the caller asked to cancel (on_cancel), cancelled(). It may be kept
/// and ended later, e.g. from a handler on the thread's io_context (rill/engine/reactor.h's
/// thread_io_context()), which the store runs while its guests have nothing else to do. Calls
/// after the first end do nothing.
namespace detail {
struct CompletionAccess;
}  // namespace detail
class ComponentCompletion {
 public:
  void resolve(std::vector<Value> results);
  void fail(std::string message);
  /// {f} runs when the caller cancels the call (subtask.cancel) before it ended.
  void on_cancel(std::function<void()> f);
  /// Ends a call whose caller asked to cancel it, without a result.
  void cancelled();
  /// Whether the call has not ended yet.
  bool pending() const;

 private:
  friend struct detail::CompletionAccess;
  std::shared_ptr<void> call_;
};

/// An asynchronous host function body: reads {args}; ends the call through {done}, now or later.
using ComponentAsyncHostFunc = std::function<void(std::span<const Value> args, ComponentCompletion done)>;

/// A resource type defined by the host. Values of it cross into components as own/borrow
/// handles; {dtor} runs when a component drops an owned handle.
class HostResource {
 public:
  explicit HostResource(std::string name, std::function<void(uint32_t rep)> dtor = {});
  /// A handle to representation {rep} of this resource, for Value::own / Value::borrow.
  ResourceRef ref(uint32_t rep) const;

 private:
  friend class ComponentLinker;
  std::shared_ptr<const void> type_;
};

/// An exported component function, bound to the store of its instance.
class ComponentFunc {
 public:
  /// Calls with dynamically typed {args}; a type mismatch traps (HostError).
  TrapOr<std::vector<Value>> call(std::span<const Value> args) const;
  TrapOr<std::vector<Value>> call(std::initializer_list<Value> args) const {
    return call(std::span<const Value>(args.begin(), args.size()));
  }
  /// Calls with C++ arguments and converts the result: call_typed<std::string>("x").
  /// R = void for a function without a result.
  template <class R, class... A>
  TrapOr<R> call_typed(const A&... args) const {
    std::vector<Value> in{ToValue<A>::make(args)...};
    auto out = call(std::span<const Value>(in));
    if (!out) return std::move(out).trap();
    if constexpr (std::is_void_v<R>) {
      if (!out->empty()) return Trap::host("typed call: expected no result");
      return TrapOr<void>();
    } else {
      if (out->size() != 1) return Trap::host("typed call: expected one result");
      auto r = FromValue<R>::get((*out)[0]);
      if (!r) return Trap::host("typed call: " + r.error().message);
      return std::move(*r);
    }
  }
  /// "func(s: string) -> string".
  std::string type() const;
  /// The arguments WAVE text {args} spells for this function's parameters, e.g. `1, "a", [2]`
  /// for (u8, string, list<u32>); an Error names the byte offset where it went wrong.
  Result<std::vector<Value>> parse_args(std::string_view args) const;

 private:
  friend class ComponentInstance;
  std::shared_ptr<const detail::ComponentFuncImpl> impl_;
};

/// An instantiated component. A handle into its Store.
class ComponentInstance {
 public:
  /// The exported function {name}; "iface#func" reaches a function of an exported instance,
  /// e.g. "wasi:cli/run@0.2.0#run".
  std::optional<ComponentFunc> func(std::string_view name) const;
  /// Export names of the instance (top level).
  std::vector<std::string> exports() const;
  /// Drops an owned resource handle the host received (Value of kind Own): runs the
  /// resource's destructor, as `resource.drop` would.
  TrapOr<void> resource_drop(const Value& own) const;

 private:
  friend class ComponentLinker;
  std::shared_ptr<const detail::ComponentInstanceImpl> impl_;
};

/// Resolves a component's imports by name. Names with versions match semver-compatibly: an
/// import of "wasi:cli/environment@0.2.0" is satisfied by a definition at "@0.2.6".
class ComponentLinker {
 public:
  /// The functions and resources of one imported instance (or of the root: plain imports).
  class Instance {
   public:
    /// A host function whose component type is the import's declared type.
    Instance& func_new(std::string name, ComponentHostFunc f);
    /// An asynchronous host function (its type, the import's, is usually `async`): the caller
    /// waits for the completion (a caller using the async ABI gets a subtask), other guest
    /// threads run meanwhile.
    Instance& func_async(std::string name, ComponentAsyncHostFunc f);
    /// A host function from a C++ callable; parameters and result convert with FromValue /
    /// ToValue (bool, integers, float, double, char32_t, std::string, std::vector, std::optional,
    /// std::tuple, ComponentResult, records declared with RILL_COMPONENT_RECORD).
    /// Its parameter and result types are checked against the import's when linking.
    template <class F>
    Instance& func(std::string name, F&& f) {
      FuncShape shape = detail::host_shape<F>();
      return define(std::move(name), detail::make_component_host(std::forward<F>(f)), std::move(shape));
    }
    /// A host resource type exported by this instance under {name}.
    Instance& resource(std::string name, const HostResource& r);

   private:
    friend class ComponentLinker;
    Instance& define(std::string name, ComponentHostFunc f, std::optional<FuncShape> shape);
    std::shared_ptr<detail::LinkerInstanceDef> def_;
  };

  ComponentLinker();
  /// Plain (unqualified) imports of the component.
  Instance& root();
  /// The instance import {name}, e.g. "wasi:cli/stdout@0.2.6" (created on first use).
  Instance& instance(const std::string& name);

  /// The import {name} is {from}'s export {export_name}: a function ("greet", or "iface#f" inside
  /// an exported instance) or a whole exported instance ("wasi:cli/run@0.2.0"). Calls go from one
  /// component to the other through the canonical ABI, the host not in between; each side keeps
  /// its own imports (e.g. its own WASI context). {from} must live in the Store the importer is
  /// instantiated in. An Error when {from} has no such export.
  Result<void> define(const std::string& name, const ComponentInstance& from, std::string_view export_name);

  /// Instantiate {component} in {store}. A missing import is an Error "unknown import: ..." and
  /// a mismatch names the import and both types.
  Result<ComponentInstance> instantiate(Store& store, const Component& component) const;

 private:
  Instance root_;
  std::map<std::string, Instance> instances_;
  std::map<std::string, std::shared_ptr<const detail::LinkedExport>> linked_;
};

}  // namespace rill
