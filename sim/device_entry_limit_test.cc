// Linux 6.12's per-address-space limit (max_iotlb_entries): the UPDATE past
// it is refused (ENOSPC, EFAULT at write()). A translator that reports the
// refusal is right and the mapping is rightly absent; one that swallows it
// is caught. A long vIOMMU run (a mapping per guest page) meets the limit.
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "sim/fault_site_test_util.h"

namespace iovacheck {
namespace {

DeviceConfig Limited(const char* device) {
  DeviceConfig c;
  c.max_iotlb_entries = 4;
  c.device = device;
  return c;
}

std::vector<Event> SixSections() {
  std::vector<Event> events{ListenerBeginEvent{}};
  for (uint64_t i = 0; i < 6; ++i) {
    events.push_back(RegionAddEvent{Ram("ram", i * kMiB, kMiB, kRamHva + i * kMiB)});
  }
  events.push_back(ListenerCommitEvent{});
  // A buffer in the fourth (mapped) and the fifth (refused) section.
  events.push_back(TranslateEvent{{In(Ram("ram", 3 * kMiB, kMiB, kRamHva + 3 * kMiB), 0x10,
                                      0x100, false)}});
  events.push_back(TranslateEvent{{In(Ram("ram", 4 * kMiB, kMiB, kRamHva + 4 * kMiB), 0x10,
                                      0x100, false)}});
  return events;
}

TEST(DeviceEntryLimit, TheRefusalIsReportedAndTheSectionsStayOff) {
  for (const char* device : {"emulated", "linux-6.12"}) {
    SCOPED_TRACE(device);
    std::unique_ptr<Harness> h = Drive(Limited(device), kDecoupled, nullptr, SixSections());
    ASSERT_FALSE(h->failed()) << Why(*h);
    EXPECT_EQ(DeviceEntries(*h), 4u);
    EXPECT_EQ(h->log()[5].rc, EFAULT);  // the fifth region_add
    EXPECT_EQ(h->log()[6].rc, EFAULT);
  }
}

TEST(DeviceEntryLimit, ATranslatorThatSwallowsTheRefusalIsCaught) {
  std::unique_ptr<Harness> h =
      Drive(Limited("emulated"), VariantFactory<SwallowsRefusal>(), nullptr, SixSections());
  ASSERT_TRUE(h->failed());
  EXPECT_EQ(h->divergence_index(), 5u) << Why(*h);
  // It claimed the section mapped: the model expects it reachable.
  EXPECT_EQ(h->divergence()->rule, OracleRule::kCoverage) << Why(*h);
}

// Without the limit's profile (6.1) the same run maps all six.
TEST(DeviceEntryLimit, Linux61HasNoLimit) {
  DeviceConfig c = Limited("emulated");
  c.profile = KernelProfile::kLinux61;
  std::unique_ptr<Harness> h = Drive(c, kDecoupled, nullptr, SixSections());
  ASSERT_FALSE(h->failed()) << Why(*h);
  EXPECT_EQ(DeviceEntries(*h), 6u);
}

}  // namespace
}  // namespace iovacheck
