#include "shrink/field_simplifier.h"

#include <gtest/gtest.h>

#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

TEST(LowerValues, SmallestFirstEndingOneStepBelow) {
  EXPECT_EQ(LowerValues(0x10000, 0x1000, 0x1000),
            (std::vector<uint64_t>{0x1000, 0x8000, 0xc000, 0xe000, 0xf000}));
  EXPECT_TRUE(LowerValues(0x1000, 0x1000, 0x1000).empty());
  EXPECT_EQ(LowerValues(3, 1, 1), (std::vector<uint64_t>{1, 2}));
}

TEST(SimplerVariants, SectionsGetReadOnlySmallerAndLower) {
  Section s;
  s.gpa = 0x5000;
  s.size = 0x4000;
  s.hva = 0x7f0000005000;
  const std::vector<Event> v = SimplerVariants(RegionAddEvent{s}, 0x1000);
  ASSERT_FALSE(v.empty());
  EXPECT_TRUE(std::get<RegionAddEvent>(v[0]).section.readonly);
  for (const Event& e : v) {
    const Section& t = std::get<RegionAddEvent>(e).section;
    // Exactly one field moves, and only downward.
    const int moved = (t.readonly != s.readonly) + (t.size != s.size) + (t.gpa != s.gpa);
    EXPECT_EQ(moved, 1);
    EXPECT_LE(t.size, s.size);
    EXPECT_LE(t.gpa, s.gpa);
    EXPECT_EQ(t.hva, s.hva);
  }
}

TEST(SimplerVariants, TranslationsLoseIovecsAndWrites) {
  Iovec a{0x1000, 0x7f0000001000, 0x10, true, true};
  Iovec b{0, 0x7e0000000000, 0x20, false, false};
  const std::vector<Event> v = SimplerVariants(TranslateEvent{{a, b}}, 0x1000);
  ASSERT_GE(v.size(), 3u);
  EXPECT_EQ(std::get<TranslateEvent>(v[0]).iovecs.size(), 1u);
  EXPECT_EQ(std::get<TranslateEvent>(v[1]).iovecs.size(), 1u);
  EXPECT_FALSE(std::get<TranslateEvent>(v[2]).iovecs[0].device_writes);
}

TEST(SimplerVariants, PartnersFollow) {
  HostBuffer b{0x7e0000002000, 0x3000, kPermRW, 1, "ring"};
  const std::vector<Event> v = SimplerVariants(HostMapEvent{b}, 0x1000);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(std::get<HostMapEvent>(v[0]).buffer.perm, kPermRO);
  std::optional<Event> unmap = FollowPartner(HostUnmapEvent{b.hva, b.size, b.asid}, v[1]);
  ASSERT_TRUE(unmap.has_value());
  EXPECT_EQ(std::get<HostUnmapEvent>(*unmap).asid, 0u);  // v[1]: asid 0
  EXPECT_TRUE(SimplerVariants(HostUnmapEvent{}, 0x1000).empty());
  EXPECT_TRUE(SimplerVariants(RegionDelEvent{}, 0x1000).empty());
}

}  // namespace
}  // namespace iovacheck
