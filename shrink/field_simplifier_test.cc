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

TEST(SimplerVariants, IommuMapsMoveTheirGuestIovaNotTheirGpa) {
  const IommuMapEvent m{0x40000, 0x123000, 0x4000, kPermRW};
  const std::vector<Event> v = SimplerVariants(m, 0x1000);
  ASSERT_FALSE(v.empty());
  EXPECT_EQ(std::get<IommuMapEvent>(v[0]).perm, kPermRO);
  bool lowered_giova = false;
  for (const Event& e : v) {
    const IommuMapEvent& t = std::get<IommuMapEvent>(e);
    EXPECT_EQ(t.gpa, m.gpa);
    EXPECT_LE(t.size, m.size);
    EXPECT_GE(t.size, 0x1000u);
    EXPECT_LE(t.giova, m.giova);
    EXPECT_GE(t.giova, 0x1000u);  // never the null IOVA
    lowered_giova |= t.giova < m.giova;
  }
  EXPECT_TRUE(lowered_giova);
  // The unmap of exactly the old range follows to the new one.
  IommuMapEvent moved = m;
  moved.giova = 0x1000;
  moved.size = 0x2000;
  std::optional<Event> unmap = FollowPartner(IommuUnmapEvent{m.giova, m.giova + m.size - 1},
                                             moved);
  ASSERT_TRUE(unmap.has_value());
  EXPECT_EQ(std::get<IommuUnmapEvent>(*unmap).giova, 0x1000u);
  EXPECT_EQ(std::get<IommuUnmapEvent>(*unmap).last, 0x2fffu);
}

TEST(SimplerVariants, SwitchesResetsAndUnmapsHaveNone) {
  EXPECT_TRUE(SimplerVariants(ShadowDataEvent{true}, 0x1000).empty());
  EXPECT_TRUE(SimplerVariants(ShadowDataEvent{false}, 0x1000).empty());
  EXPECT_TRUE(SimplerVariants(DeviceResetEvent{}, 0x1000).empty());
  EXPECT_TRUE(SimplerVariants(IommuUnmapEvent{0x1000, 0x1fff}, 0x1000).empty());
  // A read-only map at the lowest page and size is already simplest.
  EXPECT_TRUE(SimplerVariants(IommuMapEvent{0x1000, 0x5000, 0x1000, kPermRO}, 0x1000).empty());
}

}  // namespace
}  // namespace iovacheck
