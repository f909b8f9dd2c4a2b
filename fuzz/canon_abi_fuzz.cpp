// libFuzzer target for the canonical ABI (src/component/rt/abi.h): lifting from and lowering into
// guest memory against random value types and random memory.
//
// The input is read as: a value type (a small grammar over every kind except handles, nesting
// capped), a string encoding, a pointer, flat core values, then the bytes of one page of linear
// memory. Each run
//   1. lifts a value of that type from memory at the pointer (the spilled form) and from the flat
//      values (the flat form); either may trap, neither may crash or allocate past the budget;
//   2. lowers every value it lifted into a second, empty memory through a bump-allocating realloc
//      and lifts it back: the result must equal what was lowered (a round trip), unless lowering
//      trapped (the second memory is small, so aliased strings may not fit);
//   3. for the flat form, lowers to flat values and lifts those back, which must round-trip too.
// The lift budget is 1 MiB per call, so the aliasing and per-element costs are exercised.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "rill/component/rt/abi.h"
#include "rill/engine/engine.h"
#include "rill/engine/store.h"

using namespace rill::component::rt;
namespace engine = rill::engine;
namespace wasm = rill::wasm;

namespace {

struct Input {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{byte()} << (8 * i);
    return v;
  }
};

RTypePtr make_type(Input& in, int depth) {
  const uint8_t b = in.byte();
  const int leaf = depth >= 5;  // past this depth only scalars and strings
  const uint8_t k = leaf ? b % 13 : b % 24;
  auto count = [&] { return 1 + in.byte() % 4; };
  switch (k) {
    case 0: return prim(TK::Bool);
    case 1: return prim(TK::S8);
    case 2: return prim(TK::U8);
    case 3: return prim(TK::S16);
    case 4: return prim(TK::U16);
    case 5: return prim(TK::S32);
    case 6: return prim(TK::U32);
    case 7: return prim(TK::S64);
    case 8: return prim(TK::U64);
    case 9: return prim(TK::F32);
    case 10: return prim(TK::F64);
    case 11: return prim(TK::Char);
    case 12: return prim(TK::String);
    case 13: case 14: return make_list(make_type(in, depth + 1));
    case 15: return make_fixed_list(make_type(in, depth + 1), 1 + in.byte() % 8);
    case 16: {
      std::vector<std::string> labels;
      std::vector<RTypePtr> fields;
      for (int i = 0, n = count(); i < n; ++i) {
        labels.push_back("f" + std::to_string(i));
        fields.push_back(make_type(in, depth + 1));
      }
      return make_record(std::move(labels), std::move(fields));
    }
    case 17: {
      std::vector<RTypePtr> fields;
      for (int i = 0, n = count(); i < n; ++i) fields.push_back(make_type(in, depth + 1));
      return make_tuple(std::move(fields));
    }
    case 18: {
      std::vector<std::string> labels;
      std::vector<RTypePtr> cases;
      for (int i = 0, n = count(); i < n; ++i) {
        labels.push_back("c" + std::to_string(i));
        cases.push_back(in.byte() % 3 == 0 ? nullptr : make_type(in, depth + 1));
      }
      return make_variant(TK::Variant, std::move(labels), std::move(cases));
    }
    case 19: {
      std::vector<std::string> labels;
      const int n = 1 + in.byte() % 20;
      for (int i = 0; i < n; ++i) labels.push_back("e" + std::to_string(i));
      return make_variant(TK::Enum, labels, std::vector<RTypePtr>(labels.size()));
    }
    case 20:
      return make_variant(TK::Option, {"none", "some"}, {nullptr, make_type(in, depth + 1)});
    case 21: {
      RTypePtr ok = in.byte() % 2 ? make_type(in, depth + 1) : nullptr;
      RTypePtr err = in.byte() % 2 ? make_type(in, depth + 1) : nullptr;
      return make_variant(TK::Result, {"ok", "error"}, {std::move(ok), std::move(err)});
    }
    case 22: {
      std::vector<std::string> labels;
      const int n = 1 + in.byte() % 32;
      for (int i = 0; i < n; ++i) labels.push_back("g" + std::to_string(i));
      return make_flags(std::move(labels));
    }
    default: return make_list(prim(TK::U8));
  }
}

/// One engine, store, memories and a bump-allocating realloc, reused across runs.
struct World {
  engine::Engine eng;
  engine::Store store{eng};
  engine::Memory* src = nullptr;  ///< lifted from
  engine::Memory* dst = nullptr;  ///< lowered into
  engine::Function* realloc = nullptr;
  uint32_t bump = 0;
  ComponentInstanceRt inst;

