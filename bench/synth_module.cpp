// Synthetic module generator (synth_module.h). Statements leave the operand stack unchanged and
// expressions push exactly one value, so every generated body validates by construction.
#include "synth_module.h"

#include <string>

namespace rill::bench {
namespace {

constexpr uint8_t kI32 = 0x7f, kI64 = 0x7e, kF64 = 0x7c, kFuncRef = 0x70;
constexpr uint32_t kTableSize = 64;
constexpr uint32_t kMaxDepth = 3;

void leb_u(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v != 0 ? (b | 0x80) : b);
  } while (v != 0);
}

void leb_s(std::vector<uint8_t>& out, int64_t v) {
  for (;;) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    const bool done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
    out.push_back(done ? b : (b | 0x80));
    if (done)
      return;
  }
}

void section(std::vector<uint8_t>& out, uint8_t id, const std::vector<uint8_t>& body) {
  out.push_back(id);
  leb_u(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

/// Emits one function body. Locals: params (1 or 2 i32), then 4 i32, 2 i64, 1 f64.
class BodyGen {
 public:
  BodyGen(uint64_t& rng, uint32_t num_funcs, uint32_t num_params)
      : rng_(rng), num_funcs_(num_funcs), first_local_(num_params) {}

  std::vector<uint8_t> body(uint32_t statements) {
    // Three local declarations. One assign(): clear + push_back + insert trips a g++-12 -O3
    // -Warray-bounds false positive.
    code_.assign({3, 4, kI32, 2, kI64, 1, kF64});
    for (uint32_t i = 0; i < statements; ++i)
      stmt(0);
    code_.insert(code_.end(), {0x20, 0x00, 0x0b});  // local.get 0; end
    return code_;
  }

 private:
  uint64_t next() {  // splitmix64
    uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint32_t pick(uint32_t n) { return static_cast<uint32_t>(next() % n); }
  void op(uint8_t b) { code_.push_back(b); }
  void u32(uint32_t v) { leb_u(code_, v); }
  uint32_t i32_local() { return pick(first_local_ + 4); }
  uint32_t i64_local() { return first_local_ + 4 + pick(2); }
  uint32_t f64_local() { return first_local_ + 6; }
  void i32_const(int32_t v) {
    op(0x41);
    leb_s(code_, v);
  }

  void call_any() {
    const uint32_t f = pick(num_funcs_);
    expr_i32(kMaxDepth);
    if (f % 2 == 0)
      expr_i32(kMaxDepth);  // even functions take (i32, i32)
    op(0x10);
    u32(f);
  }

  void expr_i32(uint32_t depth) {
    if (depth >= kMaxDepth) {
      if (pick(2) == 0) {
        op(0x20);
        u32(i32_local());
      } else {
        i32_const(static_cast<int32_t>(pick(1000)) - 100);
      }
      return;
    }
    static constexpr uint8_t kBinops[] = {0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73,
                                          0x74, 0x76, 0x77, 0x48, 0x46, 0x47};
    switch (pick(12)) {
      case 0:
      case 1:
      case 2:
      case 3:
        expr_i32(depth + 1);
        expr_i32(depth + 1);
        op(kBinops[pick(sizeof(kBinops))]);
        return;
      case 4:  // i32.load ((e & 0xfffc) offset=k)
        expr_i32(depth + 1);
        i32_const(0xfffc);
        op(0x71);
        op(0x28);
        u32(2);
        u32(pick(64) * 4);
        return;
      case 5:
        call_any();
        return;
      case 6:  // call_indirect (type 1) through the table
        expr_i32(depth + 1);
        i32_const(static_cast<int32_t>(pick(kTableSize)));
        op(0x11);
        u32(1);
        u32(0);
        return;
      case 7:  // i32.wrap_i64
        expr_i64(depth + 1);
        op(0xa7);
        return;
      case 8:  // select
        expr_i32(depth + 1);
        expr_i32(depth + 1);
        expr_i32(depth + 1);
        op(0x1b);
        return;
      case 9:  // i32.eqz
        expr_i32(depth + 1);
        op(0x45);
        return;
      case 10:  // if (result i32)
        expr_i32(depth + 1);
        op(0x04);
        op(kI32);
        expr_i32(depth + 1);
        op(0x05);
        expr_i32(depth + 1);
        op(0x0b);
        return;
      default:
        op(0x20);
        u32(i32_local());
        return;
    }
  }

  void expr_i64(uint32_t depth) {
    switch (depth >= kMaxDepth ? pick(2) : pick(6)) {
      case 0:
        op(0x20);
        u32(i64_local());
        return;
      case 1:
        op(0x42);
        leb_s(code_, static_cast<int64_t>(next() >> 20));
        return;
      case 2:  // add / mul
        expr_i64(depth + 1);
        expr_i64(depth + 1);
        op(pick(2) ? 0x7c : 0x7e);
        return;
      case 3:  // i64.extend_i32_s
        expr_i32(depth + 1);
        op(0xac);
        return;
      case 4:  // i64.trunc_sat_f64_s
        expr_f64(depth + 1);
        op(0xfc);
        u32(6);
        return;
      default:  // xor
        expr_i64(depth + 1);
        expr_i64(depth + 1);
        op(0x85);
        return;
    }
  }

  void expr_f64(uint32_t depth) {
    switch (depth >= kMaxDepth ? 0 : pick(4)) {
      case 0:
        op(0x20);
        u32(f64_local());
        return;
      case 1:  // f64.convert_i32_s
        expr_i32(depth + 1);
        op(0xb7);
        return;
      case 2:  // f64.mul
        expr_f64(depth + 1);
        expr_f64(depth + 1);
        op(0xa2);
        return;
      default:  // f64.sqrt
        expr_f64(depth + 1);
        op(0x9f);
        return;
    }
  }

  void stmts(uint32_t depth) {
    const uint32_t n = 1 + pick(3);
    for (uint32_t i = 0; i < n; ++i)
      stmt(depth);
  }

  void stmt(uint32_t depth) {
    const uint32_t kind = depth >= kMaxDepth ? pick(4) : pick(9);
    switch (kind) {
      case 0:
      case 1:  // local.set
        expr_i32(depth);
        op(0x21);
        u32(i32_local());
        return;
      case 2:
        expr_i64(depth);
        op(0x21);
        u32(i64_local());
        return;
      case 3:  // i32.store ((e & 0xfffc) offset=k) e
        expr_i32(depth);
        i32_const(0xfffc);
        op(0x71);
        expr_i32(depth);
        op(0x36);
        u32(2);
        u32(pick(64) * 4);
        return;
      case 4:  // if / else
        expr_i32(depth);
        op(0x04);
        op(0x40);
        stmts(depth + 1);
        if (pick(2)) {
          op(0x05);
          stmts(depth + 1);
        }
        op(0x0b);
        return;
      case 5: {  // counted loop: L = k; block loop ... L = L - 1; br_if 1 (L == 0); br 0 end end
        const uint32_t l = first_local_ + pick(4);
        i32_const(static_cast<int32_t>(1 + pick(16)));
        op(0x21);
        u32(l);
        op(0x02);
        op(0x40);
        op(0x03);
        op(0x40);
        stmts(depth + 1);
        op(0x20);
        u32(l);
        i32_const(1);
        op(0x6b);
        op(0x22);
        u32(l);
        op(0x45);
        op(0x0d);
        u32(1);
        op(0x0c);
        u32(0);
        op(0x0b);
        op(0x0b);
        return;
      }
      case 6:  // br_table over three nested blocks
        op(0x02);
        op(0x40);
        op(0x02);
        op(0x40);
        op(0x02);
        op(0x40);
        expr_i32(depth);
        op(0x0e);
        u32(2);
        u32(0);
        u32(1);
        u32(2);
        op(0x0b);
        stmt(depth + 1);
        op(0x0b);
        stmt(depth + 1);
        op(0x0b);
        return;
      case 7:  // drop (call ...)
        call_any();
        op(0x1a);
        return;
      default:
        expr_f64(depth);
        op(0x21);
        u32(f64_local());
        return;
    }
  }

  uint64_t& rng_;
  uint32_t num_funcs_;
  uint32_t first_local_;
  std::vector<uint8_t> code_;
};

}  // namespace

std::vector<uint8_t> synth_module(const SynthOptions& options) {
  const uint32_t n = options.functions < 2 * kTableSize ? 2 * kTableSize : options.functions;
  uint64_t rng = options.seed;
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

  // Types: 0 = (i32, i32) -> i32 for even functions, 1 = (i32) -> i32 for odd ones.
  section(out, 1, {2, 0x60, 2, kI32, kI32, 1, kI32, 0x60, 1, kI32, 1, kI32});
  std::vector<uint8_t> funcs;
  leb_u(funcs, n);
  for (uint32_t i = 0; i < n; ++i)
    funcs.push_back(i % 2 == 0 ? 0 : 1);
  section(out, 3, funcs);
  section(out, 4, {1, kFuncRef, 0x00, kTableSize});  // table 64 funcref
  section(out, 5, {1, 0x00, 0x01});                  // memory 1
  std::vector<uint8_t> exports = {2};
  for (const std::string name : {"main", "memory"}) {
    leb_u(exports, name.size());
    exports.insert(exports.end(), name.begin(), name.end());
    exports.push_back(name == "main" ? 0x00 : 0x02);
    exports.push_back(0);
  }
  section(out, 7, exports);
  std::vector<uint8_t> elems = {1, 0x00, 0x41, 0x00, 0x0b, kTableSize};  // active at 0
  for (uint32_t i = 0; i < kTableSize; ++i)
    leb_u(elems, 2 * i + 1);  // odd: type 1
  section(out, 9, elems);

  std::vector<uint8_t> code;
  leb_u(code, n);
  for (uint32_t i = 0; i < n; ++i) {
    BodyGen gen(rng, n, i % 2 == 0 ? 2 : 1);
    std::vector<uint8_t> body = gen.body(options.statements);
    leb_u(code, body.size());
    code.insert(code.end(), body.begin(), body.end());
  }
  section(out, 10, code);
  return out;
}

}  // namespace rill::bench
