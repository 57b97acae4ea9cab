// Both trackers (mdev-tree, mdev-array) under both policies, held to the
// VFIO type1 model by the domain's oracle.
#include <cerrno>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mdev/array_tracker.h"
#include "mdev/check_tracker.h"
#include "mdev/tree_tracker.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = VfioType1Container::kPageSize;
constexpr uint32_t kRW = kVfioDmaRead | kVfioDmaWrite;

enum class Structure { kTree, kArray };

struct Kind {
  Structure structure;
  PinPolicy policy;
};

std::string Name(const Kind& k) {
  return std::string(k.structure == Structure::kTree ? "tree" : "array") +
         (k.policy == PinPolicy::kPinAll ? "-pin-all" : "-pin-sparse");
}

// A container with the tracker's driver registered for dma_unmap.
struct Rig {
  explicit Rig(Kind kind) {
    if (kind.structure == Structure::kTree) {
      tracker = std::make_unique<TreeTracker>(&container, kind.policy);
    } else {
      tracker = std::make_unique<ArrayTracker>(&container, kind.policy);
    }
    container.RegisterDevice([this](uint64_t iova, uint64_t size) { Notified(iova, size); });
  }
  virtual ~Rig() = default;
  virtual void Notified(uint64_t iova, uint64_t size) { tracker->DmaUnmap(iova, size); }
  int Map(uint64_t iova, uint64_t size, uint64_t vaddr, uint32_t prot) {
    if (int err = container.MapDma(iova, size, vaddr, prot); err != 0) return err;
    return tracker->RegionMapped(iova, size);
  }
  VfioType1Container container;
  std::unique_ptr<MdevTracker> tracker;
};

class Trackers : public testing::TestWithParam<Structure> {};

TEST_P(Trackers, PinAllPinsRegionsWholeAndLetsThemGo) {
  Rig rig(Kind{GetParam(), PinPolicy::kPinAll});
  ASSERT_EQ(rig.Map(0x100000, 4 * kPage, 0x7f0000000000, kRW), 0);
  ASSERT_EQ(rig.Map(0x200000, 2 * kPage, 0x7f0000100000, kVfioDmaRead), 0);
  EXPECT_EQ(rig.container.TotalPins(), 6u);
  uint64_t vaddr = 0;
  ASSERT_EQ(rig.tracker->Acquire(0x102010, kVfioDmaWrite, &vaddr), 0);
  EXPECT_EQ(vaddr, 0x7f0000002010u);
  EXPECT_EQ(rig.tracker->Acquire(0x200000, kVfioDmaWrite, &vaddr), EPERM);
  EXPECT_EQ(rig.tracker->Acquire(0x300000, kVfioDmaRead, &vaddr), EFAULT);
  EXPECT_EQ(CheckTracker(rig.container, *rig.tracker), std::nullopt);

  const VfioUnmapResult r = rig.container.UnmapDma(0x100000, 4 * kPage);
  EXPECT_EQ(r.err, 0);
  EXPECT_FALSE(r.kernel_bug);
  EXPECT_EQ(r.unmapped, 4 * kPage);
  EXPECT_EQ(rig.container.TotalPins(), 2u);
  EXPECT_EQ(CheckTracker(rig.container, *rig.tracker), std::nullopt);
}

TEST_P(Trackers, PinSparsePinsOnFirstUseAndCountsUsers) {
  Rig rig(Kind{GetParam(), PinPolicy::kPinSparse});
  ASSERT_EQ(rig.Map(0x100000, 4 * kPage, 0x7f0000000000, kRW), 0);
  EXPECT_EQ(rig.container.TotalPins(), 0u);
  uint64_t vaddr = 0;
  ASSERT_EQ(rig.tracker->Acquire(0x101008, kVfioDmaRead, &vaddr), 0);
  ASSERT_EQ(rig.tracker->Acquire(0x101ff0, kVfioDmaWrite, &vaddr), 0);
  EXPECT_EQ(vaddr, 0x7f0000001ff0u);
  EXPECT_EQ(rig.container.PinCount(0x101000), 1u);  // one pin, two users
  rig.tracker->Release(0x101008);
  EXPECT_EQ(rig.container.PinCount(0x101000), 1u);
  rig.tracker->Release(0x101ff0);
  EXPECT_EQ(rig.container.TotalPins(), 0u);
  EXPECT_EQ(rig.tracker->Acquire(0x300000, kVfioDmaRead, &vaddr), EINVAL);  // no region
  EXPECT_EQ(CheckTracker(rig.container, *rig.tracker), std::nullopt);
}