  World() {
    wasm::MemoryType one{{1, 1, false, false}};
    wasm::MemoryType four{{4, 4, false, false}};
    src = *store.create_memory(one);
    dst = *store.create_memory(four);
    wasm::FuncType sig{{wasm::kI32, wasm::kI32, wasm::kI32, wasm::kI32}, {wasm::kI32}};
    realloc = store.create_host_function(
        sig, [this](engine::Caller&, std::span<const engine::Value> a, std::span<engine::Value> r)
                 -> std::optional<engine::Trap> {
          // realloc(old_ptr, old_size, align, new_size): a fresh aligned block, old bytes kept.
          const uint32_t old_ptr = a[0].i32, old_size = a[1].i32, align = a[2].i32, size = a[3].i32;
          uint64_t at = bump;
          if (align > 1) at = (at + align - 1) / align * align;
          if (at + size > dst->size_bytes()) {
            r[0] = engine::Value::from_i32(0xfffffff0u);  // out of bounds: the ABI traps
            return std::nullopt;
          }
          if (old_size && uint64_t{old_ptr} + old_size <= dst->size_bytes())
            std::memmove(dst->base() + at, dst->base() + old_ptr, std::min(old_size, size));
          bump = static_cast<uint32_t>(at + size);
          r[0] = engine::Value::from_i32(static_cast<uint32_t>(at));
          return std::nullopt;
        });
    inst.store = &store;
  }
};

engine::Value flat_value(wasm::ValType t, Input& in) {
  if (t == wasm::kI64) return engine::Value::from_i64(uint64_t{in.u32()} | uint64_t{in.u32()} << 32);
  if (t == wasm::kF32) return engine::Value::from_f32_bits(in.u32());
  if (t == wasm::kF64) return engine::Value::from_f64_bits(uint64_t{in.u32()} | uint64_t{in.u32()} << 32);
  return engine::Value::from_i32(in.byte() % 2 ? in.u32() : in.byte() % 8);
}

/// Lowers {vals} into dst (spilled form) and lifts them back: they must be equal.
void round_trip_memory(World& w, const CanonOpts& opts, const std::vector<RTypePtr>& ts,
                       const RTypePtr& tuple, const std::vector<Value>& vals) {
  std::memset(w.dst->base(), 0, w.dst->size_bytes());
  w.bump = 8;
  Cx low{opts, &w.inst, nullptr, nullptr, std::nullopt};
  std::vector<engine::Value> flat;
  if (!lower_flat_values(low, 0, vals, ts, tuple, flat, std::nullopt)) return;  // did not fit
  Cx lift{opts, &w.inst, nullptr, nullptr, std::nullopt};
  lift.budget = uint64_t{1} << 24;
  std::vector<Value> back;
  size_t pos = 0;
  if (!lift_flat_values(lift, 0, flat, pos, ts, tuple, back)) std::abort();  // it was just lowered
  if (!(back == vals)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* w = new World();
  Input in{data, size};
  RTypePtr t = make_type(in, 0);
  const std::vector<RTypePtr> ts{t};
  RTypePtr tuple = make_tuple(ts);
  CanonOpts opts;
  opts.encoding = static_cast<CanonOpts::Encoding>(in.byte() % 3);
  opts.memory = nullptr;
  opts.realloc = w->realloc;
  const uint32_t ptr = in.byte() % 2 ? in.u32() : (in.byte() * 8u) % 4096u;
  std::vector<engine::Value> flat;
  for (wasm::ValType ft : tuple->flat) flat.push_back(flat_value(ft, in));
  std::memset(w->src->base(), 0, w->src->size_bytes());
  std::memcpy(w->src->base(), in.p, std::min<size_t>(in.n, w->src->size_bytes()));

  // 1. The spilled form: a pointer into src.
  opts.memory = w->src;
  {
    Cx cx{opts, &w->inst, nullptr, nullptr, std::nullopt};
    cx.budget = uint64_t{1} << 20;
    std::vector<Value> vals;
    size_t pos = 0;
    const engine::Value p = engine::Value::from_i32(ptr);
    if (lift_flat_values(cx, 0, std::span<const engine::Value>(&p, 1), pos, ts, tuple, vals)) {
      CanonOpts to = opts;
      to.memory = w->dst;
      round_trip_memory(*w, to, ts, tuple, vals);
    }
  }
  // 2. The flat form (lists and strings in it point into src).
  if (tuple->flat.size() <= kMaxFlatParams) {
    Cx cx{opts, &w->inst, nullptr, nullptr, std::nullopt};
    cx.budget = uint64_t{1} << 20;
    std::vector<Value> vals;
    size_t pos = 0;
    if (lift_flat_values(cx, kMaxFlatParams, flat, pos, ts, tuple, vals)) {
      if (pos != flat.size()) std::abort();
      CanonOpts to = opts;
      to.memory = w->dst;
      round_trip_memory(*w, to, ts, tuple, vals);
      // Flat values back and forth (lists and strings go through dst).
      std::memset(w->dst->base(), 0, w->dst->size_bytes());
      w->bump = 8;
      Cx low{to, &w->inst, nullptr, nullptr, std::nullopt};
      std::vector<engine::Value> again;
      if (lower_flat_values(low, kMaxFlatParams, vals, ts, tuple, again, std::nullopt)) {
        if (again.size() != tuple->flat.size()) std::abort();
        Cx lift{to, &w->inst, nullptr, nullptr, std::nullopt};
        lift.budget = uint64_t{1} << 24;
        std::vector<Value> back;
        size_t p2 = 0;
        if (!lift_flat_values(lift, kMaxFlatParams, again, p2, ts, tuple, back)) std::abort();
        if (!(back == vals)) std::abort();
      }
    }
  }
  return 0;
}
