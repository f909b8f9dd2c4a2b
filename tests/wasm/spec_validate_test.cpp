// Decode + validate every core module of the spec suite (../shared/testsuite/core/*.json):
// modules the scripts define or expect to link/instantiate must be valid (or refused as an
// unsupported feature); assert_invalid modules must be rejected. Execution is tests/spec's job.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rill/wasm/decoder.h"
#include "rill/wasm/validator.h"

namespace rill::wasm {
namespace {

namespace fs = std::filesystem;

fs::path core_dir() { return fs::path(RILL_SHARED_DIR) / "testsuite" / "core"; }

bool is_unsupported(const Error& e) { return e.message.rfind(kUnsupportedPrefix, 0) == 0; }

/// What happened to one module.
enum class Outcome { Valid, DecodeError, ValidateError };

struct Checked {
  Outcome outcome = Outcome::Valid;
  Error error;
};

Checked check_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto mod = decode_module(bytes);
  if (!mod) return {Outcome::DecodeError, mod.error()};
  auto ok = validate_module(**mod);
  if (!ok) return {Outcome::ValidateError, ok.error()};
  return {};
}

struct Counts {
  int valid_ok = 0;
  int valid_unsupported = 0;
  int invalid_decode = 0;
  int invalid_validate = 0;
  int invalid_unsupported = 0;
  int invalid_text_match = 0;  ///< our message starts with the suite's text
  std::map<std::string, int> unsupported;  ///< valid modules refused, by message
  std::vector<std::string> mismatches;
};

void check_command(const std::string& script, const nlohmann::json& cmd, Counts& counts) {
  const std::string type = cmd.value("type", "");
  if (cmd.value("kind", "") != "module" || !cmd.contains("filename")) return;
  const bool expect_valid = type == "module" || type == "assert_unlinkable" ||
                            type == "assert_uninstantiable";
  const bool expect_invalid = type == "assert_invalid";
  if (!expect_valid && !expect_invalid) return;
  const std::string file = cmd["filename"].get<std::string>();
  const Checked c = check_file(core_dir() / file);
  const std::string where = script + ":" + std::to_string(cmd.value("line", 0)) + " " + file;
  if (expect_valid) {
    if (c.outcome == Outcome::Valid) {
      ++counts.valid_ok;
    } else if (is_unsupported(c.error)) {
      ++counts.valid_unsupported;
      ++counts.unsupported[c.error.message];
    } else {
      counts.mismatches.push_back(where + ": valid module rejected: " + c.error.to_string());
    }
    return;
  }
  if (c.outcome == Outcome::Valid) {
    counts.mismatches.push_back(where + ": invalid module accepted (" +
                                cmd.value("text", "") + ")");
    return;
  }
  if (is_unsupported(c.error)) {
    ++counts.invalid_unsupported;
  } else if (c.outcome == Outcome::DecodeError) {
    ++counts.invalid_decode;
  } else {
    ++counts.invalid_validate;
  }
  if (c.error.message.rfind(cmd.value("text", "\x01"), 0) == 0) ++counts.invalid_text_match;
}

TEST(SpecValidate, CoreSuiteModules) {
  if (!fs::is_directory(core_dir())) GTEST_SKIP() << "no spec suite at " << core_dir();
  std::vector<fs::path> scripts;
  for (const auto& entry : fs::directory_iterator(core_dir())) {
    if (entry.path().extension() == ".json") scripts.push_back(entry.path());
  }
  std::sort(scripts.begin(), scripts.end());
  Counts counts;
  for (const fs::path& path : scripts) {
    std::ifstream in(path);
    const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(doc.is_discarded()) << "bad JSON: " << path;
    const std::string script = path.filename().string();
    for (const auto& cmd : doc.value("commands", nlohmann::json::array())) {
      check_command(script, cmd, counts);
    }
  }
  std::printf(
      "spec validate: %zu scripts\n"
      "  valid modules:   %d ok, %d unsupported feature\n"
      "  invalid modules: %d rejected by decoder, %d by validator, %d as unsupported feature"
      " (%d with the suite's text)\n"
      "  mismatches:      %zu\n",
      scripts.size(), counts.valid_ok, counts.valid_unsupported, counts.invalid_decode,
      counts.invalid_validate, counts.invalid_unsupported, counts.invalid_text_match,
      counts.mismatches.size());
  for (const auto& [message, n] : counts.unsupported) std::printf("  %5d x %s\n", n, message.c_str());
  for (const std::string& m : counts.mismatches) ADD_FAILURE() << m;
  EXPECT_GT(counts.valid_ok, 0);
}

}  // namespace
}  // namespace rill::wasm
