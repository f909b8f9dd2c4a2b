// WAVE text read against a type (src/component/rt/wave.h), what `rill run --invoke 'f(...)'`
// parses its arguments with: every value kind, what may be left out, and the errors, which name
// the byte offset.
#include <gtest/gtest.h>

#include <cmath>

#include "rill/component/rt/wave.h"

namespace {

using namespace rill::component::rt;
using rill::Value;

std::string read(std::string_view text, const RTypePtr& t) {
  auto v = parse_wave(text, *t);
  return v ? v->to_string() : "error: " + v.error().message;
}

TEST(Wave, Scalars) {
  EXPECT_EQ(read("true", prim(TK::Bool)), "true");
  EXPECT_EQ(read(" false ", prim(TK::Bool)), "false");
  EXPECT_EQ(read("-128", prim(TK::S8)), "-128");
  EXPECT_EQ(read("255", prim(TK::U8)), "255");
  EXPECT_EQ(read("18446744073709551615", prim(TK::U64)), "18446744073709551615");
  EXPECT_EQ(read("-9223372036854775808", prim(TK::S64)), "-9223372036854775808");
  EXPECT_EQ(read("1.5", prim(TK::F64)), "1.5");
  EXPECT_EQ(read("-inf", prim(TK::F32)), "-inf");
  auto nan = parse_wave("nan", *prim(TK::F64));
  ASSERT_TRUE(nan);
  EXPECT_TRUE(std::isnan(nan->as_f64()));
  EXPECT_EQ(read("'x'", prim(TK::Char)), "'x'");
  EXPECT_EQ(read("'\\u{1f600}'", prim(TK::Char)).size(), std::string("'😀'").size());
  EXPECT_EQ(parse_wave("\"a\\n\\\"b\\\" 中文\"", *prim(TK::String))->str(), "a\n\"b\" 中文");
}

TEST(Wave, OutOfRangeAndMalformedScalarsSayWhere) {
  EXPECT_EQ(read("256", prim(TK::U8)), "error: expected an integer in 0..255 at offset 0");
  EXPECT_EQ(read("-1", prim(TK::U32)), "error: expected an integer in 0..4294967295 at offset 0");
  EXPECT_EQ(read("128", prim(TK::S8)), "error: expected an integer in -128..127 at offset 0");
  EXPECT_EQ(read("1.5", prim(TK::U32)).substr(0, 16), "error: expected ");
  EXPECT_EQ(read("0x10", prim(TK::F64)), "error: expected a number at offset 0");
  EXPECT_EQ(read("1e400", prim(TK::F64)), "error: number out of range at offset 0");
  EXPECT_EQ(read("'ab'", prim(TK::Char)), "error: a char literal holds exactly one character at offset 4");
  EXPECT_EQ(read("\"abc", prim(TK::String)), "error: unterminated literal at offset 4");
  EXPECT_EQ(read("\"\\q\"", prim(TK::String)), "error: unknown escape \\q at offset 3");
  EXPECT_EQ(read("\"\\u{d800}\"", prim(TK::String)), "error: bad \\u{...} escape at offset 3");
  EXPECT_EQ(read("1 2", prim(TK::U32)), "error: unexpected text after the value at offset 2");
}

TEST(Wave, ListsTuplesRecords) {
  EXPECT_EQ(read("[1, 2, 3,]", make_list(prim(TK::U32))), "[1, 2, 3]");
  EXPECT_EQ(read("[]", make_list(prim(TK::U32))), "[]");
  EXPECT_EQ(read("(1, \"a\")", make_tuple({prim(TK::U8), prim(TK::String)})), "(1, \"a\")");
  EXPECT_EQ(read("(1)", make_tuple({prim(TK::U8), prim(TK::String)})),
            "error: expected a tuple of 2 elements at offset 3");
  auto point = make_record({"x", "y", "label"},
                           {prim(TK::S32), prim(TK::S32),
                            make_variant(TK::Option, {"none", "some"}, {nullptr, prim(TK::String)})});
  EXPECT_EQ(read("{y: -2, x: 1}", point), "{x: 1, y: -2, label: none}");  // option fields may be left out
  EXPECT_EQ(read("{x: 1, y: 2, label: some(\"p\")}", point), "{x: 1, y: 2, label: some(\"p\")}");
  EXPECT_EQ(read("{x: 1}", point), "error: missing field `y` at offset 6");
  EXPECT_EQ(read("{x: 1, x: 2, y: 0}", point), "error: field `x` given twice at offset 8");
  EXPECT_EQ(read("{z: 1}", point).substr(0, 25), "error: no field `z` in re");
  EXPECT_EQ(read("[1, 2]", make_fixed_list(prim(TK::U8), 3)), "error: expected 3 elements, got 2 at offset 6");
}

TEST(Wave, CasesAndFlags) {
  auto shape = make_variant(TK::Variant, {"circle", "none", "square"}, {prim(TK::F64), nullptr, prim(TK::U32)});
  EXPECT_EQ(read("circle(2.5)", shape), "circle(2.5)");
  EXPECT_EQ(read("%none", shape), "none");  // a keyword label with `%`
  EXPECT_EQ(read("circle", shape), "error: case `circle` takes a payload: `circle(...)` at offset 6");
  EXPECT_EQ(read("none(1)", shape), "error: case `none` has no payload at offset 5");
  auto color = make_variant(TK::Enum, {"red", "green"}, {nullptr, nullptr});
  EXPECT_EQ(read("green", color), "green");
  EXPECT_EQ(read("blue", color).substr(0, 26), "error: no case `blue` in e");
  auto opt = make_variant(TK::Option, {"none", "some"}, {nullptr, prim(TK::U8)});
  EXPECT_EQ(read("some(7)", opt), "some(7)");
  EXPECT_EQ(read("none", opt), "none");
  auto res = make_variant(TK::Result, {"ok", "error"}, {prim(TK::String), nullptr});
  EXPECT_EQ(read("ok(\"x\")", res), "ok(\"x\")");
  EXPECT_EQ(read("err", res), "err");
  auto bare = make_variant(TK::Result, {"ok", "error"}, {nullptr, nullptr});
  EXPECT_EQ(read("ok", bare), "ok");
  auto perms = make_flags({"read", "write", "exec"});
  EXPECT_EQ(read("{write, read}", perms), "{write, read}");
  EXPECT_EQ(read("{}", perms), "{}");
  EXPECT_EQ(read("{delete}", perms).substr(0, 27), "error: no flag `delete` in ");
}

TEST(Wave, ArgumentsForAFunction) {
  auto ft = make_func_type(false, {"a", "b"}, {prim(TK::U32), make_list(prim(TK::String))}, nullptr);
  auto args = parse_wave_args("7, [\"x\", \"y\"]", *ft);
  ASSERT_TRUE(args) << args.error().message;
  ASSERT_EQ(args->size(), 2u);
  EXPECT_EQ((*args)[1].to_string(), "[\"x\", \"y\"]");
  EXPECT_FALSE(parse_wave_args("7", *ft));
  EXPECT_FALSE(parse_wave_args("7, [], 8", *ft));
  auto none = make_func_type(false, {}, {}, nullptr);
  EXPECT_TRUE(parse_wave_args("  ", *none));
}

TEST(Wave, DeepNestingIsAnErrorNotAStackOverflow) {
  RTypePtr t = prim(TK::U8);
  for (int i = 0; i < 200; ++i) t = make_list(t);
  std::string text(200, '[');
  text += std::string(200, ']');
  EXPECT_NE(read(text, t).find("nesting deeper than 100"), std::string::npos);
}

}  // namespace
