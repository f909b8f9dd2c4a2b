// Typed bindings for components: conversions between C++ types and component Values.
//   bool, s8..u64 (int8_t..uint64_t), f32/f64 (float/double), char (char32_t), string
//   (std::string), list<T> (std::vector<T>), option<T> (std::optional<T>), tuple<...>
//   (std::tuple<...>), result<T, E> (ComponentResult<T, E>; std::monostate for "no payload"),
//   and records described once with a ComponentRecord<T> specialization:
//     template <> struct rill::ComponentRecord<Point> {
//       static constexpr auto fields() { return std::make_tuple(rill::field("x", &Point::x),
//                                                               rill::field("y", &Point::y)); }
//     };
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "rill/base/result.h"
#include "rill/component_val.h"
#include "rill/val.h"

namespace rill {

/// result<T, E> for typed bindings. Use std::monostate for a case without a payload.
template <class T, class E>
class ComponentResult {
 public:
  static ComponentResult ok(T v) { return ComponentResult(std::in_place_index<0>, std::move(v)); }
  static ComponentResult err(E e) { return ComponentResult(std::in_place_index<1>, std::move(e)); }
  bool is_ok() const { return v_.index() == 0; }
  const T& value() const { return std::get<0>(v_); }
  const E& error() const { return std::get<1>(v_); }