// Unmapped while the device still uses a page: the notifier takes it away.
TEST_P(Trackers, PinSparseGivesUpPagesInUseWhenTheRegionGoes) {
  Rig rig(Kind{GetParam(), PinPolicy::kPinSparse});
  ASSERT_EQ(rig.Map(0x100000, 2 * kPage, 0x7f0000000000, kRW), 0);
  uint64_t vaddr = 0;
  ASSERT_EQ(rig.tracker->Acquire(0x100000, kVfioDmaRead, &vaddr), 0);
  const VfioUnmapResult r = rig.container.UnmapDma(0x100000, 2 * kPage);
  EXPECT_FALSE(r.kernel_bug);
  EXPECT_EQ(r.unmapped, 2 * kPage);
  EXPECT_EQ(rig.tracker->Lookup(0x100000), std::nullopt);
  EXPECT_EQ(CheckTracker(rig.container, *rig.tracker), std::nullopt);
  rig.tracker->Release(0x100000);  // late: nothing held, nothing happens
  EXPECT_EQ(rig.container.TotalPins(), 0u);
}

// Regions come and go and the device uses pages at random; after every
// step the tracker must agree with type1, and no unmap may meet a pin.
void RunRandom(Rig& rig, uint64_t seed, int steps, bool* caught) {
  SplitMix64 rng(seed);
  std::map<uint64_t, uint64_t> regions;      // iova -> pages
  std::multimap<uint64_t, uint64_t> in_use;  // gpa acquired, not released
  *caught = false;
  for (int step = 0; step < steps && !*caught; ++step) {
    const uint64_t slot = rng.Below(16);
    const uint64_t iova = 0x100000 * (slot + 1);
    switch (rng.Below(4)) {
      case 0: {  // map a region of 1-8 pages in a free slot
        if (regions.count(iova)) break;
        const uint64_t pages = 1 + rng.Below(8);
        const uint32_t prot = rng.Below(3) == 0 ? kVfioDmaRead : kRW;
        ASSERT_EQ(rig.Map(iova, pages * kPage, 0x7f0000000000 + iova, prot), 0);
        regions[iova] = pages;
        break;
      }
      case 1: {  // unmap it
        auto it = regions.find(iova);
        if (it == regions.end()) break;
        const VfioUnmapResult r = rig.container.UnmapDma(iova, it->second * kPage);
        if (r.kernel_bug || r.err != 0 || r.unmapped != it->second * kPage) *caught = true;
        regions.erase(it);
        in_use.erase(in_use.lower_bound(iova), in_use.lower_bound(iova + 0x100000));
        break;
      }
      default: {  // the device uses, or lets go of, a page
        const uint64_t gpa = iova + rng.Below(8) * kPage + rng.Below(kPage);
        if (rng.Below(2) == 0) {
          uint64_t vaddr = 0;
          const uint32_t prot = rng.Below(2) == 0 ? kVfioDmaRead : kVfioDmaWrite;
          if (rig.tracker->Acquire(gpa, prot, &vaddr) == 0) in_use.insert({gpa, vaddr});
        } else if (auto it = in_use.lower_bound(iova);
                   it != in_use.end() && it->first < iova + 0x100000) {
          rig.tracker->Release(it->first);
          in_use.erase(it);
        }
        break;
      }
    }
    if (CheckTracker(rig.container, *rig.tracker)) *caught = true;
  }
}

TEST_P(Trackers, AgreeWithType1UnderRandomUse) {
  for (PinPolicy policy : {PinPolicy::kPinAll, PinPolicy::kPinSparse}) {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      const Kind kind{GetParam(), policy};
      Rig rig(kind);
      bool caught = false;
      RunRandom(rig, seed, 500, &caught);
      EXPECT_FALSE(caught) << "seed " << seed << " " << Name(kind);
    }
  }
}

// A driver whose dma_unmap callback forgets to unpin: type1 asks it eleven
// times and hits BUG_ON. The random run must find it.
struct ForgetfulRig : Rig {
  using Rig::Rig;
  void Notified(uint64_t, uint64_t) override {}
};

TEST_P(Trackers, ADriverThatForgetsToUnpinIsCaught) {
  for (PinPolicy policy : {PinPolicy::kPinAll, PinPolicy::kPinSparse}) {
    const Kind kind{GetParam(), policy};
    ForgetfulRig rig(kind);
    bool caught = false;
    RunRandom(rig, 1, 500, &caught);
    EXPECT_TRUE(caught) << Name(kind);
  }
}

INSTANTIATE_TEST_SUITE_P(TreeAndArray, Trackers, testing::Values(Structure::kTree, Structure::kArray),
                         [](const testing::TestParamInfo<Structure>& info) {
                           return info.param == Structure::kTree ? "tree" : "array";
                         });

}  // namespace
}  // namespace iovacheck
