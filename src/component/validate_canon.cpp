// Canonical definitions for the component validator (CanonicalABI.md "Canonical Definitions"):
// canonopt rules, and the core signature of lift/lower from flatten_functype (definitions.py).
#include <string>

#include "rill/component/validate_internal.h"

namespace rill::component::detail {
namespace {

// definitions.py "Flattening".
constexpr size_t kMaxFlatParams = 16;
constexpr size_t kMaxFlatAsyncParams = 4;
constexpr size_t kMaxFlatResults = 1;
/// Flattening stops past this many core values: only "more than kMaxFlatParams" matters then,
/// and a type of up to 2^28 bytes must not make us build a flat list of that length.
constexpr size_t kFlatCap = 64;

using Flat = std::vector<wasm::ValType>;

wasm::ValType join(wasm::ValType a, wasm::ValType b) {
  if (a == b) return a;
  if ((a == wasm::kI32 && b == wasm::kF32) || (a == wasm::kF32 && b == wasm::kI32))
    return wasm::kI32;
  return wasm::kI64;
}

/// Type facts a lift/lower needs: its flattening and whether it holds strings or lists.
struct Facts {
  bool known = true;      ///< every type was resolved
  bool needs_mem = false;  ///< contains a string or (variable-length) list
};

void flatten(ValType t, const Scope& scope, Flat& out, Facts& facts);

void flatten_prim(PrimValType p, Flat& out, Facts& facts) {
  switch (p) {
    case PrimValType::S64:
    case PrimValType::U64: out.push_back(wasm::kI64); return;
    case PrimValType::F32: out.push_back(wasm::kF32); return;
    case PrimValType::F64: out.push_back(wasm::kF64); return;
    case PrimValType::String:
      facts.needs_mem = true;
      out.insert(out.end(), {wasm::kI32, wasm::kI32});
      return;
    default: out.push_back(wasm::kI32); return;
  }
}

/// definitions.py flatten_variant: the discriminant (always i32 once flat), then the joined
/// payloads.
void flatten_variant(const std::vector<const std::optional<ValType>*>& cases, const Scope& s,
                     Flat& out, Facts& facts) {
  Flat payload;
  for (const auto* c : cases) {
    if (!*c) continue;
    Flat f;
    flatten(**c, s, f, facts);
    for (size_t i = 0; i < f.size(); ++i) {
      if (i < payload.size()) {
        payload[i] = join(payload[i], f[i]);
      } else {
        payload.push_back(f[i]);
      }
    }
  }
  out.push_back(wasm::kI32);
  out.insert(out.end(), payload.begin(), payload.end());
}

void flatten_defval(const DefValType& dv, const Scope& s, Flat& out, Facts& facts) {
  if (const auto* p = std::get_if<PrimValType>(&dv)) return flatten_prim(*p, out, facts);
  if (const auto* r = std::get_if<RecordType>(&dv)) {
    for (const auto& f : r->fields) flatten(f.type, s, out, facts);
    return;
  }
  if (const auto* t = std::get_if<TupleType>(&dv)) {
    for (ValType e : t->types) flatten(e, s, out, facts);
    return;
  }
  if (const auto* l = std::get_if<ListType>(&dv)) {
    if (!l->length) {
      facts.needs_mem = true;
      out.insert(out.end(), {wasm::kI32, wasm::kI32});
      return;
    }
    Flat one;
    flatten(l->elem, s, one, facts);
    for (uint32_t i = 0; i < *l->length && out.size() <= kFlatCap; ++i)
      out.insert(out.end(), one.begin(), one.end());
    return;
  }
  if (const auto* v = std::get_if<VariantType>(&dv)) {
    std::vector<const std::optional<ValType>*> cases;
    for (const auto& c : v->cases) cases.push_back(&c.type);
    return flatten_variant(cases, s, out, facts);
  }
  if (const auto* o = std::get_if<OptionType>(&dv)) {
    const std::optional<ValType> none, some = o->type;
    return flatten_variant({&none, &some}, s, out, facts);
  }
  if (const auto* r = std::get_if<ResultType>(&dv)) return flatten_variant({&r->ok, &r->err}, s, out, facts);
  if (std::holds_alternative<EnumType>(dv)) {
    out.push_back(wasm::kI32);
    return;
  }
  if (std::holds_alternative<MapType>(dv)) {
    facts.needs_mem = true;
    out.insert(out.end(), {wasm::kI32, wasm::kI32});
    return;
  }
  // flags, own, borrow, stream, future
  out.push_back(wasm::kI32);
}

void flatten(ValType t, const Scope& scope, Flat& out, Facts& facts) {
  if (out.size() > kFlatCap) return;
  if (t.is_prim()) return flatten_prim(t.prim_type(), out, facts);
  const Scope* where = &scope;
  const DefValType* dv = resolve(t, scope, &where);
  if (!dv || !where) {
    facts.known = false;
    out.push_back(wasm::kI32);
    return;
  }
  flatten_defval(*dv, *where, out, facts);
}

/// The options of one canon definition, after the general canonopt rules.
struct Opts {
  std::optional<uint32_t> memory, realloc, post_return, callback;
  bool async = false;
  bool string_encoding = false;
};

const char* encoding_name(CanonOptKind k) {
  switch (k) {
    case CanonOptKind::Utf8: return "utf8";
    case CanonOptKind::Utf16: return "utf16";
    default: return "latin1-utf16";
  }
}

Result<void> set_once(std::optional<uint32_t>& slot, const CanonOpt& o, const Scope& scope,
                      Sort sort, uint64_t offset) {
  if (slot) {
    return error_at(offset, std::string("canonical option `") + to_string(o.kind) +
                                "` is specified more than once");
  }
  RILL_CHECK_OK(check_index(scope, sort, o.index, offset));
  slot = o.index;
  return {};
}

Result<Opts> read_opts(const std::vector<CanonOpt>& opts, const Scope& scope, uint64_t offset) {
  Opts out;
  std::optional<CanonOptKind> encoding;
  const Sort func{SortKind::Core, CoreSort::Func};
  for (const CanonOpt& o : opts) {
    switch (o.kind) {
      case CanonOptKind::Utf8:
      case CanonOptKind::Utf16:
      case CanonOptKind::Latin1Utf16:
        if (encoding) {
          return error_at(offset, std::string("canonical encoding option `") +
                                      encoding_name(*encoding) + "` conflicts with option `" +
                                      encoding_name(o.kind) + "`");
        }
        encoding = o.kind;
        break;
      case CanonOptKind::Memory:
        if (out.memory) return error_at(offset, "`memory` is specified more than once");
        RILL_CHECK_OK(check_index(scope, Sort{SortKind::Core, CoreSort::Memory}, o.index, offset));
        out.memory = o.index;
        break;
      case CanonOptKind::Realloc: RILL_CHECK_OK(set_once(out.realloc, o, scope, func, offset)); break;
      case CanonOptKind::PostReturn:
        RILL_CHECK_OK(set_once(out.post_return, o, scope, func, offset));
        break;
      case CanonOptKind::Callback: RILL_CHECK_OK(set_once(out.callback, o, scope, func, offset)); break;
      case CanonOptKind::Async:
        if (out.async) return error_at(offset, "canonical option `async` is specified more than once");
        out.async = true;
        break;
    }
  }
  if (out.realloc && !out.memory) {
    return error_at(offset,
                    "canonical option `realloc` requires `memory` to also be specified");
  }
  if (out.realloc) {
    const auto& ft = scope.core_funcs[*out.realloc];
    const wasm::FuncType want{{wasm::kI32, wasm::kI32, wasm::kI32, wasm::kI32}, {wasm::kI32}};
    if (ft && *ft != want) {
      return error_at(offset,
                      "canonical option `realloc` uses a core function with an incorrect signature");
    }
  }
  if (out.async && out.post_return)
    return error_at(offset, "cannot specify `post-return` with the `async` canonical option");
  if (out.callback && !out.async)
    return error_at(offset, "cannot specify callback without async");
  return out;
}

std::string flat_string(const Flat& f) {
  std::string s = "[";
  for (size_t i = 0; i < f.size(); ++i) {
    if (i) s += ", ";
    s += wasm::to_string(f[i]);
  }
  return s + "]";
}

struct FlatSig {
  Flat params, results;
  Facts param_facts, result_facts;
};

FlatSig flatten_sig(const FuncType& ft, const Scope& scope) {
  FlatSig sig;
  for (const auto& p : ft.params) flatten(p.type, scope, sig.params, sig.param_facts);
  if (ft.result) flatten(*ft.result, scope, sig.results, sig.result_facts);
  return sig;
}

const char* kMemoryRequired = "canonical option `memory` is required";
const char* kReallocRequired = "canonical option `realloc` is required";

Result<void> validate_lift(const Canon& c, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Core, CoreSort::Func}, c.index, offset));
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Type}, idx(c.func_type), offset));
  const TypeEntry& te = scope.types[idx(c.func_type)];
  if (te.kind != TypeKind::Func && te.kind != TypeKind::Unknown) {
    return error_at(offset,
                    "type index " + std::to_string(idx(c.func_type)) + " is not a function type");
  }
  RILL_TRY(Opts opts, read_opts(c.opts, scope, offset));
  scope.funcs.push_back(FuncEntry{te.func, te.scope, te.resources, te.worst, te.sem, false});
  if (!te.func || !te.scope) return {};
  const FuncType& ft = *te.func;
  if (opts.async && !ft.async)
    return error_at(offset, "the `async` canonical option requires an async function type");
  FlatSig sig = flatten_sig(ft, *te.scope);
  // lift(param) needs realloc (and so memory), lower(result) needs memory.
  const bool params_mem = sig.param_facts.needs_mem || sig.params.size() > kMaxFlatParams;
  const size_t max_results = opts.async ? kMaxFlatParams : kMaxFlatResults;
  const bool results_mem = sig.result_facts.needs_mem || sig.results.size() > max_results;
  if ((params_mem || results_mem) && !opts.memory) return error_at(offset, kMemoryRequired);
  if (params_mem && !opts.realloc) return error_at(offset, kReallocRequired);
  if (!sig.param_facts.known || !sig.result_facts.known) return {};
  // flatten_functype(opts, ft, 'lift')
  if (sig.params.size() > kMaxFlatParams) sig.params = {wasm::kI32};
  if (!opts.async) {
    if (sig.results.size() > kMaxFlatResults) sig.results = {wasm::kI32};
  } else {
    sig.results = opts.callback ? Flat{wasm::kI32} : Flat{};
  }
  const auto& core = scope.core_funcs[c.index];
  if (core && core->params != sig.params) {
    return error_at(offset, "lowered parameter types `" + flat_string(sig.params) +
                                "` do not match parameter types `" + flat_string(core->params) +
                                "` of the core function");
  }
  if (core && core->results != sig.results) {
    return error_at(offset, "lowered result types `" + flat_string(sig.results) +
                                "` do not match result types `" + flat_string(core->results) +
                                "` of the core function");
  }
  if (opts.post_return) {
    const auto& pr = scope.core_funcs[*opts.post_return];
    if (pr && (pr->params != sig.results || !pr->results.empty())) {
      return error_at(offset,
                      "canonical option `post-return` uses a core function with an incorrect signature");
    }
  }
  return {};
}

