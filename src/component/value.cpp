// rill::Value (include/rill/component_val.h): constructors, printing and equality.
#include <cstdio>
#include <cstring>

#include "rill/component/rt/unicode.h"
#include "rill/component_val.h"

namespace rill {

const char* to_string(ValueKind k) {
  switch (k) {
    case ValueKind::Bool: return "bool";
    case ValueKind::S8: return "s8";
    case ValueKind::U8: return "u8";
    case ValueKind::S16: return "s16";
    case ValueKind::U16: return "u16";
    case ValueKind::S32: return "s32";
    case ValueKind::U32: return "u32";
    case ValueKind::S64: return "s64";
    case ValueKind::U64: return "u64";
    case ValueKind::F32: return "f32";
    case ValueKind::F64: return "f64";
    case ValueKind::Char: return "char";
    case ValueKind::String: return "string";
    case ValueKind::List: return "list";
    case ValueKind::Record: return "record";
    case ValueKind::Tuple: return "tuple";
    case ValueKind::Variant: return "variant";
    case ValueKind::Enum: return "enum";
    case ValueKind::Option: return "option";
    case ValueKind::Result: return "result";
    case ValueKind::Flags: return "flags";
    case ValueKind::Own: return "own";
    case ValueKind::Borrow: return "borrow";
    case ValueKind::Stream: return "stream";
    case ValueKind::Future: return "future";
    case ValueKind::ErrorContext: return "error-context";
  }
  return "?";
}

uint32_t packed_width(ValueKind k) {
  switch (k) {
    case ValueKind::Bool: case ValueKind::S8: case ValueKind::U8: return 1;
    case ValueKind::S16: case ValueKind::U16: return 2;
    case ValueKind::S32: case ValueKind::U32: case ValueKind::F32: case ValueKind::Char: return 4;
    case ValueKind::S64: case ValueKind::U64: case ValueKind::F64: return 8;
    default: return 0;
  }
}

Value::~Value() {
  // Children whose own items are empty are destroyed without going deeper; anything nested
  // below them is moved to a work list first, so a deep value costs no native recursion.
  if (items_.empty()) return;
  bool nested = false;
  for (const Value& c : items_) nested |= !c.items_.empty();
  if (!nested) return;
  std::vector<std::vector<Value>> work;
  work.push_back(std::move(items_));
  while (!work.empty()) {
    std::vector<Value> level = std::move(work.back());
    work.pop_back();
    for (Value& c : level)
      if (!c.items_.empty()) work.push_back(std::move(c.items_));
  }
}

Value Value::packed_list(ValueKind elem, std::string raw) {
  const uint32_t w = packed_width(elem);
  if (w == 0) return list({});
  raw.resize(raw.size() - raw.size() % w);
  if (elem == ValueKind::Bool)
    for (char& c : raw) c = c != 0 ? 1 : 0;
  Value v = scalar(ValueKind::List, 0);
  v.elem_ = static_cast<uint8_t>(static_cast<uint8_t>(elem) + 1);
  v.str_ = std::move(raw);
  return v;
}

Value Value::element(size_t i) const {
  if (!packed()) return items_[i];
  const ValueKind k = elem_kind();
  const uint32_t w = packed_width(k);
  uint64_t raw = 0;
  std::memcpy(&raw, str_.data() + i * w, w);  // little-endian host
  switch (k) {
    case ValueKind::S8: raw = static_cast<uint64_t>(int64_t{static_cast<int8_t>(raw)}); break;
    case ValueKind::S16: raw = static_cast<uint64_t>(int64_t{static_cast<int16_t>(raw)}); break;
    case ValueKind::S32: raw = static_cast<uint64_t>(int64_t{static_cast<int32_t>(raw)}); break;
    default: break;
  }
  return scalar(k, raw);
}

std::string_view list_bytes(const Value& v, std::string& scratch) {
  if (v.packed()) return {reinterpret_cast<const char*>(v.raw().data()), v.raw().size()};
  scratch.clear();
  scratch.reserve(v.items().size());
  for (const Value& b : v.items()) scratch.push_back(static_cast<char>(b.as_u32()));
  return scratch;
}

Value Value::record(std::vector<std::pair<std::string, Value>> fields) {
  Value v = scalar(ValueKind::Record, 0);
  for (auto& [label, item] : fields) {
    v.labels_.push_back(std::move(label));
    v.items_.push_back(std::move(item));
  }
  return v;
}

Value Value::variant(std::string label, std::optional<Value> payload) {
  Value v = scalar(ValueKind::Variant, 0);
  v.str_ = std::move(label);
  if (payload) v.items_.push_back(std::move(*payload));
  return v;
}

Value Value::ok(std::optional<Value> payload) {
  Value v = scalar(ValueKind::Result, 0);
  if (payload) v.items_.push_back(std::move(*payload));
  return v;
}

Value Value::err(std::optional<Value> payload) {
  Value v = scalar(ValueKind::Result, 1);
  if (payload) v.items_.push_back(std::move(*payload));
  return v;
}

namespace {
/// Where printing goes: a string, flushed to {file} in pieces when there is one, so a value of
/// any size prints in bounded memory.
struct Out {
  std::string buf;
  std::FILE* file = nullptr;
  void operator+=(const std::string& s) { buf += s; }
  void operator+=(const char* s) { buf += s; }
  void push_back(char c) { buf.push_back(c); }
  void spill() {
    if (file && buf.size() >= 1 << 16) {
      std::fwrite(buf.data(), 1, buf.size(), file);
      buf.clear();
    }
  }
};

void quote(Out& out, const std::string& s, char q) {
  out.push_back(q);
  for (unsigned char c : s) {
    if (c == static_cast<unsigned char>(q) || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u{%x}", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back(q);
}

void print(Out& out, const Value& v);

void print_items(Out& out, const Value& v, char open, char close) {
  out.push_back(open);
  const size_t n = v.kind() == ValueKind::List ? v.list_size() : v.items().size();
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    if (v.packed()) print(out, v.element(i));
    else print(out, v.items()[i]);
    out.spill();
  }
  out.push_back(close);
}

void print_payload(Out& out, const char* name, const Value& v) {
  out += name;
  if (const Value* p = v.payload()) {
    out.push_back('(');
    print(out, *p);
    out.push_back(')');
  }
}

void print(Out& out, const Value& v) {
  switch (v.kind()) {
    case ValueKind::Bool: out += v.as_bool() ? "true" : "false"; return;
    case ValueKind::S8: case ValueKind::S16: case ValueKind::S32: case ValueKind::S64:
      out += std::to_string(v.as_s64());
      return;
    case ValueKind::U8: case ValueKind::U16: case ValueKind::U32: case ValueKind::U64:
      out += std::to_string(v.as_u64());
      return;
    case ValueKind::F32: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v.as_f32()));
      out += buf;
      return;
    }
    case ValueKind::F64: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", v.as_f64());
      out += buf;
      return;
    }
    case ValueKind::Char: {
      std::string s;
      component::rt::append_utf8(v.as_char(), s);
      quote(out, s, '\'');
      return;
    }
    case ValueKind::String: quote(out, v.str(), '"'); return;
    case ValueKind::List: print_items(out, v, '[', ']'); return;
    case ValueKind::Tuple: print_items(out, v, '(', ')'); return;
    case ValueKind::Record:
      out += "{";
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (i) out += ", ";
        out += i < v.labels().size() ? v.labels()[i] : std::to_string(i);
        out += ": ";
        print(out, v.items()[i]);
      }
      out += "}";
      return;
    case ValueKind::Variant: print_payload(out, v.str().c_str(), v); return;
    case ValueKind::Enum: out += v.str(); return;
    case ValueKind::Option:
      if (!v.is_some()) out += "none";
      else print_payload(out, "some", v);
      return;
    case ValueKind::Result: print_payload(out, v.is_err() ? "err" : "ok", v); return;
    case ValueKind::Flags:
      out += "{";
      for (size_t i = 0; i < v.labels().size(); ++i) out += (i ? ", " : "") + v.labels()[i];
      out += "}";
      return;
    case ValueKind::Own: out += "own(" + std::to_string(v.resource().rep) + ")"; return;
    case ValueKind::Borrow: out += "borrow(" + std::to_string(v.resource().rep) + ")"; return;
    case ValueKind::Stream: out += "stream"; return;
    case ValueKind::Future: out += "future"; return;
    case ValueKind::ErrorContext: out += "error-context"; return;
  }
}