 private:
  template <size_t I, class X>
  ComponentResult(std::in_place_index_t<I> i, X&& x) : v_(i, std::forward<X>(x)) {}
  std::variant<T, E> v_;
};

/// Describes the fields of a C++ struct used as a component record (see the header comment).
template <class T>
struct ComponentRecord;

template <class S, class M>
struct RecordField {
  const char* name;
  M S::*member;
};
template <class S, class M>
constexpr RecordField<S, M> field(const char* name, M S::*member) {
  return {name, member};
}

template <class T, class = void>
struct ToValue;
template <class T, class = void>
struct FromValue;
/// ShapeOf<T>::get(): the value type T converts to and from (for link-time checks).
template <class T, class = void>
struct ShapeOf;

namespace detail {
inline Error kind_error(const char* want, const Value& v) {
  return Error{std::string("expected ") + want + ", got " + to_string(v.kind())};
}
template <class T, class = void>
struct is_record : std::false_type {};
template <class T>
struct is_record<T, std::void_t<decltype(ComponentRecord<T>::fields())>> : std::true_type {};
}  // namespace detail

#define RILL_COMPONENT_SCALAR(T, KIND, MAKE, GET)                             \
  template <>                                                                 \
  struct ShapeOf<T> {                                                         \
    static ValueShape get() { return ValueShape{ValueKind::KIND, false, false, {}, {}}; } \
  };                                                                          \
  template <>                                                                 \
  struct ToValue<T> {                                                         \
    static Value make(const T& v) { return Value::MAKE(v); }                  \
  };                                                                          \
  template <>                                                                 \
  struct FromValue<T> {                                                       \
    static Result<T> get(const Value& v) {                                    \
      if (v.kind() != ValueKind::KIND) return detail::kind_error(#KIND, v);   \
      return static_cast<T>(v.GET());                                         \
    }                                                                         \
  };
RILL_COMPONENT_SCALAR(bool, Bool, boolean, as_bool)
RILL_COMPONENT_SCALAR(int8_t, S8, s8, as_s64)
RILL_COMPONENT_SCALAR(uint8_t, U8, u8, as_u64)
RILL_COMPONENT_SCALAR(int16_t, S16, s16, as_s64)
RILL_COMPONENT_SCALAR(uint16_t, U16, u16, as_u64)
RILL_COMPONENT_SCALAR(int32_t, S32, s32, as_s64)
RILL_COMPONENT_SCALAR(uint32_t, U32, u32, as_u64)
RILL_COMPONENT_SCALAR(int64_t, S64, s64, as_s64)
RILL_COMPONENT_SCALAR(uint64_t, U64, u64, as_u64)
RILL_COMPONENT_SCALAR(float, F32, f32, as_f32)
RILL_COMPONENT_SCALAR(double, F64, f64, as_f64)
RILL_COMPONENT_SCALAR(char32_t, Char, character, as_char)
#undef RILL_COMPONENT_SCALAR

template <>
struct ShapeOf<std::string> {
  static ValueShape get() { return ValueShape{ValueKind::String, false, false, {}, {}}; }
};
template <>
struct ShapeOf<Value> {
  static ValueShape get() { return ValueShape{ValueKind::Bool, true, false, {}, {}}; }
};
template <>
struct ShapeOf<std::monostate> {
  static ValueShape get() { return ValueShape{ValueKind::Bool, false, true, {}, {}}; }
};
template <class T>
struct ShapeOf<std::vector<T>> {
  static ValueShape get() { return ValueShape{ValueKind::List, false, false, {ShapeOf<T>::get()}, {}}; }
};
template <class T>
struct ShapeOf<std::optional<T>> {
  static ValueShape get() { return ValueShape{ValueKind::Option, false, false, {ShapeOf<T>::get()}, {}}; }
};
template <class... T>
struct ShapeOf<std::tuple<T...>> {
  static ValueShape get() { return ValueShape{ValueKind::Tuple, false, false, {ShapeOf<T>::get()...}, {}}; }
};
template <class T, class E>
class ComponentResult;
template <class T, class E>
struct ShapeOf<ComponentResult<T, E>> {
  static ValueShape get() {
    return ValueShape{ValueKind::Result, false, false, {ShapeOf<T>::get(), ShapeOf<E>::get()}, {}};
  }
};

template <>
struct ToValue<std::string> {
  static Value make(const std::string& s) { return Value::string(s); }
};
template <>
struct FromValue<std::string> {
  static Result<std::string> get(const Value& v) {
    if (v.kind() != ValueKind::String) return detail::kind_error("string", v);
    return v.str();
  }
};
template <>
struct ToValue<Value> {
  static Value make(const Value& v) { return v; }
};
template <>
struct FromValue<Value> {
  static Result<Value> get(const Value& v) { return v; }
};

namespace detail {
/// The packed element kind of a scalar C++ type (lists of these are packed Values).
template <class T> struct PackedKind { static constexpr bool packed = false; };
#define RILL_PACKED_KIND(T, KIND)                                            \
  template <> struct PackedKind<T> {                                         \
    static constexpr bool packed = true;                                     \
    static constexpr ValueKind kind = ValueKind::KIND;                       \
  };
RILL_PACKED_KIND(bool, Bool)
RILL_PACKED_KIND(int8_t, S8)
RILL_PACKED_KIND(uint8_t, U8)
RILL_PACKED_KIND(int16_t, S16)
RILL_PACKED_KIND(uint16_t, U16)
RILL_PACKED_KIND(int32_t, S32)
RILL_PACKED_KIND(uint32_t, U32)
RILL_PACKED_KIND(int64_t, S64)
RILL_PACKED_KIND(uint64_t, U64)
RILL_PACKED_KIND(float, F32)
RILL_PACKED_KIND(double, F64)
RILL_PACKED_KIND(char32_t, Char)
#undef RILL_PACKED_KIND
}  // namespace detail

template <class T>
struct ToValue<std::vector<T>> {
  static Value make(const std::vector<T>& xs) {
    if constexpr (detail::PackedKind<T>::packed) {  // one buffer, no Value per element
      std::string raw(xs.size() * sizeof(T), '\0');
      if constexpr (std::is_same_v<T, bool>) {
        for (size_t i = 0; i < xs.size(); ++i) raw[i] = xs[i] ? 1 : 0;
      } else if (!xs.empty()) {
        std::memcpy(raw.data(), xs.data(), raw.size());
      }
      return Value::packed_list(detail::PackedKind<T>::kind, std::move(raw));
    }
    std::vector<Value> items;
    items.reserve(xs.size());
    for (const auto& x : xs) items.push_back(ToValue<T>::make(x));
    return Value::list(std::move(items));
  }
};
template <class T>
struct FromValue<std::vector<T>> {
  static Result<std::vector<T>> get(const Value& v) {
    if (v.kind() != ValueKind::List) return detail::kind_error("list", v);
    if constexpr (detail::PackedKind<T>::packed) {
      if (v.packed()) {
        if (v.elem_kind() != detail::PackedKind<T>::kind)
          return Error{std::string("expected list<") + to_string(detail::PackedKind<T>::kind) +
                       ">, got list<" + to_string(v.elem_kind()) + ">"};
        std::vector<T> out(v.list_size());
        if constexpr (std::is_same_v<T, bool>) {
          for (size_t i = 0; i < out.size(); ++i) out[i] = v.raw()[i] != 0;
        } else if (!out.empty()) {
          std::memcpy(out.data(), v.raw().data(), v.raw().size());
        }
        return out;
      }
    }
    std::vector<T> out;
    out.reserve(v.items().size());
    for (const auto& e : v.items()) {
      auto x = FromValue<T>::get(e);
      if (!x) return std::move(x).error();
      out.push_back(std::move(*x));
    }
    return out;
  }
};

template <class T>
struct ToValue<std::optional<T>> {
  static Value make(const std::optional<T>& x) {
    return x ? Value::some(ToValue<T>::make(*x)) : Value::none();
  }
};
template <class T>
struct FromValue<std::optional<T>> {
  static Result<std::optional<T>> get(const Value& v) {
    if (v.kind() != ValueKind::Option) return detail::kind_error("option", v);
    if (!v.is_some()) return std::optional<T>();
    auto x = FromValue<T>::get(v.items()[0]);
    if (!x) return std::move(x).error();
    return std::optional<T>(std::move(*x));
  }
};

template <class... T>
struct ToValue<std::tuple<T...>> {
  static Value make(const std::tuple<T...>& t) {
    return std::apply([](const auto&... x) { return Value::tuple({ToValue<std::decay_t<decltype(x)>>::make(x)...}); }, t);
  }
};
template <class... T>
struct FromValue<std::tuple<T...>> {
  static Result<std::tuple<T...>> get(const Value& v) {
    if (v.kind() != ValueKind::Tuple || v.items().size() != sizeof...(T)) return detail::kind_error("tuple", v);
    return get_at(v, std::index_sequence_for<T...>{});
  }
  template <size_t... I>
  static Result<std::tuple<T...>> get_at(const Value& v, std::index_sequence<I...>) {
    std::tuple<Result<T>...> parts{FromValue<T>::get(v.items()[I])...};
    std::optional<Error> err;
    ((std::get<I>(parts) ? void() : void(err = std::get<I>(parts).error())), ...);
    if (err) return *err;
    return std::tuple<T...>{std::move(*std::get<I>(parts))...};
  }
};

template <class T, class E>
struct ToValue<ComponentResult<T, E>> {
  static Value make(const ComponentResult<T, E>& r) {
    if (r.is_ok()) {
      if constexpr (std::is_same_v<T, std::monostate>) return Value::ok();
      else return Value::ok(ToValue<T>::make(r.value()));
    }
    if constexpr (std::is_same_v<E, std::monostate>) return Value::err();
    else return Value::err(ToValue<E>::make(r.error()));
  }
};
template <class T, class E>
struct FromValue<ComponentResult<T, E>> {
  static Result<ComponentResult<T, E>> get(const Value& v) {
    if (v.kind() != ValueKind::Result) return detail::kind_error("result", v);
    if (!v.is_err()) {
      if constexpr (std::is_same_v<T, std::monostate>) {
        return ComponentResult<T, E>::ok({});
      } else {
        if (!v.payload()) return Error{"result without its ok payload"};
        auto x = FromValue<T>::get(*v.payload());
        if (!x) return std::move(x).error();
        return ComponentResult<T, E>::ok(std::move(*x));
      }
    }
    if constexpr (std::is_same_v<E, std::monostate>) {
      return ComponentResult<T, E>::err({});
    } else {
      if (!v.payload()) return Error{"result without its error payload"};
      auto x = FromValue<E>::get(*v.payload());
      if (!x) return std::move(x).error();
      return ComponentResult<T, E>::err(std::move(*x));
    }
  }
};

template <class T>
struct ShapeOf<T, std::enable_if_t<detail::is_record<T>::value>> {
  static ValueShape get() {
    ValueShape out{ValueKind::Record, false, false, {}, {}};
    std::apply([&](const auto&... f) {
      ((out.labels.push_back(f.name),
        out.elems.push_back(ShapeOf<std::decay_t<decltype(std::declval<T>().*(f.member))>>::get())), ...);
    }, ComponentRecord<T>::fields());
    return out;
  }
};

template <class T>
struct ToValue<T, std::enable_if_t<detail::is_record<T>::value>> {
  static Value make(const T& s) {
    std::vector<std::pair<std::string, Value>> fields;
    std::apply([&](const auto&... f) {
      (fields.emplace_back(f.name, ToValue<std::decay_t<decltype(s.*(f.member))>>::make(s.*(f.member))), ...);
    }, ComponentRecord<T>::fields());
    return Value::record(std::move(fields));
  }
};
template <class T>
struct FromValue<T, std::enable_if_t<detail::is_record<T>::value>> {
  static Result<T> get(const Value& v) {
    if (v.kind() != ValueKind::Record) return detail::kind_error("record", v);
    T out{};
    std::optional<Error> err;
    size_t i = 0;
    std::apply([&](const auto&... f) {
      auto one = [&](const auto& fld) {
        using M = std::decay_t<decltype(out.*(fld.member))>;
        if (err) return;
        if (i >= v.items().size() || v.labels()[i] != fld.name) {
          err = Error{std::string("record field ") + fld.name + " missing"};
          return;
        }
        auto x = FromValue<M>::get(v.items()[i++]);
        if (!x) err = std::move(x).error();
        else out.*(fld.member) = std::move(*x);
      };
      (one(f), ...);
    }, ComponentRecord<T>::fields());
    if (err) return *err;
    return out;
  }
};

namespace detail {

template <class F>
struct host_traits : host_traits<decltype(&std::decay_t<F>::operator())> {};
template <class C, class R, class... A>
struct host_traits<R (C::*)(A...) const> {
  using result = R;
  using args = std::tuple<std::decay_t<A>...>;
};
template <class C, class R, class... A>
struct host_traits<R (C::*)(A...)> : host_traits<R (C::*)(A...) const> {};
template <class R, class... A>
struct host_traits<R (*)(A...)> {
  using result = R;
  using args = std::tuple<std::decay_t<A>...>;
};

/// The parameter and result shapes of a C++ callable (for ComponentLinker's link-time check).
template <class F>
FuncShape host_shape() {
  using Tr = host_traits<std::decay_t<F>>;
  using R = typename Tr::result;
  FuncShape out;
  [&]<size_t... I>(std::index_sequence<I...>) {
    (out.params.push_back(ShapeOf<std::tuple_element_t<I, typename Tr::args>>::get()), ...);
  }(std::make_index_sequence<std::tuple_size_v<typename Tr::args>>{});
  if constexpr (!std::is_void_v<R>) out.result = ShapeOf<R>::get();
  return out;
}

/// Wraps a C++ callable as a dynamic component host function. Argument conversion failures
/// trap; a callable returning TrapOr<R> may trap itself.
template <class F>
std::function<std::optional<Trap>(std::span<const Value>, std::vector<Value>&)> make_component_host(F&& f) {
  using Tr = host_traits<std::decay_t<F>>;
  using Args = typename Tr::args;
  using R = typename Tr::result;
  return [fn = std::forward<F>(f)](std::span<const Value> args,
                                   std::vector<Value>& results) mutable -> std::optional<Trap> {
    constexpr size_t n = std::tuple_size_v<Args>;
    if (args.size() != n)
      return Trap::host("host function expects " + std::to_string(n) + " arguments, got " + std::to_string(args.size()));
    std::optional<Trap> bad;
    auto convert = [&]<size_t... I>(std::index_sequence<I...>) {
      return Args{[&]() {
        using A = std::tuple_element_t<I, Args>;
        auto x = FromValue<A>::get(args[I]);
        if (!x) {
          if (!bad) bad = Trap::host("argument " + std::to_string(I) + ": " + x.error().message);
          return A{};
        }
        return std::move(*x);
      }()...};
    };
    Args a = convert(std::make_index_sequence<n>{});
    if (bad) return bad;
    if constexpr (std::is_void_v<R>) {
      std::apply(fn, std::move(a));
      return std::nullopt;
    } else {
      results.push_back(ToValue<R>::make(std::apply(fn, std::move(a))));
      return std::nullopt;
    }
  };
}

}  // namespace detail
}  // namespace rill
