// Shared by the component spec-suite tests (spec_decode_test, spec_validate_test): where the
// converted suite is, reading its files, and reading an allowlist of known deviations.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace rill::component::spec_test {

namespace fs = std::filesystem;

/// ../shared/testsuite/component, or an empty path when it is absent.
inline fs::path suite_dir() {
#ifdef RILL_SHARED_DIR
  fs::path p = fs::path(RILL_SHARED_DIR) / "testsuite" / "component";
  if (fs::is_directory(p)) return p;
#endif
  fs::path root = fs::path(__FILE__).parent_path().parent_path().parent_path();
  fs::path q = root.parent_path() / "shared" / "testsuite" / "component";
  return fs::is_directory(q) ? q : fs::path();
}

inline std::vector<uint8_t> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The allowlist file {name} next to the tests: "category subdir/script.json:line reason" per
/// line, '#' comments; each category must be one of {categories}. Maps "where" to its category.
inline std::map<std::string, std::string> read_allowlist(const std::string& name,
                                                         std::initializer_list<const char*> categories) {
#ifdef RILL_COMPONENT_TEST_DIR
  const fs::path path = fs::path(RILL_COMPONENT_TEST_DIR) / name;
#else
  const fs::path path = fs::path(__FILE__).parent_path() / name;
#endif
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string category, where;
    ls >> category >> where;
    bool known = false;
    for (const char* c : categories) known = known || category == c;
    EXPECT_TRUE(known) << "bad allowlist line: " << line;
    out[where] = category;
  }
  return out;
}

}  // namespace rill::component::spec_test
