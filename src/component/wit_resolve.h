// What the WIT printer (wit.cpp) needs to know about a component: every index space evaluated
// far enough to follow type references through aliases, instance and component types, `(eq i)`
// bounds, outer aliases and instantiations of nested components. Printing is wit.cpp's; this is
// not the validator (nothing is checked, an index that does not resolve becomes Unknown).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rill/base/result.h"
#include "rill/component/component.h"

namespace rill::component::detail {

struct WitEnv;
struct WitInstance;

/// One entry of a type index space, with the scope its inner indices resolve in.
struct WitType {
  enum class Kind : uint8_t { Unknown, Defined, Func, Resource, Instance, Component };
  Kind kind = Kind::Unknown;
  const DefValType* defined = nullptr;      ///< Defined
  const FuncType* func = nullptr;           ///< Func
  const InstanceType* instance = nullptr;   ///< Instance
  const ComponentType* component = nullptr; ///< Component
  const WitEnv* env = nullptr;              ///< where indices inside the type resolve
  uint32_t resource = 0;                    ///< Resource: its identity

  /// Two entries name the same type (what a name given to one also names).
  friend bool operator<(const WitType& a, const WitType& b);
};

/// A component function: its type and where that type's indices resolve.
struct WitFunc {
  const FuncType* type = nullptr;
  const WitEnv* env = nullptr;
};

/// A component (a nested definition) or a component type (imported), not yet instantiated.
struct WitComponentRef {
  const Component* component = nullptr;
  const ComponentType* type = nullptr;
  const WitEnv* env = nullptr;  ///< where it was defined (its outer aliases resolve there)
};

/// Whatever an import, export, alias or instantiation argument names.
struct WitItem {
  ExternKind kind = ExternKind::Value;  ///< Value and CoreModule items carry nothing
  WitType type;
  WitFunc func;
  std::shared_ptr<const WitInstance> instance;
  WitComponentRef component;
};

/// A named item list (the exports of an instance, the imports of the root component...).
using WitItems = std::vector<std::pair<std::string, WitItem>>;

/// An instance: its exports in declaration order.
struct WitInstance {
  WitItems exports;
  /// The export named {name}, or nullptr.
  const WitItem* find(std::string_view name) const;
};

/// The index spaces of one scope (component, component type or instance type).
struct WitEnv {
  const WitEnv* parent = nullptr;
  std::vector<WitType> types;
  std::vector<WitFunc> funcs;
  std::vector<std::shared_ptr<const WitInstance>> instances;
  std::vector<WitComponentRef> components;

  /// Entry {i} of the type index space, Unknown when out of range.
  WitType type(uint32_t i) const;
};

/// Evaluates the root component's definitions; the results stay valid as long as the resolver
/// and the component live.
class WitResolver {
 public:
  /// Evaluates {c}; fails only when it is too large to evaluate (see kMaxSteps).
  Result<void> run(const Component& c);

  /// The root component's imports and exports, in binary order.
  const WitItems& imports() const { return imports_; }
  const WitItems& exports() const { return exports_; }

 private:
  /// Each nested instantiation is evaluated again; this bounds the work a small binary can ask
  /// for (components nest instantiations of one another exponentially).
  static constexpr uint64_t kMaxSteps = 1'000'000;
  /// Nested evaluations (instantiations inside instantiations, types in types): an outer alias
  /// can let a component instantiate itself, and the native stack must stay bounded.
  static constexpr uint32_t kMaxNesting = 100;
  class Nesting;

  using Args = WitInstance;
  Result<void> eval_component(const Component& c, WitEnv& env, const Args* args,
                              WitInstance* out);
  Result<std::shared_ptr<const WitInstance>> eval_instance_type(const InstanceType& t,
                                                                const WitEnv* parent);
  Result<std::shared_ptr<const WitInstance>> eval_component_type(const ComponentType& t,
                                                                 const WitEnv* parent,
                                                                 const Args& args);
  Result<std::shared_ptr<const WitInstance>> eval_instance(const Instance& inst, WitEnv& env);
  Result<WitItem> item_from_extern(const ExternType& t, WitEnv& env);
  Result<void> eval_decl(const TypeDecl& d, WitEnv& env, const Args* args, WitInstance& out);
  WitType type_of(const Type& t, WitEnv& env);
  WitItem lookup(const SortIdx& s, const WitEnv& env) const;
  void eval_alias(const Alias& a, WitEnv& env) const;
  WitEnv& new_env(const WitEnv* parent);
  Result<void> step();

  std::deque<WitEnv> envs_;  ///< stable addresses: entries point at their env
  uint32_t next_resource_ = 0;
  uint64_t steps_ = 0;
  uint32_t depth_ = 0;
  WitItems imports_;
  WitItems exports_;
};

/// Adds {item} to the index space of its sort in {env} (Value and core items add nothing here).
void push_item(WitEnv& env, const WitItem& item);

}  // namespace rill::component::detail
