// The fault plan and the channel-level fault sites on their own: names, how
// the seed enables sites, firing at the set percentage, the cut IOVA range,
// and which messages each channel fault answers.
#include "sim/faults.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

IotlbMsg Msg(uint8_t type) {
  IotlbMsg m;
  m.type = type;
  m.iova = 0x1000;
  m.size = 0x1000;
  m.uaddr = 0x7f0000000000;
  m.perm = kPermRW;
  return m;
}

const Event kRegionAdd = RegionAddEvent{Section{0, 0x1000, 0x7f0000000000}};

TEST(FaultSites, HaveTheirTraceNames) {
  std::vector<std::string> names;
  for (FaultSite site : AllFaultSites()) names.push_back(FaultSiteName(site));
  EXPECT_EQ(names, (std::vector<std::string>{"device_rejects_update", "iova_range_too_small",
                                             "reset_mid_transaction", "message_lost"}));
}

TEST(FaultPlan, TheDefaultPlanFiresNothing) {
  FaultPlan plan;
  for (FaultSite site : AllFaultSites()) {
    EXPECT_FALSE(plan.enabled(site));
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(plan.Fire(site));
  }
  EXPECT_TRUE(plan.EnabledNames().empty());
  const DeviceConfig config;
  EXPECT_EQ(plan.ApplyToDevice(config).iova_last, config.iova_last);
}

TEST(FaultPlan, OnlyEnablesExactlyTheNamedSites) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kMessageLost, FaultSite::kDeviceRejectsUpdate},
                                   100, 7);
  EXPECT_EQ(plan.EnabledNames(),
            (std::vector<std::string>{"device_rejects_update", "message_lost"}));
  EXPECT_TRUE(plan.Fire(FaultSite::kMessageLost));
  EXPECT_FALSE(plan.Fire(FaultSite::kResetMidTransaction));
  EXPECT_FALSE(plan.Fire(FaultSite::kIovaRangeTooSmall));
}

// BUGGIFY's two levels: about a third of the seeds enable a site, and the
// same seed always enables the same ones.
TEST(FaultPlan, TheSeedEnablesEachSiteAboutOneRunInThree) {
  constexpr int kSeeds = 3000;
  std::map<std::string, int> enabled;
  std::set<std::vector<std::string>> combinations;
  for (uint64_t seed = 0; seed < kSeeds; ++seed) {
    const FaultPlan plan = FaultPlan::FromSeed(seed);
    EXPECT_EQ(plan.EnabledNames(), FaultPlan::FromSeed(seed).EnabledNames());
    for (const std::string& name : plan.EnabledNames()) ++enabled[name];
    combinations.insert(plan.EnabledNames());
  }
  for (FaultSite site : AllFaultSites()) {
    const int n = enabled[FaultSiteName(site)];
    EXPECT_GT(n, kSeeds / 3 - 150) << FaultSiteName(site);
    EXPECT_LT(n, kSeeds / 3 + 150) << FaultSiteName(site);
  }
  EXPECT_EQ(combinations.size(), 16u);  // every subset, none included
}

TEST(FaultPlan, FiresAtTheSetPercentageAndTheSameWayForTheSameSeed) {
  FaultPlan a = FaultPlan::Only({FaultSite::kResetMidTransaction}, 25, 99);
  FaultPlan b = FaultPlan::Only({FaultSite::kResetMidTransaction}, 25, 99);
  FaultPlan other = FaultPlan::Only({FaultSite::kResetMidTransaction}, 25, 100);
  int fired = 0;
  bool differs = false;
  for (int i = 0; i < 4000; ++i) {
    const bool f = a.Fire(FaultSite::kResetMidTransaction);
    ASSERT_EQ(f, b.Fire(FaultSite::kResetMidTransaction)) << "call " << i;
    differs |= f != other.Fire(FaultSite::kResetMidTransaction);
    fired += f;
  }
  EXPECT_GT(fired, 900);
  EXPECT_LT(fired, 1100);
  EXPECT_TRUE(differs);

  FaultPlan never = FaultPlan::Only({FaultSite::kResetMidTransaction}, 0, 1);
  FaultPlan always = FaultPlan::Only({FaultSite::kResetMidTransaction}, 100, 1);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(never.Fire(FaultSite::kResetMidTransaction));
    EXPECT_TRUE(always.Fire(FaultSite::kResetMidTransaction));
  }
}

