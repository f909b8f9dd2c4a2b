// Tests of spec-script value parsing, matching (exact bits, NaN classes, v128 lanes, references)
// and printing, plus the bounded JSON loader.
#include "rill/cli/wast_values.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "rill/cli/json_util.h"

namespace rill::cli {
namespace {

using nlohmann::json;

json parse(const char* text) { return json::parse(text); }

Expected expect(const char* text) {
  auto e = parse_expected(parse(text));
  EXPECT_TRUE(e.has_value()) << text << ": " << (e ? "" : e.error().message);
  return e ? *e : Expected{};
}

engine::Value v128_of(std::initializer_list<uint32_t> lanes) {
  wasm::V128 v{};
  uint32_t i = 0;
  for (uint32_t lane : lanes) std::memcpy(v.bytes + 4 * i++, &lane, 4);
  return engine::Value::from_v128(v);
}

TEST(ParseBits, AcceptsUnsignedDecimalsThatFit) {
  EXPECT_EQ(*parse_bits("0", 32), 0u);
  EXPECT_EQ(*parse_bits("4294967295", 32), 4294967295u);
  EXPECT_EQ(*parse_bits("18446744073709551615", 64), UINT64_MAX);
  EXPECT_EQ(*parse_bits("255", 8), 255u);
}

TEST(ParseBits, RejectsOverflowSignsAndJunk) {
  EXPECT_FALSE(parse_bits("4294967296", 32));
  EXPECT_FALSE(parse_bits("18446744073709551616", 64));
  EXPECT_FALSE(parse_bits("256", 8));
  EXPECT_FALSE(parse_bits("-1", 32));
  EXPECT_FALSE(parse_bits("+1", 32));
  EXPECT_FALSE(parse_bits("", 32));
  EXPECT_FALSE(parse_bits("12a", 32));
  EXPECT_FALSE(parse_bits(" 1", 32));
  EXPECT_FALSE(parse_bits("0x10", 32));
}

TEST(ParseArg, Scalars) {
  auto i32 = parse_arg(parse(R"({"type":"i32","value":"4294967295"})"));
  ASSERT_TRUE(i32);
  EXPECT_EQ(i32->type, wasm::kI32);
  EXPECT_EQ(i32->i32, 0xffffffffu);
  auto i64 = parse_arg(parse(R"({"type":"i64","value":"9223372036854775808"})"));
  ASSERT_TRUE(i64);
  EXPECT_EQ(i64->type, wasm::kI64);
  EXPECT_EQ(i64->i64, uint64_t{1} << 63);
  auto f32 = parse_arg(parse(R"({"type":"f32","value":"2147483648"})"));
  ASSERT_TRUE(f32);
  EXPECT_EQ(f32->type, wasm::kF32);
  EXPECT_EQ(f32->f32_bits, 0x80000000u);
  auto f64 = parse_arg(parse(R"({"type":"f64","value":"9221120237041090560"})"));
  ASSERT_TRUE(f64);
  EXPECT_EQ(f64->type, wasm::kF64);
  EXPECT_EQ(f64->f64_bits, 0x7ff8000000000000u);
}

TEST(ParseArg, V128LanesAreLittleEndian) {
  auto v = parse_arg(parse(R"({"type":"v128","lane_type":"i16","value":["1","2","3","4","5","6","7","65535"]})"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->type, wasm::kV128);
  EXPECT_EQ(v->v128.bytes[0], 1);
  EXPECT_EQ(v->v128.bytes[1], 0);
  EXPECT_EQ(v->v128.bytes[2], 2);
  EXPECT_EQ(v->v128.bytes[14], 0xff);
  EXPECT_EQ(v->v128.bytes[15], 0xff);
  auto i64 = parse_arg(parse(R"({"type":"v128","lane_type":"i64","value":["1","18446744073709551615"]})"));
  ASSERT_TRUE(i64);
  EXPECT_EQ(i64->v128.bytes[0], 1);
  EXPECT_EQ(i64->v128.bytes[8], 0xff);
}

TEST(ParseArg, V128RejectsWrongLaneCountOrWidth) {
  EXPECT_FALSE(parse_arg(parse(R"({"type":"v128","lane_type":"i32","value":["1","2","3"]})")));
  EXPECT_FALSE(parse_arg(parse(R"({"type":"v128","lane_type":"i8","value":["256","0","0","0","0","0","0","0",
                                   "0","0","0","0","0","0","0","0"]})")));
  EXPECT_FALSE(parse_arg(parse(R"({"type":"v128","lane_type":"i24","value":[]})")));
  EXPECT_FALSE(parse_arg(parse(R"({"type":"v128","value":["1","2","3","4"]})")));
  EXPECT_FALSE(parse_arg(parse(R"({"type":"v128","lane_type":"f32","value":["nan:canonical","0","0","0"]})")));
}

TEST(ParseArg, References) {
  auto null_func = parse_arg(parse(R"({"type":"ref.null","heap":"func"})"));
  ASSERT_TRUE(null_func);
  EXPECT_EQ(null_func->type, wasm::kFuncRef);
  EXPECT_EQ(null_func->ref, nullptr);
  auto null_extern = parse_arg(parse(R"({"type":"ref.null","heap":"extern"})"));
  ASSERT_TRUE(null_extern);
  EXPECT_EQ(null_extern->type, wasm::kExternRef);
  EXPECT_EQ(null_extern->ref, nullptr);
  auto ext0 = parse_arg(parse(R"({"type":"ref.extern","value":"0"})"));
  ASSERT_TRUE(ext0);
  EXPECT_EQ(ext0->type, wasm::kExternRef);
  EXPECT_NE(ext0->ref, nullptr);  // ref.extern 0 is not null
  EXPECT_EQ(ext0->ref, host_ref(0));
  EXPECT_NE(host_ref(0), host_ref(1));
  EXPECT_FALSE(parse_arg(parse(R"({"type":"ref.null","heap":"any"})")));
  EXPECT_FALSE(parse_arg(parse(R"({"type":"ref.extern"})")));
}

TEST(ParseArg, MalformedValuesAreErrorsNotCrashes) {
  for (const char* text : {R"({})", R"([])", R"(42)", R"({"type":7})", R"({"type":"i32"})",
                           R"({"type":"i32","value":5})", R"({"type":"i32","value":null})",
                           R"({"type":"nan:canonical","value":"1"})", R"({"type":"f32","value":"nan:canonical"})",
                           R"({"type":"v128","lane_type":"i32","value":"1"})",
                           R"({"type":"v128","lane_type":"i32","value":[1,2,3,4]})", R"({"type":"ref.func"})",
                           R"({"type":"either","values":[]})"}) {
    EXPECT_FALSE(parse_arg(parse(text))) << text;
  }
}

TEST(Matches, IntegersNeedExactBitsAndType) {
  Expected e = expect(R"({"type":"i32","value":"42"})");
  EXPECT_TRUE(matches(e, wasm::kI32, engine::Value::from_i32(42)));
  EXPECT_FALSE(matches(e, wasm::kI32, engine::Value::from_i32(43)));
  EXPECT_FALSE(matches(e, wasm::kI64, engine::Value::from_i64(42)));
  Expected e64 = expect(R"({"type":"i64","value":"18446744073709551615"})");
  EXPECT_TRUE(matches(e64, wasm::kI64, engine::Value::from_i64(UINT64_MAX)));
  EXPECT_FALSE(matches(e64, wasm::kI64, engine::Value::from_i64(UINT64_MAX - 1)));
}

TEST(Matches, FloatsCompareBitsSoSignedZerosDiffer) {
  Expected neg_zero = expect(R"({"type":"f32","value":"2147483648"})");
  EXPECT_TRUE(matches(neg_zero, wasm::kF32, engine::Value::from_f32_bits(0x80000000u)));
  EXPECT_FALSE(matches(neg_zero, wasm::kF32, engine::Value::from_f32_bits(0)));
  Expected nan_payload = expect(R"({"type":"f64","value":"9221120237041090561"})");
  EXPECT_TRUE(matches(nan_payload, wasm::kF64, engine::Value::from_f64_bits(0x7ff8000000000001u)));
  EXPECT_FALSE(matches(nan_payload, wasm::kF64, engine::Value::from_f64_bits(0x7ff8000000000000u)));
}

TEST(Matches, CanonicalNan) {
  Expected e32 = expect(R"({"type":"f32","value":"nan:canonical"})");
  EXPECT_TRUE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0x7fc00000u)));
  EXPECT_TRUE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0xffc00000u)));
  EXPECT_FALSE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0x7fc00001u)));
  EXPECT_FALSE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0x7fa00000u)));
  EXPECT_FALSE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0x7f800000u)));  // infinity
  Expected e64 = expect(R"({"type":"f64","value":"nan:canonical"})");
  EXPECT_TRUE(matches(e64, wasm::kF64, engine::Value::from_f64_bits(0xfff8000000000000u)));
  EXPECT_FALSE(matches(e64, wasm::kF64, engine::Value::from_f64_bits(0x7ff8000000000001u)));
  EXPECT_FALSE(matches(e64, wasm::kF32, engine::Value::from_f32_bits(0x7fc00000u)));
}

