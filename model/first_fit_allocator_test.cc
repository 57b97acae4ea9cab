// The O(log n) first fit gives exactly the IOVAs of the linear reference
// walk (model/first_fit_model.h), on long seeded random sequences of
// allocations and frees, tight and roomy ranges, tiny and huge lengths.
#include "model/first_fit_allocator.h"

#include <gtest/gtest.h>

#include <vector>

#include "model/first_fit_model.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

void RunAgainstLinear(uint64_t seed, uint64_t floor, uint64_t last, int steps) {
  SplitMix64 rng(seed);
  FirstFitAllocator fast(floor, last);
  FirstFitModel linear(floor, last);
  std::vector<std::pair<uint64_t, uint64_t>> live;  // start, len
  for (int i = 0; i < steps; ++i) {
    if (live.empty() || rng.Next() % 100 < 60) {
      uint64_t len = 0;
      switch (rng.Next() % 4) {
        case 0: len = 1 + rng.Next() % 0x10; break;
        case 1: len = 0x1000 * (1 + rng.Next() % 16); break;
        case 2: len = (last - floor) / (2 + rng.Next() % 8); break;
        default: len = 0x1000; break;
      }
      const std::optional<uint64_t> a = fast.Allocate(len);
      const std::optional<uint64_t> b = linear.Allocate(len);
      ASSERT_EQ(a, b) << "seed " << seed << " step " << i << " len 0x" << std::hex << len;
      if (a) live.emplace_back(*a, len);
    } else {
      const size_t k = rng.Next() % live.size();
      ASSERT_TRUE(fast.Free(live[k].first)) << "seed " << seed << " step " << i;
      linear.Free(live[k].first, live[k].second);
      live[k] = live.back();
      live.pop_back();
    }
  }
  EXPECT_EQ(fast.used().size(), live.size());
}

TEST(FirstFitAllocator, SameIovasAsTheLinearWalk) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    RunAgainstLinear(seed, 0x1000, 0xffffffff, 3000);       // 4 GiB
    RunAgainstLinear(seed + 100, 0x1000, 0x80fff, 3000);    // 512 KiB: often full
    RunAgainstLinear(seed + 200, 0x1000, ~uint64_t{0}, 2000);  // up to 2^64 - 1
  }
}

TEST(FirstFitAllocator, EdgesOfTheRange) {
  FirstFitAllocator a(0x1000, 0x3fff);
  EXPECT_EQ(a.Allocate(0), std::nullopt);
  EXPECT_EQ(a.Allocate(0x4000), std::nullopt);  // passes last
  EXPECT_EQ(a.Allocate(0x3000), std::optional<uint64_t>(0x1000));  // exact fit
  EXPECT_EQ(a.Allocate(1), std::nullopt);
  EXPECT_TRUE(a.Free(0x1000));
  EXPECT_FALSE(a.Free(0x1000));
  FirstFitAllocator top(0, ~uint64_t{0});
  EXPECT_EQ(top.Allocate(absl::uint128(1) << 64), std::optional<uint64_t>(0));
  EXPECT_EQ(top.Allocate(1), std::nullopt);
  EXPECT_TRUE(top.Free(0));
  EXPECT_EQ(top.Allocate((absl::uint128(1) << 64) + 1), std::nullopt);
}

}  // namespace
}  // namespace iovacheck