TEST(FaultPlan, TheSmallRangeIsDrawnWhenThePlanIsMade) {
  std::set<uint64_t> spans;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    FaultPlan plan = FaultPlan::Only({FaultSite::kIovaRangeTooSmall}, 5, seed);
    const DeviceConfig config = plan.ApplyToDevice(DeviceConfig{});
    const uint64_t pages = (config.iova_last + 1 - config.page_size) / config.page_size;
    EXPECT_EQ((config.iova_last + 1) % config.page_size, 0u);
    EXPECT_GE(pages, 32u);
    EXPECT_LE(pages, 256u);
    spans.insert(pages);
    // Firing afterwards does not move it.
    for (int i = 0; i < 10; ++i) plan.Fire(FaultSite::kIovaRangeTooSmall);
    EXPECT_EQ(plan.ApplyToDevice(DeviceConfig{}).iova_last, config.iova_last);
    EXPECT_EQ(FaultPlan::Only({FaultSite::kIovaRangeTooSmall}, 5, seed)
                  .ApplyToDevice(DeviceConfig{})
                  .iova_last,
              config.iova_last);
  }
  EXPECT_GT(spans.size(), 50u);
}

TEST(FaultPlan, TheSmallRangeCountsFromTheFirstAllocatableAddress) {
  const FaultPlan plan = FaultPlan::Only({FaultSite::kIovaRangeTooSmall}, 5, 3);
  DeviceConfig high;
  high.iova_first = 0x40000000;
  const uint64_t pages_at_zero =
      (plan.ApplyToDevice(DeviceConfig{}).iova_last + 1 - 0x1000) / 0x1000;
  const DeviceConfig cut = plan.ApplyToDevice(high);
  EXPECT_EQ(cut.iova_first, high.iova_first);
  EXPECT_EQ(cut.iova_last, high.iova_first + pages_at_zero * 0x1000 - 1);

  // A range already smaller than the cut stays as it was.
  DeviceConfig tiny;
  tiny.iova_last = 0x3fff;
  EXPECT_EQ(plan.ApplyToDevice(tiny).iova_last, 0x3fffu);
  // Nothing else changes.
  EXPECT_EQ(cut.backend_features, high.backend_features);
  EXPECT_EQ(cut.page_size, high.page_size);
}

TEST(SimulatedChannelFaults, RejectsOnlyTheUpdateOfAMappingEvent) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kDeviceRejectsUpdate}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  std::optional<InjectedFault> f = faults.Intercept(kRegionAdd, 3, Msg(kIotlbUpdate));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->site, "device_rejects_update");
  EXPECT_EQ(f->error, EFAULT);
  EXPECT_TRUE(f->excuses_mapping);
  EXPECT_EQ(f->message_index, 3u);

  EXPECT_TRUE(faults.Intercept(HostMapEvent{}, 0, Msg(kIotlbUpdate)).has_value());
  EXPECT_TRUE(faults.Intercept(IommuMapEvent{}, 0, Msg(kIotlbUpdate)).has_value());
  // Not the batch markers or an unmap of a mapping event, and not the
  // UPDATEs a reset re-sends (nothing could excuse the mapping they restore).
  EXPECT_FALSE(faults.Intercept(kRegionAdd, 0, Msg(kIotlbBatchBegin)).has_value());
  EXPECT_FALSE(faults.Intercept(IommuMapEvent{}, 0, Msg(kIotlbInvalidate)).has_value());
  EXPECT_FALSE(faults.Intercept(DeviceResetEvent{}, 0, Msg(kIotlbUpdate)).has_value());
  EXPECT_FALSE(faults.Intercept(RegionDelEvent{}, 0, Msg(kIotlbUpdate)).has_value());
}

