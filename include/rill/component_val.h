// Component-model values (Explainer.md "Value Types") as the host sees them: the dynamic Value
// that crosses a component boundary, lifted from or lowered into a component's core memory by
// the canonical ABI. Core wasm values are rill::Val (rill/val.h); these are their component
// counterparts. Nothing here depends on engine internals.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rill {

/// The kind of a component Value (one per value-type constructor; tuples, enums, options and
/// results keep their own kinds rather than being despecialized).
enum class ValueKind : uint8_t {
  Bool,
  S8,
  U8,
  S16,
  U16,
  S32,
  U32,
  S64,
  U64,
  F32,
  F64,
  Char,
  String,
  List,
  Record,
  Tuple,
  Variant,
  Enum,
  Option,
  Result,
  Flags,
  Own,
  Borrow,
  Stream,        ///< the readable end of a stream, moving between components
  Future,        ///< the readable end of a future
  ErrorContext,  ///< an error context
};
/// "bool", "u32", "list", ... (WIT spelling).
const char* to_string(ValueKind k);

/// A handle to a resource crossing the boundary: which resource type and its representation.
/// Produced when an own/borrow is lifted out of a component (or by the host for host
/// resources), consumed when it is lowered into one.
struct ResourceRef {
  std::shared_ptr<const void> type;  ///< identity of the runtime resource type (opaque)
  uint32_t rep = 0;                  ///< the resource's representation (i32)
};

/// The shape of a value type as typed bindings (rill/component_typed.h) see it, so a typed host
/// function can be checked against the type a component imports it with.
struct ValueShape {
  ValueKind kind = ValueKind::Bool;
  bool any = false;   ///< rill::Value: matches every type
  bool none = false;  ///< std::monostate: a result case without a payload
  /// List: [elem]; Option: [payload]; Result: [ok, err]; Tuple and Record: the fields.
  std::vector<ValueShape> elems;
  std::vector<std::string> labels;  ///< Record: the field names
};
/// A typed host function's parameters and result.
struct FuncShape {
  std::vector<ValueShape> params;
  std::optional<ValueShape> result;
};

/// Bytes per element of a packed list of {k} (bool, integers, floats, char), 0 for other kinds.
uint32_t packed_width(ValueKind k);

