#include "rill/component/rt/abi.h"
#include "rill/component/rt/stream.h"
#include "rill/component/rt/task.h"

#include <cmath>
#include <cstring>

#include "rill/component/rt/unicode.h"

namespace rill::component::rt {
namespace {

constexpr uint64_t kMaxStringByteLength = (1u << 28) - 1;
constexpr uint64_t kMaxListByteLength = (1u << 28) - 1;
constexpr uint32_t kUtf16Tag = 1u << 31;
constexpr uint32_t kCanonicalNan32 = 0x7fc00000;
constexpr uint64_t kCanonicalNan64 = 0x7ff8000000000000ull;

uint32_t canon32(uint32_t bits) {
  return ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu)) ? kCanonicalNan32 : bits;
}
uint64_t canon64(uint64_t bits) {
  return ((bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (bits & 0x000fffffffffffffull))
             ? kCanonicalNan64
             : bits;
}

uint64_t read_int(const uint8_t* p, uint32_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);  // little-endian host
  return v;
}
void write_int(uint8_t* p, uint64_t v, uint32_t n) { std::memcpy(p, &v, n); }

const char* kind_name(TK k) {
  switch (k) {
    case TK::Bool: return "bool";
    case TK::String: return "string";
    case TK::List: case TK::FixedList: case TK::Map: return "list";
    case TK::Record: return "record";
    case TK::Tuple: return "tuple";
    case TK::Variant: return "variant";
    case TK::Enum: return "enum";
    case TK::Option: return "option";
    case TK::Result: return "result";
    case TK::Flags: return "flags";
    case TK::Own: return "own";
    case TK::Borrow: return "borrow";
    case TK::Stream: return "stream";
    case TK::Future: return "future";
    case TK::ErrorContext: return "error-context";
    default: return "number";
  }
}

ValueKind value_kind(TK k) {
  switch (k) {
    case TK::Bool: return ValueKind::Bool;
    case TK::S8: return ValueKind::S8;
    case TK::U8: return ValueKind::U8;
    case TK::S16: return ValueKind::S16;
    case TK::U16: return ValueKind::U16;
    case TK::S32: return ValueKind::S32;
    case TK::U32: return ValueKind::U32;
    case TK::S64: return ValueKind::S64;
    case TK::U64: return ValueKind::U64;
    case TK::F32: return ValueKind::F32;
    case TK::F64: return ValueKind::F64;
    case TK::Char: return ValueKind::Char;
    case TK::String: return ValueKind::String;
    case TK::List: case TK::FixedList: case TK::Map: return ValueKind::List;
    case TK::Record: return ValueKind::Record;
    case TK::Tuple: return ValueKind::Tuple;
    case TK::Variant: return ValueKind::Variant;
    case TK::Enum: return ValueKind::Enum;
    case TK::Option: return ValueKind::Option;
    case TK::Result: return ValueKind::Result;
    case TK::Flags: return ValueKind::Flags;
    case TK::Own: return ValueKind::Own;
    case TK::Borrow: return ValueKind::Borrow;
    case TK::Stream: return ValueKind::Stream;
    case TK::Future: return ValueKind::Future;
    case TK::ErrorContext: return ValueKind::ErrorContext;
    default: return ValueKind::Bool;
  }
}

/// Scalar bits of an integer of kind {k} read as {n} bytes (sign-extended for signed kinds).
uint64_t extend(TK k, uint64_t raw) {
  switch (k) {
    case TK::S8: return static_cast<uint64_t>(int64_t{static_cast<int8_t>(raw)});
    case TK::S16: return static_cast<uint64_t>(int64_t{static_cast<int16_t>(raw)});
    case TK::S32: return static_cast<uint64_t>(int64_t{static_cast<int32_t>(raw)});
    case TK::U8: return raw & 0xff;
    case TK::U16: return raw & 0xffff;
    case TK::U32: return raw & 0xffffffff;
    default: return raw;
  }
}

/// The index of {v}'s case in variant-like {t}, or -1.
int64_t case_index(const RType& t, const Value& v) {
  switch (t.kind) {
    case TK::Option: return v.is_some() ? 1 : 0;
    case TK::Result: return v.is_err() ? 1 : 0;
    default:
      for (size_t i = 0; i < t.labels.size(); ++i)
        if (t.labels[i] == v.str()) return static_cast<int64_t>(i);
      return -1;
  }
}

/// Kinds a list holds packed (Value::packed_list): numbers, bools and chars.
bool packable(TK k) { return k >= TK::Bool && k <= TK::Char; }

/// Counts one level of lift/lower nesting for its lifetime.
struct Nest {
  Cx& cx;
  bool ok;
  explicit Nest(Cx& c) : cx(c), ok(++c.depth <= kMaxValueDepth) {}
  ~Nest() { --cx.depth; }
  Nest(const Nest&) = delete;
  Nest& operator=(const Nest&) = delete;
};
bool too_deep(Cx& cx) {
  return cx.fail(ComponentTrap::HostValueMismatch, "value nesting deeper than " + std::to_string(kMaxValueDepth) + " levels");
}

bool check_kind(Cx& cx, const RType& t, const Value& v) {
  if (v.kind() == value_kind(t.kind)) return true;
  return cx.fail(ComponentTrap::HostValueMismatch, std::string("type mismatch: expected a ") + kind_name(t.kind) + " value, got " +
                 to_string(v.kind()));
}

// ---- resources ------------------------------------------------------------------------------

bool lift_own(Cx& cx, uint32_t i, const RType& t, Value& out) {
  HandleEntry* h = cx.inst->handles.get(i);
  if (!h) return cx.fail_handle(ComponentTrap::UnknownHandle, i);
  if (h->rt != t.resource) return cx.fail_handle(ComponentTrap::WrongHandleType, i);
  if (h->num_lends != 0) return cx.fail_handle(ComponentTrap::OwnBorrowed, i);
  if (!h->own) return cx.fail_handle(ComponentTrap::BorrowNotOwn, i);
  HandleEntry e = cx.inst->handles.remove(i);
  out = Value::own(ResourceRef{std::shared_ptr<const void>(e.rt, e.rt.get()), e.rep});
  return true;
}

