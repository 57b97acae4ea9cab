#include "maps/compressed_axis.h"

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

TEST(CompressedAxis, TerabyteAndPageAreBothVisibleWithTheGapCut) {
  const uint64_t tib = uint64_t{1} << 40;
  const CompressedAxis axis({{0, tib - 1}, {uint64_t{1} << 47, (uint64_t{1} << 47) + 0xfff}}, 100);
  const double big = axis.Bottom(tib - 1) - axis.Top(0);
  const double page = axis.Bottom((uint64_t{1} << 47) + 0xfff) - axis.Top(uint64_t{1} << 47);
  EXPECT_GE(page, CompressedAxis::kMinHeight);
  EXPECT_GT(big, page);
  EXPECT_LE(big, CompressedAxis::kMaxHeight);
  ASSERT_EQ(axis.gaps().size(), 1u);
  EXPECT_EQ(axis.gaps()[0].start, tib);
  EXPECT_EQ(axis.gaps()[0].last, (uint64_t{1} << 47) - 1);
  EXPECT_DOUBLE_EQ(axis.Top(0), 100);
  EXPECT_DOUBLE_EQ(axis.bottom(), 100 + big + CompressedAxis::kGapHeight + page);
}

TEST(CompressedAxis, APageInsideAHugeRangeKeepsItsHeightAndTheOrder) {
  const CompressedAxis axis({{0, 0x7fffffff}, {0x40000000, 0x40000fff}}, 0);
  EXPECT_GE(axis.Bottom(0x40000fff) - axis.Top(0x40000000), CompressedAxis::kMinHeight);
  EXPECT_LT(axis.Top(0), axis.Top(0x40000000));
  EXPECT_LT(axis.Bottom(0x40000fff), axis.Bottom(0x7fffffff));
  EXPECT_TRUE(axis.gaps().empty());
}

TEST(CompressedAxis, TheLastByteOfTheSpaceIsDrawn) {
  const uint64_t top = ~uint64_t{0};
  const CompressedAxis axis({{top - 0xfff, top}}, 10);
  EXPECT_DOUBLE_EQ(axis.Top(top - 0xfff), 10);
  EXPECT_DOUBLE_EQ(axis.Bottom(top), 10 + CompressedAxis::kMinHeight);
}

TEST(CompressedAxis, IsMonotonic) {
  const CompressedAxis axis({{0x1000, 0x1fff}, {0x1800, 0x9fff}, {0x100000, 0x1fffff}}, 0);
  double y = -1;
  for (uint64_t a = 0x1000; a < 0x200000; a += 0x800) {
    EXPECT_GE(axis.Top(a), y) << std::hex << a;
    y = axis.Top(a);
  }
}

}  // namespace
}  // namespace iovacheck