Result<void> validate_lower(const Canon& c, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Func}, c.index, offset));
  RILL_TRY(Opts opts, read_opts(c.opts, scope, offset));
  if (opts.post_return)
    return error_at(offset, "canonical option `post-return` cannot be specified for lowerings");
  if (opts.callback)
    return error_at(offset, "canonical option `callback` cannot be specified for lowerings");
  const FuncEntry f = scope.funcs[c.index];
  if (!f.type || !f.scope) {
    scope.core_funcs.emplace_back();
    return {};
  }
  const FuncType& ft = *f.type;
  if (opts.async && !ft.async)
    return error_at(offset, "the `async` canonical option requires an async function type");
  FlatSig sig = flatten_sig(ft, *f.scope);
  // lower(param) needs memory, lift(result) needs realloc (and so memory).
  const size_t max_params = opts.async ? kMaxFlatAsyncParams : kMaxFlatParams;
  const bool params_mem = sig.param_facts.needs_mem || sig.params.size() > max_params;
  const bool results_mem = sig.result_facts.needs_mem || sig.results.size() > kMaxFlatResults ||
                           (opts.async && ft.result);
  if ((params_mem || results_mem) && !opts.memory) return error_at(offset, kMemoryRequired);
  if (sig.result_facts.needs_mem && !opts.realloc) return error_at(offset, kReallocRequired);
  if (!sig.param_facts.known || !sig.result_facts.known) {
    scope.core_funcs.emplace_back();
    return {};
  }
  // flatten_functype(opts, ft, 'lower')
  if (sig.params.size() > max_params) sig.params = {wasm::kI32};
  if (!opts.async) {
    if (sig.results.size() > kMaxFlatResults) {
      sig.params.push_back(wasm::kI32);
      sig.results.clear();
    }
  } else {
    if (!sig.results.empty()) sig.params.push_back(wasm::kI32);
    sig.results = {wasm::kI32};
  }
  scope.core_funcs.emplace_back(wasm::FuncType{sig.params, sig.results});
  return {};
}