bool lift_borrow(Cx& cx, uint32_t i, const RType& t, Value& out) {
  HandleEntry* h = cx.inst->handles.get(i);
  if (!h) return cx.fail_handle(ComponentTrap::UnknownHandle, i);
  if (h->rt != t.resource) return cx.fail_handle(ComponentTrap::WrongHandleType, i);
  if (cx.lenders) {
    h->num_lends++;
    cx.lenders->inst = cx.inst;
    cx.lenders->lent.push_back(i);
  }
  out = Value::borrow(ResourceRef{std::shared_ptr<const void>(h->rt, h->rt.get()), h->rep});
  return true;
}

bool lower_handle(Cx& cx, const Value& v, const RType& t, uint32_t& out) {
  if (!check_kind(cx, t, v)) return false;
  if (v.resource().type.get() != static_cast<const void*>(t.resource.get()))
    return cx.fail(ComponentTrap::HostValueMismatch, "resource of the wrong type passed as " + to_string(t));
  if (t.kind == TK::Own) {
    out = cx.inst->handles.add(HandleEntry{t.resource, v.resource().rep, true, nullptr, 0});
    if (out == 0) return cx.fail(ComponentTrap::HandleTableFull);
    return true;
  }
  if (t.resource->impl == cx.inst) {
    out = v.resource().rep;
    return true;
  }
  out = cx.inst->handles.add(HandleEntry{t.resource, v.resource().rep, false, cx.task, 0});
  if (out == 0) return cx.fail(ComponentTrap::HandleTableFull);
  if (cx.task) cx.task->num_borrows++;
  return true;
}

// ---- strings --------------------------------------------------------------------------------

bool load_string_from_range(Cx& cx, uint64_t ptr, uint64_t tagged, Value& out) {
  using E = CanonOpts::Encoding;
  uint64_t byte_length = tagged;
  uint32_t align = 1;
  enum { U8, U16, L1 } enc = U8;
  switch (cx.opts.encoding) {
    case E::Utf8: break;
    case E::Utf16: align = 2; byte_length = 2 * tagged; enc = U16; break;
    case E::Latin1Utf16:
      align = 2;
      if (tagged & kUtf16Tag) {
        byte_length = 2 * (tagged ^ kUtf16Tag);
        enc = U16;
      } else {
        enc = L1;
      }
      break;
  }
  if (byte_length > kMaxStringByteLength) return cx.fail(ComponentTrap::StringTooLong);
  if (!cx.check_range(ptr, byte_length, align, Cx::Region::String)) return false;
  // UTF-8 in the host: at most 3 bytes per UTF-16 unit, 2 per Latin-1 byte.
  if (!cx.charge(enc == U8 ? byte_length : enc == U16 ? byte_length / 2 * 3 : byte_length * 2))
    return false;
  const uint8_t* p = cx.mem() + ptr;
  out = ValueAccess::scalar(ValueKind::String, 0);
  std::string& s = ValueAccess::str(out);
  switch (enc) {
    case U8:
      if (const Utf8 u = check_utf8(p, byte_length); u != Utf8::Valid)
        return cx.fail(u == Utf8::Incomplete ? ComponentTrap::IncompleteUtf8 : ComponentTrap::InvalidUtf8);
      s.assign(reinterpret_cast<const char*>(p), byte_length);
      break;
    case U16:
      if (!utf16_to_utf8(p, byte_length / 2, s)) return cx.fail(ComponentTrap::InvalidUtf16);
      break;
    case L1: latin1_to_utf8(p, byte_length, s); break;
  }
  out.src_encoding = static_cast<uint8_t>(cx.opts.encoding);
  out.src_tagged_code_units = tagged;
  return true;
}

/// Allocates {size} bytes aligned to {align} with the realloc option and checks the result,
/// which holds {what} (strings unless said otherwise).
bool alloc(Cx& cx, uint32_t align, uint64_t size, uint32_t& ptr,
           Cx::Region what = Cx::Region::String) {
  if (!cx.reallocate(0, 0, align, static_cast<uint32_t>(size), ptr)) return false;
  return cx.check_range(ptr, size, align, what, true);
}
/// Shrinks or grows the string at {ptr} with the realloc option.
bool realloc_to(Cx& cx, uint32_t& ptr, uint64_t old_size, uint32_t align, uint64_t size) {
  if (!cx.reallocate(ptr, static_cast<uint32_t>(old_size), align, static_cast<uint32_t>(size), ptr))
    return false;
  return cx.check_range(ptr, size, align, Cx::Region::String, true);
}

/// store_string_to_utf8 (from UTF-16 or Latin-1 sources of {units} code units).
bool store_to_utf8(Cx& cx, const std::string& s, uint64_t units, uint64_t worst, uint32_t& ptr,
                   uint32_t& len) {
  if (!alloc(cx, 1, units, ptr)) return false;
  const auto* src = reinterpret_cast<const uint8_t*>(s.data());
  const size_t ascii = ascii_prefix(src, s.size());
  if (ascii == s.size()) {
    std::memcpy(cx.mem() + ptr, src, s.size());
    len = static_cast<uint32_t>(s.size());
    return true;
  }
  std::memcpy(cx.mem() + ptr, src, ascii);
  if (!realloc_to(cx, ptr, units, 1, worst)) return false;
  std::memcpy(cx.mem() + ptr + ascii, src + ascii, s.size() - ascii);
  if (worst > s.size() && !realloc_to(cx, ptr, worst, 1, s.size())) return false;
  len = static_cast<uint32_t>(s.size());
  return true;
}

