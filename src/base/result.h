// Result<T>: the project's `expected`, carrying an Error (message + byte offset).
// Keep its API a subset of std::expected so we can switch once every compiler has it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace rill {

/// Offset value used when an error has no meaningful byte position.
inline constexpr uint64_t kNoOffset = ~uint64_t{0};

/// An error: what went wrong and, for decode/validation errors, the byte offset where.
struct Error {
  std::string message;
  uint64_t offset = kNoOffset;

  /// "message (at offset 0x1f)" or just the message when there is no offset.
  std::string to_string() const;
};

/// Wraps an Error so `return unexpected(...)` reads like std::unexpected.
struct Unexpected {
  Error error;
};
inline Unexpected unexpected(Error e) { return Unexpected{std::move(e)}; }
inline Unexpected unexpected(std::string msg, uint64_t offset = kNoOffset) {
  return Unexpected{Error{std::move(msg), offset}};
}

/// Either a value or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT(google-explicit-constructor)
  Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

/// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : err_(std::move(u.error)), ok_(false) {}  // NOLINT
  Result(Error e) : err_(std::move(e)), ok_(false) {}  // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return err_; }
  Error&& error() && { return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

}  // namespace rill

/// RILL_TRY(var, expr): evaluate a Result, return its error on failure, else bind the value.
#define RILL_CONCAT_(a, b) a##b
#define RILL_CONCAT(a, b) RILL_CONCAT_(a, b)
#define RILL_TRY(var, expr)                                  \
  auto RILL_CONCAT(rill_try_, __LINE__) = (expr);            \
  if (!RILL_CONCAT(rill_try_, __LINE__)) return RILL_CONCAT(rill_try_, __LINE__).error(); \
  var = std::move(RILL_CONCAT(rill_try_, __LINE__)).value()
/// RILL_CHECK_OK(expr): evaluate a Result<void>-like value and return its error on failure.
#define RILL_CHECK_OK(expr)                                  \
  do {                                                       \
    auto rill_ok_ = (expr);                                  \
    if (!rill_ok_) return std::move(rill_ok_).error();       \
  } while (0)

/// RILL_ASSERT: a broken Rill invariant (never guest-caused); aborts with a message.
#define RILL_ASSERT(cond)                                                        \
  do {                                                                           \
    if (!(cond)) ::rill::detail::assert_fail(#cond, __FILE__, __LINE__);         \
  } while (0)
namespace rill::detail {
[[noreturn]] void assert_fail(const char* cond, const char* file, int line);
}