/// A component-model value. Scalars live in one word; strings in {str}; tuples, record fields and
/// payloads in {items}. A list is either *packed* (its elements are numbers, bools or chars held
/// as one contiguous little-endian buffer, {raw}: what lifting a `list<u8>` or `list<f64>`
/// produces, one memcpy and no Value per element) or a list of Values in {items}. list_size()
/// and element() read both forms; a packed list's items() is empty. Cheap to move; copying a
/// list copies its elements. Destroying a deeply nested value does not recurse natively.
class Value {
 public:
  Value() = default;
  Value(const Value&) = default;
  Value(Value&&) noexcept = default;
  Value& operator=(const Value&) = default;
  Value& operator=(Value&&) noexcept = default;
  ~Value();
  static Value boolean(bool b) { return scalar(ValueKind::Bool, b ? 1 : 0); }
  static Value s8(int8_t v) { return scalar(ValueKind::S8, static_cast<uint64_t>(int64_t{v})); }
  static Value u8(uint8_t v) { return scalar(ValueKind::U8, v); }
  static Value s16(int16_t v) { return scalar(ValueKind::S16, static_cast<uint64_t>(int64_t{v})); }
  static Value u16(uint16_t v) { return scalar(ValueKind::U16, v); }
  static Value s32(int32_t v) { return scalar(ValueKind::S32, static_cast<uint64_t>(int64_t{v})); }
  static Value u32(uint32_t v) { return scalar(ValueKind::U32, v); }
  static Value s64(int64_t v) { return scalar(ValueKind::S64, static_cast<uint64_t>(v)); }
  static Value u64(uint64_t v) { return scalar(ValueKind::U64, v); }
  static Value f32(float f) {
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return scalar(ValueKind::F32, b);
  }
  static Value f64(double d) {
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return scalar(ValueKind::F64, b);
  }
  static Value f32_bits(uint32_t b) { return scalar(ValueKind::F32, b); }
  static Value f64_bits(uint64_t b) { return scalar(ValueKind::F64, b); }
  /// A Unicode scalar value (not a surrogate, below 0x110000; checked when lowered).
  static Value character(char32_t c) { return scalar(ValueKind::Char, c); }
  /// A string given as UTF-8 (checked when lowered).
  static Value string(std::string s) {
    Value v = scalar(ValueKind::String, 0);
    v.str_ = std::move(s);
    return v;
  }
  static Value list(std::vector<Value> items) { return aggregate(ValueKind::List, std::move(items)); }
  /// A packed list of {elem} (a kind with packed_width() > 0) from its little-endian element
  /// bytes: {raw}.size() must be a multiple of the width (it is cut down to one otherwise).
  /// Bools are 0 or 1 (other bytes read as 1); chars are checked when lowered.
  static Value packed_list(ValueKind elem, std::string raw);
  /// A `list<u8>` holding {bytes}.
  static Value bytes(std::string_view bytes) {
    return packed_list(ValueKind::U8, std::string(bytes));
  }
  static Value bytes(const uint8_t* data, size_t n) {
    return packed_list(ValueKind::U8, std::string(reinterpret_cast<const char*>(data), n));
  }
  static Value tuple(std::vector<Value> items) { return aggregate(ValueKind::Tuple, std::move(items)); }
  /// A record; fields in the type's order, each with its label.
  static Value record(std::vector<std::pair<std::string, Value>> fields);
  /// A variant case by label, with an optional payload.
  static Value variant(std::string label, std::optional<Value> payload = std::nullopt);
  static Value enumeration(std::string label) {
    Value v = scalar(ValueKind::Enum, 0);
    v.str_ = std::move(label);
    return v;
  }
  static Value none() { return scalar(ValueKind::Option, 0); }
  static Value some(Value payload) {
    Value v = scalar(ValueKind::Option, 1);
    v.items_.push_back(std::move(payload));
    return v;
  }
  static Value ok(std::optional<Value> payload = std::nullopt);
  static Value err(std::optional<Value> payload = std::nullopt);
  /// Flags by the labels that are set.
  static Value flags(std::vector<std::string> set) {
    Value v = scalar(ValueKind::Flags, 0);
    v.labels_ = std::move(set);
    return v;
  }
  static Value own(ResourceRef r) { return resource(ValueKind::Own, std::move(r)); }
  static Value borrow(ResourceRef r) { return resource(ValueKind::Borrow, std::move(r)); }
  /// A stream, future or error context: {h} is the runtime's shared object (opaque).
  static Value stream(std::shared_ptr<const void> h) { return resource(ValueKind::Stream, ResourceRef{std::move(h), 0}); }
  static Value future(std::shared_ptr<const void> h) { return resource(ValueKind::Future, ResourceRef{std::move(h), 0}); }
  static Value error_context(std::shared_ptr<const void> h) {
    return resource(ValueKind::ErrorContext, ResourceRef{std::move(h), 0});
  }