TEST(SimulatedChannelFaults, LosesAnyMessageButNeverMoreThanThreeInARow) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kMessageLost}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  for (const Event& event : {kRegionAdd, Event{DeviceResetEvent{}}, Event{HostUnmapEvent{}}}) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::optional<InjectedFault> f = faults.Intercept(event, attempt, Msg(kIotlbInvalidate));
      ASSERT_TRUE(f.has_value()) << EventKind(event) << " attempt " << attempt;
      EXPECT_EQ(f->site, "message_lost");
      EXPECT_EQ(f->error, EINTR);
      EXPECT_FALSE(f->excuses_mapping);
    }
    // The fourth write of the same message goes through, and the count
    // starts again for the next one.
    EXPECT_FALSE(faults.Intercept(event, 3, Msg(kIotlbInvalidate)).has_value());
  }
}

TEST(SimulatedChannelFaults, NothingFiresWithoutEnabledSites) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kResetMidTransaction}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  for (uint8_t type : {kIotlbUpdate, kIotlbInvalidate, kIotlbBatchBegin, kIotlbBatchEnd}) {
    EXPECT_FALSE(faults.Intercept(kRegionAdd, 0, Msg(type)).has_value());
  }
}

TEST(RecordedChannelFaults, AnswersTheLoadedFaultsByMessageIndex) {
  RecordedChannelFaults faults;
  EXPECT_FALSE(faults.Intercept(kRegionAdd, 0, Msg(kIotlbUpdate)).has_value());
  faults.Load({InjectedFault{0, "message_lost", EINTR, false},
               InjectedFault{2, "device_rejects_update", EFAULT, true}});
  std::optional<InjectedFault> lost = faults.Intercept(kRegionAdd, 0, Msg(kIotlbBatchBegin));
  ASSERT_TRUE(lost.has_value());
  EXPECT_EQ(lost->site, "message_lost");
  EXPECT_FALSE(faults.Intercept(kRegionAdd, 1, Msg(kIotlbBatchBegin)).has_value());
  std::optional<InjectedFault> rejected = faults.Intercept(kRegionAdd, 2, Msg(kIotlbUpdate));
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->error, EFAULT);
  EXPECT_TRUE(rejected->excuses_mapping);

  // The next event's faults replace them.
  faults.Load({});
  EXPECT_FALSE(faults.Intercept(kRegionAdd, 0, Msg(kIotlbBatchBegin)).has_value());
}

// A shrunk trace can make the translator write another message where the
// recorded UPDATE was (the event now begins the batch): an excusing fault
// goes to the event's next UPDATE instead, and only once.
TEST(RecordedChannelFaults, AnExcusingFaultLandsOnTheNextUpdate) {
  RecordedChannelFaults faults;
  faults.Load({InjectedFault{0, "device_rejects_update", EFAULT, true}});
  EXPECT_FALSE(faults.Intercept(kRegionAdd, 0, Msg(kIotlbBatchBegin)).has_value());
  std::optional<InjectedFault> f = faults.Intercept(kRegionAdd, 1, Msg(kIotlbUpdate));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->site, "device_rejects_update");
  EXPECT_FALSE(faults.Intercept(kRegionAdd, 2, Msg(kIotlbUpdate)).has_value());

  // Never before its recorded place.
  faults.Load({InjectedFault{2, "device_rejects_update", EFAULT, true}});
  EXPECT_FALSE(faults.Intercept(kRegionAdd, 1, Msg(kIotlbUpdate)).has_value());
  EXPECT_TRUE(faults.Intercept(kRegionAdd, 2, Msg(kIotlbUpdate)).has_value());
}

}  // namespace
}  // namespace iovacheck
