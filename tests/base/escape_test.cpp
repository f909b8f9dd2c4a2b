#include "rill/base/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace rill {
namespace {

TEST(EscapeName, PlainAndUtf8PassThrough) {
  EXPECT_EQ(escape_name("wasi:cli/run@0.2.12#run"), "wasi:cli/run@0.2.12#run");
  EXPECT_EQ(escape_name("t\xc3\xa9 \xf0\x9f\x80\x84"), "t\xc3\xa9 \xf0\x9f\x80\x84");  // té 🀄
  EXPECT_EQ(escape_name(""), "");
}

TEST(EscapeName, ControlBytes) {
  EXPECT_EQ(escape_name("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(escape_name("line\nrill run: fake"), "line\\nrill run: fake");
  EXPECT_EQ(escape_name("\r\t\x7f"), "\\r\\t\\x7f");
  EXPECT_EQ(escape_name(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(escape_name("back\\slash"), "back\\\\slash");
}

TEST(EscapeName, C1BidiAndInvalidUtf8) {
  EXPECT_EQ(escape_name("\xc2\x9b" "31m"), "\\u{9b}31m");  // C1 CSI
  EXPECT_EQ(escape_name("a\xe2\x80\xae" "b"), "a\\u{202e}b");  // right-to-left override
  EXPECT_EQ(escape_name("\xe2\x80\xa8"), "\\u{2028}");
  EXPECT_EQ(escape_name("\x9b"), "\\x9b");                  // a lone C1 byte: not UTF-8
  EXPECT_EQ(escape_name("\xc0\x80"), "\\xc0\\x80");         // overlong NUL
  EXPECT_EQ(escape_name("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(escape_name("\xe2\x80"), "\\xe2\\x80");         // truncated
  EXPECT_EQ(escape_name("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(TerminalSafe, KeepsLinesAndIsIdempotentOnEscapedNames) {
  EXPECT_EQ(terminal_safe("wasm trap: x\n  0: f\x1b]0;t\x07"), "wasm trap: x\n  0: f\\x1b]0;t\\x07");
  const std::string escaped = escape_name("a\\b\x1b\xc2\x9b\xff");
  EXPECT_EQ(terminal_safe(escaped), escaped);
  EXPECT_EQ(terminal_safe("a\\b"), "a\\b");
}

}  // namespace
}  // namespace rill