bool is_nan32(uint32_t b) { return (b & 0x7f800000u) == 0x7f800000u && (b & 0x7fffffu); }
bool is_nan64(uint64_t b) {
  return (b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0xfffffffffffffull);
}
}  // namespace

std::string Value::to_string() const {
  Out out;
  print(out, *this);
  return std::move(out.buf);
}

void Value::print_to(std::FILE* f) const {
  Out out;
  out.file = f;
  print(out, *this);
  std::fwrite(out.buf.data(), 1, out.buf.size(), f);
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  if (a.kind_ == ValueKind::List && (a.packed() || b.packed())) {
    if (a.packed() && b.packed() && a.elem_ == b.elem_ && a.elem_kind() != ValueKind::F32 &&
        a.elem_kind() != ValueKind::F64)
      return a.str_ == b.str_;
    const size_t n = a.list_size();
    if (b.list_size() != n) return false;
    for (size_t i = 0; i < n; ++i)
      if (!(a.element(i) == b.element(i))) return false;
    return true;
  }
  switch (a.kind_) {
    case ValueKind::F32:
      if (is_nan32(a.f32_bits()) && is_nan32(b.f32_bits())) return true;
      return a.bits_ == b.bits_;
    case ValueKind::F64:
      if (is_nan64(a.bits_) && is_nan64(b.bits_)) return true;
      return a.bits_ == b.bits_;
    case ValueKind::String: return a.str_ == b.str_;
    case ValueKind::Variant: case ValueKind::Enum:
      return a.str_ == b.str_ && a.items_ == b.items_;
    case ValueKind::Record: return a.labels_ == b.labels_ && a.items_ == b.items_;
    case ValueKind::Flags: return a.labels_ == b.labels_;
    case ValueKind::List: case ValueKind::Tuple: return a.items_ == b.items_;
    case ValueKind::Option: case ValueKind::Result: return a.bits_ == b.bits_ && a.items_ == b.items_;
    case ValueKind::Own: case ValueKind::Borrow: case ValueKind::Stream: case ValueKind::Future:
    case ValueKind::ErrorContext:
      return a.resource_.type == b.resource_.type && a.resource_.rep == b.resource_.rep;
    default: return a.bits_ == b.bits_;
  }
}

}  // namespace rill
