// Runs the decoder and CodeReader over every core module of the spec suite
// (../shared/testsuite/core/*.json): modules must decode (or be refused as unsupported) and
// binary assert_malformed modules must fail. Typing (assert_invalid) is the validator's business.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rill/wasm/code_reader.h"
#include "rill/wasm/decoder.h"

namespace rill::wasm {
namespace {

namespace fs = std::filesystem;

fs::path suite_dir() {
#ifdef RILL_SHARED_DIR
  fs::path p = fs::path(RILL_SHARED_DIR) / "testsuite" / "core";
  if (fs::is_directory(p)) return p;
#endif
  // tests/wasm/<this file> -> repo root -> ../shared
  fs::path root = fs::path(__FILE__).parent_path().parent_path().parent_path();
  fs::path q = root.parent_path() / "shared" / "testsuite" / "core";
  return fs::is_directory(q) ? q : fs::path();
}

std::vector<uint8_t> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Reads every instruction of {body} with CodeReader, checking the few structural rules of the
/// binary format that need the instruction stream: balanced blocks ending exactly at the body's
/// end, and the data count section for memory.init / data.drop.
Result<void> read_body(const Module& m, const FuncBody& body) {
  CodeReader cr(m.code_bytes(body), body.code_offset);
  uint32_t depth = 1;  // the function's own block
  Instr in;
  while (!cr.at_end()) {
    if (depth == 0) return Error{"operators remaining after end of function", cr.offset()};
    RILL_CHECK_OK(cr.next(in));
    switch (in.op) {
      case Op::Block: case Op::Loop: case Op::If: ++depth; break;
      case Op::End: --depth; break;
      case Op::MemoryInit: case Op::DataDrop:
        if (!m.data_count) return Error{"data count section required", in.offset};
        break;
      default: break;
    }
  }
  if (depth != 0) return Error{"unexpected end of section or function", cr.offset()};
  return {};
}

/// Decodes {bytes} and reads every body.
Result<void> decode_and_read(const std::vector<uint8_t>& bytes) {
  auto m = decode_module(bytes);
  if (!m) return m.error();
  for (const FuncBody& b : (*m)->code) RILL_CHECK_OK(read_body(**m, b));
  return {};
}

bool is_unsupported(const Error& e) { return e.message.starts_with(kUnsupportedPrefix); }

TEST(SpecDecode, CoreSuite) {
  const fs::path dir = suite_dir();
  if (dir.empty()) GTEST_SKIP() << "spec suite (../shared/testsuite/core) not found";
  std::vector<fs::path> scripts;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") scripts.push_back(e.path());
  }
  std::sort(scripts.begin(), scripts.end());
  ASSERT_FALSE(scripts.empty());

  int modules = 0, modules_ok = 0, modules_unsupported = 0;
  int malformed = 0, malformed_rejected = 0, malformed_unsupported = 0, malformed_text_match = 0;
  int invalid = 0, invalid_decode_errors = 0;
  for (const fs::path& script : scripts) {
    std::ifstream in(script);
    const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(doc.is_discarded()) << script;
    for (const auto& cmd : doc["commands"]) {
      const std::string type = cmd.value("type", "");
      if (cmd.value("kind", "module") != "module" || !cmd.contains("filename")) continue;
      const fs::path file = dir / cmd["filename"].get<std::string>();
      if (!fs::exists(file)) continue;
      const std::string where = script.filename().string() + ":" + std::to_string(cmd.value("line", 0));
      const auto bytes = read_file(file);
      if (type == "module") {
        ++modules;
        auto r = decode_and_read(bytes);
        if (r) {
          ++modules_ok;
        } else if (is_unsupported(r.error())) {
          ++modules_unsupported;
        } else {
          ADD_FAILURE() << where << ": module failed to decode: " << r.error().to_string();
        }
      } else if (type == "assert_malformed") {
        ++malformed;
        auto r = decode_and_read(bytes);
        if (r) {
          ADD_FAILURE() << where << ": malformed module decoded (expected \""
                        << cmd.value("text", "") << "\")";
          continue;
        }
        ++malformed_rejected;
        if (is_unsupported(r.error())) ++malformed_unsupported;
        const std::string want = cmd.value("text", "");
        if (r.error().message.starts_with(want)) {
          ++malformed_text_match;
        } else if (!is_unsupported(r.error())) {
          std::cout << "  text differs " << where << ": want \"" << want << "\", got \""
                    << r.error().to_string() << "\"\n";
        }
      } else if (type == "assert_invalid") {
        ++invalid;
        auto r = decode_and_read(bytes);
        if (!r && !is_unsupported(r.error())) {
          ++invalid_decode_errors;
          std::cout << "  decoder rejects invalid " << where << " (" << cmd.value("text", "")
                    << "): " << r.error().to_string() << "\n";
        }
      }
    }
  }
  std::cout << "modules: " << modules << " (" << modules_ok << " decoded, " << modules_unsupported
            << " unsupported)\n"
            << "assert_malformed: " << malformed << " (" << malformed_rejected << " rejected, "
            << malformed_unsupported << " as unsupported, " << malformed_text_match
            << " with the suite's text)\n"
            << "assert_invalid: " << invalid << " (" << invalid_decode_errors
            << " already rejected by the decoder)\n";
  EXPECT_GT(modules_ok, 1000);
  EXPECT_EQ(malformed_rejected, malformed);
}

/// Every decodable module of the suite, mutated deterministically (byte flips, truncation,
/// inserted bytes): decoding must fail cleanly or succeed, never crash, and errors must point
/// inside the input. Run under RILL_SANITIZE for memory errors.
TEST(SpecDecode, MutatedModulesFailCleanly) {
  const fs::path dir = suite_dir();
  if (dir.empty()) GTEST_SKIP() << "spec suite (../shared/testsuite/core) not found";
  uint64_t state = 0x9e3779b97f4a7c15ull;
  auto rnd = [&state](uint64_t n) {  // xorshift64*, reproducible across runs
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (state * 0x2545f4914f6cdd1dull) % n;
  };
  int decoded = 0, rejected = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".wasm") continue;
    const auto original = read_file(e.path());
    if (original.size() < 8 || !decode_module(original)) continue;
    for (int k = 0; k < 8; ++k) {
      auto bytes = original;
      const size_t at = 8 + rnd(bytes.size() - 8 + 1);
      switch (k % 4) {
        case 0: if (at < bytes.size()) bytes[at] = static_cast<uint8_t>(rnd(256)); break;
        case 1: bytes.resize(at); break;
        case 2: bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), static_cast<uint8_t>(rnd(256))); break;
        default: if (at < bytes.size()) bytes[at] ^= 0x80; break;
      }
      auto r = decode_and_read(bytes);
      if (r) {
        ++decoded;
      } else {
        ++rejected;
        EXPECT_FALSE(r.error().message.empty());
        EXPECT_LE(r.error().offset, bytes.size()) << e.path().filename() << " " << r.error().message;
      }
    }
  }
  std::cout << "mutated modules: " << decoded << " decoded, " << rejected << " rejected\n";
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace rill::wasm
