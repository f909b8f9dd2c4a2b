// Component trap kinds (src/component/rt/traps.h): their texts are the suite's, context keeps the
// text a prefix of the message, and the UTF-8 check tells a cut-short string from a bad one.
#include "rill/component/rt/traps.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "rill/component/rt/unicode.h"

namespace rill::component::rt {
namespace {

TEST(ComponentTraps, KindTextAndCode) {
  engine::Trap t = component_trap(ComponentTrap::CannotLeave);
  EXPECT_EQ(t.kind, engine::TrapKind::Component);
  EXPECT_EQ(t.message, "cannot leave component instance");
  EXPECT_TRUE(is_component_trap(t, ComponentTrap::CannotLeave));
  EXPECT_FALSE(is_component_trap(t, ComponentTrap::CannotEnter));
  EXPECT_FALSE(is_component_trap(engine::Trap::host("cannot leave component instance"),
                                 ComponentTrap::CannotLeave));
}

TEST(ComponentTraps, DetailFollowsTheText) {
  engine::Trap t = component_trap(ComponentTrap::InvalidDiscriminant, "7");
  EXPECT_EQ(t.message, "invalid variant discriminant: 7");
  EXPECT_TRUE(t.message.starts_with(component_trap_text(ComponentTrap::InvalidDiscriminant)));
}

TEST(ComponentTraps, HandleIndexWhereTheSuiteHasIt) {
  EXPECT_EQ(handle_trap(ComponentTrap::UnknownHandle, 5).message, "unknown handle index 5");
  // A prefix of the reference "handle index 1 used with the wrong type, expected ... but found ...".
  EXPECT_EQ(handle_trap(ComponentTrap::WrongHandleType, 1).message,
            "handle index 1 used with the wrong type");
  EXPECT_EQ(handle_trap(ComponentTrap::OwnBorrowed, 3).message,
            "cannot remove owned resource while borrowed (handle index 3)");
}

TEST(ComponentTraps, EveryKindHasItsOwnText) {
  std::set<std::string> seen;
  for (uint16_t k = 0; k <= static_cast<uint16_t>(ComponentTrap::NotSupported); ++k) {
    const std::string text = component_trap_text(static_cast<ComponentTrap>(k));
    EXPECT_NE(text, "component trap") << k;
    EXPECT_TRUE(seen.insert(text).second) << text;
  }
}

Utf8 check(std::initializer_list<uint8_t> bytes) {
  const std::vector<uint8_t> v(bytes);
  return check_utf8(v.data(), v.size());
}

TEST(ComponentTraps, Utf8CutShortIsIncomplete) {
  EXPECT_EQ(check({'a', 0xE2, 0x82, 0xAC}), Utf8::Valid);
  EXPECT_EQ(check({'a', 0xE2, 0x82}), Utf8::Incomplete);
  EXPECT_EQ(check({0xF0, 0x9F}), Utf8::Incomplete);
  EXPECT_EQ(check({0xC3}), Utf8::Incomplete);
  EXPECT_EQ(check({0xFF}), Utf8::Invalid);
  EXPECT_EQ(check({0x80}), Utf8::Invalid);
  EXPECT_EQ(check({0xE2, 0x28, 0xA1}), Utf8::Invalid);
  // The second byte decides overlongs, surrogates and values past U+10FFFF, even at the end.
  EXPECT_EQ(check({0xE0, 0x80}), Utf8::Invalid);
  EXPECT_EQ(check({0xED, 0xA0}), Utf8::Invalid);
  EXPECT_EQ(check({0xF4, 0x90}), Utf8::Invalid);
  EXPECT_EQ(check({0xF0, 0x8F}), Utf8::Invalid);
  EXPECT_EQ(check({0xED, 0x9F, 0xBF}), Utf8::Valid);
}

}  // namespace
}  // namespace rill::component::rt