bool store_string_into_range(Cx& cx, const Value& v, uint32_t& ptr, uint32_t& tagged_out) {
  using E = CanonOpts::Encoding;
  const std::string& s = v.str();
  // The source encoding and its code units (definitions.py String = (str, encoding, units)).
  E src_enc = static_cast<E>(v.src_encoding);
  uint64_t src_tagged = v.src_tagged_code_units;
  if (src_tagged == UINT64_MAX || v.src_encoding > 2) {
    src_enc = E::Utf8;
    src_tagged = s.size();
  }
  enum { U8, U16, L1 } simple = U8;
  uint64_t units = src_tagged;
  if (src_enc == E::Latin1Utf16) {
    if (src_tagged & kUtf16Tag) {
      simple = U16;
      units = src_tagged ^ kUtf16Tag;
    } else {
      simple = L1;
    }
  } else if (src_enc == E::Utf16) {
    simple = U16;
  }
  if (s.size() > kMaxStringByteLength) return cx.fail(ComponentTrap::StringTooLong);
  switch (cx.opts.encoding) {
    case E::Utf8: {
      if (simple == U8) {
        if (!alloc(cx, 1, s.size(), ptr)) return false;
        std::memcpy(cx.mem() + ptr, s.data(), s.size());
        tagged_out = static_cast<uint32_t>(s.size());
        return true;
      }
      return store_to_utf8(cx, s, units, simple == U16 ? units * 3 : units * 2, ptr, tagged_out);
    }
    case E::Utf16: {
      if (simple == U8) {
        const uint64_t worst = 2 * units;
        if (!alloc(cx, 2, worst, ptr)) return false;
        const size_t n16 = utf16_length(s);
        utf8_to_utf16(s, cx.mem() + ptr);
        if (2 * n16 < worst && !realloc_to(cx, ptr, worst, 2, 2 * n16)) return false;
        tagged_out = static_cast<uint32_t>(n16);
        return true;
      }
      // store_string_copy: every source code unit becomes one UTF-16 unit.
      if (!alloc(cx, 2, 2 * units, ptr)) return false;
      utf8_to_utf16(s, cx.mem() + ptr);
      tagged_out = static_cast<uint32_t>(units);
      return true;
    }
    case E::Latin1Utf16: {
      bool all_latin1 = false;
      const size_t cps = code_points(s, all_latin1);
      if (src_enc == E::Latin1Utf16 && simple == L1) {
        if (!alloc(cx, 2, units, ptr)) return false;
        utf8_to_latin1(s, cx.mem() + ptr);
        tagged_out = static_cast<uint32_t>(units);
        return true;
      }
      if (src_enc == E::Latin1Utf16) {  // store_probably_utf16_to_latin1_or_utf16
        const uint64_t bytes = 2 * units;
        if (!alloc(cx, 2, bytes, ptr)) return false;
        utf8_to_utf16(s, cx.mem() + ptr);
        if (!all_latin1) {
          tagged_out = static_cast<uint32_t>(utf16_length(s)) | kUtf16Tag;
          return true;
        }
        uint8_t* m = cx.mem() + ptr;
        for (size_t i = 0; i < cps; ++i) m[i] = m[2 * i];
        if (!cx.reallocate(ptr, static_cast<uint32_t>(bytes), 1, static_cast<uint32_t>(cps), ptr))
          return false;
        if (!cx.check_range(ptr, cps, 1, Cx::Region::String, true)) return false;
        tagged_out = static_cast<uint32_t>(cps);
        return true;
      }
      // store_string_to_latin1_or_utf16 (UTF-8 or UTF-16 sources).
      if (!alloc(cx, 2, units, ptr)) return false;
      if (all_latin1) {
        utf8_to_latin1(s, cx.mem() + ptr);
        if (cps < units && !realloc_to(cx, ptr, units, 2, cps)) return false;
        tagged_out = static_cast<uint32_t>(cps);
        return true;
      }
      // Write the Latin-1 prefix, then inflate to UTF-16 (the spec's exact realloc sequence).
      const uint64_t worst = 2 * units;
      const size_t prefix = utf8_latin1_prefix(s, cx.mem() + ptr);
      if (!realloc_to(cx, ptr, units, 2, worst)) return false;
      const size_t n16 = utf16_length(s);
      std::vector<uint8_t> enc(2 * n16);
      utf8_to_utf16(s, enc.data());
      uint8_t* m = cx.mem() + ptr;
      for (size_t j = prefix; j-- > 0;) {
        m[2 * j] = m[j];
        m[2 * j + 1] = 0;
      }
      std::memcpy(m + 2 * prefix, enc.data() + 2 * prefix, enc.size() - 2 * prefix);
      if (worst > enc.size() && !realloc_to(cx, ptr, worst, 2, enc.size())) return false;
      tagged_out = static_cast<uint32_t>(n16) | kUtf16Tag;
      return true;
    }
  }
  return cx.fail(ComponentTrap::NotSupported, "string encoding");
}

// ---- load / store ---------------------------------------------------------------------------

bool load(Cx& cx, uint64_t ptr, const RType& t, Value& out);
bool store(Cx& cx, const Value& v, const RType& t, uint64_t ptr);
bool store_list_into_range(Cx& cx, const Value& v, const RType& t, uint32_t& begin);

/// Lifts {n} elements of packable {elem} at {p} (in bounds) as one packed list: one memcpy,
/// then the per-element fix-ups lifting requires (bools to 0/1, chars checked, NaNs canonical).
bool load_packed(Cx& cx, const uint8_t* p, uint64_t n, const RType& elem, Value& out) {
  const uint64_t bytes = n * elem.size;
  if (!cx.charge(bytes)) return false;
  out = Value();
  std::string& s = ValueAccess::str(out);
  s.assign(reinterpret_cast<const char*>(p), bytes);
  ValueAccess::set_packed(out, value_kind(elem.kind));
  auto* d = reinterpret_cast<uint8_t*>(s.data());
  switch (elem.kind) {
    case TK::Bool:
      for (uint64_t i = 0; i < n; ++i) d[i] = d[i] != 0;
      break;
    case TK::Char:
      for (uint64_t i = 0; i < n; ++i) {
        const uint64_t c = read_int(d + 4 * i, 4);
        if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF)) return cx.fail(ComponentTrap::InvalidChar);
      }
      break;
    case TK::F32:
      for (uint64_t i = 0; i < n; ++i) write_int(d + 4 * i, canon32(static_cast<uint32_t>(read_int(d + 4 * i, 4))), 4);
      break;
    case TK::F64:
      for (uint64_t i = 0; i < n; ++i) write_int(d + 8 * i, canon64(read_int(d + 8 * i, 8)), 8);
      break;
    default: break;
  }
  return true;
}