  ValueKind kind() const { return kind_; }
  bool as_bool() const { return bits_ != 0; }
  /// Signed kinds sign-extend, unsigned kinds zero-extend.
  int64_t as_s64() const { return static_cast<int64_t>(bits_); }
  uint64_t as_u64() const { return bits_; }
  uint32_t as_u32() const { return static_cast<uint32_t>(bits_); }
  int32_t as_s32() const { return static_cast<int32_t>(bits_); }
  float as_f32() const {
    float f;
    uint32_t b = static_cast<uint32_t>(bits_);
    std::memcpy(&f, &b, 4);
    return f;
  }
  double as_f64() const {
    double d;
    std::memcpy(&d, &bits_, 8);
    return d;
  }
  uint32_t f32_bits() const { return static_cast<uint32_t>(bits_); }
  uint64_t f64_bits() const { return bits_; }
  char32_t as_char() const { return static_cast<char32_t>(bits_); }
  /// String: its UTF-8; Variant/Enum: the case label.
  const std::string& str() const { return str_; }
  /// Tuple elements; Record field values; Variant/Option/Result payload (0 or 1 items); the
  /// elements of a list that is not packed (a packed list has none here: see raw()).
  const std::vector<Value>& items() const { return items_; }
  std::vector<Value>& items() { return items_; }
  /// List: true when its elements are held packed in raw().
  bool packed() const { return elem_ != 0; }
  /// A packed list's element kind.
  ValueKind elem_kind() const { return static_cast<ValueKind>(elem_ - 1); }
  /// A packed list's element bytes (little-endian, packed_width(elem_kind()) each).
  std::span<const uint8_t> raw() const {
    return {reinterpret_cast<const uint8_t*>(str_.data()), packed() ? str_.size() : 0};
  }
  /// A packed `list<u8>`'s bytes as text (no copy); empty for other values.
  std::string_view byte_view() const {
    return packed() && elem_kind() == ValueKind::U8 ? std::string_view(str_) : std::string_view();
  }
  /// List: the number of elements (either form); other kinds: items().size().
  size_t list_size() const { return packed() ? str_.size() / packed_width(elem_kind()) : items_.size(); }
  /// List element {i} (either form; a packed element is made on the fly).
  Value element(size_t i) const;
  /// Record: the field labels (parallel to items()); Flags: the labels that are set.
  const std::vector<std::string>& labels() const { return labels_; }
  /// Option: true for some; Result: true for err.
  bool is_some() const { return bits_ != 0; }
  bool is_err() const { return bits_ != 0; }
  /// The payload of a Variant/Option/Result, or null when there is none.
  const Value* payload() const { return items_.empty() ? nullptr : &items_[0]; }
  const ResourceRef& resource() const { return resource_; }
  /// Stream, Future, ErrorContext: the runtime object.
  const std::shared_ptr<const void>& handle() const { return resource_.type; }

  /// WAVE-style text, e.g. `"a"`, `[1, 2]`, `{x: 1}`, `some(3)`, `ok("x")`.
  std::string to_string() const;
  /// Writes to_string() to {f} in pieces, never holding the whole text (a list of millions of
  /// elements prints in bounded memory).
  void print_to(std::FILE* f) const;
  /// Structural equality (floats by bits, except that two NaNs compare equal).
  friend bool operator==(const Value& a, const Value& b);

  // Internal to the canonical ABI: how a lifted string was encoded in its source memory, so a
  // later lowering makes the same realloc calls definitions.py does (string_encoding, tagged
  // code units). Hosts need not set these.
  uint8_t src_encoding = 0;  ///< 0 utf8, 1 utf16, 2 latin1+utf16
  uint64_t src_tagged_code_units = UINT64_MAX;  ///< UINT64_MAX: the UTF-8 byte length

 private:
  static Value scalar(ValueKind k, uint64_t bits) {
    Value v;
    v.kind_ = k;
    v.bits_ = bits;
    return v;
  }
  static Value aggregate(ValueKind k, std::vector<Value> items) {
    Value v = scalar(k, 0);
    v.items_ = std::move(items);
    return v;
  }
  static Value resource(ValueKind k, ResourceRef r) {
    Value v = scalar(k, 0);
    v.resource_ = std::move(r);
    return v;
  }
  friend struct ValueAccess;

  ValueKind kind_ = ValueKind::Bool;
  uint8_t elem_ = 0;  ///< a packed list: 1 + its element kind; otherwise 0
  uint64_t bits_ = 0;
  std::string str_;
  std::vector<Value> items_;
  std::vector<std::string> labels_;
  ResourceRef resource_;
};

/// The bytes of a `list<u8>` in either form: a view of a packed list's buffer (no copy), or the
/// elements of an unpacked list copied into {scratch}.
std::string_view list_bytes(const Value& v, std::string& scratch);

/// Internal constructor access for the canonical ABI (lifting builds values without checks).
struct ValueAccess {
  static Value scalar(ValueKind k, uint64_t bits) { return Value::scalar(k, bits); }
  static std::string& str(Value& v) { return v.str_; }
  /// Makes {v} a packed list of {elem} whose bytes are str(v) (filled in by the caller).
  static void set_packed(Value& v, ValueKind elem) {
    v.kind_ = ValueKind::List;
    v.elem_ = static_cast<uint8_t>(static_cast<uint8_t>(elem) + 1);
  }
  static std::vector<std::string>& labels(Value& v) { return v.labels_; }
  static ResourceRef& resource(Value& v) { return v.resource_; }
};

}  // namespace rill
