// Translator bugs the fault sites found (and that were fixed): each test is
// the smallest run that showed one, demanding the behaviour the contract asks
// for, with a neighbouring run that always passed, for contrast.
#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/iotlb_msg.h"
#include "sim/faults.h"
#include "sim/harness.h"
#include "translator/decoupled_translator.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMiB = 0x100000;

Section Ram(const char* name, uint64_t gpa, uint64_t size, uint64_t hva) {
  Section s;
  s.name = name;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  return s;
}

const Section kLow = Ram("ram-low", 0, kMiB, 0x7f0000000000);
const Section kHigh = Ram("ram-high", kMiB, kMiB, 0x7f0000100000);
const HostBuffer kRing{0x7f1000000000, 0x1000, kPermRO, 0, "svq-driver"};

// Runs the events through decoupled; the divergence and the log, or "".
std::string DivergenceOf(const DeviceConfig& config, ChannelFaults* faults,
                const std::vector<Event>& events) {
  HarnessOptions options;
  options.faults = faults;
  Harness h(config, &DecoupledTranslator::Create, options);
  for (const Event& e : events) {
    const absl::Status s = h.Step(e);
    if (!s.ok()) return absl::StrCat("refused input: ", s.message());
  }
  if (!h.failed()) return "";
  return absl::StrCat("divergence at event ", h.divergence_index(), ": ",
                      DivergenceToString(*h.divergence()), "\n", FormatLog(h.log()));
}

DeviceConfig SetMapWithPersist() {
  DeviceConfig config;
  config.kind = DeviceKind::kSetMap;
  config.backend_features |= uint64_t{1} << kFeatureIotlbPersist;
  return config;
}

// reset_mid_transaction on a set_map device with IOTLB_PERSIST. The UPDATE
// for high went to the kernel's table inside the batch; the reset ends the
// batch before BATCH_END could hand the table to the parent driver, which
// (persisting) keeps its pre-batch table. RecoverFromReset then only
// forgets the batch, so the commit sends no BATCH_END and nothing ever
// pushes the table: the device lacks high while the kernel holds it (after
// a region_del instead, the device would keep a stale entry). Fails with
// device-view at event 6, the commit. Fixed in translator/device_reset.cc:
// a reset that interrupts a batch re-opens it, so the commit's BATCH_END
// hands the whole table over.
TEST(FaultRegression, SetMapPersistResetAfterTheTransactionsLastMapReopensTheBatch) {
  EXPECT_EQ(DivergenceOf(SetMapWithPersist(), nullptr,
                {ListenerBeginEvent{}, RegionAddEvent{kLow}, ListenerCommitEvent{},
                 ListenerBeginEvent{}, RegionAddEvent{kHigh}, DeviceResetEvent{},
                 ListenerCommitEvent{}}),
            "");
}

TEST(FaultRegression, SetMapPersistResetFollowedByAnotherMapIsFine) {
  // The next map begins a batch again, and its BATCH_END hands over the
  // whole table, the pre-reset UPDATE included.
  EXPECT_EQ(DivergenceOf(SetMapWithPersist(), nullptr,
                {ListenerBeginEvent{}, RegionAddEvent{kLow}, DeviceResetEvent{},
                 RegionAddEvent{kHigh}, ListenerCommitEvent{}}),
            "");
}

// device_rejects_update on a host buffer. The refused host_map is excused
// (the model expects it absent), and its host_unmap is valid input. QEMU's
// SVQ unmap of an unknown ring only logs; the translator contract's
// RegionDel returns 0 for what was "never mapped (skipped or refused)".
// Both translators used to return ENOENT, which the harness reported as
// translator-error at event 1; now nothing held means nothing to undo.
TEST(FaultRegression, UnmappingAHostBufferWhoseMapWasRefusedIsFine) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kDeviceRejectsUpdate}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  EXPECT_EQ(DivergenceOf(DeviceConfig{}, &faults,
                {HostMapEvent{kRing}, HostUnmapEvent{kRing.hva, kRing.size, kRing.asid}}),
            "");
}

TEST(FaultRegression, DeletingASectionWhoseMapWasRefusedIsFine) {
  FaultPlan plan = FaultPlan::Only({FaultSite::kDeviceRejectsUpdate}, 100, 1);
  SimulatedChannelFaults faults(&plan);
  EXPECT_EQ(DivergenceOf(DeviceConfig{}, &faults,
                {ListenerBeginEvent{}, RegionAddEvent{kLow}, ListenerCommitEvent{},
                 ListenerBeginEvent{}, RegionDelEvent{kLow}, ListenerCommitEvent{}}),
            "");
}

}  // namespace
}  // namespace iovacheck
