#include "rill/component/rt/rtype.h"

#include <algorithm>

namespace rill::component::rt {
namespace {

uint32_t align_to(uint32_t x, uint32_t a) { return (x + a - 1) / a * a; }

/// Flattened forms longer than this are only ever passed in memory, so they are not kept:
/// flat.size() == kFlatCap means "more than MAX_FLAT_PARAMS" (fixed-size lists can be huge).
constexpr size_t kFlatCap = kMaxFlatParams + 1;
void append_flat(std::vector<wasm::ValType>& into, const std::vector<wasm::ValType>& from) {
  for (wasm::ValType t : from) {
    if (into.size() >= kFlatCap) return;
    into.push_back(t);
  }
}

/// definitions.py join().
wasm::ValType join(wasm::ValType a, wasm::ValType b) {
  if (a == b) return a;
  if ((a == wasm::kI32 && b == wasm::kF32) || (a == wasm::kF32 && b == wasm::kI32)) return wasm::kI32;
  return wasm::kI64;
}

std::shared_ptr<RType> make_prim(TK k) {
  auto t = std::make_shared<RType>();
  t->kind = k;
  switch (k) {
    case TK::Bool: case TK::S8: case TK::U8: t->size = 1; t->align = 1; t->flat = {wasm::kI32}; break;
    case TK::S16: case TK::U16: t->size = 2; t->align = 2; t->flat = {wasm::kI32}; break;
    case TK::S32: case TK::U32: case TK::Char: case TK::ErrorContext:
      t->size = 4; t->align = 4; t->flat = {wasm::kI32}; break;
    case TK::S64: case TK::U64: t->size = 8; t->align = 8; t->flat = {wasm::kI64}; break;
    case TK::F32: t->size = 4; t->align = 4; t->flat = {wasm::kF32}; break;
    case TK::F64: t->size = 8; t->align = 8; t->flat = {wasm::kF64}; break;
    case TK::String: t->size = 8; t->align = 4; t->flat = {wasm::kI32, wasm::kI32}; break;
    default: break;
  }
  return t;
}

void finish_record(RType& t) {
  uint32_t s = 0, a = 1;
  for (const auto& f : t.elems) {
    s = align_to(s, f->align);
    t.offsets.push_back(s);
    s += f->size;
    a = std::max(a, f->align);
    append_flat(t.flat, f->flat);
    t.has_borrow |= f->has_borrow;
    t.has_own |= f->has_own;
  }
  t.align = a;
  t.size = align_to(s, a);
}

}  // namespace

RTypePtr prim(TK k) {
  static const RTypePtr table[] = {
      make_prim(TK::Bool), make_prim(TK::S8),  make_prim(TK::U8),  make_prim(TK::S16),
      make_prim(TK::U16),  make_prim(TK::S32), make_prim(TK::U32), make_prim(TK::S64),
      make_prim(TK::U64),  make_prim(TK::F32), make_prim(TK::F64), make_prim(TK::Char),
      make_prim(TK::String), make_prim(TK::ErrorContext),
  };
  return table[static_cast<size_t>(k)];
}

RTypePtr make_list(RTypePtr elem) {
  auto t = std::make_shared<RType>();
  t->kind = TK::List;
  t->size = 8;
  t->align = 4;
  t->flat = {wasm::kI32, wasm::kI32};
  t->has_borrow = elem->has_borrow;
  t->has_own = elem->has_own;
  t->elems = {std::move(elem)};
  return t;
}

RTypePtr make_map(RTypePtr key, RTypePtr value) {
  auto t = std::const_pointer_cast<RType>(make_list(make_tuple({std::move(key), std::move(value)})));
  t->kind = TK::Map;
  return t;
}

RTypePtr make_fixed_list(RTypePtr elem, uint32_t length) {
  auto t = std::make_shared<RType>();
  t->kind = TK::FixedList;
  t->length = length;
  t->size = elem->size * length;
  t->align = elem->align;
  for (uint32_t i = 0; i < length && t->flat.size() < kFlatCap; ++i) append_flat(t->flat, elem->flat);
  t->has_borrow = elem->has_borrow;
  t->has_own = elem->has_own;
  t->elems = {std::move(elem)};
  return t;
}

RTypePtr make_record(std::vector<std::string> labels, std::vector<RTypePtr> fields) {
  auto t = std::make_shared<RType>();
  t->kind = TK::Record;
  t->labels = std::move(labels);
  t->elems = std::move(fields);
  finish_record(*t);
  return t;
}

RTypePtr make_tuple(std::vector<RTypePtr> fields) {
  auto t = std::make_shared<RType>();
  t->kind = TK::Tuple;
  t->elems = std::move(fields);
  finish_record(*t);
  return t;
}

RTypePtr make_variant(TK kind, std::vector<std::string> labels, std::vector<RTypePtr> payloads) {
  auto t = std::make_shared<RType>();
  t->kind = kind;
  t->labels = std::move(labels);
  t->elems = std::move(payloads);
  const size_t n = t->elems.size();
  t->disc_size = n <= 256 ? 1 : n <= 65536 ? 2 : 4;
  uint32_t max_align = 1, max_size = 0;
  std::vector<wasm::ValType> flat;
  for (const auto& c : t->elems) {
    if (!c) continue;
    max_align = std::max(max_align, c->align);
    max_size = std::max(max_size, c->size);
    for (size_t i = 0; i < c->flat.size(); ++i) {
      if (i < flat.size()) flat[i] = join(flat[i], c->flat[i]);
      else flat.push_back(c->flat[i]);
    }
    t->has_borrow |= c->has_borrow;
    t->has_own |= c->has_own;
  }
  t->payload_offset = align_to(t->disc_size, max_align);
  t->align = std::max<uint32_t>(t->disc_size, max_align);
  t->size = align_to(t->payload_offset + max_size, t->align);
  t->flat.push_back(wasm::kI32);
  append_flat(t->flat, flat);
  return t;
}

RTypePtr make_flags(std::vector<std::string> labels) {
  auto t = std::make_shared<RType>();
  t->kind = TK::Flags;
  const size_t n = labels.size();
  t->size = t->align = n <= 8 ? 1 : n <= 16 ? 2 : 4;
  t->flat = {wasm::kI32};
  t->labels = std::move(labels);
  return t;
}

RTypePtr make_handle(TK kind, std::shared_ptr<const ResourceTypeRt> resource) {
  auto t = std::make_shared<RType>();
  t->kind = kind;
  t->size = t->align = 4;
  t->flat = {wasm::kI32};
  t->resource = std::move(resource);
  t->has_borrow = kind == TK::Borrow;
  t->has_own = kind == TK::Own;
  return t;
}

RTypePtr make_async(TK kind, RTypePtr elem) {
  auto t = std::make_shared<RType>();
  t->kind = kind;
  t->size = t->align = 4;
  t->flat = {wasm::kI32};
  if (elem) {
    t->has_own = elem->has_own;  // (only for caching: async values never hold borrows)
    t->has_borrow = elem->has_borrow;
  }
  t->elems = {std::move(elem)};
  return t;
}

FuncTypePtr make_func_type(bool async, std::vector<std::string> names, std::vector<RTypePtr> params,
                           RTypePtr result) {
  auto f = std::make_shared<FuncTypeRt>();
  f->async = async;
  f->param_names = std::move(names);
  f->params = std::move(params);
  f->result = std::move(result);
  f->params_tuple = make_tuple(f->params);
  f->flat_params = f->params_tuple->flat;
  for (const auto& p : f->params) f->params_borrow |= p->has_borrow;
  if (f->result) {
    f->results_tuple = make_tuple({f->result});
    f->flat_results = f->result->flat;
  } else {
    f->results_tuple = make_tuple({});
  }
  return f;
}

namespace {
const char* prim_name(TK k) {
  switch (k) {
    case TK::Bool: return "bool";
    case TK::S8: return "s8";
    case TK::U8: return "u8";
    case TK::S16: return "s16";
    case TK::U16: return "u16";
    case TK::S32: return "s32";
    case TK::U32: return "u32";
    case TK::S64: return "s64";
    case TK::U64: return "u64";
    case TK::F32: return "f32";
    case TK::F64: return "f64";
    case TK::Char: return "char";
    case TK::String: return "string";
    case TK::ErrorContext: return "error-context";
    default: return nullptr;
  }
}
}  // namespace

std::string to_string(const RType& t) {
  if (const char* p = prim_name(t.kind)) return p;
  auto sub = [](const RTypePtr& e) { return e ? to_string(*e) : std::string("_"); };
  std::string s;
  switch (t.kind) {
    case TK::List: return "list<" + sub(t.elems[0]) + ">";
    case TK::Map: return "map<" + sub(t.elems[0]->elems[0]) + ", " + sub(t.elems[0]->elems[1]) + ">";
    case TK::FixedList: return "list<" + sub(t.elems[0]) + ", " + std::to_string(t.length) + ">";
    case TK::Option: return "option<" + sub(t.elems[1]) + ">";
    case TK::Result: return "result<" + sub(t.elems[0]) + ", " + sub(t.elems[1]) + ">";
    case TK::Own: return "own<" + (t.resource ? t.resource->name : std::string("?")) + ">";
    case TK::Borrow: return "borrow<" + (t.resource ? t.resource->name : std::string("?")) + ">";
    case TK::Stream: return t.elems[0] ? "stream<" + sub(t.elems[0]) + ">" : "stream";
    case TK::Future: return t.elems[0] ? "future<" + sub(t.elems[0]) + ">" : "future";
    case TK::Tuple:
      s = "tuple<";
      for (size_t i = 0; i < t.elems.size(); ++i) s += (i ? ", " : "") + sub(t.elems[i]);
      return s + ">";
    case TK::Record:
      s = "record { ";
      for (size_t i = 0; i < t.elems.size(); ++i)
        s += (i ? ", " : "") + t.labels[i] + ": " + sub(t.elems[i]);
      return s + " }";
    case TK::Flags:
    case TK::Enum:
      s = t.kind == TK::Flags ? "flags { " : "enum { ";
      for (size_t i = 0; i < t.labels.size(); ++i) s += (i ? ", " : "") + t.labels[i];
      return s + " }";
    case TK::Variant:
      s = "variant { ";
      for (size_t i = 0; i < t.elems.size(); ++i)
        s += (i ? ", " : "") + t.labels[i] + (t.elems[i] ? "(" + sub(t.elems[i]) + ")" : "");
      return s + " }";
    default: return "?";
  }
}

std::string to_string(const FuncTypeRt& f) {
  std::string s = f.async ? "async func(" : "func(";
  for (size_t i = 0; i < f.params.size(); ++i)
    s += (i ? ", " : "") + f.param_names[i] + ": " + to_string(*f.params[i]);
  s += ")";
  if (f.result) s += " -> " + to_string(*f.result);
  return s;
}

std::optional<std::string> type_mismatch(const RType& want, const RType& got) {
  auto fail = [&] {
    return "expected " + to_string(want) + ", found " + to_string(got);
  };
  if (&want == &got) return std::nullopt;
  if (want.kind != got.kind) return fail();
  if (want.labels != got.labels || want.elems.size() != got.elems.size() || want.length != got.length)
    return fail();
  if (want.kind == TK::Own || want.kind == TK::Borrow) {
    if (want.resource != got.resource) return fail();
    return std::nullopt;
  }
  for (size_t i = 0; i < want.elems.size(); ++i) {
    const auto& a = want.elems[i];
    const auto& b = got.elems[i];
    if (!a && !b) continue;
    if (!a || !b) return fail();
    if (auto m = type_mismatch(*a, *b)) return m;
  }
  return std::nullopt;
}

std::optional<std::string> func_type_mismatch(const FuncTypeRt& want, const FuncTypeRt& got) {
  if (want.async != got.async || want.params.size() != got.params.size() ||
      want.param_names != got.param_names || !want.result != !got.result)
    return "expected " + to_string(want) + ", found " + to_string(got);
  for (size_t i = 0; i < want.params.size(); ++i)
    if (auto m = type_mismatch(*want.params[i], *got.params[i]))
      return "parameter " + want.param_names[i] + ": " + *m;
  if (want.result)
    if (auto m = type_mismatch(*want.result, *got.result)) return "result: " + *m;
  return std::nullopt;
}

}  // namespace rill::component::rt
