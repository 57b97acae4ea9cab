#include "traces/kept_messages.h"

#include "gtest/gtest.h"
#include "traces/trace.pb.h"

namespace iovacheck {
namespace {

trace::Section MakeSection(uint64_t gpa, uint64_t size, const std::string& name) {
  trace::Section s;
  s.set_gpa(gpa);
  s.set_size(size);
  s.set_name(name);
  return s;
}

TEST(KeptMessages, ALiveSectionHoldsItsRangeAndMovesToRemovedWhole) {
  KeptMessages<trace::Section> kept(8);
  kept.Add(0x1000, MakeSection(0x1000, 0x2000, "a-name-longer-than-sso"));
  ASSERT_NE(kept.Holding(0x2fff), nullptr);
  EXPECT_EQ(kept.Holding(0x3000), nullptr);
  EXPECT_EQ(kept.Holding(0xfff), nullptr);

  const trace::Section* gone = kept.Remove(0x1000);
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->name(), "a-name-longer-than-sso");
  EXPECT_EQ(kept.Live(0x1000), nullptr);
  EXPECT_EQ(kept.Holding(0x1000), nullptr);
  ASSERT_NE(kept.Removed(0x1000), nullptr);
  EXPECT_EQ(kept.Removed(0x1000)->size(), 0x2000u);
  EXPECT_EQ(kept.Remove(0x1000), nullptr);  // nothing live there any more
}

// A recycled message must not carry anything of its last use: a later
// section with fewer fields set reads back as itself.
TEST(KeptMessages, AReusedMessageKeepsNothingOfItsLastUse) {
  KeptMessages<trace::Section> kept(1);
  trace::Section full = MakeSection(0x1000, 0x1000, "first");
  full.set_readonly(true);
  full.set_hva(0x7f00);
  kept.Add(0x1000, full);
  kept.Remove(0x1000);
  kept.Add(0x5000, MakeSection(0x5000, 0x1000, "fifth"));
  kept.Remove(0x5000);  // the removed are full (1): the first is recycled
  EXPECT_EQ(kept.Removed(0x1000), nullptr);
  kept.Add(0x9000, MakeSection(0x9000, 0x1000, ""));
  const trace::Section* live = kept.Live(0x9000);
  ASSERT_NE(live, nullptr);
  EXPECT_EQ(live->SerializeAsString(), MakeSection(0x9000, 0x1000, "").SerializeAsString());
}

TEST(KeptMessages, RemovingAgainAtTheSameAddressReplacesTheRemovedOne) {
  KeptMessages<trace::Section> kept(8);
  kept.Add(0x1000, MakeSection(0x1000, 0x1000, "old"));
  kept.Remove(0x1000);
  kept.Add(0x1000, MakeSection(0x1000, 0x1000, "new"));
  ASSERT_NE(kept.Removed(0x1000), nullptr);
  EXPECT_EQ(kept.Removed(0x1000)->name(), "old");  // until the new one goes
  kept.Remove(0x1000);
  EXPECT_EQ(kept.Removed(0x1000)->name(), "new");
}

}  // namespace
}  // namespace iovacheck
