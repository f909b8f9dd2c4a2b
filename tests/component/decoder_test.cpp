// Tests of decode_component's framing and of the instance, alias, start, import, export, value,
// custom, core module and component sections, on hand-built bytes (tests/component/builder.h).
// Types are in decode_types_test.cpp, canon in decode_canon_test.cpp.
#include "rill/component/decoder.h"

#include <gtest/gtest.h>

#include <string>

#include "builder.h"

namespace rill::component {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): the test's byte builders

std::shared_ptr<const Component> decode_ok(const Bytes& b) {
  auto c = decode_component(b);
  EXPECT_TRUE(c.has_value()) << c.error().to_string();
  return c ? *c : nullptr;
}

/// Decoding {b} fails with exactly {message} at {offset}.
void expect_error(const Bytes& b, const std::string& message, uint64_t offset) {
  auto c = decode_component(b);
  ASSERT_FALSE(c.has_value()) << "decoded, expected: " << message;
  EXPECT_EQ(c.error().message, message);
  EXPECT_EQ(c.error().offset, offset) << c.error().message;
}

template <class T>
const T& only_def(const Component& c) {
  EXPECT_EQ(c.defs.size(), 1u);
  return std::get<T>(c.defs.at(0).def);
}

TEST(Preamble, DistinguishesModulesFromComponents) {
  EXPECT_EQ(*detect_binary_kind(kComponentPreamble), BinaryKind::Component);
  EXPECT_EQ(*detect_binary_kind(kCorePreamble), BinaryKind::CoreModule);
  auto c = decode_ok(component({}));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->defs.empty());
  EXPECT_EQ(c->size, 8u);
}

TEST(Preamble, BadPreamblesAreRejected) {
  expect_error({}, "unexpected end", 0);
  expect_error({0x00, 0x61, 0x73}, "unexpected end", 0);
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00}, "unexpected end", 4);
  expect_error({0x00, 0x41, 0x53, 0x4d, 0x0d, 0x00, 0x01, 0x00}, "magic header not detected", 0);
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x0c, 0x00, 0x01, 0x00}, "unknown binary version", 4);
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x00, 0x00}, "unknown binary version", 4);
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x02, 0x00}, "unknown binary layer", 6);
  expect_error(kCorePreamble, "expected a version header for a component", 4);
}

TEST(Sections, FramingErrors) {
  expect_error(component({{0x0d, 0x00}}), "malformed section id", 8);
  expect_error(component({{0xff}}), "malformed section id", 8);
  expect_error(component({{0x07}}), "unexpected end", 9);
  expect_error(component({{0x07, 0x05, 0x00}}), "unexpected end: section size out of bounds", 9);
  // One byte left over after the type section's only (empty) vector.
  expect_error(component({section(kType, {0x00, 0x00})}), "section size mismatch", 11);
  // A vector count larger than the section: caught before anything is allocated.
  expect_error(component({section(kType, u32(0xffffffff))}), "unexpected end", 15);
  expect_error(component({section(kType, {0x81, 0x80, 0x80, 0x80, 0x70})}), "integer too large",
               14);
}

