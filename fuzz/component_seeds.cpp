// Seed corpus for fuzz_component_decode: small components, one per area of Binary.md (every
// section kind; resources and canon built-ins; component/instance types and names; core module
// and GC types; nesting). Built with the tests' byte builders, so each reads like the grammar.
// `fuzz_component_seeds DIR` writes them as DIR/<name>.wasm (fuzz/corpus/fuzz_component_decode/).
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "../tests/component/builder.h"

namespace {

using namespace rill::component::testing;  // NOLINT(google-build-using-namespace): the builders

// (type (resource (rep i32))) (type (own 0)) (type (stream u8)) (type (future))
// (type (func async (param "s" 2) (result 1))) and canon built-ins over them.
Bytes resources_and_built_ins() {
  return component({
      vec_section(kType, {{0x3f, 0x7f, 0x00},
                          {0x69, 0x00},
                          {0x66, 0x01, 0x7d},
                          {0x65, 0x00},
                          cat({{0x43}, vec({cat({str("s"), {0x02}})}), {0x00, 0x01}})}),
      vec_section(kCanon,
                  {
                      {0x02, 0x00},
                      {0x03, 0x00},
                      {0x04, 0x00},
                      cat({{0x09, 0x00, 0x01}, vec({cat({{0x03}, u32(0)}), {0x06}})}),
                      {0x0e, 0x02},
                      cat({{0x0f, 0x02}, vec({cat({{0x03}, u32(0)}), cat({{0x04}, u32(1)})})}),
                      {0x18, 0x03, 0x01},
                      {0x20, 0x01, 0x00},
                      {0x0a, 0x7f, 0x00},
                      {0x41, 0x01, 0x00, 0x00},
                      cat({{0x1c}, vec({{0x00}})}),
                      {0x24},
                      {0x0c, 0x00},
                      {0x06, 0x01},
                  }),
  });
}

// A component type with interface-named imports (with attributes), an instance type with a
// resource export and a method, outer aliases, and an export with an explicit type.
Bytes types_and_names() {
  const Bytes instance_type =
      cat({{0x42},
           vec({
               cat({{0x04}, name("r"), {0x03, 0x01}}),
               cat({{0x01, 0x68, 0x00}}),
               cat({{0x01, 0x40}, vec({cat({str("self"), {0x01}})}), {0x01, 0x00}}),
               cat({{0x04}, name("[method]r.get"), {0x01}, u32(2)}),
           })});
  return component({
      vec_section(
          kType,
          {
              instance_type,
              cat({{0x41},
                   vec({
                       cat({{0x02, 0x03, 0x02}, u32(1), u32(0)}),
                       cat({{0x03, 0x02},
                            str("wasi:io/streams@0.2.0"),
                            vec({cat({{0x00}, str("wasi:io/streams")}), cat({{0x01}, str(".1")})}),
                            {0x05},
                            u32(0)}),
                       cat({{0x04}, name("run"), {0x01}, u32(1)}),
                   })}),
          }),
      vec_section(kImport, {cat({name("wasi:io/streams@0.2.0"), {0x05}, u32(0)})}),
      vec_section(kExport, {cat({name("io"), {0x05}, u32(0), {0x01, 0x05}, u32(0)})}),
  });
}

// A module type with every import kind, an outer alias and an export; a GC recursion group.
Bytes core_types() {
  return component({vec_section(
      kCoreType, {
                     cat({{0x60}, vec({{0x7f}, {0x7e}}), vec({{0x7d}})}),
                     cat({{0x50},
                          vec({
                              cat({{0x01, 0x60}, vec({}), vec({})}),
                              cat({{0x00}, str("env"), str("f"), {0x00}, u32(0)}),
                              cat({{0x00}, str("env"), str("t"), {0x01, 0x70, 0x00}, u32(1)}),
                              cat({{0x00}, str("env"), str("m"), {0x02, 0x01}, u32(1), u32(2)}),
                              cat({{0x00}, str("env"), str("g"), {0x03, 0x7f, 0x00}}),
                              cat({{0x02, 0x10, 0x01}, u32(1), u32(0)}),
                              cat({{0x03}, str("run"), {0x00}, u32(0)}),
                          })}),
                     cat({{0x4e},
                          vec({cat({{0x5f}, vec({{0x78, 0x00}, {0x7f, 0x01}})}),
                               cat({{0x4f}, vec({}), {0x5e, 0x77, 0x01}})})}),
                     cat({{0x00, 0x50}, vec({u32(0)}), {0x60, 0x00, 0x00}}),
                 })});
}

// A component holding a core module and a component, instantiating both, with aliases.
Bytes nesting() {
  const Bytes module = cat(
      {kCorePreamble, section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x01, 0x00}),
       section(7, cat({u32(1), str("f"), {0x00, 0x00}})), section(10, {0x01, 0x02, 0x00, 0x0b})});
  const Bytes inner = component({vec_section(kType, {cat({{0x40}, vec({}), {0x01, 0x00}})}),
                                 vec_section(kImport, {cat({name("f"), {0x01}, u32(0)})})});
  return component({
      section(kCoreModule, module),
      vec_section(kCoreInstance, {cat({{0x00}, u32(0), vec({})})}),
      vec_section(kAlias, {cat({{0x00, 0x00, 0x01}, u32(0), str("f")})}),
      vec_section(kType, {cat({{0x40}, vec({}), {0x01, 0x00}})}),
      vec_section(kCanon, {cat({{0x00, 0x00}, u32(0), vec({}), u32(0)})}),
      section(kComponent, inner),
      vec_section(kInstance, {cat({{0x00}, u32(0), vec({cat({str("f"), {0x01}, u32(0)})})})}),
      vec_section(kAlias,
                  {cat({{0x01, 0x00}, u32(0), str("f")}), cat({{0x04, 0x02}, u32(0), u32(0)})}),
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_component_seeds DIR\n");
    return 2;
  }
  const std::pair<const char*, Bytes> seeds[] = {
      {"every_section", every_section_component()},
      {"resources_and_built_ins", resources_and_built_ins()},
      {"types_and_names", types_and_names()},
      {"core_types", core_types()},
      {"nesting", nesting()},
  };
  for (const auto& [name, bytes] : seeds) {
    const std::string path = std::string(argv[1]) + "/" + name + ".wasm";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return 1;
    }
    std::fclose(f);
  }
  std::printf("wrote %zu seeds to %s\n", sizeof(seeds) / sizeof(seeds[0]), argv[1]);
  return 0;
}
