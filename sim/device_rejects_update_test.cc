// Fault site device_rejects_update: the device answers a mapping's UPDATE
// with EFAULT and does not apply it. Decoupled reports the refusal and
// undoes its allocation; variants that swallow the refusal or keep the IOVA
// are caught.
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "sim/fault_site_test_util.h"

namespace iovacheck {
namespace {

TEST(DeviceRejectsUpdate, FiresOnEveryMappingAndDecoupledReportsIt) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kDeviceRejectsUpdate}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  std::unique_ptr<Harness> h = Drive(DeviceConfig{}, kDecoupled, &faults, SmallRun());
  ASSERT_FALSE(h->failed()) << Why(*h);

  for (size_t i : {1, 2, 4, 5}) {
    const StepRecord& r = h->log()[i];
    ASSERT_EQ(r.faults.size(), 1u) << EventToString(r.event);
    const InjectedFault& f = r.faults[0];
    EXPECT_EQ(f.site, "device_rejects_update");
    EXPECT_EQ(f.error, EFAULT);
    EXPECT_TRUE(f.excuses_mapping);
    ASSERT_LT(f.message_index, r.sent.size());
    EXPECT_EQ(r.sent[f.message_index].msg.type, kIotlbUpdate);
    EXPECT_EQ(r.sent[f.message_index].result.err, EFAULT);
    EXPECT_EQ(r.rc, EFAULT) << "the translator reports the refusal";
  }
  // Nothing reached the device, and the oracle found no allocation left
  // behind and every buffer refused.
  EXPECT_EQ(DeviceEntries(*h), 0u);
  EXPECT_TRUE(absl::StrContains(FormatLog(h->log()), "[fault: device_rejects_update]"));
}

// Some UPDATEs refused: exactly those sections are missing, the others
// mapped as usual.
TEST(DeviceRejectsUpdate, AtHalfTheRateOnlyTheRefusedMappingsAreMissing) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kDeviceRejectsUpdate}, 50, 2);
  SimulatedChannelFaults faults(&plan);
  std::unique_ptr<Harness> h = Drive(DeviceConfig{}, kDecoupled, &faults, EightSections());
  ASSERT_FALSE(h->failed()) << Why(*h);
  size_t refused = 0;
  for (const StepRecord& r : h->log()) {
    if (!std::holds_alternative<RegionAddEvent>(r.event)) continue;
    EXPECT_EQ(r.rc == 0, r.faults.empty()) << EventToString(r.event);
    refused += r.faults.empty() ? 0 : 1;
  }
  EXPECT_GT(refused, 0u);
  EXPECT_LT(refused, 8u);
  EXPECT_EQ(DeviceEntries(*h), 8 - refused);

  // The same seed refuses the same UPDATEs.
  FaultPlan again = FaultPlan::Only({FaultSite::kDeviceRejectsUpdate}, 50, 2);
  SimulatedChannelFaults again_faults(&again);
  EXPECT_EQ(FormatLog(Drive(DeviceConfig{}, kDecoupled, &again_faults, EightSections())->log()),
            FormatLog(h->log()));
}

TEST(DeviceRejectsUpdate, ATranslatorThatSwallowsTheRefusalIsCaught) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kDeviceRejectsUpdate}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  std::unique_ptr<Harness> h =
      Drive(DeviceConfig{}, VariantFactory<SwallowsRefusal>(), &faults, SmallRun());
  ASSERT_TRUE(h->failed());
  EXPECT_EQ(h->divergence()->rule, OracleRule::kTranslatorError) << Why(*h);
  EXPECT_EQ(h->divergence_index(), 1u) << Why(*h);

  // Without the fault the variant is decoupled itself.
  EXPECT_FALSE(Drive(DeviceConfig{}, VariantFactory<SwallowsRefusal>(), nullptr, SmallRun())
                   ->failed());
}

// Remembers the last UPDATE written, to know which IOVA a failed map held.
class LastUpdateShim : public IotlbChannel {
 public:
  explicit LastUpdateShim(IotlbChannel* inner) : inner_(inner) {}
  WriteResult Write(const IotlbMsg& msg) override {
    if (msg.type == kIotlbUpdate) last_update = msg;
    return inner_->Write(msg);
  }
  IotlbMsg last_update;

 private:
  IotlbChannel* inner_;
};

// Reports the refusal but keeps the IOVA it had allocated for the mapping
// (forgets the undo): the allocation outlives the mapping.
class KeepsRefusedIova : public ShimmedDecoupled<LastUpdateShim> {
 public:
  KeepsRefusedIova(const DeviceConfig& config, IotlbChannel* channel)
      : ShimmedDecoupled({config, std::make_unique<LastUpdateShim>(channel)}) {}
  int RegionAdd(const GuestSection& s) override {
    const int rc = inner().RegionAdd(s);
    if (rc == EFAULT) kept_.push_back({shim().last_update.iova, shim().last_update.size});
    return rc;
  }
  std::vector<IovaAllocation> Allocations() const override {
    std::vector<IovaAllocation> all = inner().Allocations();
    all.insert(all.end(), kept_.begin(), kept_.end());
    return all;
  }

 private:
  std::vector<IovaAllocation> kept_;
};

TEST(DeviceRejectsUpdate, ATranslatorThatKeepsTheRefusedIovaIsCaught) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kDeviceRejectsUpdate}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  std::unique_ptr<Harness> h =
      Drive(DeviceConfig{}, VariantFactory<KeepsRefusedIova>(), &faults, SmallRun());
  ASSERT_TRUE(h->failed());
  EXPECT_EQ(h->divergence()->rule, OracleRule::kLeak) << Why(*h);
  EXPECT_EQ(h->divergence_index(), 1u) << Why(*h);
}

}  // namespace
}  // namespace iovacheck