TEST(Matches, ArithmeticNan) {
  Expected e32 = expect(R"({"type":"f32","value":"nan:arithmetic"})");
  EXPECT_TRUE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0x7fc00000u)));
  EXPECT_TRUE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0xffc00123u)));
  EXPECT_FALSE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0x7f800001u)));  // signalling
  EXPECT_FALSE(matches(e32, wasm::kF32, engine::Value::from_f32_bits(0x3fc00000u)));
  Expected e64 = expect(R"({"type":"f64","value":"nan:arithmetic"})");
  EXPECT_TRUE(matches(e64, wasm::kF64, engine::Value::from_f64_bits(0x7ffc000000000000u)));
  EXPECT_FALSE(matches(e64, wasm::kF64, engine::Value::from_f64_bits(0x7ff4000000000000u)));
}

TEST(Matches, V128PerLaneShape) {
  Expected ints = expect(R"({"type":"v128","lane_type":"i32","value":["1","2","3","4294967295"]})");
  EXPECT_TRUE(matches(ints, wasm::kV128, v128_of({1, 2, 3, 0xffffffffu})));
  EXPECT_FALSE(matches(ints, wasm::kV128, v128_of({1, 2, 3, 4})));
  EXPECT_FALSE(matches(ints, wasm::kI32, engine::Value::from_i32(1)));
  Expected bytes = expect(R"({"type":"v128","lane_type":"i8",
      "value":["1","0","0","0","2","0","0","0","3","0","0","0","255","255","255","255"]})");
  EXPECT_TRUE(matches(bytes, wasm::kV128, v128_of({1, 2, 3, 0xffffffffu})));
}

