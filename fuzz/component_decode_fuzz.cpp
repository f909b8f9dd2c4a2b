// fuzz_component_decode: decodes arbitrary bytes as a component. An error must have a message
// and an offset inside the input; a decoded component must only name byte ranges inside the
// input, and every import/export name is run through the name grammar; then it is validated,
// whose error must also have a message and an offset inside the input, and printed as WIT
// (valid or not: the printer must cope with anything decoded). Anything else aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <variant>

#include "rill/component/decoder.h"
#include "rill/component/names.h"
#include "rill/component/validator.h"
#include "rill/component/wit.h"

namespace {

using namespace rill::component;  // NOLINT(google-build-using-namespace): a fuzz driver

[[noreturn]] void fail(const char* what, uint64_t offset, size_t size) {
  std::fprintf(stderr, "fuzz_component_decode: %s (offset %llu, input %zu bytes)\n", what,
               static_cast<unsigned long long>(offset), size);
  std::abort();
}

void check_range(uint64_t offset, uint64_t length, size_t size, const char* what) {
  if (offset > size || length > size - offset) fail(what, offset, size);
}

void check_name(const ExternName& n, size_t size) {
  check_range(n.offset, 1, size, "name offset outside the input");
  (void)parse_extern_name(n.name, n.offset);
  (void)strongly_unique_key(n.name);
  for (const NameAttribute& a : n.attributes) {
    if (a.kind == NameAttribute::Kind::Implements) (void)parse_interface_name(a.value);
  }
}

void check_decls(const std::vector<TypeDecl>& decls, size_t size);

void check_type(const Type& t, size_t size) {
  check_range(t.offset, 1, size, "type offset outside the input");
  if (const auto* ct = std::get_if<ComponentType>(&t.type)) check_decls(ct->decls, size);
  if (const auto* it = std::get_if<InstanceType>(&t.type)) check_decls(it->decls, size);
}

void check_decls(const std::vector<TypeDecl>& decls, size_t size) {
  for (const TypeDecl& d : decls) {
    check_range(d.offset, 1, size, "declaration offset outside the input");
    if (const auto* e = std::get_if<ExternDecl>(&d.decl)) check_name(e->name, size);
    if (const auto* t = std::get_if<Type>(&d.decl)) check_type(*t, size);
  }
}

void check_component(const Component& c, size_t size) {
  check_range(c.offset, c.size, size, "component range outside the input");
  for (const CustomSection& s : c.customs)
    check_range(s.offset, s.size, size, "custom section outside the input");
  for (const SectionInfo& s : c.sections) {
    check_range(s.offset, s.size, size, "section outside the input");
    if (uint64_t{s.first_def} + s.num_defs > c.defs.size())
      fail("section definitions out of range", s.offset, size);
  }
  for (const Definition& d : c.defs) {
    check_range(d.offset, 1, size, "definition offset outside the input");
    if (const auto* m = std::get_if<CoreModule>(&d.def)) {
      check_range(m->offset, m->size, size, "core module outside the input");
      if (!m->module) fail("core module without a module", m->offset, size);
    }
    if (const auto* v = std::get_if<Value>(&d.def))
      check_range(v->offset, v->size, size, "value outside the input");
    if (const auto* t = std::get_if<Type>(&d.def)) check_type(*t, size);
    if (const auto* i = std::get_if<Import>(&d.def)) check_name(i->name, size);
    if (const auto* e = std::get_if<Export>(&d.def)) check_name(e->name, size);
    if (const auto* n = std::get_if<std::shared_ptr<const Component>>(&d.def)) {
      if (!*n) fail("null nested component", d.offset, size);
      check_component(**n, size);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  (void)detect_binary_kind(bytes);
  auto c = decode_component(bytes);
  if (!c) {
    if (c.error().message.empty()) fail("empty error message", c.error().offset, size);
    if (c.error().offset > size) fail("error offset past the input", c.error().offset, size);
    return 0;
  }
  check_component(**c, size);
  auto v = validate_component(**c);
  if (!v) {
    if (v.error().message.empty()) fail("empty validation message", v.error().offset, size);
    if (v.error().offset > size) fail("validation offset past the input", v.error().offset, size);
  }
  (void)print_wit(**c);
  return 0;
}
