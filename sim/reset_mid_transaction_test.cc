// Fault site reset_mid_transaction: the device is reset between the events
// of a listener transaction. Decoupled makes the device whole again with and
// without IOTLB_PERSIST; variants that ignore the reset, or restore inside
// the batch the reset left open, are caught.
//
// Linux (6.1 and 6.12): VHOST_VDPA_SET_STATUS(0) goes through
// _compat_vdpa_reset (drivers/vhost/vdpa.c:241 in 6.12), which never clears
// in_batch: the batch stays open, bound to its address space (vdpa.c:1329).
// Without IOTLB_PERSIST the parent goes back to its default (vdpa_sim
// 6.12: identity passthrough, vdpa_sim.c:152-160).
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
    // Batch markers aside (the interrupted batch is ended and re-opened):
    // with persist nothing is re-sent, without it the low section is handed
    // over again.
    std::vector<IotlbMsg> restore;
    for (const SentMessage& m : h->log()[2].sent) {
      if (m.msg.type != kIotlbBatchBegin && m.msg.type != kIotlbBatchEnd) {
        restore.push_back(m.msg);
      }
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
// ends the batch.
class IgnoresReset : public DecoupledVariant {
 public:
  using DecoupledVariant::DecoupledVariant;
  int DeviceReset() override { return 0; }
};

// ResetRun, then a reset outside any transaction and a buffer through low.
std::vector<Event> ResetRunThenQuietReset() {
  std::vector<Event> events = ResetRun();
  events.push_back(DeviceResetEvent{});  // 15
  events.push_back(TranslateEvent{{In(kLow, 0x2000, 0x1000, false)}});
  return events;
}

TEST(ResetMidTransaction, ATranslatorThatIgnoresTheResetIsCaught) {
  for (const DeviceCase& c : DeviceCases()) {
    if (c.config.Has(kFeatureIotlbPersist)) continue;
    SCOPED_TRACE(c.name);
    if (c.config.kind == DeviceKind::kDmaMap) {
      // The first reset loses low, caught when its transaction commits.
      std::unique_ptr<Harness> h =
          Drive(c.config, VariantFactory<IgnoresReset>(), nullptr, ResetRun());
      ASSERT_TRUE(h->failed());
      const OracleRule rule = h->divergence()->rule;
      EXPECT_TRUE(rule == OracleRule::kCoverage || rule == OracleRule::kDeviceView) << Why(*h);
      EXPECT_EQ(h->divergence_index(), 4u) << Why(*h);
      continue;
    }
    // On set_map both resets fall inside a batch the kernel keeps open: the
    // commit's BATCH_END hands the parent the whole table, so ignoring them
    // is harmless. A reset outside a transaction is not.
    EXPECT_FALSE(Drive(c.config, VariantFactory<IgnoresReset>(), nullptr, ResetRun())->failed());
    std::unique_ptr<Harness> h =
        Drive(c.config, VariantFactory<IgnoresReset>(), nullptr, ResetRunThenQuietReset());
    ASSERT_TRUE(h->failed());
    EXPECT_EQ(h->divergence_index(), 15u) << Why(*h);
    EXPECT_EQ(h->divergence()->rule, OracleRule::kDeviceView) << Why(*h);
  }
}

// Drops the BATCH_END a reset's recovery sends, as if the recovery believed
// the reset had ended the batch (what the emulation as first described did,
// and decoupled with it): the restore's messages then go into the batch.
class DropsBatchEndInReset : public IotlbChannel {
 public:
  explicit DropsBatchEndInReset(IotlbChannel* inner) : inner_(inner) {}
  WriteResult Write(const IotlbMsg& msg) override {
    if (in_reset && msg.type == kIotlbBatchEnd) return WriteResult{};
    return inner_->Write(msg);
  }
  bool in_reset = false;

 private:
  IotlbChannel* inner_;
};

class RestoresInsideTheBatch : public ShimmedDecoupled<DropsBatchEndInReset> {
 public:
  RestoresInsideTheBatch(const DeviceConfig& config, IotlbChannel* channel)
      : ShimmedDecoupled({config, std::make_unique<DropsBatchEndInReset>(channel)}) {}
  int DeviceReset() override {
    shim().in_reset = true;
    const int rc = inner().DeviceReset();
    shim().in_reset = false;
    return rc;
  }
};

inline const HostBuffer kCvqStatus{kRingHva + 0x10000, kPage, kPermRW, 1, "cvq-status"};

// A mapping in address space 1, then a reset inside a guest transaction:
// the batch still binds asid 0, so a restore sent inside it has its asid-1
// messages refused (EINVAL, seen as EFAULT) and asid 1 stays on the
// parent's default.
TEST(ResetMidTransaction, ATranslatorThatRestoresInsideTheOpenBatchIsCaught) {
  const std::vector<Event> events = {
      HostMapEvent{kCvqStatus},  // 0: asid 1
      ListenerBeginEvent{},
      RegionAddEvent{kLow},  // 2: opens the batch on asid 0
      DeviceResetEvent{},    // 3
      ListenerCommitEvent{},
      TranslateEvent{{InHost(kCvqStatus.hva, 0x10, true)}},
  };
  for (const DeviceCase& c : DeviceCases()) {
    if (c.config.Has(kFeatureIotlbPersist)) continue;
    SCOPED_TRACE(c.name);
    std::unique_ptr<Harness> good = Drive(c.config, kDecoupled, nullptr, events);
    EXPECT_FALSE(good->failed()) << Why(*good);
    EXPECT_EQ(DeviceEntries(*good, 1), 1u);
    std::unique_ptr<Harness> h =
        Drive(c.config, VariantFactory<RestoresInsideTheBatch>(), nullptr, events);
    ASSERT_TRUE(h->failed());
    EXPECT_EQ(h->divergence_index(), 3u) << Why(*h);
  }
}

TEST(ResetMidTransaction, WithPersistIgnoringTheResetIsHarmless) {
  // The parent kept its mappings and the kernel kept the batch: there was
  // nothing to restore, and the commit's BATCH_END reaches a set_map
  // parent as if no reset had happened.
  for (const DeviceCase& c : DeviceCases()) {
    if (!c.config.Has(kFeatureIotlbPersist)) continue;
    SCOPED_TRACE(c.name);
    std::unique_ptr<Harness> h =
        Drive(c.config, VariantFactory<IgnoresReset>(), nullptr, ResetRun());
    EXPECT_FALSE(h->failed()) << Why(*h);
  }
}

}  // namespace
}  // namespace iovacheck