TEST(Sections, RecordsSectionsInOrder) {
  auto c = decode_ok(component({vec_section(kType, {{0x73}, {0x7f}}), section(kCustom, str("x")),
                                vec_section(kType, {{0x79}})}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->sections.size(), 3u);
  EXPECT_EQ(c->sections[0].id, kType);
  EXPECT_EQ(c->sections[0].offset, 10u);
  EXPECT_EQ(c->sections[0].num_defs, 2u);
  EXPECT_EQ(c->sections[1].id, kCustom);
  EXPECT_EQ(c->sections[1].num_defs, 0u);
  EXPECT_EQ(c->sections[2].first_def, 2u);
  ASSERT_EQ(c->defs.size(), 3u);
  EXPECT_EQ(c->defs[0].offset, 11u);
  EXPECT_EQ(c->defs[1].offset, 12u);
}

TEST(Custom, NameAndPayloadRange) {
  auto c = decode_ok(component({section(kCustom, cat({str("component-name"), {1, 2, 3}}))}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->customs.size(), 1u);
  EXPECT_EQ(c->customs[0].name, "component-name");
  EXPECT_EQ(c->customs[0].offset, 8u + 2 + 15);
  EXPECT_EQ(c->customs[0].size, 3u);
  expect_error(component({section(kCustom, {0x02, 0xff, 0xfe})}), "malformed UTF-8 encoding", 11);
  expect_error(component({section(kCustom, {0x05, 'a', 'b'})}), "unexpected end", 11);
}

TEST(Custom, ComponentNameSection) {
  const Bytes names =
      cat({str("component-name"), section(0, str("my-comp")),
           section(1, cat({{0x01}, vec({cat({u32(3), str("three")}), cat({u32(1), str("one")})})})),
           section(1, cat({{0x00, 0x11}, vec({cat({u32(0), str("m")})})})),
           section(9, {0xff})});  // an unknown subsection is skipped
  auto c = decode_ok(component({section(kCustom, names)}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->names.component, "my-comp");
  ASSERT_EQ(c->names.sorts.size(), 2u);
  EXPECT_EQ(c->names.name(Sort{SortKind::Func}, 1), "one");
  EXPECT_EQ(c->names.name(Sort{SortKind::Func}, 3), "three");
  EXPECT_EQ(c->names.name(Sort{SortKind::Func}, 2), "");
  EXPECT_EQ(c->names.name((Sort{SortKind::Core, CoreSort::Module}), 0), "m");
  EXPECT_EQ(c->names.name(Sort{SortKind::Type}, 0), "");
}

TEST(Custom, MalformedNameSectionsAreIgnored) {
  for (const Bytes& payload :
       {Bytes{0x00, 0x05, 0x01}, section(1, {0x09, 0x00}), section(0, {0x01, 0x61, 0x00}),
        cat({section(1, {0x01, 0x00}), section(0, str("late"))})}) {
    auto c = decode_ok(component({section(kCustom, cat({str("component-name"), payload}))}));
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->names.component.empty());
    EXPECT_TRUE(c->names.sorts.empty());
    EXPECT_EQ(c->customs.size(), 1u);
  }
}

TEST(CoreModule, DecodedByTheCoreDecoder) {
  // (module (type (func)) (func (type 0)))
  const Bytes module = cat({kCorePreamble, section(1, {0x01, 0x60, 0x00, 0x00}),
                            section(3, {0x01, 0x00}), section(10, {0x01, 0x02, 0x00, 0x0b})});
  auto c = decode_ok(component({section(kCoreModule, module)}));
  ASSERT_TRUE(c);
  const auto& m = only_def<CoreModule>(*c);
  EXPECT_EQ(m.offset, 10u);
  EXPECT_EQ(m.size, module.size());
  ASSERT_TRUE(m.module);
  EXPECT_EQ(m.module->types.size(), 1u);
  EXPECT_EQ(m.module->num_defined_funcs(), 1u);
}

TEST(CoreModule, ErrorsHaveComponentOffsets) {
  // The module's section id 0x0e is malformed at module offset 8, component offset 10 + 8.
  expect_error(component({section(kCoreModule, cat({kCorePreamble, {0x0e, 0x00}}))}),
               "malformed section id", 18);
  expect_error(component({section(kCoreModule, kComponentPreamble)}),
               "expected a version header for a module", 14);
  expect_error(component({section(kCoreModule, {})}), "unexpected end", 10);
}

TEST(CoreInstance, InstantiateAndInlineExports) {
  auto c = decode_ok(component({vec_section(
      kCoreInstance,
      {cat({{0x00}, u32(3), vec({cat({str("env"), {0x12}, u32(1)})})}),
       cat({{0x01}, vec({cat({str("f"), {0x00}, u32(4)}), cat({str("m"), {0x02}, u32(0)})})})})}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->defs.size(), 2u);
  const auto& inst = std::get<CoreInstantiate>(std::get<CoreInstance>(c->defs[0].def));
  EXPECT_EQ(idx(inst.module), 3u);
  ASSERT_EQ(inst.args.size(), 1u);
  EXPECT_EQ(inst.args[0].name, "env");
  EXPECT_EQ(idx(inst.args[0].instance), 1u);
  const auto& ex = std::get<CoreInstanceFromExports>(std::get<CoreInstance>(c->defs[1].def));
  ASSERT_EQ(ex.exports.size(), 2u);
  EXPECT_EQ(ex.exports[0].item.sort, CoreSort::Func);
  EXPECT_EQ(ex.exports[0].item.index, 4u);
  EXPECT_EQ(ex.exports[1].item.sort, CoreSort::Memory);

  expect_error(component({vec_section(kCoreInstance, {{0x02}})}),
               "invalid leading byte (0x2) for core instance", 11);
  expect_error(component({vec_section(
                   kCoreInstance, {cat({{0x00, 0x00}, vec({cat({str("a"), {0x00, 0x00}})})})})}),
               "invalid leading byte (0x0) for instantiation arg kind", 16);
  expect_error(component({vec_section(kCoreInstance,
                                      {cat({{0x01}, vec({cat({str("a"), {0x05, 0x00}})})})})}),
               "invalid leading byte (0x5) for core sort", 15);
}

TEST(Component, NestedComponentsKeepAbsoluteOffsets) {
  const Bytes inner = component({vec_section(kType, {{0x73}})});
  auto c = decode_ok(component({vec_section(kType, {{0x7f}}), section(kComponent, inner)}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->defs.size(), 2u);
  const auto& nested = std::get<std::shared_ptr<const Component>>(c->defs[1].def);
  EXPECT_EQ(nested->offset, 14u);
  EXPECT_EQ(nested->size, inner.size());
  ASSERT_EQ(nested->defs.size(), 1u);
  EXPECT_EQ(nested->defs[0].offset, 14u + 8 + 3);
  // Errors inside report offsets in the outer binary.
  expect_error(component({section(kComponent, component({vec_section(kType, {{0x62}})}))}),
               "invalid leading byte (0x62) for component defined type", 10 + 8 + 3);
  expect_error(component({section(kComponent, kCorePreamble)}),
               "expected a version header for a component", 14);
}

TEST(Component, NestingIsBounded) {
  Bytes b = component({});
  for (int i = 0; i < 99; ++i) b = component({section(kComponent, b)});
  EXPECT_TRUE(decode_component(b).has_value());
  b = component({section(kComponent, b)});
  auto c = decode_component(b);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message, "nesting too deep");
}

TEST(Instance, InstantiateAndInlineExports) {
  auto c = decode_ok(component({vec_section(
      kInstance,
      {cat({{0x00},
            u32(2),
            vec({cat({str("a"), {0x01}, u32(7)}), cat({str("m"), {0x00, 0x11}, u32(1)})})}),
       cat({{0x01},
            vec({cat({name("f"), {0x01}, u32(0)}), cat({name("t"), {0x03}, u32(5)})})})})}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->defs.size(), 2u);
  const auto& inst = std::get<Instantiate>(std::get<Instance>(c->defs[0].def));
  EXPECT_EQ(idx(inst.component), 2u);
  ASSERT_EQ(inst.args.size(), 2u);
  EXPECT_EQ(inst.args[0].item.sort.kind, SortKind::Func);
  EXPECT_EQ(inst.args[0].item.index, 7u);
  EXPECT_EQ(inst.args[1].item.sort, (Sort{SortKind::Core, CoreSort::Module}));
  const auto& ex = std::get<InstanceFromExports>(std::get<Instance>(c->defs[1].def));
  ASSERT_EQ(ex.exports.size(), 2u);
  EXPECT_EQ(ex.exports[0].name.name, "f");
  EXPECT_EQ(ex.exports[1].item.sort.kind, SortKind::Type);
  expect_error(component({vec_section(kInstance, {{0x02}})}),
               "invalid leading byte (0x2) for instance", 11);
  expect_error(component({vec_section(
                   kInstance, {cat({{0x00, 0x00}, vec({cat({str("a"), {0x06, 0x00}})})})})}),
               "invalid leading byte (0x6) for component external kind", 16);
}

TEST(Alias, EveryTarget) {
  auto c = decode_ok(component({vec_section(
      kAlias, {
                  cat({{0x01, 0x00}, u32(2), str("f")}),          // (alias export 2 "f" (func))
                  cat({{0x00, 0x02, 0x01}, u32(1), str("mem")}),  // (alias core export 1 "mem"
                                                                  // (core memory))
                  cat({{0x03, 0x02}, u32(1), u32(4)}),            // (alias outer 1 4 (type))
                  cat({{0x00, 0x10, 0x02}, u32(0), u32(0)}),      // core type
                  cat({{0x00, 0x11, 0x02}, u32(2), u32(3)}),      // core module
                  cat({{0x04, 0x02}, u32(1), u32(0)}),            // component
              })}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->defs.size(), 6u);
  const auto& a0 = std::get<Alias>(c->defs[0].def);
  EXPECT_EQ(a0.kind, AliasKind::Export);
  EXPECT_EQ(a0.sort.kind, SortKind::Func);
  EXPECT_EQ(a0.instance, 2u);
  EXPECT_EQ(a0.name, "f");
  const auto& a1 = std::get<Alias>(c->defs[1].def);
  EXPECT_EQ(a1.kind, AliasKind::CoreExport);
  EXPECT_EQ(a1.sort, (Sort{SortKind::Core, CoreSort::Memory}));
  const auto& a2 = std::get<Alias>(c->defs[2].def);
  EXPECT_EQ(a2.kind, AliasKind::Outer);
  EXPECT_EQ(a2.count, 1u);
  EXPECT_EQ(a2.index, 4u);
  EXPECT_EQ(std::get<Alias>(c->defs[5].def).sort.kind, SortKind::Component);
}

TEST(Alias, OuterAliasesTakeOnlyOuterAliasSorts) {
  expect_error(component({vec_section(kAlias, {{0x01, 0x02, 0x00, 0x00}})}),
               "invalid leading byte (0x1) for component outer alias kind", 11);
  expect_error(component({vec_section(kAlias, {{0x05, 0x02, 0x00, 0x00}})}),
               "invalid leading byte (0x5) for component outer alias kind", 11);
  expect_error(component({vec_section(kAlias, {{0x00, 0x00, 0x02, 0x00, 0x00}})}),
               "invalid leading byte (0x0) for component outer alias kind", 12);
  expect_error(component({vec_section(kAlias, {{0x06, 0x02, 0x00, 0x00}})}),
               "invalid leading byte (0x6) for component outer alias kind", 11);
  expect_error(component({vec_section(kAlias, {{0x06, 0x00, 0x00, 0x00}})}),
               "invalid leading byte (0x6) for component external kind", 11);
  expect_error(component({vec_section(kAlias, {{0x03, 0x03, 0x00, 0x00}})}),
               "invalid leading byte (0x3) for alias", 12);
}

TEST(Start, FunctionArgumentsAndResults) {
  auto c = decode_ok(component({section(kStart, cat({u32(3), vec({u32(0), u32(1)}), u32(1)}))}));
  ASSERT_TRUE(c);
  const auto& s = only_def<Start>(*c);
  EXPECT_EQ(idx(s.func), 3u);
  ASSERT_EQ(s.args.size(), 2u);
  EXPECT_EQ(idx(s.args[1]), 1u);
  EXPECT_EQ(s.results, 1u);
  expect_error(component({section(kStart, {0x00, 0x00})}), "unexpected end", 12);
}

TEST(Import, NameFormsAndExternTypes) {
  auto c = decode_ok(component(
      {vec_section(kImport, {
                                cat({name("m"), {0x00, 0x11}, u32(0)}),   // core module
                                cat({{0x01}, str("f"), {0x01}, u32(1)}),  // func, 0x01 name form
                                cat({name("v"), {0x02, 0x00}, u32(2)}),   // value (eq 2)
                                cat({name("w"), {0x02, 0x01, 0x73}}),     // value string
                                cat({name("t"), {0x03, 0x00}, u32(3)}),   // type (eq 3)
                                cat({name("r"), {0x03, 0x01}}),           // type (sub resource)
                                cat({name("c"), {0x04}, u32(4)}),         // component
                                cat({{0x02},
                                     str("wasi:http/handler@0.2.0"),  // instance, with attributes
                                     vec({cat({{0x00}, str("wasi:http/handler")}),
                                          cat({{0x01}, str(".3")}), cat({{0x02}, str("id")})}),
                                     {0x05},
                                     u32(5)}),
                            })}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->defs.size(), 8u);
  auto imp = [&](size_t i) -> const Import& { return std::get<Import>(c->defs[i].def); };
  EXPECT_EQ(imp(0).type.kind, ExternKind::CoreModule);
  EXPECT_EQ(imp(1).name.form, 0x01);
  EXPECT_EQ(imp(1).type.kind, ExternKind::Func);
  EXPECT_EQ(imp(1).type.index, 1u);
  EXPECT_EQ(imp(2).type.value_bound.kind, ValueBound::Kind::Eq);
  EXPECT_EQ(idx(imp(2).type.value_bound.index), 2u);
  EXPECT_EQ(imp(3).type.value_bound.type, ValType::prim(PrimValType::String));
  EXPECT_EQ(imp(4).type.type_bound.kind, TypeBound::Kind::Eq);
  EXPECT_EQ(idx(imp(4).type.type_bound.index), 3u);
  EXPECT_EQ(imp(5).type.type_bound.kind, TypeBound::Kind::SubResource);
  EXPECT_EQ(imp(6).type.kind, ExternKind::Component);
  const Import& last = imp(7);
  EXPECT_EQ(last.name.name, "wasi:http/handler@0.2.0");
  EXPECT_EQ(last.name.form, 0x02);
  ASSERT_EQ(last.name.attributes.size(), 3u);
  EXPECT_EQ(last.name.attributes[0].kind, NameAttribute::Kind::Implements);
  EXPECT_EQ(last.name.attributes[1].kind, NameAttribute::Kind::VersionSuffix);
  EXPECT_EQ(last.name.attributes[1].value, ".3");
  EXPECT_EQ(last.name.attributes[2].kind, NameAttribute::Kind::ExternalId);
  EXPECT_EQ(last.type.kind, ExternKind::Instance);
}

TEST(Import, MalformedNamesAndTypes) {
  expect_error(component({vec_section(kImport, {cat({{0x03}, str("a"), {0x01, 0x00}})})}),
               "invalid leading byte (0x3) for component name", 11);
  expect_error(component({vec_section(
                   kImport, {cat({{0x02}, str("a"), vec({{0x03, 0x00}}), {0x01, 0x00}})})}),
               "invalid leading byte (0x3) for name option", 15);
  expect_error(component({vec_section(kImport, {cat({name("a"), {0x06, 0x00}})})}),
               "invalid leading byte (0x6) for component external kind", 14);
  expect_error(component({vec_section(kImport, {cat({name("a"), {0x00, 0x10, 0x00}})})}),
               "invalid leading byte (0x10) for component external kind", 15);
  expect_error(component({vec_section(kImport, {cat({name("a"), {0x03, 0x02}})})}),
               "invalid leading byte (0x2) for type bound", 15);
  expect_error(component({vec_section(kImport, {cat({name("a"), {0x02, 0x02}})})}),
               "invalid leading byte (0x2) for value bound", 15);
  expect_error(component({vec_section(kImport, {cat({{0x00, 0x02, 0xff, 0xfe}, {0x01, 0x00}})})}),
               "malformed UTF-8 encoding", 13);
  // A bad name is a validation error: it decodes.
  EXPECT_TRUE(decode_component(
      component({vec_section(kImport, {cat({name("Not_Kebab"), {0x01, 0x00}})})})));
}

TEST(Export, WithAndWithoutType) {
  auto c = decode_ok(
      component({vec_section(kExport, {
                                          cat({name("f"), {0x01}, u32(2), {0x00}}),
                                          cat({name("i"), {0x05}, u32(0), {0x01, 0x05}, u32(3)}),
                                      })}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->defs.size(), 2u);
  const auto& e0 = std::get<Export>(c->defs[0].def);
  EXPECT_EQ(e0.item.sort.kind, SortKind::Func);
  EXPECT_EQ(e0.item.index, 2u);
  EXPECT_FALSE(e0.type.has_value());
  const auto& e1 = std::get<Export>(c->defs[1].def);
  ASSERT_TRUE(e1.type.has_value());
  EXPECT_EQ(e1.type->kind, ExternKind::Instance);
  EXPECT_EQ(e1.type->index, 3u);
  expect_error(component({vec_section(kExport, {cat({name("f"), {0x01, 0x00, 0x02}})})}),
               "invalid leading byte (0x2) for optional component export type", 16);
}

TEST(Value, TypeAndByteRange) {
  auto c = decode_ok(component(
      {vec_section(kValue, {cat({{0x73}, u32(3), str("hi")}), cat({{0x7f}, u32(1), {0x01}})})}));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->defs.size(), 2u);
  const auto& v = std::get<Value>(c->defs[0].def);
  EXPECT_EQ(v.type, ValType::prim(PrimValType::String));
  EXPECT_EQ(v.offset, 13u);
  EXPECT_EQ(v.size, 3u);
  expect_error(component({vec_section(kValue, {cat({{0x73}, u32(3), {0x01}})})}), "unexpected end",
               13);
}

TEST(Truncation, EveryPrefixOfAValidComponentFailsCleanly) {
  const Bytes full = every_section_component();
  auto c = decode_ok(full);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sections.size(), 13u);
  // A prefix ending right after a section (or the preamble) is itself a valid component.
  std::vector<size_t> boundaries = {8};
  for (const SectionInfo& s : c->sections) boundaries.push_back(s.offset + s.size);
  for (size_t len = 0; len < full.size(); ++len) {
    const Bytes prefix(full.begin(), full.begin() + static_cast<ptrdiff_t>(len));
    auto p = decode_component(prefix);
    const bool boundary = std::find(boundaries.begin(), boundaries.end(), len) != boundaries.end();
    EXPECT_EQ(p.has_value(), boundary) << "prefix of " << len << " bytes";
    if (p) continue;
    EXPECT_FALSE(p.error().message.empty());
    EXPECT_LE(p.error().offset, len) << p.error().to_string();
  }
}

TEST(Truncation, EveryShortenedSectionFailsCleanly) {
  // Shrinking a section's declared size cuts its content short inside the section: the error
  // must be an unexpected end or a mismatch, never a read past the section. (Core module and
  // component sections are left out: a prefix of those can itself be a whole module/component.)
  const Bytes full = every_section_component();
  auto c = decode_ok(full);
  ASSERT_TRUE(c);
  for (const SectionInfo& s : c->sections) {
    if (s.id == kCustom || s.id == kCoreModule || s.id == kComponent || s.size > 127) continue;
    Bytes b = full;
    const size_t size_at = s.offset - 1;  // one-byte sizes in this component
    for (uint64_t shorter = 0; shorter < s.size; ++shorter) {
      Bytes cut(b.begin(), b.begin() + static_cast<ptrdiff_t>(size_at));
      cut.push_back(static_cast<uint8_t>(shorter));
      cut.insert(cut.end(), b.begin() + static_cast<ptrdiff_t>(s.offset),
                 b.begin() + static_cast<ptrdiff_t>(s.offset + shorter));
      auto p = decode_component(cut);
      ASSERT_FALSE(p.has_value()) << "section " << int(s.id) << " cut to " << shorter;
      EXPECT_LE(p.error().offset, s.offset + shorter) << p.error().to_string();
    }
  }
}

TEST(Limits, DefinitionsAreCappedAcrossSections) {
  // kMaxDefinitions (1,000,000) one-byte canon definitions (backpressure.inc) decode; one more
  // in a further section does not.
  Bytes half = u32(500'000);
  half.insert(half.end(), 500'000, 0x24);
  const Bytes full = component({section(kCanon, half), section(kCanon, half)});
  auto c = decode_component(full);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  EXPECT_EQ((*c)->defs.size(), 1'000'000u);
  const Bytes more = cat({full, vec_section(kCanon, {{0x24}})});
  auto d = decode_component(more);
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().message, "too many definitions");
  EXPECT_EQ(d.error().offset, more.size() - 1);
}

TEST(Limits, OversizedCountsAreRejectedBeforeAllocating) {
  // Counts past the bytes left: every vector kind reports an unexpected end.
  const Bytes huge = u32(0xfffffff0);
  expect_error(component({section(kCoreInstance, huge)}), "unexpected end", 15);
  expect_error(component({section(kInstance, cat({u32(1), {0x00, 0x00}, huge}))}), "unexpected end",
               18);
  expect_error(component({section(kImport, cat({u32(1), {0x02}, str("a"), huge}))}),
               "unexpected end", 19);
  expect_error(component({section(kStart, cat({u32(0), huge}))}), "unexpected end", 16);
  // A count that fits the input but passes its named limit.
  Bytes params = u32(1001);
  for (int i = 0; i < 1001; ++i) params = cat({params, str("a"), {0x7f}});
  auto c =
      decode_component(component({section(kType, cat({u32(1), {0x40}, params, {0x01, 0x00}}))}));
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message, "too many function parameters");
  EXPECT_EQ(c.error().offset, 8u + 1 + 2 + 1 + 1);
}

}  // namespace
}  // namespace rill::component
