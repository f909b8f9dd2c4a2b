// Module-wide decoder limits against hostile modules: declared locals summed over all functions.
// The hostile cases run in a child process under a memory limit (../bounded_child.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "../bounded_child.h"
#include "rill/wasm/decoder.h"
#include "../wasm_bytes.h"

namespace rill::wasm {
namespace {

using test::Bytes;
using test::put_leb;
using test::put_section;

/// The body of every function: one declaration of {locals} i32s, then `end`.
Bytes locals_body(uint32_t locals) {
  Bytes body = {0x01};
  put_leb(body, locals);
  body.push_back(0x7f);
  body.push_back(0x0b);
  return body;
}

/// {n} functions of type [] -> [], each declaring {locals} i32 locals. {code_payload_at}
/// receives the module offset of the code section's payload.
Bytes many_locals_module(uint32_t n, uint32_t locals, uint64_t* code_payload_at = nullptr) {
  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  put_section(out, 1, {0x01, 0x60, 0x00, 0x00});
  Bytes funcs;
  put_leb(funcs, n);
  funcs.insert(funcs.end(), n, 0x00);
  put_section(out, 3, funcs);
  const Bytes body = locals_body(locals);
  Bytes code;
  put_leb(code, n);
  for (uint32_t i = 0; i < n; ++i) {
    put_leb(code, body.size());
    code.insert(code.end(), body.begin(), body.end());
  }
  out.push_back(10);
  put_leb(out, code.size());
  if (code_payload_at) *code_payload_at = out.size();
  out.insert(out.end(), code.begin(), code.end());
  return out;
}

TEST(DecodeLimits, ModuleLocalsDefaultIsAboveRealModules) {
  // The largest real module measured (SpiderMonkey, 12 MB) declares ~113,000 locals in total.
  EXPECT_EQ(DecodeLimits{}.max_module_locals, 10'000'000u);
}

TEST(DecodeLimits, ModuleLocalsAtTheLimitDecode) {
  // 200 functions x 50,000 locals = exactly 10^7. Kept as declarations: one each.
  auto m = decode_module(many_locals_module(200, 50'000));
  ASSERT_TRUE(m) << m.error().to_string();
  ASSERT_EQ((*m)->code.size(), 200u);
  EXPECT_EQ((*m)->code[199].num_locals, 50'000u);
  EXPECT_EQ((*m)->code[199].local_decls.size(), 1u);
}

TEST(DecodeLimits, ModuleLocalsPastTheLimitNameTheCount) {
  uint64_t code_at = 0;
  const Bytes bytes = many_locals_module(201, 50'000, &code_at);
  auto m = decode_module(bytes);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message,
            "too many locals: the module's functions declare more than 10000000 in total");
  // The 201st body's declaration count: after the function count (2 bytes), 200 bodies of
  // 1 + 6 bytes, that body's size (1 byte) and its declaration count (1 byte).
  EXPECT_EQ(m.error().offset, code_at + 2 + 200 * 7 + 1 + 1);

  DecodeLimits small;
  small.max_module_locals = 99;
  auto s = decode_module(many_locals_module(2, 50, &code_at), small);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().offset, code_at + 1 + 5 + 1 + 1);  // bodies of 1 + 4 bytes
  small.max_module_locals = 100;
  EXPECT_TRUE(decode_module(many_locals_module(2, 50), small));
}

TEST(DecodeLimits, HostileLocalsModuleIsRefusedWithinBoundedMemory) {
  // ~700 KB: 100,000 functions of 50,000 locals each (5 * 10^9 locals). Without the module-wide
  // limit the decoder expanded them (20 GB); now it stops after 10^7 with an error.
  const Bytes bytes = many_locals_module(100'000, 50'000);
  EXPECT_LT(bytes.size(), 1'000'000u);
  const int status = test::run_bounded(256u << 20, [&] {
    auto m = decode_module(bytes);
    if (m) return 2;
    return m.error().message.starts_with("too many locals: ") ? 0 : 3;
  });
  EXPECT_EQ(status, 0) << "2: decoded, 3: other error, 99: threw (bad_alloc), 128+N: signal N";
}

}  // namespace
}  // namespace rill::wasm
