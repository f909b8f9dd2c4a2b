// Compile-time mapping between C++ signatures and wasm function types: TypedFunc<R(Args...)> for
// calling exports and Func::wrap / Linker::func for host functions written as plain callables.
// C++ -> wasm: int32_t/uint32_t -> i32, int64_t/uint64_t -> i64, float -> f32, double -> f64,
// rill::V128 -> v128; void or std::tuple<...> results; a first parameter `rill::Caller&` is
// optional; returning TrapOr<R> lets a host function trap.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "rill/extern.h"
#include "rill/val.h"

namespace rill {
namespace detail {

/// Per-type slot encoding. A slot is 8 bytes; i32/f32 use the low 4, v128 takes two slots.
template <class T>
struct WasmType;

template <>
struct WasmType<int32_t> {
  static constexpr ValType kType = ValType::I32;
  static constexpr size_t kSlots = 1;
  static void store(uint64_t* s, int32_t v) { *s = static_cast<uint32_t>(v); }
  static int32_t load(const uint64_t* s) { return static_cast<int32_t>(static_cast<uint32_t>(*s)); }
};
template <>
struct WasmType<uint32_t> {
  static constexpr ValType kType = ValType::I32;
  static constexpr size_t kSlots = 1;
  static void store(uint64_t* s, uint32_t v) { *s = v; }
  static uint32_t load(const uint64_t* s) { return static_cast<uint32_t>(*s); }
};
template <>
struct WasmType<int64_t> {
  static constexpr ValType kType = ValType::I64;
  static constexpr size_t kSlots = 1;
  static void store(uint64_t* s, int64_t v) { *s = static_cast<uint64_t>(v); }
  static int64_t load(const uint64_t* s) { return static_cast<int64_t>(*s); }
};
template <>
struct WasmType<uint64_t> {
  static constexpr ValType kType = ValType::I64;
  static constexpr size_t kSlots = 1;
  static void store(uint64_t* s, uint64_t v) { *s = v; }
  static uint64_t load(const uint64_t* s) { return *s; }
};
template <>
struct WasmType<float> {
  static constexpr ValType kType = ValType::F32;
  static constexpr size_t kSlots = 1;
  static void store(uint64_t* s, float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    *s = b;
  }
  static float load(const uint64_t* s) {
    uint32_t b = static_cast<uint32_t>(*s);
    float v;
    std::memcpy(&v, &b, 4);
    return v;
  }
};
template <>
struct WasmType<double> {
  static constexpr ValType kType = ValType::F64;
  static constexpr size_t kSlots = 1;
  static void store(uint64_t* s, double v) { std::memcpy(s, &v, 8); }
  static double load(const uint64_t* s) {
    double v;
    std::memcpy(&v, s, 8);
    return v;
  }
};
template <>
struct WasmType<V128> {
  static constexpr ValType kType = ValType::V128;
  static constexpr size_t kSlots = 2;
  static void store(uint64_t* s, const V128& v) { std::memcpy(s, v.bytes, 16); }
  static V128 load(const uint64_t* s) {
    V128 v;
    std::memcpy(v.bytes, s, 16);
    return v;
  }
};

/// True for the C++ types that map to a wasm value type.
template <class T>
concept WasmScalar = requires {
  WasmType<T>::kType;
};

/// Slot offsets of a parameter or result list.
template <class... Ts>
struct SlotLayout {
  static_assert(
      (WasmScalar<Ts> && ...),
      "wasm signature types must be int32_t, uint32_t, int64_t, uint64_t, float, double or V128");
  static constexpr size_t kCount = sizeof...(Ts);
  static constexpr std::array<size_t, kCount + 1> kOffsets = [] {
    std::array<size_t, kCount + 1> a{};
    constexpr size_t sizes[] = {WasmType<Ts>::kSlots..., 0};
    for (size_t i = 0; i < kCount; ++i)
      a[i + 1] = a[i] + sizes[i];
    return a;
  }();
  static constexpr size_t kSlots = kOffsets[kCount];
  static std::vector<ValType> types() { return {WasmType<Ts>::kType...}; }
};

/// Writes {v...} into consecutive slots.
template <class... Ts>
void pack(uint64_t* s, const Ts&... v) {
  size_t off = 0;
  ((WasmType<Ts>::store(s + off, v), off += WasmType<Ts>::kSlots), ...);
  (void)off;
  (void)s;
}

/// A callable's result type R as wasm results: void, one scalar or a std::tuple of scalars.
template <class R>
struct Results {
  using Layout = SlotLayout<R>;
  static void store(uint64_t* s, const R& r) { WasmType<R>::store(s, r); }
  static R load(const uint64_t* s) { return WasmType<R>::load(s); }
};
template <>
struct Results<void> {
  using Layout = SlotLayout<>;
};
template <class... Ts>
struct Results<std::tuple<Ts...>> {
  using Layout = SlotLayout<Ts...>;
  static void store(uint64_t* s, const std::tuple<Ts...>& r) {
    std::apply([s](const Ts&... v) { pack<Ts...>(s, v...); }, r);
  }
  static std::tuple<Ts...> load(const uint64_t* s) {
    return [s]<size_t... I>(std::index_sequence<I...>) {
      return std::tuple<Ts...>{WasmType<Ts>::load(s + Layout::kOffsets[I])...};
    }
    (std::index_sequence_for<Ts...>{});
  }
};

/// Return type and parameter list of a callable.
template <class F>
struct Callable : Callable<decltype(&F::operator())> {};
template <class R, class... A>
struct Callable<R(A...)> {
  using Ret = R;
  using Args = std::tuple<A...>;
};
template <class R, class... A>
struct Callable<R (*)(A...)> : Callable<R(A...)> {};
template <class R, class... A>
struct Callable<R (*)(A...) noexcept> : Callable<R(A...)> {};
template <class C, class R, class... A>
struct Callable<R (C::*)(A...)> : Callable<R(A...)> {};
template <class C, class R, class... A>
struct Callable<R (C::*)(A...) const> : Callable<R(A...)> {};
template <class C, class R, class... A>
struct Callable<R (C::*)(A...) noexcept> : Callable<R(A...)> {};
template <class C, class R, class... A>
struct Callable<R (C::*)(A...) const noexcept> : Callable<R(A...)> {};

/// Splits an optional leading `Caller&` off a parameter list.
template <class Tuple>
struct StripCaller {
  static constexpr bool kHasCaller = false;
  using Params = Tuple;
};
template <class First, class... Rest>
struct StripCaller<std::tuple<First, Rest...>> {
  static constexpr bool kHasCaller = std::is_same_v<std::remove_cvref_t<First>, Caller>;
  using Params = std::conditional_t<kHasCaller, std::tuple<Rest...>, std::tuple<First, Rest...>>;
};

/// TrapOr<T> -> T (a host function that may trap); anything else is returned as is.
template <class R>
struct UnwrapTrap {
  using Type = R;
  static constexpr bool kTrapping = false;
};
template <class T>
struct UnwrapTrap<TrapOr<T>> {
  using Type = T;
  static constexpr bool kTrapping = true;
};

/// Host callback over packed slots (the typed path; no per-value tagging).
using SlotHostFn =
    std::function<std::optional<Trap>(Caller&, const uint64_t* args, uint64_t* results)>;

/// A store-independent host function definition; instantiated once per store (cached by {id}).
struct HostDef {
  uint64_t id = 0;
  FuncType type;
  SlotHostFn slot_fn;   ///< typed host functions
  HostCallback val_fn;  ///< untyped host functions
};
std::shared_ptr<const HostDef> make_host_def(FuncType type, SlotHostFn fn);
std::shared_ptr<const HostDef> make_host_def(FuncType type, HostCallback fn);
/// The function {def} stands for in {store}.
Func host_func(Store& store, const std::shared_ptr<const HostDef>& def);
/// Call {fn} with arguments packed in {slots}; its results are written back from slot 0.
/// {slots} holds max(param slots, result slots) and the signature was checked by the caller.
std::optional<Trap> call_slots(StoreImpl* store, engine::Function* fn, uint64_t* slots);

template <bool kHasCaller, class Ret, class ParamTuple>
struct HostThunk;
template <bool kHasCaller, class Ret, class... Ps>
struct HostThunk<kHasCaller, Ret, std::tuple<Ps...>> {
  using In = SlotLayout<std::remove_cvref_t<Ps>...>;
  using Out = Results<typename UnwrapTrap<Ret>::Type>;

