// The dispatch loop: direct-threaded code (`goto *ip->handler`) over translated functions, with
// ip, fp, the memory-0 base and the instance in locals. Handler bodies are in handlers_*.inc;
// execute() (entry from the host, faults, backtraces) is in execute.cpp.
#include "rill/engine/interp/interpreter.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "rill/engine/interp/iops.h"
#include "rill/engine/interp/numeric.h"
#if RILL_HAVE_SIMD
#include "rill/engine/interp/simd_ops.h"
#endif

namespace rill::engine::interp {
namespace {

using namespace num;  // NOLINT(google-build-using-namespace): u32, f64, get<>, put<> in handlers
using wasm::V128;

inline uint8_t* mem_base(const Instance* inst) { return inst->mem0 != nullptr ? inst->mem0->base() : nullptr; }

inline V128 ld128(const Slot* p) {
  V128 v;
  std::memcpy(v.bytes, p, 16);
  return v;
}
inline void st128(Slot* p, const V128& v) { std::memcpy(p, v.bytes, 16); }

/// Zeroes a callee's declared locals. A plain loop, not memset: a libc call in the call handler
/// makes g++ spill the interpreter's registers around it; the empty asm keeps it from turning
/// the loop back into memset.
inline void zero_slots(Slot* p, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    p[i] = 0;
    __asm__ volatile("");
  }
}

/// Bounds check for bulk memory/table instructions: [start, start+len) within size.
inline bool in_bounds(uint64_t start, uint64_t len, uint64_t size) { return start <= size && len <= size - start; }

#if RILL_HAVE_SIMD
/// Runs the simd_ops.h function {F}, reading its operands per its signature.
/// Layout: [h][dst|a][b|c] (extract_lane: c... lane in operand 2; replace_lane: lane in operand 3).
template <auto F>
inline void simd_exec(Slot* fp, const Cell* ip) {
  using T = decltype(F);
  const uint32_t dst = ip[1].u32[0];
  const uint32_t a = ip[1].u32[1];
  const uint32_t b = ip[2].u32[0];
  const uint32_t c = ip[2].u32[1];
  if constexpr (std::is_same_v<T, V128 (*)(const V128&, const V128&)>) {
    st128(fp + dst, F(ld128(fp + a), ld128(fp + b)));
  } else if constexpr (std::is_same_v<T, V128 (*)(const V128&)>) {
    st128(fp + dst, F(ld128(fp + a)));
  } else if constexpr (std::is_same_v<T, V128 (*)(const V128&, const V128&, const V128&)>) {
    st128(fp + dst, F(ld128(fp + a), ld128(fp + b), ld128(fp + c)));
  } else if constexpr (std::is_same_v<T, uint32_t (*)(const V128&)>) {
    fp[dst] = F(ld128(fp + a));
  } else if constexpr (std::is_same_v<T, V128 (*)(const V128&, uint32_t)>) {
    st128(fp + dst, F(ld128(fp + a), static_cast<uint32_t>(fp[b])));
  } else if constexpr (std::is_same_v<T, V128 (*)(uint32_t)>) {
    st128(fp + dst, F(static_cast<uint32_t>(fp[a])));
  } else if constexpr (std::is_same_v<T, V128 (*)(uint64_t)>) {
    st128(fp + dst, F(fp[a]));
  } else if constexpr (std::is_same_v<T, uint32_t (*)(const V128&, uint8_t)>) {
    fp[dst] = F(ld128(fp + a), static_cast<uint8_t>(b));
  } else if constexpr (std::is_same_v<T, uint64_t (*)(const V128&, uint8_t)>) {
    fp[dst] = F(ld128(fp + a), static_cast<uint8_t>(b));
  } else if constexpr (std::is_same_v<T, V128 (*)(const V128&, uint32_t, uint8_t)>) {
    st128(fp + dst, F(ld128(fp + a), static_cast<uint32_t>(fp[b]), static_cast<uint8_t>(c)));
  } else if constexpr (std::is_same_v<T, V128 (*)(const V128&, uint64_t, uint8_t)>) {
    st128(fp + dst, F(ld128(fp + a), fp[b], static_cast<uint8_t>(c)));
  } else {
    static_assert(sizeof(T) == 0, "simd_ops.h function with an unexpected signature");
  }
}
#endif

}  // namespace

/// Result codes of run(): 0 = returned normally, else kTrapBase + TrapKind, or kHostTrap when a
/// host function's trap is waiting in ExecState::pending_trap.
int run(ExecState* es, const Cell* ip, Slot* fp, Instance* inst, const void* const** table_out) {
  static const void* const kTable[] = {
#define RILL_IOP(name) &&L_##name,
#include "rill/engine/interp/iops.inc"
  };
  static_assert(sizeof(kTable) / sizeof(kTable[0]) == kIOpCount);
  if (table_out != nullptr) {
    *table_out = kTable;
    return 0;
  }

  uint8_t* mem = mem_base(inst);
  const std::atomic<uint64_t>* const epoch = es->epoch;
  uint64_t deadline = es->deadline;  // re-read after host calls (a guest on a fiber resumes there)
  TrapKind trap_kind = TrapKind::Unreachable;
  Function* callee = nullptr;
  Slot* nfp = nullptr;
  // The value the previous instruction produced, when it was a numeric op or a load (its slot
  // holds it too). Only the _A/_B handler forms read it, and the translator emits those only
  // directly after such a producer, so it needs no saving across calls or branches.
  Slot acc = 0;

// Operand {k} (u32) of the current instruction; cells after the handler hold two each.
#define OP(k) (ip[1 + (k) / 2].u32[(k) % 2])
#define NEXT(n)        \
  do {                 \
    ip += (n);         \
    goto* ip->handler; \
  } while (0)
#define TRAP(kind)        \
  do {                    \
    trap_kind = (kind);   \
    goto trap;            \
  } while (0)
#ifdef RILL_BENCH_NO_EPOCH_CHECK
  // Benchmark-only build (bench/run_engine.sh): measures what the interruption check costs.
  (void)epoch;
  (void)deadline;
#define CHECK_EPOCH() (void)0
#else
#define CHECK_EPOCH() \
  if (epoch->load(std::memory_order_relaxed) >= deadline) TRAP(TrapKind::Interrupted)
#endif

  NEXT(0);

#include "rill/engine/interp/handlers_control.inc"
#include "rill/engine/interp/handlers_memory.inc"
#include "rill/engine/interp/handlers_numeric.inc"
#include "rill/engine/interp/handlers_simd.inc"

trap:
  return kTrapBase + static_cast<int>(trap_kind);
host_trap:
  return kHostTrap;

#undef OP
#undef NEXT
#undef TRAP
#undef CHECK_EPOCH
}

const void* const* handler_table() {
  static const void* const* table = [] {
    const void* const* t = nullptr;
    run(nullptr, nullptr, nullptr, nullptr, &t);
    return t;
  }();
  return table;
}

}  // namespace rill::engine::interp
