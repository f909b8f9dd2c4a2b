// Type matching for the component validator: whether an instantiation argument's value or
// function type matches what the component imports (Explainer.md "Subtyping"; value types must
// be equal). Resource identity through instantiation (type substitution) is not tracked yet, so
// two handles of any resources match.
#include <string>

#include "rill/component/validate_internal.h"

namespace rill::component::detail {
namespace {

const char* defval_name(const DefValType& dv) {
  static const char* const kNames[] = {"primitive", "record", "variant", "list",   "tuple",
                                       "flags",     "enum",   "option",  "result", "own",
                                       "borrow",    "stream", "future",  "map"};
  return kNames[dv.index()];
}

/// A side of a comparison: a valtype and the scope its indices resolve in.
struct Side {
  ValType t;
  const Scope* scope;
};

/// Resolves {s} to a defvaltype (a primitive valtype counts as DefValType{prim}); false when
/// the type is not resolved, and then anything matches it.
bool deref(Side s, DefValType& out, const Scope*& where) {
  if (s.t.is_prim()) {
    out = s.t.prim_type();
    where = s.scope;
    return true;
  }
  where = s.scope;
  const DefValType* dv = resolve(s.t, *s.scope, &where);
  if (!dv || !where) return false;
  out = *dv;
  return true;
}

std::optional<std::string> mismatch(Side want, Side got);

std::optional<std::string> opt_mismatch(const std::optional<ValType>& w, const Scope* ws,
                                        const std::optional<ValType>& g, const Scope* gs) {
  if (!w || !g) return std::nullopt;
  return mismatch({*w, ws}, {*g, gs});
}

std::optional<std::string> record_mismatch(const RecordType& w, const Scope* ws,
                                           const RecordType& g, const Scope* gs) {
  if (w.fields.size() != g.fields.size()) {
    return "expected " + std::to_string(w.fields.size()) + " fields, found " +
           std::to_string(g.fields.size());
  }
  for (size_t i = 0; i < w.fields.size(); ++i) {
    if (w.fields[i].label != g.fields[i].label) {
      return "expected field name `" + w.fields[i].label + "`, found `" + g.fields[i].label + "`";
    }
    if (auto m = mismatch({w.fields[i].type, ws}, {g.fields[i].type, gs}))
      return "type mismatch in record field `" + w.fields[i].label + "`: " + *m;
  }
  return std::nullopt;
}

std::optional<std::string> variant_mismatch(const VariantType& w, const Scope* ws,
                                            const VariantType& g, const Scope* gs) {
  if (w.cases.size() != g.cases.size()) {
    return "expected " + std::to_string(w.cases.size()) + " cases, found " +
           std::to_string(g.cases.size());
  }
  for (size_t i = 0; i < w.cases.size(); ++i) {
    const auto& wc = w.cases[i];
    const auto& gc = g.cases[i];
    if (wc.label != gc.label)
      return "expected case named `" + wc.label + "`, found `" + gc.label + "`";
    if (wc.type && !gc.type) return "expected case `" + wc.label + "` to have a type, found none";
    if (!wc.type && gc.type) return "expected case `" + wc.label + "` to have no type";
    if (auto m = opt_mismatch(wc.type, ws, gc.type, gs))
      return "type mismatch in variant case `" + wc.label + "`: " + *m;
  }
  return std::nullopt;
}

std::optional<std::string> result_mismatch(const ResultType& w, const Scope* ws,
                                           const ResultType& g, const Scope* gs) {
  if (!w.ok && g.ok) return "expected ok type to not be present";
  if (w.ok && !g.ok) return "expected ok type, but found none";
  if (auto m = opt_mismatch(w.ok, ws, g.ok, gs)) return "type mismatch in ok variant: " + *m;
  if (!w.err && g.err) return "expected err type to not be present";
  if (w.err && !g.err) return "expected err type, but found none";
  if (auto m = opt_mismatch(w.err, ws, g.err, gs)) return "type mismatch in err variant: " + *m;
  return std::nullopt;
}

std::optional<std::string> tuple_mismatch(const TupleType& w, const Scope* ws, const TupleType& g,
                                          const Scope* gs) {
  if (w.types.size() != g.types.size()) {
    return "expected " + std::to_string(w.types.size()) + " types, found " +
           std::to_string(g.types.size());
  }
  for (size_t i = 0; i < w.types.size(); ++i) {
    if (auto m = mismatch({w.types[i], ws}, {g.types[i], gs}))
      return "type mismatch in tuple field " + std::to_string(i) + ": " + *m;
  }
  return std::nullopt;
}

std::optional<std::string> same_kind_mismatch(const DefValType& w, const Scope* ws,
                                              const DefValType& g, const Scope* gs) {
  if (const auto* p = std::get_if<PrimValType>(&w)) {
    const auto gp = std::get<PrimValType>(g);
    if (*p == gp) return std::nullopt;
    return std::string("expected primitive `") + to_string(*p) + "` found primitive `" +
           to_string(gp) + "`";
  }
  if (const auto* r = std::get_if<RecordType>(&w))
    return record_mismatch(*r, ws, std::get<RecordType>(g), gs);
  if (const auto* v = std::get_if<VariantType>(&w))
    return variant_mismatch(*v, ws, std::get<VariantType>(g), gs);
  if (const auto* t = std::get_if<TupleType>(&w))
    return tuple_mismatch(*t, ws, std::get<TupleType>(g), gs);
  if (const auto* r = std::get_if<ResultType>(&w))
    return result_mismatch(*r, ws, std::get<ResultType>(g), gs);
  if (const auto* f = std::get_if<FlagsType>(&w)) {
    if (f->labels != std::get<FlagsType>(g).labels) return "mismatch in flags elements";
    return std::nullopt;
  }
  if (const auto* e = std::get_if<EnumType>(&w)) {
    if (e->labels != std::get<EnumType>(g).labels) return "mismatch in enum elements";
    return std::nullopt;
  }
  if (const auto* o = std::get_if<OptionType>(&w)) {
    if (auto m = mismatch({o->type, ws}, {std::get<OptionType>(g).type, gs}))
      return "type mismatch in option: " + *m;
    return std::nullopt;
  }
  if (const auto* l = std::get_if<ListType>(&w)) {
    const auto& gl = std::get<ListType>(g);
    if (l->length != gl.length) return "mismatch in list length";
    if (auto m = mismatch({l->elem, ws}, {gl.elem, gs})) return "type mismatch in list: " + *m;
    return std::nullopt;
  }
  if (const auto* s = std::get_if<StreamType>(&w))
    return opt_mismatch(s->elem, ws, std::get<StreamType>(g).elem, gs);
  if (const auto* f = std::get_if<FutureType>(&w))
    return opt_mismatch(f->elem, ws, std::get<FutureType>(g).elem, gs);
  return std::nullopt;  // own, borrow (resources not compared yet), map
}

std::optional<std::string> mismatch(Side want, Side got) {
  DefValType w, g;
  const Scope* ws = nullptr;
  const Scope* gs = nullptr;
  if (!deref(want, w, ws) || !deref(got, g, gs)) return std::nullopt;
  if (w.index() == g.index()) return same_kind_mismatch(w, ws, g, gs);
  if (const auto* gp = std::get_if<PrimValType>(&g))
    return std::string("expected ") + defval_name(w) + ", found " + to_string(*gp);
  if (std::holds_alternative<PrimValType>(w))
    return std::string("expected primitive, found ") + defval_name(g);
  return std::string("expected ") + defval_name(w) + ", found " + defval_name(g);
}

}  // namespace

std::optional<std::string> valtype_mismatch(ValType want, const Scope& ws, ValType got,
                                            const Scope& gs) {
  return mismatch({want, &ws}, {got, &gs});
}

std::optional<std::string> func_mismatch(const FuncType& want, const Scope& ws,
                                         const FuncType& got, const Scope& gs) {
  if (want.params.size() != got.params.size()) {
    return "expected " + std::to_string(want.params.size()) + " parameters, found " +
           std::to_string(got.params.size());
  }
  for (size_t i = 0; i < want.params.size(); ++i) {
    if (want.params[i].label != got.params[i].label) {
      return "expected parameter named `" + want.params[i].label + "`, found `" +
             got.params[i].label + "`";
    }
    if (auto m = mismatch({want.params[i].type, &ws}, {got.params[i].type, &gs}))
      return "type mismatch in function parameter `" + want.params[i].label + "`: " + *m;
  }
  if (want.result && !got.result) return "expected a result, found none";
  if (!want.result && got.result) return "expected no result, found one";
  if (want.result) {
    if (auto m = mismatch({*want.result, &ws}, {*got.result, &gs}))
      return "type mismatch with result type: " + *m;
  }
  return std::nullopt;
}

}  // namespace rill::component::detail
