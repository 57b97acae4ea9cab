#include "translator/fixed_iova_map.h"

#include <vector>

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

using Maps = std::vector<FixedMapping>;

FixedMapping M(uint64_t iova, uint64_t last, uint64_t hva = 0x7f00,
               uint8_t perm = 3) {
  return FixedMapping{iova, last, hva, perm};
}

TEST(FixedIovaMap, LookupsSeeWholeRanges) {
  FixedIovaMap map;
  map.Insert(M(0x1000, 0x2fff));
  map.Insert(M(0x5000, 0x5fff));
  ASSERT_NE(map.FindContaining(0x2fff), nullptr);
  EXPECT_EQ(map.FindContaining(0x2fff)->iova, 0x1000u);
  EXPECT_EQ(map.FindContaining(0x3000), nullptr);
  EXPECT_TRUE(map.Overlaps(0x3000, 0x5000));
  EXPECT_FALSE(map.Overlaps(0x3000, 0x4fff));
  EXPECT_TRUE(map.Holds(M(0x1000, 0x2fff)));
  EXPECT_FALSE(map.Holds(M(0x1000, 0x2fff, 0x7f00, 1)));
  EXPECT_FALSE(map.Holds(M(0x1000, 0x1fff)));
}

TEST(FixedIovaMap, RemoveOverlappingTakesWholeMappings) {
  FixedIovaMap map;
  map.Insert(M(0x1000, 0x2fff));
  map.Insert(M(0x3000, 0x3fff));
  map.Insert(M(0x5000, 0x5fff));
  EXPECT_EQ(map.RemoveOverlapping(0x2fff, 0x3000),
            (Maps{M(0x1000, 0x2fff), M(0x3000, 0x3fff)}));
  EXPECT_EQ(map.All(), (Maps{M(0x5000, 0x5fff)}));
  EXPECT_TRUE(map.RemoveOverlapping(0x6000, 0x7000).empty());
  EXPECT_EQ(map.RemoveOverlapping(0, ~uint64_t{0}), (Maps{M(0x5000, 0x5fff)}));
  EXPECT_TRUE(map.empty());
}

TEST(FixedIovaMap, MappingMayEndAtTheTopOfTheSpace) {
  FixedIovaMap map;
  map.Insert(M(~uint64_t{0} - 0xfff, ~uint64_t{0}));
  EXPECT_EQ(map.All().front().size(), 0x1000u);
  EXPECT_NE(map.FindContaining(~uint64_t{0}), nullptr);
  EXPECT_EQ(map.RemoveOverlapping(~uint64_t{0}, ~uint64_t{0}).size(), 1u);
}

}  // namespace
}  // namespace iovacheck
