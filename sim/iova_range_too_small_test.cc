// Fault site iova_range_too_small: the device's IOVA range is cut so that
// allocations run out. Decoupled answers ENOMEM exactly where QEMU's first
// fit finds no room; variants that hide the failure or claim it early are
// caught.
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "sim/fault_site_test_util.h"

namespace iovacheck {
namespace {

// A device whose range the site cut, and how many pages it can allocate.
struct SmallRange {
  DeviceConfig config;
  uint64_t pages = 0;
};

SmallRange CutRange(uint64_t seed) {
  const FaultPlan plan = FaultPlan::Only({FaultSite::kIovaRangeTooSmall}, 100, seed);
  SmallRange r;
  r.config = plan.ApplyToDevice(DeviceConfig{});
  r.pages = (r.config.iova_last + 1 - kPage) / kPage;  // allocation starts at page 1
  return r;
}

// A ring page, then two sections that together need every page: the second
// finds no room (event 3). Once the first goes, the second fits (event 12).
std::vector<Event> FillTheRange(uint64_t pages) {
  const uint64_t half = pages / 2;
  const Section a = Ram("ram-a", 0, half * kPage, kRamHva);
  const Section b = Ram("ram-b", half * kPage, (pages - half) * kPage, kRamHva + half * kPage);
  return {
      HostMapEvent{kDriverArea},
      ListenerBeginEvent{},
      RegionAddEvent{a},
      RegionAddEvent{b},  // 3: no room
      ListenerCommitEvent{},
      TranslateEvent{{In(a, 0x1000, 0x1000, true)}},
      TranslateEvent{{In(b, 0x1000, 0x1000, true)}},  // refused
      ListenerBeginEvent{},
      RegionDelEvent{a},
      RegionDelEvent{b},  // never mapped
      ListenerCommitEvent{},
      ListenerBeginEvent{},
      RegionAddEvent{b},  // 12: room now
      ListenerCommitEvent{},
      TranslateEvent{{In(b, 0x1000, 0x1000, true)}},
  };
}

TEST(IovaRangeTooSmall, TheCutRangeRunsOutAndDecoupledReportsEnomem) {
  const SmallRange small = CutRange(4);
  EXPECT_LT(small.config.iova_last, DeviceConfig{}.iova_last);
  std::unique_ptr<Harness> h = Drive(small.config, kDecoupled, nullptr, FillTheRange(small.pages));
  ASSERT_FALSE(h->failed()) << Why(*h);
  const StepRecord& no_room = h->log()[3];
  EXPECT_EQ(no_room.rc, ENOMEM);
  EXPECT_TRUE(no_room.sent.empty()) << "nothing to tell the device";
  EXPECT_EQ(h->log()[12].rc, 0);
  EXPECT_EQ(DeviceEntries(*h), 2u);  // the ring and the second section

  // With the whole range the same run has room everywhere.
  std::unique_ptr<Harness> full =
      Drive(DeviceConfig{}, kDecoupled, nullptr, FillTheRange(small.pages));
  ASSERT_FALSE(full->failed()) << Why(*full);
  EXPECT_EQ(full->log()[3].rc, 0);
}

// Says the mapping succeeded when there was no room for it.
class HidesNoRoom : public DecoupledVariant {
 public:
  using DecoupledVariant::DecoupledVariant;
  int RegionAdd(const GuestSection& s) override {
    const int rc = inner().RegionAdd(s);
    return rc == ENOMEM ? 0 : rc;
  }
};

TEST(IovaRangeTooSmall, ATranslatorThatHidesTheFailureIsCaught) {
  const SmallRange small = CutRange(4);
  std::unique_ptr<Harness> h =
      Drive(small.config, VariantFactory<HidesNoRoom>(), nullptr, FillTheRange(small.pages));
  ASSERT_TRUE(h->failed());
  EXPECT_EQ(h->divergence()->rule, OracleRule::kCoverage) << Why(*h);
  EXPECT_EQ(h->divergence_index(), 3u) << Why(*h);
}

// Gives up on large sections although the range has room: ENOMEM is excused
// only where QEMU's first fit finds none.
class GivesUpEarly : public DecoupledVariant {
 public:
  using DecoupledVariant::DecoupledVariant;
  int RegionAdd(const GuestSection& s) override {
    return s.size >= 16 * kPage ? ENOMEM : inner().RegionAdd(s);
  }
};

TEST(IovaRangeTooSmall, ATranslatorThatClaimsNoRoomWhenThereIsSomeIsCaught) {
  const SmallRange small = CutRange(4);
  std::unique_ptr<Harness> h =
      Drive(small.config, VariantFactory<GivesUpEarly>(), nullptr, FillTheRange(small.pages));
  ASSERT_TRUE(h->failed());
  EXPECT_EQ(h->divergence()->rule, OracleRule::kTranslatorError) << Why(*h);
  EXPECT_EQ(h->divergence_index(), 2u) << Why(*h);
}

}  // namespace
}  // namespace iovacheck