bool load_list_from_range(Cx& cx, uint64_t ptr, uint64_t length, const RType& elem, Value& out) {
  const uint64_t bytes = length * elem.size;
  if (bytes > kMaxListByteLength) return cx.fail(ComponentTrap::ListTooLong);
  if (!cx.check_range(ptr, bytes, elem.align, Cx::Region::List)) return false;
  if (packable(elem.kind)) return load_packed(cx, cx.mem() + ptr, length, elem, out);
  // Every element is a Value in the host, whatever its size in guest memory (a zero-sized
  // element type still costs one).
  if (!cx.charge(length * sizeof(Value))) return false;
  out = Value::list({});
  auto& items = out.items();
  items.resize(length);
  for (uint64_t i = 0; i < length; ++i)
    if (!load(cx, ptr + i * elem.size, elem, items[i])) return false;
  return true;
}

bool packed_mismatch(Cx& cx, const RType& elem, const Value& v) {
  return cx.fail(ComponentTrap::HostValueMismatch, "type mismatch: expected a list of " + to_string(elem) + ", got a list of " +
                 to_string(v.elem_kind()));
}

/// Stores packed list {v}, whose element kind is {elem}'s, at {ptr} (in bounds): one memcpy.
bool store_packed(Cx& cx, const Value& v, const RType& elem, uint64_t ptr) {
  const std::span<const uint8_t> src = v.raw();
  const uint64_t n = v.list_size();
  if (elem.kind == TK::Char)
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t c = read_int(src.data() + 4 * i, 4);
      if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF)) return cx.fail(ComponentTrap::InvalidChar);
    }
  uint8_t* d = cx.mem() + ptr;
  std::memcpy(d, src.data(), src.size());
  if (elem.kind == TK::F32)
    for (uint64_t i = 0; i < n; ++i) write_int(d + 4 * i, canon32(static_cast<uint32_t>(read_int(d + 4 * i, 4))), 4);
  if (elem.kind == TK::F64)
    for (uint64_t i = 0; i < n; ++i) write_int(d + 8 * i, canon64(read_int(d + 8 * i, 8)), 8);
  return true;
}

bool load_variant_payload(const RType& t, uint64_t index, Value& out) {
  switch (t.kind) {
    case TK::Option: out = ValueAccess::scalar(ValueKind::Option, index); break;
    case TK::Result: out = ValueAccess::scalar(ValueKind::Result, index); break;
    case TK::Enum:
      out = ValueAccess::scalar(ValueKind::Enum, index);
      ValueAccess::str(out) = t.labels[index];
      break;
    default:
      out = ValueAccess::scalar(ValueKind::Variant, index);
      ValueAccess::str(out) = t.labels[index];
      break;
  }
  return true;
}

Value lift_flags(const RType& t, uint64_t bits) {
  Value v = ValueAccess::scalar(ValueKind::Flags, 0);
  auto& set = ValueAccess::labels(v);
  for (size_t i = 0; i < t.labels.size(); ++i)
    if (bits & (uint64_t{1} << i)) set.push_back(t.labels[i]);
  return v;
}

bool pack_flags(Cx& cx, const RType& t, const Value& v, uint32_t& bits) {
  if (!check_kind(cx, t, v)) return false;
  bits = 0;
  for (const auto& l : v.labels()) {
    size_t i = 0;
    while (i < t.labels.size() && t.labels[i] != l) ++i;
    if (i == t.labels.size()) return cx.fail(ComponentTrap::HostValueMismatch, "unknown flag " + l);
    bits |= 1u << i;
  }
  return true;
}

bool lift_char(Cx& cx, uint64_t i, Value& out) {
  if (i >= 0x110000 || (i >= 0xD800 && i <= 0xDFFF)) return cx.fail(ComponentTrap::InvalidChar);
  out = Value::character(static_cast<char32_t>(i));
  return true;
}

bool check_char(Cx& cx, const Value& v) {
  const uint32_t c = v.as_char();
  if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF)) return cx.fail(ComponentTrap::InvalidChar);
  return true;
}

Value make_record_value(const RType& t) {
  Value v = t.kind == TK::Tuple ? Value::tuple({}) : ValueAccess::scalar(ValueKind::Record, 0);
  if (t.kind == TK::Record) ValueAccess::labels(v) = t.labels;
  v.items().resize(t.elems.size());
  return v;
}
/// make_record_value for a lifted value: its fields count against the budget.
bool lift_record_value(Cx& cx, const RType& t, Value& out) {
  if (!cx.charge(t.elems.size() * sizeof(Value))) return false;
  out = make_record_value(t);
  return true;
}

