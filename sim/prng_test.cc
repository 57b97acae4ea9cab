// The generated traces must be the same everywhere: the PRNG is pinned to
// SplitMix64's reference outputs.
#include "sim/prng.h"

#include <gtest/gtest.h>

namespace iovacheck {
namespace {

TEST(SplitMix64, MatchesTheReferenceSequence) {
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xe220a8397b1dcdafu);
  EXPECT_EQ(rng.Next(), 0x6e789e6aa1b965f4u);
  EXPECT_EQ(rng.Next(), 0x06c45d188009454fu);
}

TEST(SplitMix64, BelowStaysInRangeAndCoversIt) {
  SplitMix64 rng(42);
  bool seen[7] = {};
  for (int i = 0; i < 1000; ++i) {
    const uint64_t v = rng.Below(7);
    ASSERT_LT(v, 7u);
    seen[v] = true;
  }
  for (bool s : seen) EXPECT_TRUE(s);
  EXPECT_EQ(rng.InRange(5, 5), 5u);
}

}  // namespace
}  // namespace iovacheck
