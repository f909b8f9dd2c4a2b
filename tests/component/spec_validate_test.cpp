// Runs the component validator over every component of the spec suite that decodes
// (../shared/testsuite/component/**/*.json): `module` and `assert_uninstantiable` components must
// validate, `assert_invalid` ones must not, except those in spec_validate_allowlist.txt. A listed
// case that starts behaving fails the run, so the list only shrinks.
// RILL_WRITE_VALIDATE_ALLOWLIST=<file> writes the current exceptions there (to refresh the list).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
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
#include "rill/component/validator.h"

namespace rill::component {
namespace {

namespace fs = std::filesystem;

using spec_test::read_file;
using spec_test::suite_dir;

/// "accepted|rejected subdir/script.json:line reason" per line; '#' comments. Maps "where" to
/// its category: accepted = an assert_invalid that validates, rejected = a valid component that
/// does not.
std::map<std::string, std::string> read_allowlist() {
  return spec_test::read_allowlist("spec_validate_allowlist.txt", {"accepted", "rejected"});
}

struct Counts {
  int valid = 0;            ///< valid components that validate
  int invalid = 0;          ///< assert_invalid components that fail validation
  int text_matched = 0;     ///< ... whose message contains the reference's text
  int accepted_listed = 0;  ///< assert_invalid components that validate (listed)
  int rejected_listed = 0;  ///< valid components that fail validation (listed)
  int undecodable = 0;      ///< not decoded (spec_decode_test's business)
};

TEST(SpecValidate, ComponentSuite) {
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
  std::ostringstream fresh;  // the exceptions as they are now
  Counts n;
  for (const fs::path& script : scripts) {
    const std::string rel = fs::relative(script, dir).generic_string();
    std::ifstream in(script);
    const auto j = nlohmann::json::parse(in);
    for (const auto& cmd : j["commands"]) {
      if (cmd.value("kind", "") != "component" || !cmd.contains("filename")) continue;
      const std::string type = cmd["type"];
      if (type == "assert_malformed") continue;
      const std::string where = rel + ":" + std::to_string(cmd["line"].get<int>());
      const auto bytes = read_file(script.parent_path() / cmd["filename"].get<std::string>());
      auto c = decode_component(bytes);
      if (!c) {
        ++n.undecodable;
        continue;
      }
      auto v = validate_component(**c);
      if (!v) {
        EXPECT_TRUE(v.error().offset <= bytes.size()) << where << ": " << v.error().to_string();
      }
      const auto listed = allow.find(where);
      const bool is_listed = listed != allow.end();
      if (is_listed) allow_used.insert(where);
      if (type == "assert_invalid") {
        const std::string text = cmd.value("text", "");
        if (v.has_value()) {
          fresh << "accepted " << where << " not checked yet: " << text << "\n";
          EXPECT_TRUE(is_listed && listed->second == "accepted")
              << where << ": invalid component validates (expected \"" << text << "\")";
          ++n.accepted_listed;
          continue;
        }
        EXPECT_FALSE(is_listed) << where << " is allowlisted but is now rejected ("
                                << v.error().to_string() << "): remove it";
        ++n.invalid;
        if (!text.empty() && v.error().message.find(text) != std::string::npos) {
          ++n.text_matched;
        } else {
          fresh << "# " << where << " rejected with \"" << v.error().message << "\", reference \""
                << text << "\"\n";
        }
        continue;
      }
      if (!v.has_value()) {
        fresh << "rejected " << where << " " << v.error().to_string() << "\n";
        EXPECT_TRUE(is_listed && listed->second == "rejected")
            << where << " (" << type << "): " << v.error().to_string();
        ++n.rejected_listed;
        continue;
      }
      EXPECT_FALSE(is_listed) << where << " is allowlisted but now validates: remove it";
      ++n.valid;
    }
  }
  for (const auto& [where, category] : allow) {
    EXPECT_TRUE(allow_used.count(where)) << where << " is allowlisted but no such command";
  }
  if (const char* out = std::getenv("RILL_WRITE_VALIDATE_ALLOWLIST")) {
    std::ofstream(out) << fresh.str();
  }
  std::cout << "component suite: " << n.valid << " valid components validate, " << n.invalid
            << " assert_invalid rejected (" << n.text_matched
            << " with the reference's message in ours), " << n.accepted_listed
            << " assert_invalid still accepted (listed), " << n.rejected_listed
            << " valid components rejected (listed), " << n.undecodable << " not decoded\n";
}

}  // namespace
}  // namespace rill::component
