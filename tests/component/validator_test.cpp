// Tests of validate_component on hand-built components (tests/component/builder.h): index
// spaces and outer aliases, type well-formedness, names, canon lift/lower rules and core
// instantiation arguments. The spec suite run is spec_validate_test.cpp.
#include "rill/component/validator.h"

#include <gtest/gtest.h>

#include <string>

#include "builder.h"
#include "rill/component/decoder.h"

namespace rill::component {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the test's byte builders

Result<void> validate(const Bytes& b) {
  auto c = decode_component(b);
  EXPECT_TRUE(c.has_value()) << c.error().to_string();
  if (!c) return c.error();
  return validate_component(**c);
}

void expect_valid(const Bytes& b) {
  auto v = validate(b);
  EXPECT_TRUE(v.has_value()) << v.error().to_string();
}

/// Validation of {b} fails with a message containing {message}, at {offset} unless kNoOffset.
void expect_invalid(const Bytes& b, const std::string& message, uint64_t offset = kNoOffset) {
  auto v = validate(b);
  ASSERT_FALSE(v.has_value()) << "validates, expected: " << message;
  EXPECT_NE(v.error().message.find(message), std::string::npos) << v.error().to_string();
  if (offset != kNoOffset) {
    EXPECT_EQ(v.error().offset, offset) << v.error().to_string();
  }
}

/// Offset of the first definition of a component's first section (count < 128, size < 128).
constexpr uint64_t kFirstDef = 8 + 1 + 1 + 1;

const Bytes kU32 = {0x79}, kString = {0x73};

/// functype: (func (param "x" t)* (result r)?) with the params given as (label, valtype) pairs.
Bytes func_type(std::initializer_list<Bytes> params, const Bytes& result = {}) {
  Bytes out = cat({{0x40}, vec(params)});
  return result.empty() ? cat({out, {0x01, 0x00}}) : cat({out, {0x00}, result});
}
Bytes param(std::string_view label, const Bytes& t) { return cat({str(label), t}); }

/// A core module defining function "f" of type [params] -> [results] (its body is unreachable).
Bytes core_module_f(const Bytes& params, const Bytes& results) {
  return cat({kCorePreamble, section(1, cat({{0x01, 0x60}, params, results})),
              section(3, {0x01, 0x00}), section(7, cat({{0x01}, str("f"), {0x00, 0x00}})),
              section(10, {0x01, 0x03, 0x00, 0x00, 0x0b})});
}

/// Sections giving core func 0 = export "f" of an instance of {module}.
Bytes core_func_from(const Bytes& module) {
  return cat({section(kCoreModule, module), vec_section(kCoreInstance, {cat({{0x00}, u32(0), vec({})})}),
              vec_section(kAlias, {cat({{0x00, 0x00, 0x01}, u32(0), str("f")})})});
}

TEST(Validate, IndexSpacesAcceptAWellFormedComponent) {
  expect_valid(component({
      vec_section(kType, {kU32, func_type({param("x", {0x00})}, kU32)}),
      vec_section(kImport, {cat({name("f"), {0x01}, u32(1)})}),
      vec_section(kExport, {cat({name("g"), {0x01}, u32(0), {0x00}})}),
  }));
}

TEST(Validate, IndexOutOfBounds) {
  expect_invalid(component({vec_section(kImport, {cat({name("f"), {0x01}, u32(0)})})}),
                 "unknown type 0: type index out of bounds", kFirstDef);
  expect_invalid(component({vec_section(kExport, {cat({name("g"), {0x01}, u32(0), {0x00}})})}),
                 "unknown func 0: func index out of bounds", kFirstDef);
}

TEST(Validate, ExternTypeMustNameTheRightKindOfType) {
  expect_invalid(component({vec_section(kType, {kU32}),
                            vec_section(kImport, {cat({name("f"), {0x01}, u32(0)})})}),
                 "type index 0 is not a function type");
}

TEST(Validate, OuterAliasCountAndSort) {
  expect_invalid(component({vec_section(kAlias, {cat({{0x03, 0x02}, u32(1), u32(0)})})}),
                 "invalid outer alias count of 1", kFirstDef);
  // A nested component reaches its parent's type 0 with count 1.
  const Bytes inner = component({vec_section(kAlias, {cat({{0x03, 0x02}, u32(1), u32(0)})})});
  expect_valid(component({vec_section(kType, {kU32}), section(kComponent, inner)}));
  const Bytes too_far = component({vec_section(kAlias, {cat({{0x03, 0x02}, u32(1), u32(1)})})});
  expect_invalid(component({vec_section(kType, {kU32}), section(kComponent, too_far)}),
                 "unknown type 1: type index out of bounds");
}

TEST(Validate, OuterAliasOfAResourceAcrossAComponentIsInvalid) {
  const Bytes inner = component({vec_section(kAlias, {cat({{0x03, 0x02}, u32(1), u32(0)})})});
  expect_invalid(component({vec_section(kType, {{0x3f, 0x7f, 0x00}}), section(kComponent, inner)}),
                 "transitively refers to resources");
  // (own $r) refers to the resource too.
  expect_invalid(component({vec_section(kType, {{0x3f, 0x7f, 0x00}, {0x69, 0x00}}),
                            section(kComponent, component({vec_section(
                                                    kAlias, {cat({{0x03, 0x02}, u32(1), u32(1)})})}))}),
                 "transitively refers to resources");
}

TEST(Validate, DefValTypes) {
  expect_invalid(component({vec_section(kType, {{0x72, 0x00}})}),
                 "record type must have at least one field", kFirstDef);
  expect_invalid(component({vec_section(kType, {cat({{0x72}, vec({param("a-b", kU32), param("A-B", kU32)})})})}),
                 "record field name `A-B` conflicts with previous field name `a-b`");
  expect_invalid(component({vec_section(kType, {cat({{0x72}, vec({param("aB", kU32)})})})}),
                 "record field name `aB` is not in kebab case");
  Bytes flags = u32(33);
  for (int i = 0; i < 33; ++i) flags = cat({flags, str("f" + std::to_string(i))});
  expect_invalid(component({vec_section(kType, {cat({{0x6e}, flags})})}),
                 "cannot have more than 32 flags");
  expect_invalid(component({vec_section(kType, {{0x6d, 0x00}})}),
                 "enum type must have at least one variant");
  expect_invalid(component({vec_section(kType, {kU32, {0x69, 0x00}})}),
                 "type index 0 is not a resource type");
  expect_valid(component({vec_section(kType, {{0x3f, 0x7f, 0x00}, {0x69, 0x00}, {0x68, 0x00}})}));
}

TEST(Validate, ElementSizeBelow2To28) {
  // (list u64 2^25) is 2^28 bytes; (list u64 2^25-1) is fine, and a flat-list cap keeps a lift of
  // it cheap.
  expect_invalid(component({vec_section(kType, {cat({{0x67, 0x77}, u32(uint64_t{1} << 25)})})}),
                 "exceeds maximum byte size");
  expect_valid(component({vec_section(kType, {cat({{0x67, 0x77}, u32((uint64_t{1} << 25) - 1)})})}));
  // Two fields of 2^27 bytes each.
  const Bytes half = cat({{0x67, 0x77}, u32(uint64_t{1} << 24)});
  expect_invalid(component({vec_section(kType, {half, cat({{0x72}, vec({param("a", {0x00}), param("b", {0x00})})})})}),
                 "exceeds maximum byte size");
}

TEST(Validate, FunctionTypes) {
  expect_invalid(component({vec_section(kType, {func_type({param("foo", kU32), param("FOO", kU32)})})}),
                 "function parameter name `FOO` conflicts with previous parameter name `foo`");
  expect_invalid(component({vec_section(kType, {{0x3f, 0x7f, 0x00}, {0x68, 0x00},
                                                func_type({}, {0x01})})}),
                 "function result cannot contain a `borrow` type");
}

TEST(Validate, ResourceTypes) {
  expect_invalid(component({vec_section(kType, {{0x3f, 0x7e, 0x00}})}),
                 "resources can only be represented by `i32`");
  // A destructor of type [] -> [] is not [i32] -> [].
  expect_invalid(component({core_func_from(core_module_f({0x00}, {0x00})),
                            vec_section(kType, {cat({{0x3f, 0x7f, 0x01}, u32(0)})})}),
                 "wrong signature for a destructor");
  expect_valid(component({core_func_from(core_module_f({0x01, 0x7f}, {0x00})),
                          vec_section(kType, {cat({{0x3f, 0x7f, 0x01}, u32(0)})})}));
  // Not inside a component type.
  expect_invalid(component({vec_section(kType, {cat({{0x41}, vec({cat({{0x01}, {0x3f, 0x7f, 0x00}})})})})}),
                 "resources can only be defined within a concrete component");
}

TEST(Validate, ImportNamesAreStronglyUnique) {
  const Bytes f = func_type({});
  expect_invalid(component({vec_section(kType, {f}),
                            vec_section(kImport, {cat({name("a"), {0x01}, u32(0)}),
                                                  cat({name("A"), {0x01}, u32(0)})})}),
                 "import name `A` conflicts with previous name `a`");
  expect_invalid(component({vec_section(kType, {f}),
                            vec_section(kImport, {cat({name("a_b"), {0x01}, u32(0)})})}),
                 "is not in kebab case");
  // [static] needs a preceding resource of that name, [method] a (borrow $r) self.
  expect_invalid(component({vec_section(kType, {f}),
                            vec_section(kImport, {cat({name("[static]r.m"), {0x01}, u32(0)})})}),
                 "static resource name is not known in this context");
  expect_invalid(component({vec_section(kType, {f}),
                            vec_section(kImport, {cat({name("[method]r.m"), {0x01}, u32(0)})})}),
                 "method should have at least one argument");
}

TEST(Validate, NestedInterfaceNamesAreNotEnabled) {
  expect_invalid(component({vec_section(kType, {func_type({})}),
                            vec_section(kImport, {cat({name("foo:bar/baz/qux"), {0x01}, u32(0)})})}),
                 "nested namespaces and projections are not enabled");
  expect_valid(component({vec_section(kType, {func_type({})}),
                          vec_section(kImport, {cat({name("foo:bar/baz@1.0.0"), {0x01}, u32(0)})})}));
}

TEST(Validate, ConstructorsReturnTheirResource) {
  // (import "r" (type (sub resource))) (import "s" (type (sub resource))), then own r / own s.
  const Bytes resources = vec_section(kImport, {cat({name("r"), {0x03, 0x01}}), cat({name("s"), {0x03, 0x01}})});
  const Bytes types = vec_section(kType, {{0x69, 0x00}, {0x69, 0x01}, func_type({}, u32(2)),
                                          func_type({}, u32(3)), func_type({}, kU32)});
  auto ctor = [&](uint32_t type) {
    return component({resources, types,
                      vec_section(kImport, {cat({name("[constructor]r"), {0x01}, u32(type)})})});
  };
  expect_valid(ctor(4));
  expect_invalid(ctor(5), "function does not match expected resource name `s`");
  expect_invalid(ctor(6), "function should return `(own $T)` or `(result (own $T))`");
}

TEST(Validate, CanonLiftChecksTheCoreSignature) {
  const Bytes lift = vec_section(kCanon, {cat({{0x00, 0x00}, u32(0), vec({}), u32(0)})});
  expect_valid(component({core_func_from(core_module_f({0x00}, {0x00})),
                          vec_section(kType, {func_type({})}), lift}));
  expect_valid(component({core_func_from(core_module_f({0x01, 0x7f}, {0x01, 0x7f})),
                          vec_section(kType, {func_type({param("x", kU32)}, kU32)}), lift}));
  expect_invalid(component({core_func_from(core_module_f({0x00}, {0x00})),
                            vec_section(kType, {func_type({param("x", kU32)})}), lift}),
                 "lowered parameter types `[i32]` do not match parameter types `[]`");
  expect_invalid(component({core_func_from(core_module_f({0x00}, {0x00})),
                            vec_section(kType, {func_type({param("s", kString)})}), lift}),
                 "canonical option `memory` is required");
  expect_invalid(component({core_func_from(core_module_f({0x00}, {0x00})), vec_section(kType, {kU32}),
                            lift}),
                 "type index 0 is not a function type");
}

TEST(Validate, CanonOptions) {
  auto lift_with = [](std::initializer_list<Bytes> opts) {
    return component({core_func_from(core_module_f({0x00}, {0x00})),
                      vec_section(kType, {func_type({})}),
                      vec_section(kCanon, {cat({{0x00, 0x00}, u32(0), vec(opts), u32(0)})})});
  };
  expect_invalid(lift_with({{0x00}, {0x01}}),
                 "canonical encoding option `utf8` conflicts with option `utf16`");
  expect_invalid(lift_with({cat({{0x05}, u32(0)}), cat({{0x05}, u32(0)})}),
                 "canonical option `post-return` is specified more than once");
  expect_invalid(lift_with({cat({{0x04}, u32(0)})}),
                 "canonical option `realloc` requires `memory` to also be specified");
  expect_invalid(lift_with({cat({{0x03}, u32(0)})}), "unknown memory 0: memory index out of bounds");
}

TEST(Validate, CanonLowerGivesTheFlattenedCoreType) {
  // lower f: (func (param "x" u32) (result u32)) gives [i32] -> [i32]; used as a destructor
  // ([i32] -> []) that is a signature mismatch.
  const Bytes base = cat({vec_section(kType, {func_type({param("x", kU32)}, kU32)}),
                          vec_section(kImport, {cat({name("f"), {0x01}, u32(0)})}),
                          vec_section(kCanon, {cat({{0x01, 0x00}, u32(0), vec({})})})});
  expect_invalid(component({base, vec_section(kType, {cat({{0x3f, 0x7f, 0x01}, u32(0)})})}),
                 "wrong signature for a destructor");
  expect_invalid(component({vec_section(kType, {func_type({param("s", kString)})}),
                            vec_section(kImport, {cat({name("f"), {0x01}, u32(0)})}),
                            vec_section(kCanon, {cat({{0x01, 0x00}, u32(0), vec({})})})}),
                 "canonical option `memory` is required");
}

TEST(Validate, CoreInstantiationArguments) {
  // A module importing "m" "g" (a func [] -> []).
  const Bytes importer = cat({kCorePreamble, section(1, {0x01, 0x60, 0x00, 0x00}),
                              section(2, cat({{0x01}, str("m"), str("g"), {0x00, 0x00}}))});
  expect_invalid(component({section(kCoreModule, importer),
                            vec_section(kCoreInstance, {cat({{0x00}, u32(0), vec({})})})}),
                 "missing module instantiation argument named `m`");
  // An instance of inline exports without "g".
  expect_invalid(component({section(kCoreModule, importer),
                            vec_section(kCoreInstance, {cat({{0x01}, vec({})}),
                                                        cat({{0x00}, u32(0), vec({cat({str("m"), {0x12}, u32(0)})})})})}),
                 "does not export an item named `g`");
  expect_invalid(component({vec_section(kCoreInstance, {cat({{0x00}, u32(0), vec({})})})}),
                 "unknown module 0: module index out of bounds", kFirstDef);
}

TEST(Validate, CoreInstantiationMatchesGlobalsTablesAndMemories) {
  // A module importing "m" "g" as an immutable i32 global, instantiated with an i64 global.
  const Bytes imports_global = cat({kCorePreamble, section(2, cat({{0x01}, str("m"), str("g"), {0x03, 0x7f, 0x00}}))});
  const Bytes exports_global = cat({kCorePreamble, section(6, {0x01, 0x7e, 0x00, 0x42, 0x00, 0x0b}),
                                    section(7, cat({{0x01}, str("g"), {0x03, 0x00}}))});
  auto instantiate = [](const Bytes& importer, const Bytes& exporter) {
    return component({section(kCoreModule, importer), section(kCoreModule, exporter),
                      vec_section(kCoreInstance, {cat({{0x00}, u32(1), vec({})}),
                                                  cat({{0x00}, u32(0), vec({cat({str("m"), {0x12}, u32(0)})})})})});
  };
  expect_invalid(instantiate(imports_global, exports_global), "expected global type i32, found i64");
  // A table import of at least 2 elements, given a table of 1.
  const Bytes imports_table = cat({kCorePreamble, section(2, cat({{0x01}, str("m"), str("g"), {0x01, 0x70, 0x00, 0x02}}))});
  const Bytes exports_table = cat({kCorePreamble, section(4, {0x01, 0x70, 0x00, 0x01}),
                                   section(7, cat({{0x01}, str("g"), {0x01, 0x00}}))});
  expect_invalid(instantiate(imports_table, exports_table), "mismatch in table limits");
  const Bytes big_table = cat({kCorePreamble, section(4, {0x01, 0x70, 0x00, 0x05}),
                               section(7, cat({{0x01}, str("g"), {0x01, 0x00}}))});
  expect_valid(instantiate(imports_table, big_table));
}

TEST(Validate, CoreModulesAreValidatedWithComponentOffsets) {
  // (func (result i32)) with an empty body: a type mismatch inside the embedded module.
  const Bytes bad = cat({kCorePreamble, section(1, {0x01, 0x60, 0x00, 0x01, 0x7f}), section(3, {0x01, 0x00}),
                         section(10, {0x01, 0x02, 0x00, 0x0b})});
  auto v = validate(component({section(kCoreModule, bad)}));
  ASSERT_FALSE(v.has_value());
  // The error lies inside the module, which starts at offset 10 of the component.
  EXPECT_GE(v.error().offset, 10u + 8u) << v.error().to_string();
  EXPECT_LT(v.error().offset, 10u + bad.size()) << v.error().to_string();
}

TEST(Validate, CoreModuleImportsAreUnique) {
  const Bytes dup = cat({kCorePreamble, section(1, {0x01, 0x60, 0x00, 0x00}),
                         section(2, cat({{0x02}, str("m"), str("g"), {0x00, 0x00}, str("m"), str("g"), {0x00, 0x00}}))});
  expect_invalid(component({section(kCoreModule, dup)}), "duplicate import name `m:g`");
}

TEST(Validate, ExportedTypesNeedExternalNames) {
  // (type $R (resource (rep i32))) (type (own $R)) (type (func (result 1))) (canon lift ...)
  const Bytes lifted = cat({core_func_from(core_module_f({0x00}, {0x01, 0x7f})),
                            vec_section(kType, {{0x3f, 0x7f, 0x00}, {0x69, 0x00}, func_type({}, u32(1))}),
                            vec_section(kCanon, {cat({{0x00, 0x00}, u32(0), vec({}), u32(2)})})});
  expect_invalid(component({lifted, vec_section(kExport, {cat({name("f"), {0x01}, u32(0), {0x00}})})}),
                 "func not valid to be used as export");
  // Exporting $R first gives it a name (type 3), but not to type 0 itself: f still uses $R.
  expect_invalid(component({lifted, vec_section(kExport, {cat({name("r"), {0x03}, u32(0), {0x00}}),
                                                          cat({name("f"), {0x01}, u32(0), {0x00}})})}),
                 "func not valid to be used as export");
  // A record needs a name too; exporting it names the new index.
  const Bytes record = cat({{0x72}, vec({param("x", kU32)})});
  expect_invalid(component({vec_section(kType, {record, func_type({param("r", {0x00})})}),
                            vec_section(kImport, {cat({name("f"), {0x01}, u32(1)})})}),
                 "func not valid to be used as import");
  expect_valid(component({vec_section(kType, {record}),
                          vec_section(kImport, {cat({name("r"), {0x03, 0x00}, u32(0)})}),
                          vec_section(kType, {func_type({param("r", {0x01})})}),
                          vec_section(kImport, {cat({name("f"), {0x01}, u32(2)})})}));
}

TEST(Validate, InstantiationArgumentsMatchImportedTypes) {
  // A nested component importing "x" (type (eq (tuple u32 u32))) and "f" (func (param "a" u32)).
  const Bytes inner = component({vec_section(kType, {{0x6f, 0x02, 0x79, 0x79}, func_type({param("a", kU32)})}),
                                 vec_section(kImport, {cat({name("x"), {0x03, 0x00}, u32(0)}),
                                                       cat({name("f"), {0x01}, u32(1)})})});
  auto instantiate = [&](const Bytes& tuple, const Bytes& func) {
    return component({section(kComponent, inner), vec_section(kType, {tuple, func}),
                      vec_section(kImport, {cat({name("g"), {0x01}, u32(1)})}),
                      vec_section(kInstance, {cat({{0x00}, u32(0), vec({cat({str("x"), {0x03}, u32(0)}),
                                                                        cat({str("f"), {0x01}, u32(0)})})})})});
  };
  expect_valid(instantiate({0x6f, 0x02, 0x79, 0x79}, func_type({param("a", kU32)})));
  expect_invalid(instantiate({0x6f, 0x02, 0x73, 0x73}, func_type({param("a", kU32)})),
                 "expected primitive `u32` found primitive `string`");
  expect_invalid(instantiate({0x6f, 0x01, 0x79}, func_type({param("a", kU32)})),
                 "expected 2 types, found 1");
  expect_invalid(instantiate({0x6f, 0x02, 0x79, 0x79}, func_type({param("b", kU32)})),
                 "expected parameter named `a`, found `b`");
  expect_invalid(instantiate({0x6f, 0x02, 0x79, 0x79}, func_type({})), "expected 1 parameters, found 0");
}

TEST(Validate, AliasesCheckExports) {
  expect_invalid(component({section(kCoreModule, core_module_f({0x00}, {0x00})),
                            vec_section(kCoreInstance, {cat({{0x00}, u32(0), vec({})})}),
                            vec_section(kAlias, {cat({{0x00, 0x00, 0x01}, u32(0), str("nope")})})}),
                 "core instance 0 has no export named `nope`");
  expect_invalid(component({section(kCoreModule, core_module_f({0x00}, {0x00})),
                            vec_section(kCoreInstance, {cat({{0x00}, u32(0), vec({})})}),
                            vec_section(kAlias, {cat({{0x00, 0x02, 0x01}, u32(0), str("f")})})}),
                 "export `f` for core instance 0 is not a memory");
}

// Resolved types (validate_sem.h): resource identity through instantiation, subtyping of
// instantiation arguments and export ascriptions.

/// instance ::= 0x00 c args: instantiate component {c} with (name, sort bytes, index) args.
Bytes instantiate(uint32_t c, std::initializer_list<Bytes> args) {
  return cat({{0x00}, u32(c), vec(args)});
}
Bytes arg(std::string_view n, const Bytes& sort, uint32_t index) {
  return cat({str(n), sort, u32(index)});
}
const Bytes kSubResource = {0x03, 0x01};
const Bytes kSortType = {0x03}, kSortInstance = {0x05}, kSortCoreModule = {0x00, 0x11};

/// A component importing "a" (sub resource) and "b" (eq a): both must be the same resource.
Bytes eq_component() {
  return component({vec_section(
      kImport, {cat({name("a"), kSubResource}), cat({name("b"), {0x03, 0x00}, u32(0)})})});
}

TEST(Validate, InstantiationSubstitutesImportedResources) {
  auto with = [](uint32_t a, uint32_t b) {
    return component({vec_section(kImport, {cat({name("t1"), kSubResource}),
                                            cat({name("t2"), kSubResource})}),
                      section(kComponent, eq_component()),
                      vec_section(kInstance, {instantiate(0, {arg("a", kSortType, a),
                                                              arg("b", kSortType, b)})})});
  };
  expect_valid(with(0, 0));
  expect_invalid(with(0, 1), "type mismatch for import `b`: resource types are not the same");
}

TEST(Validate, InstantiationMakesDefinedResourcesFresh) {
  // (component $C (type $r (resource (rep i32))) (export "r1" (type $r))), instantiated twice.
  const Bytes c = component({vec_section(kType, {{0x3f, 0x7f, 0x00}}),
                             vec_section(kExport, {cat({name("r1"), kSortType, u32(0), {0x00}})})});
  auto with = [&](uint32_t a, uint32_t b) {
    return component({section(kComponent, c), section(kComponent, eq_component()),
                      vec_section(kInstance, {instantiate(0, {}), instantiate(0, {})}),
                      vec_section(kAlias, {cat({{0x03, 0x00}, u32(0), str("r1")}),
                                           cat({{0x03, 0x00}, u32(1), str("r1")})}),
                      vec_section(kInstance, {instantiate(1, {arg("a", kSortType, a),
                                                              arg("b", kSortType, b)})})});
  };
  expect_valid(with(0, 0));
  expect_invalid(with(0, 1), "resource types are not the same");
}

/// (type (instance (type (func)) (export "f" (func (type 0))))).
Bytes instance_with_f() {
  return cat({{0x42}, vec({cat({{0x01}, func_type({})}), cat({{0x04}, name("f"), {0x01}, u32(0)})})});
}

TEST(Validate, InstanceArgumentsNeedEveryExport) {
  const Bytes consumer = component({vec_section(kType, {instance_with_f()}),
                                    vec_section(kImport, {cat({name("i"), {0x05}, u32(0)})})});
  auto with = [&](const Bytes& type) {
    return component({vec_section(kType, {type}),
                      vec_section(kImport, {cat({name("i"), {0x05}, u32(0)})}),
                      section(kComponent, consumer),
                      vec_section(kInstance, {instantiate(0, {arg("i", kSortInstance, 0)})})});
  };
  expect_valid(with(instance_with_f()));
  expect_invalid(with({0x42, 0x00}), "type mismatch for import `i`: missing expected export `f`");
}

TEST(Validate, ExportAscriptionMustBeASupertype) {
  // (import "i" (instance)) (export "j" (instance 0) (instance (type 1))).
  expect_invalid(component({vec_section(kType, {{0x42, 0x00}, instance_with_f()}),
                            vec_section(kImport, {cat({name("i"), {0x05}, u32(0)})}),
                            vec_section(kExport, {cat({name("j"), kSortInstance, u32(0), {0x01},
                                                       {0x05}, u32(1)})})}),
                 "ascribed type of export is not compatible with item's type: missing expected "
                 "export `f`");
}

TEST(Validate, CoreModuleArgumentsAreModuleSubtypes) {
  // The component imports a module that exports func "f" of type [] -> [].
  const Bytes module_type = cat({{0x50}, vec({{0x01, 0x60, 0x00, 0x00},
                                              cat({{0x03}, str("f"), {0x00}, u32(0)})})});
  const Bytes consumer = component({vec_section(kCoreType, {module_type}),
                                    vec_section(kImport, {cat({name("m"), kSortCoreModule, u32(0)})})});
  auto with = [&](const Bytes& module) {
    return component({section(kCoreModule, module), section(kComponent, consumer),
                      vec_section(kInstance, {instantiate(0, {arg("m", kSortCoreModule, 0)})})});
  };
  expect_valid(with(core_module_f({0x00}, {0x00})));
  expect_invalid(with(kCorePreamble), "type mismatch for import `m`: missing expected export `f`");
  expect_invalid(with(core_module_f({0x01, 0x7f}, {0x00})),
                 "type mismatch for import `m`: type mismatch in export `f`");
}

TEST(Validate, OuterAliasedTypesHaveNoNameInANestedComponent) {
  // (type $rec (record (field "x" u32))) (import "t" (type (eq $rec))), then a nested component
  // importing a function returning the outer alias of "t".
  const Bytes inner = component({vec_section(kAlias, {cat({{0x03, 0x02}, u32(1), u32(1)})}),
                                 vec_section(kType, {func_type({}, u32(0))}),
                                 vec_section(kImport, {cat({name("f"), {0x01}, u32(1)})})});
  expect_invalid(component({vec_section(kType, {cat({{0x72}, vec({param("x", kU32)})})}),
                            vec_section(kImport, {cat({name("t"), {0x03, 0x00}, u32(0)})}),
                            section(kComponent, inner)}),
                 "func not valid to be used as import");
}

TEST(Validate, TypesAliasedFromAnInlineInstanceNeedAName) {
  // (type $rec (record ...)) (instance (export "t" (type $rec))) (alias export 0 "t" (type))
  // (type (func (param "r" 1))) (import "f" (func (type 2))).
  expect_invalid(component({vec_section(kType, {cat({{0x72}, vec({param("x", kU32)})})}),
                            vec_section(kInstance, {cat({{0x01}, vec({cat({name("t"), kSortType,
                                                                           u32(0)})})})}),
                            vec_section(kAlias, {cat({{0x03, 0x00}, u32(0), str("t")})}),
                            vec_section(kType, {func_type({param("r", u32(1))})}),
                            vec_section(kImport, {cat({name("f"), {0x01}, u32(2)})})}),
                 "func not valid to be used as import");
}

TEST(Validate, AnnotatedExportsNeedAnExportedResource) {
  // (import "b" (type (sub resource))) (import "f" (func (param "self" (borrow 0)))), then
  // export "[method]b.foo": b is imported, not exported, so it has no name among exports.
  auto with = [](bool export_b) {
    Bytes exports = export_b ? vec_section(kExport, {cat({name("b"), kSortType, u32(0), {0x00}}),
                                                     cat({name("[method]b.foo"), {0x01}, u32(0),
                                                          {0x00}})})
                             : vec_section(kExport, {cat({name("[method]b.foo"), {0x01}, u32(0),
                                                          {0x00}})});
    return component({vec_section(kImport, {cat({name("b"), kSubResource})}),
                      vec_section(kType, {{0x68, 0x00}, func_type({param("self", u32(1))})}),
                      vec_section(kImport, {cat({name("f"), {0x01}, u32(2)})}), exports});
  };
  expect_valid(with(true));
  expect_invalid(with(false), "resource used in function does not have a name in this context");
}

TEST(Validate, ComparingSharedTypesTakesLinearTime) {
  // t0 = (list u32), t(2i+1) = (tuple t2i t2i), t(2i+2) = (list t(2i+1)). With 17 rounds the tree
  // behind the last one has 2^17 leaves (effective size 524286, under the 1,000,000 limit), the
  // DAG 35 nodes. A component importing it is instantiated with the outer copy, and then with
  // one that differs at the bottom.
  auto chain = [](const Bytes& leaf, uint32_t rounds) {
    Bytes types = u32(2 * rounds + 1);
    types = cat({types, {0x70}, leaf});
    for (uint32_t i = 0; i < rounds; ++i) {
      types = cat({types, {0x6f}, vec({s33(2 * i), s33(2 * i)}), {0x70}, s33(2 * i + 1)});
    }
    return section(kType, types);
  };
  auto with = [&](const Bytes& leaf, uint32_t rounds) {
    const Bytes inner = component({chain(kU32, rounds), vec_section(kImport, {cat({name("x"), {0x03, 0x00},
                                                                                    u32(2 * rounds)})})});
    return component({chain(leaf, rounds), section(kComponent, inner),
                      vec_section(kInstance, {instantiate(0, {arg("x", kSortType, 2 * rounds)})})});
  };
  expect_valid(with(kU32, 17));
  expect_invalid(with(kString, 17), "expected primitive `u32` found primitive `string`");
  // 40 rounds (2^40 leaves) pass the limit at t35 (size 1048573): rejected before any walk.
  expect_invalid(with(kU32, 40), "effective type size exceeds the limit of 1000000");
}

}  // namespace
}  // namespace rill::component
