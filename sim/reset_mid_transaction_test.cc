// Fault site reset_mid_transaction: the device is reset between the events
// of a listener transaction. Decoupled makes the device whole again with and
// without IOTLB_PERSIST; a variant that ignores the reset is caught.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "sim/fault_site_test_util.h"

namespace iovacheck {
namespace {

// Resets between the region events of both transactions.
std::vector<Event> ResetRun() {
  return {
      ListenerBeginEvent{},
      RegionAddEvent{kLow},
      DeviceResetEvent{},  // 2: low is on the device (dma_map) or in the batch
      RegionAddEvent{kHigh},
      ListenerCommitEvent{},
      HostMapEvent{kDriverArea},
      TranslateEvent{{In(kLow, 0x1000, 0x1000, true), In(kHigh, 0x80000, 0x2000, false)}},
      TranslateEvent{{InHost(kRingHva, 0x100, false)}},
      ListenerBeginEvent{},
      RegionDelEvent{kHigh},
      DeviceResetEvent{},  // 10: after an unmap, before the commit
      ListenerCommitEvent{},
      TranslateEvent{{In(kLow, 0x2000, 0x1000, false)}},
      TranslateEvent{{In(kHigh, 0x2000, 0x1000, false)}},
      TranslateEvent{{InHost(kRingHva, 0x100, false)}},
  };
}

DeviceConfig Device(DeviceKind kind, bool persist) {
  DeviceConfig config;
  config.kind = kind;
  if (persist) config.backend_features |= uint64_t{1} << kFeatureIotlbPersist;
  return config;
}

struct DeviceCase {
  const char* name;
  DeviceConfig config;
};

// set_map with IOTLB_PERSIST is the subtle one: a reset after a
// transaction's last map must re-open the batch (see
// //sim:fault_regressions_test).
std::vector<DeviceCase> DeviceCases() {
  return {{"dma_map", Device(DeviceKind::kDmaMap, false)},
          {"dma_map+persist", Device(DeviceKind::kDmaMap, true)},
          {"set_map", Device(DeviceKind::kSetMap, false)},
          {"set_map+persist", Device(DeviceKind::kSetMap, true)}};
}

TEST(ResetMidTransaction, DecoupledRestoresTheDeviceWithAndWithoutPersist) {
  for (const DeviceCase& c : DeviceCases()) {
    SCOPED_TRACE(c.name);
    std::unique_ptr<Harness> h = Drive(c.config, kDecoupled, nullptr, ResetRun());
    ASSERT_FALSE(h->failed()) << Why(*h);
    // Batch markers aside (an interrupted batch is re-opened): with persist
    // nothing is re-sent, without it the low section is handed over again.
    std::vector<IotlbMsg> restore;
    for (const SentMessage& m : h->log()[2].sent) {
      if (m.msg.type != kIotlbBatchBegin) restore.push_back(m.msg);
    }
    if (c.config.Has(kFeatureIotlbPersist)) {
      EXPECT_TRUE(restore.empty()) << "the device kept its mappings";
    } else {
      ASSERT_EQ(restore.size(), 2u);
      EXPECT_EQ(restore[0].type, kIotlbInvalidate);
      EXPECT_EQ(restore[1].type, kIotlbUpdate);
      EXPECT_EQ(restore[1].uaddr, kLow.hva);
    }
    EXPECT_EQ(DeviceEntries(*h), 2u);  // low and the ring
  }
}

// The simulator's way of using the site: after a region event inside a
// transaction, the plan decides whether the device is reset there.
std::vector<Event> WithResets(const std::vector<Event>& events, FaultPlan* plan,
                              size_t* inserted) {
  std::vector<Event> out;
  bool in_transaction = false;
  for (const Event& e : events) {
    out.push_back(e);
    if (std::holds_alternative<ListenerBeginEvent>(e)) in_transaction = true;
    if (std::holds_alternative<ListenerCommitEvent>(e)) in_transaction = false;
    const bool region = std::holds_alternative<RegionAddEvent>(e) ||
                        std::holds_alternative<RegionDelEvent>(e);
    if (in_transaction && region && plan->Fire(FaultSite::kResetMidTransaction)) {
      out.push_back(DeviceResetEvent{});
      ++*inserted;
    }
  }
  return out;
}

TEST(ResetMidTransaction, FiresInsideTransactionsAndDecoupledPasses) {
  for (const DeviceCase& c : DeviceCases()) {
    SCOPED_TRACE(c.name);
    FaultPlan plan = FaultPlan::Only({FaultSite::kResetMidTransaction}, 50, 5);
    size_t inserted = 0;
    std::vector<Event> events = WithResets(EightSections(), &plan, &inserted);
    EXPECT_GT(inserted, 0u);
    EXPECT_LT(inserted, 8u);
    std::unique_ptr<Harness> h = Drive(c.config, kDecoupled, nullptr, events);
    ASSERT_FALSE(h->failed()) << Why(*h);
    EXPECT_EQ(DeviceEntries(*h), 8u);
  }
}

// Does nothing when the device is reset: neither restores the mappings nor
// notices that the batch ended.
class IgnoresReset : public DecoupledVariant {
 public:
  using DecoupledVariant::DecoupledVariant;
  int DeviceReset() override { return 0; }
};

TEST(ResetMidTransaction, ATranslatorThatIgnoresTheResetIsCaught) {
  for (const DeviceCase& c : DeviceCases()) {
    if (c.config.Has(kFeatureIotlbPersist)) continue;
    SCOPED_TRACE(c.name);
    std::unique_ptr<Harness> h =
        Drive(c.config, VariantFactory<IgnoresReset>(), nullptr, ResetRun());
    ASSERT_TRUE(h->failed());
    const OracleRule rule = h->divergence()->rule;
    EXPECT_TRUE(rule == OracleRule::kCoverage || rule == OracleRule::kDeviceView) << Why(*h);
    // On dma_map the first reset loses low, caught when its transaction
    // commits. On set_map that reset is harmless (low was still in the
    // batch, and the next UPDATE outside a batch hands the whole table
    // over); the second loses everything.
    const size_t at = c.config.kind == DeviceKind::kDmaMap ? 4 : 11;
    EXPECT_EQ(h->divergence_index(), at) << Why(*h);
  }
}

TEST(ResetMidTransaction, WithPersistIgnoringTheResetIsHarmlessOnlyOnDmaMap) {
  // A dma_map device kept its mappings and took each message as it came:
  // there was nothing to restore, and the check blames the variant only
  // where it is wrong. A set_map device had not received the interrupted
  // batch: ignoring the reset leaves it behind the kernel's table.
  for (const DeviceCase& c : DeviceCases()) {
    if (!c.config.Has(kFeatureIotlbPersist)) continue;
    SCOPED_TRACE(c.name);
    std::unique_ptr<Harness> h =
        Drive(c.config, VariantFactory<IgnoresReset>(), nullptr, ResetRun());
    if (c.config.kind == DeviceKind::kDmaMap) {
      EXPECT_FALSE(h->failed()) << Why(*h);
    } else {
      ASSERT_TRUE(h->failed());
      EXPECT_EQ(h->divergence()->rule, OracleRule::kDeviceView);
    }
  }
}

}  // namespace
}  // namespace iovacheck