  static FuncType type() { return FuncType{In::types(), Out::Layout::types()}; }

  template <class Fn>
  static SlotHostFn make(Fn fn) {
    return [fn = std::move(fn)](Caller& caller, const uint64_t* args,
                                uint64_t* results) mutable -> std::optional<Trap> {
      (void)caller;
      (void)args;
      (void)results;
      auto invoke = [&]<size_t... I>(std::index_sequence<I...>)->decltype(auto) {
        if constexpr (kHasCaller) {
          return fn(caller, WasmType<std::remove_cvref_t<Ps>>::load(args + In::kOffsets[I])...);
        } else {
          return fn(WasmType<std::remove_cvref_t<Ps>>::load(args + In::kOffsets[I])...);
        }
      };
      using Seq = std::index_sequence_for<Ps...>;
      if constexpr (std::is_void_v<Ret>) {
        invoke(Seq{});
      } else if constexpr (UnwrapTrap<Ret>::kTrapping) {
        Ret r = invoke(Seq{});
        if (!r)
          return std::move(r).trap();
        if constexpr (!std::is_void_v<typename UnwrapTrap<Ret>::Type>)
          Out::store(results, r.value());
      } else {
        Out::store(results, invoke(Seq{}));
      }
      return std::nullopt;
    };
  }
};

/// Deduce the wasm type of callable {f} and wrap it as a host definition.
template <class F>
std::shared_ptr<const HostDef> make_typed_host(F&& f) {
  using Fn = std::decay_t<F>;
  using Traits = Callable<Fn>;
  using Strip = StripCaller<typename Traits::Args>;
  using Thunk = HostThunk<Strip::kHasCaller, std::remove_cvref_t<typename Traits::Ret>,
                          typename Strip::Params>;
  return make_host_def(Thunk::type(), Thunk::make(Fn(std::forward<F>(f))));
}

}  // namespace detail

/// A statically typed exported function: `auto fib = instance.func<int32_t(int32_t)>("fib");`
/// then `TrapOr<int32_t> r = (*fib)(10);`. Results: void, one scalar or std::tuple<...>.
template <class Sig>
class TypedFunc;

template <class R, class... Args>
class TypedFunc<R(Args...)> {
  using In = detail::SlotLayout<Args...>;
  using Out = detail::Results<R>;

 public:
  /// The wasm type this signature stands for.
  static FuncType type() { return FuncType{In::types(), Out::Layout::types()}; }

  /// Call the function; a trap is returned as a value.
  TrapOr<R> operator()(Args... args) const {
    std::array<uint64_t, std::max({In::kSlots, Out::Layout::kSlots, size_t{1}})> slots{};
    detail::pack<Args...>(slots.data(), args...);
    if (auto trap = detail::call_slots(func_.store_, func_.fn_, slots.data()))
      return std::move(*trap);
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      return Out::load(slots.data());
    }
  }

  /// The untyped function.
  const Func& func() const { return func_; }

 private:
  friend class Func;
  explicit TypedFunc(Func f) : func_(f) {}
  Func func_;
};

template <class Sig>
Result<TypedFunc<Sig>> Func::typed() const {
  FuncType want = TypedFunc<Sig>::type();
  FuncType have = type();
  if (want != have) {
    return Error{"type mismatch: function is " + have.to_string() + ", requested " +
                 want.to_string()};
  }
  return TypedFunc<Sig>(*this);
}

template <class F>
Func Func::wrap(Store& store, F&& f) {
  return detail::host_func(store, detail::make_typed_host(std::forward<F>(f)));
}

}  // namespace rill
