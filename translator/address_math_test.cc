// The range arithmetic every translator shares, at its edges: an empty
// range, one that ends exactly at 2^64, one that would wrap past it.
#include "translator/address_math.h"

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

TEST(RangeLast, EmptyRangeHasNoLastByte) {
  uint64_t last = 7;
  EXPECT_FALSE(RangeLast(0x1000, 0, &last));
  EXPECT_FALSE(RangeLast(~uint64_t{0}, 0, &last));
}

TEST(RangeLast, EndingExactlyAt2To64) {
  uint64_t last = 0;
  ASSERT_TRUE(RangeLast(~uint64_t{0}, 1, &last));
  EXPECT_EQ(last, ~uint64_t{0});
  ASSERT_TRUE(RangeLast(0, WholeAddressSpace(), &last));
  EXPECT_EQ(last, ~uint64_t{0});
  ASSERT_TRUE(RangeLast(0x1000, 0x1000, &last));
  EXPECT_EQ(last, 0x1fffu);
}

TEST(RangeLast, PastTwoTo64Wraps) {
  uint64_t last = 0;
  EXPECT_FALSE(RangeLast(~uint64_t{0}, 2, &last));
  EXPECT_FALSE(RangeLast(1, WholeAddressSpace(), &last));
}

TEST(RoundUpToPage, RoundsUpAndKeepsWholePages) {
  EXPECT_EQ(RoundUpToPage(1, 0x1000), 0x1000u);
  EXPECT_EQ(RoundUpToPage(0x1000, 0x1000), 0x1000u);
  EXPECT_EQ(RoundUpToPage(0x1001, 0x1000), 0x2000u);
  EXPECT_EQ(RoundUpToPage(~uint64_t{0}, 0x1000), WholeAddressSpace());
  EXPECT_EQ(RoundUpToPage(0x1001, 0x10000), 0x10000u);  // the page given, not 4 KiB
}

}  // namespace
}  // namespace iovacheck