bool load(Cx& cx, uint64_t ptr, const RType& t, Value& out) {
  const Nest nest(cx);
  if (!nest.ok) return too_deep(cx);
  const uint8_t* p = cx.mem() + ptr;
  switch (t.kind) {
    case TK::Bool: out = Value::boolean(p[0] != 0); return true;
    case TK::S8: case TK::U8: case TK::S16: case TK::U16: case TK::S32: case TK::U32:
    case TK::S64: case TK::U64:
      out = ValueAccess::scalar(value_kind(t.kind), extend(t.kind, read_int(p, t.size)));
      return true;
    case TK::F32: out = Value::f32_bits(canon32(static_cast<uint32_t>(read_int(p, 4)))); return true;
    case TK::F64: out = Value::f64_bits(canon64(read_int(p, 8))); return true;
    case TK::Char: return lift_char(cx, read_int(p, 4), out);
    case TK::String: return load_string_from_range(cx, read_int(p, 4), read_int(p + 4, 4), out);
    case TK::List: case TK::Map:
      return load_list_from_range(cx, read_int(p, 4), read_int(p + 4, 4), *t.elems[0], out);
    case TK::FixedList: {
      if (packable(t.elems[0]->kind)) return load_packed(cx, p, t.length, *t.elems[0], out);
      if (!cx.charge(uint64_t{t.length} * sizeof(Value))) return false;
      out = Value::list({});
      out.items().resize(t.length);
      for (uint32_t i = 0; i < t.length; ++i)
        if (!load(cx, ptr + uint64_t{i} * t.elems[0]->size, *t.elems[0], out.items()[i])) return false;
      return true;
    }
    case TK::Record: case TK::Tuple: {
      if (!lift_record_value(cx, t, out)) return false;
      for (size_t i = 0; i < t.elems.size(); ++i)
        if (!load(cx, ptr + t.offsets[i], *t.elems[i], out.items()[i])) return false;
      return true;
    }
    case TK::Variant: case TK::Enum: case TK::Option: case TK::Result: {
      const uint64_t index = read_int(p, t.disc_size);
      if (index >= t.elems.size()) return cx.fail(ComponentTrap::InvalidDiscriminant, std::to_string(index));
      load_variant_payload(t, index, out);
      if (const auto& c = t.elems[index]) {
        if (!cx.charge(sizeof(Value))) return false;
        out.items().emplace_back();
        return load(cx, ptr + t.payload_offset, *c, out.items()[0]);
      }
      return true;
    }
    case TK::Flags: out = lift_flags(t, read_int(p, t.size)); return true;
    case TK::Own: return lift_own(cx, static_cast<uint32_t>(read_int(p, 4)), t, out);
    case TK::Borrow: return lift_borrow(cx, static_cast<uint32_t>(read_int(p, 4)), t, out);
    case TK::Stream: case TK::Future: return lift_async_end(cx, static_cast<uint32_t>(read_int(p, 4)), t, out);
    case TK::ErrorContext: return lift_error_context(cx, static_cast<uint32_t>(read_int(p, 4)), out);
    default: return cx.fail(ComponentTrap::NotSupported, std::string("lifting ") + to_string(t));
  }
}

/// store_list_into_range: allocates the list's elements and stores them; {begin} is where.
bool store_list_into_range(Cx& cx, const Value& v, const RType& t, uint32_t& begin) {
  if (!check_kind(cx, t, v)) return false;
  const RType& e = *t.elems[0];
  const uint64_t bytes = uint64_t{v.list_size()} * e.size;
  if (bytes > kMaxListByteLength) return cx.fail(ComponentTrap::ListTooLong);
  if (v.packed() && (!packable(e.kind) || v.elem_kind() != value_kind(e.kind)))
    return packed_mismatch(cx, e, v);
  if (!alloc(cx, e.align, bytes, begin, Cx::Region::List)) return false;
  if (v.packed()) return store_packed(cx, v, e, begin);
  for (size_t i = 0; i < v.items().size(); ++i)
    if (!store(cx, v.items()[i], e, begin + i * e.size)) return false;
  return true;
}

bool store(Cx& cx, const Value& v, const RType& t, uint64_t ptr) {
  const Nest nest(cx);
  if (!nest.ok) return too_deep(cx);
  switch (t.kind) {
    case TK::Bool:
      if (!check_kind(cx, t, v)) return false;
      cx.mem()[ptr] = v.as_bool() ? 1 : 0;
      return true;
    case TK::S8: case TK::U8: case TK::S16: case TK::U16: case TK::S32: case TK::U32:
    case TK::S64: case TK::U64:
      if (!check_kind(cx, t, v)) return false;
      write_int(cx.mem() + ptr, v.as_u64(), t.size);
      return true;
    case TK::F32:
      if (!check_kind(cx, t, v)) return false;
      write_int(cx.mem() + ptr, canon32(v.f32_bits()), 4);
      return true;
    case TK::F64:
      if (!check_kind(cx, t, v)) return false;
      write_int(cx.mem() + ptr, canon64(v.f64_bits()), 8);
      return true;
    case TK::Char:
      if (!check_kind(cx, t, v) || !check_char(cx, v)) return false;
      write_int(cx.mem() + ptr, v.as_char(), 4);
      return true;
    case TK::String: {
      if (!check_kind(cx, t, v)) return false;
      uint32_t begin = 0, units = 0;
      if (!store_string_into_range(cx, v, begin, units)) return false;
      write_int(cx.mem() + ptr, begin, 4);
      write_int(cx.mem() + ptr + 4, units, 4);
      return true;
    }
    case TK::List: case TK::Map: {
      uint32_t begin = 0;
      if (!store_list_into_range(cx, v, t, begin)) return false;
      write_int(cx.mem() + ptr, begin, 4);
      write_int(cx.mem() + ptr + 4, v.list_size(), 4);
      return true;
    }
    case TK::FixedList: {
      if (!check_kind(cx, t, v)) return false;
      if (v.list_size() != t.length) return cx.fail(ComponentTrap::HostValueMismatch, "fixed-length list of the wrong length");
      if (v.packed()) {
        if (!packable(t.elems[0]->kind) || v.elem_kind() != value_kind(t.elems[0]->kind))
          return packed_mismatch(cx, *t.elems[0], v);
        return store_packed(cx, v, *t.elems[0], ptr);
      }
      for (uint32_t i = 0; i < t.length; ++i)
        if (!store(cx, v.items()[i], *t.elems[0], ptr + uint64_t{i} * t.elems[0]->size)) return false;
      return true;
    }
    case TK::Record: case TK::Tuple: {
      if (!check_kind(cx, t, v)) return false;
      if (v.items().size() != t.elems.size()) return cx.fail(ComponentTrap::HostValueMismatch, "record/tuple with the wrong number of fields");
      for (size_t i = 0; i < t.elems.size(); ++i)
        if (!store(cx, v.items()[i], *t.elems[i], ptr + t.offsets[i])) return false;
      return true;
    }
    case TK::Variant: case TK::Enum: case TK::Option: case TK::Result: {
      if (!check_kind(cx, t, v)) return false;
      const int64_t index = case_index(t, v);
      if (index < 0) return cx.fail(ComponentTrap::HostValueMismatch, "unknown case " + v.str());
      write_int(cx.mem() + ptr, static_cast<uint64_t>(index), t.disc_size);
      const auto& c = t.elems[index];
      if (!c) return true;
      if (!v.payload()) return cx.fail(ComponentTrap::HostValueMismatch, "missing payload for case " + t.labels[index]);
      return store(cx, *v.payload(), *c, ptr + t.payload_offset);
    }
    case TK::Flags: {
      uint32_t bits = 0;
      if (!pack_flags(cx, t, v, bits)) return false;
      write_int(cx.mem() + ptr, bits, t.size);
      return true;
    }
    case TK::Own: case TK::Borrow: {
      uint32_t h = 0;
      if (!lower_handle(cx, v, t, h)) return false;
      write_int(cx.mem() + ptr, h, 4);
      return true;
    }
    case TK::Stream: case TK::Future: case TK::ErrorContext: {
      uint32_t h = 0;
      if (!(t.kind == TK::ErrorContext ? lower_error_context(cx, v, h) : lower_async_end(cx, v, t, h))) return false;
      write_int(cx.mem() + ptr, h, 4);
      return true;
    }
    default: return cx.fail(ComponentTrap::NotSupported, std::string("lowering ") + to_string(t));
  }
}