TEST(Matches, V128NanLanes) {
  Expected e = expect(
      R"({"type":"v128","lane_type":"f32","value":["nan:canonical","nan:arithmetic","1065353216","0"]})");
  EXPECT_TRUE(matches(e, wasm::kV128, v128_of({0xffc00000u, 0x7fc00001u, 0x3f800000u, 0})));
  EXPECT_FALSE(matches(e, wasm::kV128, v128_of({0x7fc00001u, 0x7fc00001u, 0x3f800000u, 0})));
  EXPECT_FALSE(matches(e, wasm::kV128, v128_of({0x7fc00000u, 0x7f800001u, 0x3f800000u, 0})));
  EXPECT_FALSE(matches(e, wasm::kV128, v128_of({0x7fc00000u, 0x7fc00000u, 0x3f800000u, 0x80000000u})));
  Expected d = expect(R"({"type":"v128","lane_type":"f64","value":["nan:canonical","4607182418800017408"]})");
  EXPECT_TRUE(matches(d, wasm::kV128, v128_of({0, 0x7ff80000u, 0, 0x3ff00000u})));
  EXPECT_FALSE(matches(d, wasm::kV128, v128_of({1, 0x7ff80000u, 0, 0x3ff00000u})));
}

TEST(ParseArg, NanLiteralLanesFromTheConverter) {
  auto v = parse_arg(parse(R"({"type":"v128","lane_type":"f32",
      "value":["nan:0x200000","-nan:0x7f_ffff","+nan:0x1","0"]})"));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_TRUE(matches(expect(R"({"type":"v128","lane_type":"i32","value":["2141192192","4294967295","2139095041","0"]})"),
                      wasm::kV128, *v));
  auto d = parse_arg(parse(R"({"type":"v128","lane_type":"f64","value":["nan:0x4000000000000","0"]})"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->v128.bytes[7], 0x7f);
  EXPECT_EQ(d->v128.bytes[6], 0xf4);
  Expected e = expect(R"({"type":"v128","lane_type":"f32","value":["nan:0x200000","0","0","0"]})");
  EXPECT_TRUE(matches(e, wasm::kV128, v128_of({0x7fa00000u, 0, 0, 0})));
  EXPECT_FALSE(matches(e, wasm::kV128, v128_of({0x7fc00000u, 0, 0, 0})));  // exact payload, not a class
  for (const char* bad : {"nan:0x", "nan:0x0", "nan:0x800000", "nan:0xg", "nan:200000"}) {
    std::string text = std::string(R"({"type":"v128","lane_type":"f32","value":[")") + bad + R"(","0","0","0"]})";
    EXPECT_FALSE(parse_arg(parse(text.c_str()))) << bad;
  }
  // Integer lanes never take NaN literals.
  EXPECT_FALSE(parse_arg(parse(R"({"type":"v128","lane_type":"i32","value":["nan:0x1","0","0","0"]})")));
}

TEST(Matches, NullReferences) {
  auto func_null = engine::Value::from_ref(wasm::kFuncRef, nullptr);
  auto extern_null = engine::Value::from_ref(wasm::kExternRef, nullptr);
  auto extern_one = engine::Value::from_ref(wasm::kExternRef, host_ref(1));
  Expected func = expect(R"({"type":"ref.null","heap":"func"})");
  Expected nofunc = expect(R"({"type":"ref.null","heap":"nofunc"})");
  Expected ext = expect(R"({"type":"ref.null","heap":"extern"})");
  Expected any = expect(R"({"type":"ref.null","heap":null})");
  Expected gc = expect(R"({"type":"ref.null","heap":"any"})");
  EXPECT_TRUE(matches(func, wasm::kFuncRef, func_null));
  EXPECT_TRUE(matches(nofunc, wasm::kFuncRef, func_null));
  EXPECT_FALSE(matches(func, wasm::kExternRef, extern_null));
  EXPECT_TRUE(matches(ext, wasm::kExternRef, extern_null));
  EXPECT_FALSE(matches(ext, wasm::kExternRef, extern_one));
  EXPECT_TRUE(matches(any, wasm::kFuncRef, func_null));
  EXPECT_TRUE(matches(any, wasm::kExternRef, extern_null));
  EXPECT_FALSE(matches(any, wasm::kExternRef, extern_one));
  EXPECT_FALSE(matches(any, wasm::kI32, engine::Value::from_i32(0)));
  EXPECT_FALSE(matches(gc, wasm::kFuncRef, func_null));
}

TEST(Matches, HostAndFunctionReferences) {
  auto extern_one = engine::Value::from_ref(wasm::kExternRef, host_ref(1));
  auto extern_two = engine::Value::from_ref(wasm::kExternRef, host_ref(2));
  Expected one = expect(R"({"type":"ref.extern","value":"1"})");
  Expected some = expect(R"({"type":"ref.extern"})");
  EXPECT_TRUE(matches(one, wasm::kExternRef, extern_one));
  EXPECT_FALSE(matches(one, wasm::kExternRef, extern_two));
  EXPECT_FALSE(matches(one, wasm::kExternRef, engine::Value::from_ref(wasm::kExternRef, nullptr)));
  EXPECT_TRUE(matches(some, wasm::kExternRef, extern_two));
  EXPECT_FALSE(matches(some, wasm::kExternRef, engine::Value::from_ref(wasm::kExternRef, nullptr)));

  int dummy = 0;
  auto func = engine::Value::from_ref(wasm::kFuncRef, &dummy);
  Expected any_func = expect(R"({"type":"ref.func"})");
  EXPECT_TRUE(matches(any_func, wasm::kFuncRef, func));
  EXPECT_FALSE(matches(any_func, wasm::kFuncRef, engine::Value::from_ref(wasm::kFuncRef, nullptr)));
  EXPECT_FALSE(matches(any_func, wasm::kExternRef, extern_one));
  Expected array = expect(R"({"type":"ref.array"})");
  EXPECT_FALSE(matches(array, wasm::kFuncRef, func));
}

TEST(Matches, EitherMatchesAnyAlternative) {
  Expected e = expect(R"({"type":"either","values":[{"type":"i32","value":"1"},{"type":"i32","value":"2"}]})");
  EXPECT_TRUE(matches(e, wasm::kI32, engine::Value::from_i32(1)));
  EXPECT_TRUE(matches(e, wasm::kI32, engine::Value::from_i32(2)));
  EXPECT_FALSE(matches(e, wasm::kI32, engine::Value::from_i32(3)));
  Expected v = expect(R"({"type":"either","values":[
      {"type":"v128","lane_type":"i32","value":["1","1","1","1"]},
      {"type":"v128","lane_type":"f32","value":["nan:arithmetic","0","0","0"]}]})");
  EXPECT_TRUE(matches(v, wasm::kV128, v128_of({1, 1, 1, 1})));
  EXPECT_TRUE(matches(v, wasm::kV128, v128_of({0x7fd00000u, 0, 0, 0})));
  EXPECT_FALSE(matches(v, wasm::kV128, v128_of({1, 1, 1, 0})));
}

