// Runs the component decoder over every component of the spec suite
// (../shared/testsuite/component/**/*.json): well-formed ones (module, assert_invalid,
// assert_unlinkable, assert_uninstantiable) must decode, binary assert_malformed ones must fail,
// except those listed in spec_decode_allowlist.txt (malformed only by a validation-level rule).
// Import/export names of the `module` components must also parse with the name grammar.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "rill/component/decoder.h"
#include "spec_suite_util.h"
#include "rill/component/names.h"

namespace rill::component {
namespace {

namespace fs = std::filesystem;

using spec_test::read_file;
using spec_test::suite_dir;

/// The allowlist: "malformed|refused subdir/script.json:line reason" per line; '#' comments.
/// Maps "where" to its category.
std::map<std::string, std::string> read_allowlist() {
  return spec_test::read_allowlist("spec_decode_allowlist.txt", {"malformed", "refused"});
}

void collect_names(const std::vector<TypeDecl>& decls, std::vector<const ExternName*>& out);

void collect_type_names(const Type& t, std::vector<const ExternName*>& out) {
  if (const auto* ct = std::get_if<ComponentType>(&t.type)) collect_names(ct->decls, out);
  if (const auto* it = std::get_if<InstanceType>(&t.type)) collect_names(it->decls, out);
}

void collect_names(const std::vector<TypeDecl>& decls, std::vector<const ExternName*>& out) {
  for (const TypeDecl& d : decls) {
    if (const auto* e = std::get_if<ExternDecl>(&d.decl)) out.push_back(&e->name);
    if (const auto* t = std::get_if<Type>(&d.decl)) collect_type_names(*t, out);
  }
}

/// Every import/export name in {c}, its nested components and its component/instance types.
void collect_names(const Component& c, std::vector<const ExternName*>& out) {
  for (const Definition& d : c.defs) {
    if (const auto* imp = std::get_if<Import>(&d.def)) out.push_back(&imp->name);
    if (const auto* exp = std::get_if<Export>(&d.def)) out.push_back(&exp->name);
    if (const auto* t = std::get_if<Type>(&d.def)) collect_type_names(*t, out);
    if (const auto* inst = std::get_if<Instance>(&d.def)) {
      if (const auto* ie = std::get_if<InstanceFromExports>(inst)) {
        for (const InlineExport& e : ie->exports) out.push_back(&e.name);
      }
    }
    if (const auto* nested = std::get_if<std::shared_ptr<const Component>>(&d.def))
      collect_names(**nested, out);
  }
}

/// True when {ours} says what the reference's {text} says: equal, or starting with it, where
/// the reference's "unexpected end-of-file" is our (and the core suite's) "unexpected end".
bool same_message(const std::string& ours, std::string text) {
  if (text.empty()) return false;
  if (text == "unexpected end-of-file") text = "unexpected end";
  return ours.starts_with(text);
}

struct Counts {
  int decoded = 0;        ///< well-formed components that decoded
  int rejected = 0;       ///< malformed components that failed to decode
  int allowlisted = 0;    ///< malformed components that decode (validation-level), listed
  int refused = 0;        ///< well-formed, but a core module uses a refused proposal, listed
  int with_text = 0;      ///< rejected ones for which the reference gives a message
  int text_matched = 0;   ///< ... and ours is the same (see same_message)
  int names_checked = 0;  ///< import/export names parsed
};

TEST(SpecDecode, ComponentSuite) {
  const fs::path dir = suite_dir();
  if (dir.empty()) GTEST_SKIP() << "spec suite (../shared/testsuite/component) not found";
  std::vector<fs::path> scripts;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() == ".json") scripts.push_back(e.path());
  }
  std::sort(scripts.begin(), scripts.end());
  ASSERT_FALSE(scripts.empty());

  const auto allow = read_allowlist();
  std::set<std::string> allow_used;
  Counts n;
  for (const fs::path& script : scripts) {
    const std::string rel = fs::relative(script, dir).generic_string();
    std::ifstream in(script);
    const auto j = nlohmann::json::parse(in);
    for (const auto& cmd : j["commands"]) {
      if (cmd.value("kind", "") != "component" || !cmd.contains("filename")) continue;
      const std::string type = cmd["type"];
      const std::string where = rel + ":" + std::to_string(cmd["line"].get<int>());
      const auto bytes = read_file(script.parent_path() / cmd["filename"].get<std::string>());
      auto c = decode_component(bytes);
      if (!c) {
        EXPECT_FALSE(c.error().message.empty()) << where;
        EXPECT_TRUE(c.error().offset <= bytes.size()) << where << ": " << c.error().to_string();
      }
      const auto listed = allow.find(where);
      if (listed != allow.end() && listed->second == "refused") {
        allow_used.insert(where);
        EXPECT_FALSE(c.has_value()) << where << " is listed as refused but decodes: remove it";
        if (!c) {
          EXPECT_TRUE(c.error().message.starts_with("unsupported feature: "))
              << where << ": " << c.error().to_string();
        }
        ++n.refused;
        continue;
      }
      if (type == "assert_malformed") {
        if (listed != allow.end()) {
          allow_used.insert(where);
          EXPECT_TRUE(c.has_value()) << where << " is allowlisted but now fails to decode ("
                                     << c.error().to_string() << "): remove it from the allowlist";
          ++n.allowlisted;
          continue;
        }
        EXPECT_FALSE(c.has_value()) << where << ": malformed component decoded (expected \""
                                    << cmd["text"].get<std::string>() << "\")";
        if (c) continue;
        ++n.rejected;
        if (!cmd["text"].get<std::string>().empty()) ++n.with_text;
        if (same_message(c.error().message, cmd["text"])) ++n.text_matched;
        continue;
      }
      EXPECT_TRUE(c.has_value()) << where << " (" << type << "): " << c.error().to_string();
      if (!c) continue;
      ++n.decoded;
      if (type != "module") continue;
      std::vector<const ExternName*> names;
      collect_names(**c, names);
      for (const ExternName* name : names) {
        auto parsed = parse_extern_name(name->name, name->offset);
        EXPECT_TRUE(parsed.has_value()) << where << ": " << parsed.error().to_string();
        ++n.names_checked;
      }
    }
  }
  for (const auto& [where, reason] : allow) {
    EXPECT_TRUE(allow_used.count(where)) << where << " is allowlisted but no such assert_malformed";
  }
  std::cout << "component suite: " << scripts.size() << " scripts; " << n.decoded << " decoded OK, "
            << n.rejected << " malformed rejected (" << n.text_matched << " of " << n.with_text
            << " with the reference's message), " << n.allowlisted << " malformed allowlisted, "
            << n.refused << " refused (unsupported core proposal, listed); " << n.names_checked
            << " names parsed\n";
}

}  // namespace
}  // namespace rill::component