// ---- flat -----------------------------------------------------------------------------------

struct FlatIn {
  std::span<const engine::Value> vals;
  size_t pos = 0;
  uint64_t next() {
    const engine::Value& v = vals[pos++];
    return v.type == wasm::kI32 || v.type == wasm::kF32 ? v.i32 : v.i64;
  }
};

bool lift_flat(Cx& cx, FlatIn& in, const RType& t, Value& out) {
  const Nest nest(cx);
  if (!nest.ok) return too_deep(cx);
  switch (t.kind) {
    case TK::Bool: out = Value::boolean(in.next() != 0); return true;
    case TK::S8: case TK::U8: case TK::S16: case TK::U16: case TK::S32: case TK::U32:
    case TK::S64: case TK::U64:
      out = ValueAccess::scalar(value_kind(t.kind), extend(t.kind, in.next()));
      return true;
    case TK::F32: out = Value::f32_bits(canon32(static_cast<uint32_t>(in.next()))); return true;
    case TK::F64: out = Value::f64_bits(canon64(in.next())); return true;
    case TK::Char: return lift_char(cx, in.next(), out);
    case TK::String: {
      const uint64_t ptr = in.next();
      return load_string_from_range(cx, ptr, in.next(), out);
    }
    case TK::List: case TK::Map: {
      const uint64_t ptr = in.next();
      return load_list_from_range(cx, ptr, in.next(), *t.elems[0], out);
    }
    case TK::FixedList: {
      const RType& e = *t.elems[0];
      if (packable(e.kind)) {  // each element from its own flat value, then packed
        if (!cx.charge(uint64_t{t.length} * e.size)) return false;
        std::string raw(uint64_t{t.length} * e.size, '\0');
        for (uint32_t i = 0; i < t.length; ++i) {
          Value x;
          if (!lift_flat(cx, in, e, x)) return false;
          write_int(reinterpret_cast<uint8_t*>(raw.data()) + uint64_t{i} * e.size, x.as_u64(), e.size);
        }
        out = Value::packed_list(value_kind(e.kind), std::move(raw));
        return true;
      }
      if (!cx.charge(uint64_t{t.length} * sizeof(Value))) return false;
      out = Value::list({});
      out.items().resize(t.length);
      for (uint32_t i = 0; i < t.length; ++i)
        if (!lift_flat(cx, in, e, out.items()[i])) return false;
      return true;
    }
    case TK::Record: case TK::Tuple:
      if (!lift_record_value(cx, t, out)) return false;
      for (size_t i = 0; i < t.elems.size(); ++i)
        if (!lift_flat(cx, in, *t.elems[i], out.items()[i])) return false;
      return true;
    case TK::Variant: case TK::Enum: case TK::Option: case TK::Result: {
      const uint64_t index = in.next() & 0xffffffffu;
      const size_t payload_words = t.flat.size() - 1;
      const size_t start = in.pos;
      if (index >= t.elems.size()) return cx.fail(ComponentTrap::InvalidDiscriminant, std::to_string(index));
      load_variant_payload(t, index, out);
      if (const auto& c = t.elems[index]) {
        // Coerce the joined flat types back to the case's own (CoerceValueIter).
        std::vector<engine::Value> tmp(c->flat.size());
        for (size_t j = 0; j < c->flat.size(); ++j) {
          const engine::Value& have = in.vals[start + j];
          const wasm::ValType want = c->flat[j];
          uint64_t bits = have.type == wasm::kI32 || have.type == wasm::kF32 ? have.i32 : have.i64;
          if (want == wasm::kI32 || want == wasm::kF32) bits &= 0xffffffffu;
          engine::Value x;
          x.type = want;
          x.i64 = bits;
          tmp[j] = x;
        }
        FlatIn sub{tmp, 0};
        if (!cx.charge(sizeof(Value))) return false;
        out.items().emplace_back();
        if (!lift_flat(cx, sub, *c, out.items()[0])) return false;
      }
      in.pos = start + payload_words;
      return true;
    }
    case TK::Flags: out = lift_flags(t, in.next() & 0xffffffffu); return true;
    case TK::Own: return lift_own(cx, static_cast<uint32_t>(in.next()), t, out);
    case TK::Borrow: return lift_borrow(cx, static_cast<uint32_t>(in.next()), t, out);
    case TK::Stream: case TK::Future: return lift_async_end(cx, static_cast<uint32_t>(in.next()), t, out);
    case TK::ErrorContext: return lift_error_context(cx, static_cast<uint32_t>(in.next()), out);
    default: return cx.fail(ComponentTrap::NotSupported, std::string("lifting ") + to_string(t));
  }
}

