// parse_wave (wave.h): a recursive-descent reader over the expected type, so `1` is read as
// whatever integer type the parameter has and a label is looked up among its type's cases.
#include "rill/component/rt/wave.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "rill/component/rt/unicode.h"

namespace rill::component::rt {
namespace {

/// Deepest nesting of lists, records, ... a text may have (the text is user input).
constexpr int kMaxDepth = 100;

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  Result<Value> value(const RType& t, int depth = 0) {
    if (depth > kMaxDepth) return fail("nesting deeper than 100");
    skip_ws();
    switch (t.kind) {
      case TK::Bool: {
        std::string_view w = word();
        if (w == "true") return Value::boolean(true);
        if (w == "false") return Value::boolean(false);
        return fail("expected true or false", w.size());
      }
      case TK::S8: return signed_int(t.kind, std::numeric_limits<int8_t>::min(), std::numeric_limits<int8_t>::max());
      case TK::S16: return signed_int(t.kind, std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max());
      case TK::S32: return signed_int(t.kind, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
      case TK::S64: return signed_int(t.kind, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
      case TK::U8: return unsigned_int(t.kind, std::numeric_limits<uint8_t>::max());
      case TK::U16: return unsigned_int(t.kind, std::numeric_limits<uint16_t>::max());
      case TK::U32: return unsigned_int(t.kind, std::numeric_limits<uint32_t>::max());
      case TK::U64: return unsigned_int(t.kind, std::numeric_limits<uint64_t>::max());
      case TK::F32:
      case TK::F64: return floating(t.kind == TK::F32);
      case TK::Char: {
        auto s = quoted('\'');
        if (!s) return std::move(s).error();
        if (s->size() != 1) return fail("a char literal holds exactly one character");
        return Value::character((*s)[0]);
      }
      case TK::String: {
        auto s = quoted('"');
        if (!s) return std::move(s).error();
        std::string utf8;
        for (char32_t c : *s) append_utf8(c, utf8);
        return Value::string(std::move(utf8));
      }
      case TK::List:
      case TK::FixedList: {
        std::vector<Value> items;
        auto r = sequence('[', ']', [&](size_t) -> Result<void> {
          auto v = value(*t.elems[0], depth + 1);
          if (!v) return std::move(v).error();
          items.push_back(std::move(*v));
          return {};
        });
        if (!r) return std::move(r).error();
        if (t.kind == TK::FixedList && items.size() != t.length)
          return fail("expected " + std::to_string(t.length) + " elements, got " + std::to_string(items.size()));
        return Value::list(std::move(items));
      }
      case TK::Tuple: {
        std::vector<Value> items;
        auto r = sequence('(', ')', [&](size_t i) -> Result<void> {
          if (i >= t.elems.size()) return fail("more tuple elements than the type's " + std::to_string(t.elems.size()));
          auto v = value(*t.elems[i], depth + 1);
          if (!v) return std::move(v).error();
          items.push_back(std::move(*v));
          return {};
        });
        if (!r) return std::move(r).error();
        if (items.size() != t.elems.size())
          return fail("expected a tuple of " + std::to_string(t.elems.size()) + " elements");
        return Value::tuple(std::move(items));
      }
      case TK::Record: return record(t, depth);
      case TK::Flags: {
        std::vector<std::string> set;
        auto r = sequence('{', '}', [&](size_t) -> Result<void> {
          auto l = label();
          if (!l) return std::move(l).error();
          if (index_of(t.labels, *l) < 0) return fail("no flag `" + *l + "` in " + to_string(t));
          set.push_back(*l);
          return {};
        });
        if (!r) return std::move(r).error();
        return Value::flags(std::move(set));
      }
      case TK::Enum:
      case TK::Variant:
      case TK::Option:
      case TK::Result: return cased(t, depth);
      default: return fail("values of type " + to_string(t) + " cannot be written as text");
    }
  }

  /// Ends the text: only white space may remain.
  Result<void> end() {
    skip_ws();
    if (pos_ != s_.size()) return fail("unexpected text after the value");
    return {};
  }

  /// {f}(i) for each comma-separated element up to end of text; the count.
  template <class F>
  Result<size_t> list_to_end(F f) {
    size_t n = 0;
    for (;;) {
      skip_ws();
      if (pos_ == s_.size()) return n;
      RILL_CHECK_OK(f(n++));
      skip_ws();
      if (pos_ == s_.size()) return n;
      if (s_[pos_] != ',') return fail("expected `,`");
      ++pos_;
    }
  }

  Error fail(const std::string& what, size_t back = 0) const {
    return Error{what + " at offset " + std::to_string(pos_ >= back ? pos_ - back : 0)};
  }

 private:
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  static bool word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '+';
  }
  std::string_view word() {
    size_t start = pos_;
    while (pos_ < s_.size() && word_char(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  /// A label: kebab-case, with an optional `%` before it.
  Result<std::string> label() {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '%') ++pos_;
    size_t start = pos_;
    while (pos_ < s_.size() && ((s_[pos_] >= 'a' && s_[pos_] <= 'z') || (s_[pos_] >= 'A' && s_[pos_] <= 'Z') ||
                                (s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '-'))
      ++pos_;
    if (start == pos_) return fail("expected a label");
    return std::string(s_.substr(start, pos_ - start));
  }
  static int index_of(const std::vector<std::string>& labels, const std::string& l) {
    for (size_t i = 0; i < labels.size(); ++i)
      if (labels[i] == l) return static_cast<int>(i);
    return -1;
  }
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  /// `{open} elem, elem, {close}` (trailing comma allowed), {f}(i) reading element i.
  template <class F>
  Result<void> sequence(char open, char close, F f) {
    if (!eat(open)) return fail(std::string("expected `") + open + "`");
    for (size_t i = 0;; ++i) {
      if (eat(close)) return {};
      RILL_CHECK_OK(f(i));
      if (eat(close)) return {};
      if (!eat(',')) return fail(std::string("expected `,` or `") + close + "`");
    }
  }

  Result<Value> signed_int(TK k, int64_t lo, int64_t hi) {
    std::string_view w = word();
    std::string text(w);
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi)
      return fail("expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi), w.size());
    switch (k) {
      case TK::S8: return Value::s8(static_cast<int8_t>(v));
      case TK::S16: return Value::s16(static_cast<int16_t>(v));
      case TK::S32: return Value::s32(static_cast<int32_t>(v));
      default: return Value::s64(v);
    }
  }
  Result<Value> unsigned_int(TK k, uint64_t hi) {
    std::string_view w = word();
    std::string text(w);
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || text[0] == '-' || text[0] == '+' || *end != '\0' || errno == ERANGE || v > hi)
      return fail("expected an integer in 0.." + std::to_string(hi), w.size());
    switch (k) {
      case TK::U8: return Value::u8(static_cast<uint8_t>(v));
      case TK::U16: return Value::u16(static_cast<uint16_t>(v));
      case TK::U32: return Value::u32(static_cast<uint32_t>(v));
      default: return Value::u64(v);
    }
  }
  Result<Value> floating(bool f32) {
    size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    std::string_view w = word();
    std::string text(s_.substr(start, pos_ - start));
    double d;
    if (w == "nan") {
      if (text[0] == '-') return fail("expected a number", text.size());
      d = std::numeric_limits<double>::quiet_NaN();
    } else if (w == "inf") {
      d = text[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    } else {
      char* end = nullptr;
      d = std::strtod(text.c_str(), &end);
      // strtod also reads hex, "infinity" and "nan(...)": WAVE has decimal numbers only.
      bool decimal = !w.empty() && (w[0] >= '0' && w[0] <= '9');
      for (char c : w) decimal = decimal && c != 'x' && c != 'X';
      if (text.empty() || *end != '\0' || !decimal) return fail("expected a number", text.size());
      if (!std::isfinite(f32 ? static_cast<float>(d) : d)) return fail("number out of range", text.size());
    }
    return f32 ? Value::f32(static_cast<float>(d)) : Value::f64(d);
  }

  /// A '...' or "..." literal's code points.
  Result<std::u32string> quoted(char q) {
    if (!eat(q)) return fail(std::string("expected ") + (q == '"' ? "a string literal" : "a char literal"));
    std::u32string out;
    while (pos_ < s_.size() && s_[pos_] != q) {
      char32_t c;
      if (s_[pos_] == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) break;
        char e = s_[pos_++];
        switch (e) {
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          case '\\': c = '\\'; break;
          case '\'': c = '\''; break;
          case '"': c = '"'; break;
          case 'u': {
            if (pos_ >= s_.size() || s_[pos_] != '{') return fail("expected `{` after \\u");
            size_t close = s_.find('}', pos_);
            if (close == std::string_view::npos || close == pos_ + 1 || close - pos_ > 7) return fail("bad \\u{...} escape");
            std::string hex(s_.substr(pos_ + 1, close - pos_ - 1));
            char* end = nullptr;
            unsigned long v = std::strtoul(hex.c_str(), &end, 16);
            if (*end != '\0' || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return fail("bad \\u{...} escape");
            c = static_cast<char32_t>(v);
            pos_ = close + 1;
            break;
          }
          default: return fail(std::string("unknown escape \\") + e);
        }
      } else {
        // One UTF-8 sequence.
        auto b = static_cast<unsigned char>(s_[pos_]);
        size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (n == 0 || pos_ + n > s_.size() || !valid_utf8(reinterpret_cast<const uint8_t*>(s_.data() + pos_), n))
          return fail("invalid UTF-8");
        c = n == 1 ? b : static_cast<char32_t>(b & (0x7F >> n));
        for (size_t i = 1; i < n; ++i) c = (c << 6) | (static_cast<unsigned char>(s_[pos_ + i]) & 0x3F);
        pos_ += n;
      }
      out.push_back(c);
    }
    if (pos_ >= s_.size()) return fail("unterminated literal");
    ++pos_;
    return out;
  }

  Result<Value> record(const RType& t, int depth) {
    std::vector<std::optional<Value>> fields(t.elems.size());
    auto r = sequence('{', '}', [&](size_t) -> Result<void> {
      auto l = label();
      if (!l) return std::move(l).error();
      int i = index_of(t.labels, *l);
      if (i < 0) return fail("no field `" + *l + "` in " + to_string(t));
      if (fields[i]) return fail("field `" + *l + "` given twice");
      if (!eat(':')) return fail("expected `:` after a field name");
      auto v = value(*t.elems[i], depth + 1);
      if (!v) return std::move(v).error();
      fields[i] = std::move(*v);
      return {};
    });
    if (!r) return std::move(r).error();
    std::vector<std::pair<std::string, Value>> out;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (!fields[i]) {
        if (t.elems[i]->kind != TK::Option) return fail("missing field `" + t.labels[i] + "`");
        fields[i] = Value::none();  // an option field left out is none
      }
      out.emplace_back(t.labels[i], std::move(*fields[i]));
    }
    return Value::record(std::move(out));
  }

  /// A case label, with `(payload)` when the case has one.
  Result<Value> cased(const RType& t, int depth) {
    auto l = label();
    if (!l) return std::move(l).error();
    std::vector<std::string> labels = t.labels;
    if (t.kind == TK::Result) labels = {"ok", "err"};
    int i = index_of(labels, *l);
    if (i < 0) return fail("no case `" + *l + "` in " + to_string(t), l->size());
    const RTypePtr& payload = t.elems[static_cast<size_t>(i)];
    std::optional<Value> p;
    if (payload) {
      if (!eat('(')) {
        if (t.kind != TK::Result) return fail("case `" + *l + "` takes a payload: `" + *l + "(...)`");
      } else {
        auto v = value(*payload, depth + 1);
        if (!v) return std::move(v).error();
        if (!eat(')')) return fail("expected `)`");
        p = std::move(*v);
      }
      if (t.kind == TK::Result && !p) return fail("case `" + *l + "` takes a payload: `" + *l + "(...)`");
    } else if (eat('(')) {
      return fail("case `" + *l + "` has no payload");
    }
    switch (t.kind) {
      case TK::Enum: return Value::enumeration(*l);
      case TK::Option: return i == 0 ? Value::none() : Value::some(std::move(*p));
      case TK::Result: return i == 0 ? Value::ok(std::move(p)) : Value::err(std::move(p));
      default: return Value::variant(*l, std::move(p));
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<Value> parse_wave(std::string_view text, const RType& t) {
  Reader r(text);
  auto v = r.value(t);
  if (!v) return std::move(v).error();
  RILL_CHECK_OK(r.end());
  return v;
}

Result<std::vector<Value>> parse_wave_args(std::string_view text, const FuncTypeRt& ft) {
  Reader r(text);
  std::vector<Value> out;
  auto n = r.list_to_end([&](size_t i) -> Result<void> {
    if (i >= ft.params.size())
      return r.fail("more arguments than the function's " + std::to_string(ft.params.size()));
    auto v = r.value(*ft.params[i]);
    if (!v) return std::move(v).error();
    out.push_back(std::move(*v));
    return {};
  });
  if (!n) return std::move(n).error();
  if (out.size() != ft.params.size())
    return Error{"expected " + std::to_string(ft.params.size()) + " arguments, got " + std::to_string(out.size())};
  return out;
}

}  // namespace rill::component::rt