Result<void> validate_resource_builtin(const Canon& c, Scope& scope, uint64_t offset) {
  RILL_CHECK_OK(check_index(scope, Sort{SortKind::Type}, c.index, offset));
  const TypeEntry& t = scope.types[c.index];
  if (t.kind != TypeKind::Resource && t.kind != TypeKind::Unknown)
    return error_at(offset, "type index " + std::to_string(c.index) + " is not a resource type");
  const bool local_only = c.kind != CanonKind::ResourceDrop;
  if (local_only && t.kind == TypeKind::Resource && !t.local_resource)
    return error_at(offset, "type index " + std::to_string(c.index) + " is not a local resource");
  if (c.kind == CanonKind::ResourceDrop) {
    scope.core_funcs.emplace_back(wasm::FuncType{{wasm::kI32}, {}});
  } else {
    scope.core_funcs.emplace_back(wasm::FuncType{{wasm::kI32}, {wasm::kI32}});
  }
  return {};
}

}  // namespace

Result<void> validate_canon(const Canon& c, Scope& scope, uint64_t offset) {
  switch (c.kind) {
    case CanonKind::Lift: return validate_lift(c, scope, offset);
    case CanonKind::Lower: return validate_lower(c, scope, offset);
    case CanonKind::ResourceNew:
    case CanonKind::ResourceDrop:
    case CanonKind::ResourceRep: return validate_resource_builtin(c, scope, offset);
    default: break;
  }
  if (!c.opts.empty()) {
    RILL_TRY(Opts opts, read_opts(c.opts, scope, offset));
    (void)opts;
  }
  scope.core_funcs.emplace_back();
  return {};
}

}  // namespace rill::component::detail