engine::Value flat_of(wasm::ValType t, uint64_t bits) {
  engine::Value v;
  v.type = t;
  v.i64 = (t == wasm::kI32 || t == wasm::kF32) ? (bits & 0xffffffffu) : bits;
  return v;
}

bool lower_flat(Cx& cx, const Value& v, const RType& t, std::vector<engine::Value>& out) {
  const Nest nest(cx);
  if (!nest.ok) return too_deep(cx);
  switch (t.kind) {
    case TK::Bool:
      if (!check_kind(cx, t, v)) return false;
      out.push_back(flat_of(wasm::kI32, v.as_bool() ? 1 : 0));
      return true;
    case TK::S8: case TK::U8: case TK::S16: case TK::U16: case TK::S32: case TK::U32:
      if (!check_kind(cx, t, v)) return false;
      out.push_back(flat_of(wasm::kI32, v.as_u64()));
      return true;
    case TK::S64: case TK::U64:
      if (!check_kind(cx, t, v)) return false;
      out.push_back(flat_of(wasm::kI64, v.as_u64()));
      return true;
    case TK::F32:
      if (!check_kind(cx, t, v)) return false;
      out.push_back(flat_of(wasm::kF32, canon32(v.f32_bits())));
      return true;
    case TK::F64:
      if (!check_kind(cx, t, v)) return false;
      out.push_back(flat_of(wasm::kF64, canon64(v.f64_bits())));
      return true;
    case TK::Char:
      if (!check_kind(cx, t, v) || !check_char(cx, v)) return false;
      out.push_back(flat_of(wasm::kI32, v.as_char()));
      return true;
    case TK::String: {
      if (!check_kind(cx, t, v)) return false;
      uint32_t ptr = 0, units = 0;
      if (!store_string_into_range(cx, v, ptr, units)) return false;
      out.push_back(flat_of(wasm::kI32, ptr));
      out.push_back(flat_of(wasm::kI32, units));
      return true;
    }
    case TK::List: case TK::Map: {
      uint32_t begin = 0;
      if (!store_list_into_range(cx, v, t, begin)) return false;
      out.push_back(flat_of(wasm::kI32, begin));
      out.push_back(flat_of(wasm::kI32, v.list_size()));
      return true;
    }
    case TK::FixedList:
      if (!check_kind(cx, t, v)) return false;
      if (v.list_size() != t.length) return cx.fail(ComponentTrap::HostValueMismatch, "fixed-length list of the wrong length");
      for (size_t i = 0; i < t.length; ++i) {
        if (v.packed() ? !lower_flat(cx, v.element(i), *t.elems[0], out)
                       : !lower_flat(cx, v.items()[i], *t.elems[0], out))
          return false;
      }
      return true;
    case TK::Record: case TK::Tuple:
      if (!check_kind(cx, t, v)) return false;
      if (v.items().size() != t.elems.size()) return cx.fail(ComponentTrap::HostValueMismatch, "record/tuple with the wrong number of fields");
      for (size_t i = 0; i < t.elems.size(); ++i)
        if (!lower_flat(cx, v.items()[i], *t.elems[i], out)) return false;
      return true;
    case TK::Variant: case TK::Enum: case TK::Option: case TK::Result: {
      if (!check_kind(cx, t, v)) return false;
      const int64_t index = case_index(t, v);
      if (index < 0) return cx.fail(ComponentTrap::HostValueMismatch, "unknown case " + v.str());
      out.push_back(flat_of(wasm::kI32, static_cast<uint64_t>(index)));
      const size_t first = out.size();
      if (const auto& c = t.elems[index]) {
        if (!v.payload()) return cx.fail(ComponentTrap::HostValueMismatch, "missing payload for case " + t.labels[index]);
        if (!lower_flat(cx, *v.payload(), *c, out)) return false;
      }
      // Widen each payload word to the joined type, then pad with zeros.
      for (size_t j = 0; j + 1 < t.flat.size(); ++j) {
        const wasm::ValType want = t.flat[j + 1];
        if (first + j < out.size()) {
          engine::Value& x = out[first + j];
          const uint64_t bits = x.type == wasm::kI32 || x.type == wasm::kF32 ? x.i32 : x.i64;
          x = flat_of(want, bits);
        } else {
          out.push_back(flat_of(want, 0));
        }
      }
      return true;
    }
    case TK::Flags: {
      uint32_t bits = 0;
      if (!pack_flags(cx, t, v, bits)) return false;
      out.push_back(flat_of(wasm::kI32, bits));
      return true;
    }
    case TK::Own: case TK::Borrow: {
      uint32_t h = 0;
      if (!lower_handle(cx, v, t, h)) return false;
      out.push_back(flat_of(wasm::kI32, h));
      return true;
    }
    case TK::Stream: case TK::Future: case TK::ErrorContext: {
      uint32_t h = 0;
      if (!(t.kind == TK::ErrorContext ? lower_error_context(cx, v, h) : lower_async_end(cx, v, t, h))) return false;
      out.push_back(flat_of(wasm::kI32, h));
      return true;
    }
    default: return cx.fail(ComponentTrap::NotSupported, std::string("lowering ") + to_string(t));
  }
}

}  // namespace

engine::Value zero_value(wasm::ValType t) { return flat_of(t, 0); }

