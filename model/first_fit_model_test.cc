#include "model/first_fit_model.h"

#include <cstdint>
#include <limits>
#include <optional>

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TEST(FirstFitModel, FactsTableAllocations) {
  // Facts section 2: the three sections' IOVAs with floor = one 4 KiB page.
  FirstFitModel ff(0x1000, kMax);
  EXPECT_EQ(ff.Allocate(0x80000000), std::optional<uint64_t>(0x1000));
  EXPECT_EQ(ff.Allocate(0x1f80000000), std::optional<uint64_t>(0x80001000));
  EXPECT_EQ(ff.Allocate(0x20000), std::optional<uint64_t>(0x2000001000));
}

TEST(FirstFitModel, FloorIsRespected) {
  FirstFitModel ff(0x100000, kMax);
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x100000));
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x101000));
  // Freeing the lowest range makes the floor available again, never below.
  ff.Free(0x100000, 0x1000);
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x100000));
  EXPECT_EQ(ff.Allocate(0x800), std::optional<uint64_t>(0x102000));
}

TEST(FirstFitModel, ExactFitReusesAFreedHole) {
  FirstFitModel ff(0x1000, kMax);
  ASSERT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x1000));
  ASSERT_EQ(ff.Allocate(0x2000), std::optional<uint64_t>(0x2000));
  ASSERT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x4000));
  ff.Free(0x2000, 0x2000);
  // One byte too many for the hole [0x2000, 0x4000): goes past the end.
  EXPECT_EQ(ff.Allocate(0x2001), std::optional<uint64_t>(0x5000));
  // Exactly the hole's size: fills it.
  EXPECT_EQ(ff.Allocate(0x2000), std::optional<uint64_t>(0x2000));
  // Everything below the end of [0x5000, 0x7000] is taken now.
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x7001));
}

TEST(FirstFitModel, LowestHoleWinsEvenIfAHigherOneFitsBetter) {
  FirstFitModel ff(0x1000, kMax);
  ASSERT_EQ(ff.Allocate(0x4000), std::optional<uint64_t>(0x1000));  // [0x1000, 0x5000)
  ASSERT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x5000));  // [0x5000, 0x6000)
  ASSERT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x6000));  // [0x6000, 0x7000)
  ASSERT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x7000));  // [0x7000, 0x8000)
  ff.Free(0x1000, 0x4000);  // hole of 4 pages at 0x1000
  ff.Free(0x6000, 0x1000);  // hole of 1 page at 0x6000 (a better fit)
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x1000));
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x2000));
  // 0x2000 bytes still fit at 0x3000 (hole [0x3000, 0x5000)).
  EXPECT_EQ(ff.Allocate(0x2000), std::optional<uint64_t>(0x3000));
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x6000));
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x8000));
}

TEST(FirstFitModel, FailsWhenTheRangeIsExhausted) {
  FirstFitModel ff(0x1000, 0x4fff);
  EXPECT_EQ(ff.Allocate(0x4001), std::nullopt);  // larger than the whole range
  ASSERT_EQ(ff.Allocate(0x3000), std::optional<uint64_t>(0x1000));
  EXPECT_EQ(ff.Allocate(0x1001), std::nullopt);  // would pass last by one byte
  // Ending exactly at last is allowed.
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x4000));
  EXPECT_EQ(ff.Allocate(1), std::nullopt);
  // A failed allocation reserves nothing: after a free the space is reusable.
  ff.Free(0x4000, 0x1000);
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x4000));
}

TEST(FirstFitModel, AWholeRangeAllocationEndingAtLast) {
  FirstFitModel ff(0x1000, 0xffff);
  EXPECT_EQ(ff.Allocate(0xf000), std::optional<uint64_t>(0x1000));
  EXPECT_EQ(ff.Allocate(1), std::nullopt);
}

TEST(FirstFitModel, NeverWrapsPastTheTopOfTheAddressSpace) {
  FirstFitModel ff(kMax - 0xfff, kMax);
  EXPECT_EQ(ff.Allocate(0x1001), std::nullopt);
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(kMax - 0xfff));
  EXPECT_EQ(ff.Allocate(1), std::nullopt);
  EXPECT_EQ(ff.Allocate(kMax), std::nullopt);
}

TEST(FirstFitModel, ZeroLengthIsRefused) {
  FirstFitModel ff(0x1000, kMax);
  EXPECT_EQ(ff.Allocate(0), std::nullopt);
  EXPECT_EQ(ff.Allocate(0x1000), std::optional<uint64_t>(0x1000));
}

}  // namespace
}  // namespace iovacheck