TEST(ParseExpected, RejectsUnknownAndMalformed) {
  for (const char* text : {R"({"type":"i128","value":"1"})", R"({"type":"f32","value":"nan:signalling"})",
                           R"({"type":"i32","value":"nan:canonical"})", R"({"type":"either"})",
                           R"({"type":"either","values":[{"type":"bogus"}]})", R"({"type":"ref.null","heap":3})",
                           R"({"type":"ref.extern","value":"x"})"}) {
    EXPECT_FALSE(parse_expected(parse(text))) << text;
  }
}

TEST(Format, ShowsBitsAndLanes) {
  EXPECT_EQ(format_value(wasm::kI32, engine::Value::from_i32(42)), "i32:42");
  EXPECT_EQ(format_value(wasm::kF32, engine::Value::from_f32_bits(0x3f800000u)), "f32:0x3f800000 (1)");
  EXPECT_EQ(format_value(wasm::kV128, v128_of({1, 2, 3, 4})), "v128:i32x4[1 2 3 4]");
  EXPECT_EQ(format_value(wasm::kExternRef, engine::Value::from_ref(wasm::kExternRef, host_ref(7))), "ref.extern 7");
  EXPECT_EQ(format_value(wasm::kFuncRef, engine::Value::from_ref(wasm::kFuncRef, nullptr)), "ref.null func");
  EXPECT_EQ(format_expected(expect(R"({"type":"f64","value":"nan:arithmetic"})")), "f64:nan:arithmetic");
  EXPECT_EQ(format_expected(expect(R"({"type":"either","values":[{"type":"i32","value":"1"},{"type":"i64","value":"2"}]})")),
            "either(i32:1 | i64:2)");
}

TEST(JsonText, RejectsMalformedAndDeepDocuments) {
  EXPECT_TRUE(parse_json_text(R"({"commands":[]})"));
  EXPECT_FALSE(parse_json_text(R"({"commands":[)"));
  EXPECT_FALSE(parse_json_text(""));
  EXPECT_FALSE(parse_json_text("{\"a\":\"\xff\"}"));  // invalid UTF-8
  std::string deep(100000, '[');
  EXPECT_FALSE(parse_json_text(deep));
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(parse_json_text(ok));
  // Brackets inside strings do not count as nesting.
  EXPECT_TRUE(parse_json_text("[\"" + std::string(1000, '[') + "\\\"\"]"));
}

TEST(JsonFile, MissingFileIsAnError) {
  auto r = load_json_file("/nonexistent/dir/none.json");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace rill::cli
