// Tests of the expected-failures list format ("script.json:LINE reason").
#include "rill/cli/expected_failures.h"

#include <gtest/gtest.h>

namespace rill::cli {
namespace {

TEST(ExpectedFailures, ParsesEntriesCommentsAndBlankLines) {
  auto list = ExpectedFailures::parse(
      "# header\n"
      "\n"
      "address.json:12 interpreter: wrong offset wrap\n"
      "  simd_const.json:7\tdecoder: lane parse  \r\n"
      "dir/float_exprs.json:100 validator\n");
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->size(), 3u);
  ASSERT_NE(list->find("address.json", 12), nullptr);
  EXPECT_EQ(*list->find("address.json", 12), "interpreter: wrong offset wrap");
  EXPECT_EQ(*list->find("simd_const.json", 7), "decoder: lane parse");
  EXPECT_EQ(list->find("address.json", 13), nullptr);
  EXPECT_EQ(list->find("other.json", 12), nullptr);
  // Directories are ignored on both sides.
  EXPECT_NE(list->find("/work/shared/testsuite/core/float_exprs.json", 100), nullptr);
  ASSERT_NE(list->entries_for("address.json"), nullptr);
  EXPECT_EQ(list->entries_for("address.json")->size(), 1u);
}

TEST(ExpectedFailures, RejectsMalformedLines) {
  for (const char* text : {"address.json 12 reason\n", "address.json:x reason\n", "address.json:0 reason\n",
                           "address.json:12\n", ":12 reason\n", "address.json:12a reason\n",
                           "a.json:1 r\na.json:1 again\n"}) {
    auto list = ExpectedFailures::parse(text);
    EXPECT_FALSE(list) << text;
    if (!list) {
      EXPECT_NE(list.error().message.find("line "), std::string::npos);
    }
  }
}

TEST(ExpectedFailures, EmptyListAndMissingFile) {
  auto empty = ExpectedFailures::parse("");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size(), 0u);
  EXPECT_FALSE(ExpectedFailures::load("/nonexistent/expected_failures.txt"));
}

TEST(BaseName, StripsDirectories) {
  EXPECT_EQ(base_name("a/b/c.json"), "c.json");
  EXPECT_EQ(base_name("c.json"), "c.json");
  EXPECT_EQ(base_name("/c.json"), "c.json");
}

}  // namespace
}  // namespace rill::cli
