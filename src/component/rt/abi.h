// The canonical ABI's lifting and lowering (definitions.py "Loading", "Storing", "Flat Lifting",
// "Flat Lowering", "Lifting and Lowering Values") between Values and one instance's core values
// and linear memory. Functions return false on a trap and leave it in Cx::trap.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rill/component/rt/instance.h"

namespace rill::component::rt {

/// Lifting and lowering recurse along the value's type; types nest at most this deep (the
/// validator refuses deeper ones), and this bound holds even for types made another way.
inline constexpr uint32_t kMaxValueDepth = 256;

/// definitions.py LiftLowerContext.
struct Cx {
  const CanonOpts& opts;
  ComponentInstanceRt* inst;
  Task* task = nullptr;          ///< callee side: the scope borrows are lowered into
  LendScope* lenders = nullptr;  ///< caller side: handles lent while the call runs
  MaybeTrap trap;
  /// Host bytes this call may still allocate for lifted values (strings, list buffers, Values):
  /// a guest cannot make the host allocate more than this per call, however its lists and
  /// strings alias one another. Set from engine::Config::max_lift_bytes.
  uint64_t budget = UINT64_MAX;
  uint32_t depth = 0;  ///< current nesting of lift/lower (kMaxValueDepth)
  /// The other side of the call is the host, not a component: some checks have their own
  /// wording there (the Host* and Realloc* kinds of ComponentTrap).
  bool host_peer = false;

  /// Records the trap {k} (with {detail} after its text) unless one is already recorded.
  bool fail(ComponentTrap k) { return fail(component_trap(k)); }
  bool fail(ComponentTrap k, std::string_view detail) { return fail(component_trap(k, detail)); }
  bool fail_handle(ComponentTrap k, uint32_t index) { return fail(handle_trap(k, index)); }
  bool fail(Trap t) {
    if (!trap) trap = std::move(t);
    return false;
  }
  /// Takes {bytes} from the budget, or traps when it would be overdrawn.
  bool charge(uint64_t bytes);
  /// LiftLowerContext.reallocate: calls the realloc option with may_leave cleared.
  bool reallocate(uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size,
                  uint32_t& ptr);
  /// What a checked range holds; with {host_peer} it picks the trap's text.
  enum class Region : uint8_t { String, List, Values };
  /// Traps unless [ptr, ptr+len) is inside the memory and ptr is aligned. {from_realloc}: the
  /// range is what the realloc option just returned.
  bool check_range(uint64_t ptr, uint64_t len, uint32_t align, Region what,
                   bool from_realloc = false);
  uint8_t* mem() const { return opts.memory->base(); }
};

/// lift_flat_values: {flat} from {pos} on (advanced past what was used).
bool lift_flat_values(Cx& cx, uint32_t max_flat, std::span<const engine::Value> flat, size_t& pos,
                      const std::vector<RTypePtr>& ts, const RTypePtr& tuple,
                      std::vector<Value>& out);
/// lower_flat_values: appends the core values to {out}. With {out_ptr}, a spilled result goes
/// to that address instead of a fresh allocation.
bool lower_flat_values(Cx& cx, uint32_t max_flat, std::span<const Value> vs,
                       const std::vector<RTypePtr>& ts, const RTypePtr& tuple,
                       std::vector<engine::Value>& out, std::optional<uint32_t> out_ptr);

/// definitions.py load / store of one value of {t} at {ptr} (checked by the caller).
bool load_value(Cx& cx, uint64_t ptr, const RType& t, Value& out);
bool store_value(Cx& cx, const Value& v, const RType& t, uint64_t ptr);

/// Stores the string {s} as a (pointer, length) pair at {ptr} (definitions.py store_string).
bool store_string_at(Cx& cx, const std::string& s, uint32_t ptr);

/// The zero core value of {t}.
engine::Value zero_value(wasm::ValType t);

}  // namespace rill::component::rt