Value zero_value_of(const RType& t) {
  switch (t.kind) {
    case TK::String: return Value::string("");
    case TK::List: case TK::Map: return Value::list({});
    case TK::FixedList: {
      std::vector<Value> items;
      for (uint32_t i = 0; i < t.length; ++i) items.push_back(zero_value_of(*t.elems[0]));
      return Value::list(std::move(items));
    }
    case TK::Record: case TK::Tuple: {
      Value v = make_record_value(t);
      for (size_t i = 0; i < t.elems.size(); ++i) v.items()[i] = zero_value_of(*t.elems[i]);
      return v;
    }
    case TK::Variant: case TK::Enum: case TK::Option: case TK::Result: {
      Value v;
      load_variant_payload(t, 0, v);
      if (t.elems[0]) v.items().push_back(zero_value_of(*t.elems[0]));
      return v;
    }
    case TK::Flags: return Value::flags({});
    case TK::Own: case TK::Borrow: {
      ResourceRef r{std::shared_ptr<const void>(t.resource, t.resource.get()), 0};
      return t.kind == TK::Own ? Value::own(std::move(r)) : Value::borrow(std::move(r));
    }
    case TK::Char: return Value::character(0);
    default: return ValueAccess::scalar(value_kind(t.kind), 0);
  }
}

bool Cx::reallocate(uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size,
                    uint32_t& ptr) {
  if (!opts.realloc) return fail(ComponentTrap::BadCanonOption, "no realloc");
  engine::Value args[4] = {flat_of(wasm::kI32, old_ptr), flat_of(wasm::kI32, old_size),
                           flat_of(wasm::kI32, align), flat_of(wasm::kI32, new_size)};
  std::vector<engine::Value> res;
  inst->may_leave = false;
  MaybeTrap t = inst->store->call(opts.realloc, args, res);
  inst->may_leave = true;
  if (t) {
    trap = std::move(t);
    return false;
  }
  if (res.size() != 1 || res[0].type != wasm::kI32)
    return fail(ComponentTrap::BadCanonOption, "realloc returned the wrong type");
  ptr = res[0].i32;
  return true;
}

bool Cx::charge(uint64_t bytes) {
  if (bytes <= budget) {
    budget -= bytes;
    return true;
  }
  return fail(ComponentTrap::LiftBudget,
              std::to_string(inst->store->engine().config().max_lift_bytes) +
                  " bytes (engine Config::max_lift_bytes)");
}

namespace {
/// The trap for a range that check_range refused (definitions.py load_string_from_range,
/// load_list_from_range, store_string_copy, ...): Wasmtime words it per region and side.
ComponentTrap range_trap(Cx::Region what, bool from_realloc, bool unaligned, bool host_peer) {
  using R = Cx::Region;
  using T = ComponentTrap;
  if (host_peer && from_realloc) return unaligned ? T::ReallocUnaligned : T::ReallocOutOfBounds;
  if (unaligned) return T::UnalignedPointer;
  switch (what) {
    case R::String: return host_peer ? T::HostStringOutOfBounds : T::StringOutOfBounds;
    case R::List: return host_peer ? T::HostListOutOfBounds : T::ListOutOfBounds;
    case R::Values: break;
  }
  return T::ValuesOutOfBounds;
}
}  // namespace

bool Cx::check_range(uint64_t ptr, uint64_t len, uint32_t align, Region what, bool from_realloc) {
  if (!opts.memory) return fail(ComponentTrap::BadCanonOption, "no memory");
  const bool unaligned = align > 1 && ptr % align != 0;
  if (!unaligned && ptr + len <= opts.memory->size_bytes()) return true;
  return fail(range_trap(what, from_realloc, unaligned, host_peer),
              "pointer " + std::to_string(ptr) + ", " + std::to_string(len) + " bytes, alignment " +
                  std::to_string(align));
}

bool lift_flat_values(Cx& cx, uint32_t max_flat, std::span<const engine::Value> flat, size_t& pos,
                      const std::vector<RTypePtr>& ts, const RTypePtr& tuple,
                      std::vector<Value>& out) {
  out.resize(ts.size());
  if (tuple->flat.size() > max_flat) {
    FlatIn in{flat, pos};
    const uint64_t ptr = in.next();
    pos = in.pos;
    if (!cx.check_range(ptr, tuple->size, tuple->align, Cx::Region::Values)) return false;
    for (size_t i = 0; i < ts.size(); ++i)
      if (!load(cx, ptr + tuple->offsets[i], *ts[i], out[i])) return false;
    return true;
  }
  FlatIn in{flat, pos};
  for (size_t i = 0; i < ts.size(); ++i)
    if (!lift_flat(cx, in, *ts[i], out[i])) return false;
  pos = in.pos;
  return true;
}

bool lower_flat_values(Cx& cx, uint32_t max_flat, std::span<const Value> vs,
                       const std::vector<RTypePtr>& ts, const RTypePtr& tuple,
                       std::vector<engine::Value>& out, std::optional<uint32_t> out_ptr) {
  if (vs.size() != ts.size())
    return cx.fail(ComponentTrap::HostValueMismatch, "expected " + std::to_string(ts.size()) + " values, got " + std::to_string(vs.size()));
  if (tuple->flat.size() > max_flat) {
    uint32_t ptr = 0;
    if (out_ptr) {
      ptr = *out_ptr;
      if (!cx.check_range(ptr, tuple->size, tuple->align, Cx::Region::Values)) return false;
    } else {
      if (!alloc(cx, tuple->align, tuple->size, ptr, Cx::Region::Values)) return false;
      out.push_back(flat_of(wasm::kI32, ptr));
    }
    for (size_t i = 0; i < ts.size(); ++i)
      if (!store(cx, vs[i], *ts[i], ptr + tuple->offsets[i])) return false;
    return true;
  }
  for (size_t i = 0; i < ts.size(); ++i)
    if (!lower_flat(cx, vs[i], *ts[i], out)) return false;
  return true;
}

bool store_string_at(Cx& cx, const std::string& s, uint32_t ptr) {
  return store(cx, Value::string(s), *prim(TK::String), ptr);
}

bool load_value(Cx& cx, uint64_t ptr, const RType& t, Value& out) { return load(cx, ptr, t, out); }
bool store_value(Cx& cx, const Value& v, const RType& t, uint64_t ptr) { return store(cx, v, t, ptr); }

}  // namespace rill::component::rt
