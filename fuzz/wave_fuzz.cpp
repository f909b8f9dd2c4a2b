// libFuzzer target for WAVE text (src/component/rt/wave.h), which `rill run --invoke` reads from
// the command line: the first byte picks a type (scalars, nested lists, records with option
// fields, variants, results, flags), the rest is the text. Parsing must never crash, and a value
// it accepts must print (Value::to_string) to text that parses back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "rill/component/rt/wave.h"

using namespace rill::component::rt;

namespace {

std::vector<RTypePtr> make_types() {
  auto opt = [](RTypePtr t) { return make_variant(TK::Option, {"none", "some"}, {nullptr, std::move(t)}); };
  auto point = make_record({"x", "y", "label"}, {prim(TK::S32), prim(TK::U8), opt(prim(TK::String))});
  auto shape = make_variant(TK::Variant, {"circle", "none", "square"}, {prim(TK::U16), nullptr, point});
  auto res = make_variant(TK::Result, {"ok", "error"}, {make_list(prim(TK::Char)), nullptr});
  auto color = make_variant(TK::Enum, {"red", "green", "blue"}, {nullptr, nullptr, nullptr});
  return {
      prim(TK::Bool), prim(TK::S8), prim(TK::U64), prim(TK::S64), prim(TK::Char), prim(TK::String),
      make_list(prim(TK::U32)), make_list(make_list(prim(TK::String))), make_tuple({prim(TK::U8), prim(TK::String), color}),
      point, shape, res, opt(opt(prim(TK::U8))), make_flags({"read", "write", "exec"}),
      make_fixed_list(prim(TK::S16), 3), make_list(shape),
  };
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<RTypePtr> types = make_types();
  if (size == 0) return 0;
  const RType& t = *types[data[0] % types.size()];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto v = parse_wave(text, t);
  if (!v) return 0;
  const std::string printed = v->to_string();
  auto again = parse_wave(printed, t);
  if (!again || !(*again == *v)) std::abort();  // what we print must read back the same
  return 0;
}
