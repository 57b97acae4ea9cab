// Tests for the oracle's checkers: one or more per rule. Device states are
// built by writing IOTLB messages to a real VdpaDevice.
#include "model/oracle.h"
#include "model/test_fixtures.h"

#include <cerrno>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/check_allocations.h"
#include "model/check_datapath.h"
#include "model/check_device_view.h"
#include "model/check_iova_space.h"
#include "model/check_mappings.h"
#include "model/device_config.h"
#include "model/divergence.h"
#include "model/iotlb_msg.h"
#include "model/reference_model.h"
#include "model/vdpa_device.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
using U64s = std::vector<uint64_t>;

DeviceConfig Config(DeviceKind kind = DeviceKind::kDmaMap) {
  DeviceConfig c;
  c.kind = kind;
  return c;
}



IotlbMsg Msg(uint8_t type, uint64_t iova, uint64_t size, uint64_t uaddr, uint8_t perm,
             uint32_t asid) {
  IotlbMsg m;
  m.type = type;
  m.iova = iova;
  m.size = size;
  m.uaddr = uaddr;
  m.perm = perm;
  m.asid = asid;
  return m;
}

void Update(VdpaDevice& dev, uint64_t iova, uint64_t size, uint64_t hva,
            uint8_t perm = kPermRW, uint32_t asid = 0) {
  WriteResult r = dev.Write(Msg(kIotlbUpdate, iova, size, hva, perm, asid));
  ASSERT_TRUE(r.ok()) << "UPDATE iova 0x" << std::hex << iova << " err " << std::dec
                      << r.err << " handler " << r.handler_err;
}

void Invalidate(VdpaDevice& dev, uint64_t iova, uint64_t size, uint32_t asid = 0) {
  ASSERT_TRUE(dev.Write(Msg(kIotlbInvalidate, iova, size, 0, kPermNone, asid)).ok());
}

void BatchBegin(VdpaDevice& dev, uint32_t asid = 0) {
  ASSERT_TRUE(dev.Write(Msg(kIotlbBatchBegin, 0, 0, 0, kPermNone, asid)).ok());
}

void BatchEnd(VdpaDevice& dev, uint32_t asid = 0) {
  ASSERT_TRUE(dev.Write(Msg(kIotlbBatchEnd, 0, 0, 0, kPermNone, asid)).ok());
}

// Prints the divergence when there is one.
::testing::AssertionResult NoDivergence(const std::optional<Divergence>& d) {
  if (!d.has_value()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << DivergenceToString(*d);
}

// What an ideal translator does: every expected mapping at its predicted IOVA.
std::vector<IovaAllocation> MapAsPredicted(const ReferenceModel& model, VdpaDevice& dev) {
  std::vector<IovaAllocation> allocations;
  for (const ExpectedMapping& m : model.ExpectedMappings()) {
    EXPECT_TRUE(m.predicted_iova.has_value()) << m.name;
    if (!m.predicted_iova) continue;
    Update(dev, *m.predicted_iova, m.len, m.hva, m.perm, m.asid);
    allocations.push_back({*m.predicted_iova, m.len});
  }
  return allocations;
}


ReferenceModel FactsModel() {
  ReferenceModel m(Config());
  EXPECT_TRUE(m.AddSection(kFactsLow).ok());
  EXPECT_TRUE(m.AddSection(kFactsHigh).ok());
  EXPECT_TRUE(m.AddSection(kFactsSmram).ok());
  return m;
}

// --- CheckMappings ---------------------------------------------------------

TEST(CheckMappings, IdealStatePasses) {
  ReferenceModel model = FactsModel();
  VdpaDevice dev(Config());
  MapAsPredicted(model, dev);
  EXPECT_TRUE(NoDivergence(CheckMappings(model.ExpectedMappings(), dev, /*strict=*/false)));
  EXPECT_TRUE(NoDivergence(CheckMappings(model.ExpectedMappings(), dev, /*strict=*/true)));
}

TEST(CheckMappings, CoverageMissing) {
  ReferenceModel model = FactsModel();
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x80000000, kFactsLow.hva);
  Update(dev, 0x80001000, 0x1f80000000, kFactsHigh.hva);
  // smram's mapping was never sent.
  std::optional<Divergence> d = CheckMappings(model.ExpectedMappings(), dev, false);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kCoverage);
  EXPECT_EQ(d->gpas, U64s{0xfeda0000});
  EXPECT_EQ(d->hvas, U64s{0x7f7903ea0000});
  EXPECT_TRUE(d->iovas.empty());
  EXPECT_NE(d->expected.find("smram-open-high"), std::string::npos) << d->expected;
}

TEST(CheckMappings, CoverageWhenAMappingDiffersInPermLengthHvaOrAsid) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0xc0000, 0x20000, 0x7f00000c0000, "rom", true)).ok());
  struct Case {
    const char* what;
    uint64_t len, hva;
    uint8_t perm;
    uint32_t asid;
  };
  for (const Case& c : {Case{"perm", 0x20000, 0x7f00000c0000, kPermRW, 0},
                        Case{"len", 0x1f000, 0x7f00000c0000, kPermRO, 0},
                        Case{"hva", 0x20000, 0x7f00000c1000, kPermRO, 0},
                        Case{"asid", 0x20000, 0x7f00000c0000, kPermRO, 1}}) {
    VdpaDevice dev(Config());
    Update(dev, 0x1000, c.len, c.hva, c.perm, c.asid);
    std::optional<Divergence> d = CheckMappings(model.ExpectedMappings(), dev, false);
    ASSERT_TRUE(d.has_value()) << c.what;
    // Missing and stale at once: coverage is the rule reported.
    EXPECT_EQ(d->rule, OracleRule::kCoverage) << c.what;
    EXPECT_EQ(d->iovas, U64s{0x1000}) << c.what;
    EXPECT_EQ(d->gpas, U64s{0xc0000}) << c.what;
  }
  VdpaDevice good(Config());
  Update(good, 0x1000, 0x20000, 0x7f00000c0000, kPermRO, 0);
  EXPECT_TRUE(NoDivergence(CheckMappings(model.ExpectedMappings(), good, false)));
}

TEST(CheckMappings, StaleEntry) {
  ReferenceModel model = FactsModel();
  VdpaDevice dev(Config());
  MapAsPredicted(model, dev);
  Update(dev, 0x3000000000, 0x1000, 0x7f0012340000);
  std::optional<Divergence> d = CheckMappings(model.ExpectedMappings(), dev, false);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kStale);
  EXPECT_EQ(d->iovas, U64s{0x3000000000});
  EXPECT_EQ(d->hvas, U64s{0x7f0012340000});
  EXPECT_TRUE(d->gpas.empty());
}

TEST(CheckMappings, StaleAfterRegionDelThatWasNotSent) {
  ReferenceModel model = FactsModel();
  VdpaDevice dev(Config());
  MapAsPredicted(model, dev);
  ASSERT_TRUE(model.RemoveSection(kFactsSmram.gpa, kFactsSmram.size).ok());
  std::optional<Divergence> d = CheckMappings(model.ExpectedMappings(), dev, false);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kStale);
  EXPECT_EQ(d->iovas, U64s{0x2000001000});
  EXPECT_EQ(d->hvas, U64s{0x7f7903ea0000});
}

TEST(CheckMappings, TheAliasingBugIsCaught) {
  // Facts section 2: region_del of the alias looked up by HVA finds low RAM
  // and invalidates [0x1000, 0x1000 + 0x20000): the kernel removes low RAM's
  // entry whole and the alias's entry stays.
  ReferenceModel model = FactsModel();
  VdpaDevice dev(Config());
  MapAsPredicted(model, dev);
  ASSERT_TRUE(model.RemoveSection(kFactsSmram.gpa, kFactsSmram.size).ok());
  Invalidate(dev, 0x1000, 0x20000);
  std::optional<Divergence> d = CheckMappings(model.ExpectedMappings(), dev, false);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kCoverage);
  EXPECT_EQ(d->gpas, U64s{0x0});
  EXPECT_EQ(d->iovas, U64s{0x2000001000});
}

TEST(CheckMappings, StrictIovaMismatch) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());       // 0x1000
  ASSERT_TRUE(model.AddSection(S(0x100000, 0x10000, 0x7f0000100000, "b")).ok());  // 0x11000
  VdpaDevice dev(Config());
  // Right mappings, swapped IOVAs.
  Update(dev, 0x1000, 0x10000, 0x7f0000100000);
  Update(dev, 0x11000, 0x10000, 0x7f0000000000);
  EXPECT_TRUE(NoDivergence(CheckMappings(model.ExpectedMappings(), dev, /*strict=*/false)));
  std::optional<Divergence> d = CheckMappings(model.ExpectedMappings(), dev, /*strict=*/true);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kStrictIova);
  // The first entry in IOVA order is reported.
  EXPECT_EQ(d->iovas, U64s{0x1000});
  EXPECT_EQ(d->hvas, U64s{0x7f0000100000});
}

TEST(CheckMappings, StrictFollowsFirstFitReuseAfterRemove) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());       // 0x1000
  ASSERT_TRUE(model.AddSection(S(0x100000, 0x10000, 0x7f0000100000, "b")).ok());  // 0x11000
  ASSERT_TRUE(model.RemoveSection(0x0, 0x10000).ok());
  ASSERT_TRUE(model.AddSection(S(0x200000, 0x8000, 0x7f0000200000, "c")).ok());   // 0x1000
  VdpaDevice dev(Config());
  Update(dev, 0x11000, 0x10000, 0x7f0000100000);
  Update(dev, 0x21000, 0x8000, 0x7f0000200000);  // after b instead of the hole
  EXPECT_TRUE(NoDivergence(CheckMappings(model.ExpectedMappings(), dev, false)));
  std::optional<Divergence> d = CheckMappings(model.ExpectedMappings(), dev, true);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kStrictIova);
  EXPECT_EQ(d->iovas, U64s{0x21000});

  VdpaDevice good(Config());
  Update(good, 0x1000, 0x8000, 0x7f0000200000);
  Update(good, 0x11000, 0x10000, 0x7f0000100000);
  EXPECT_TRUE(NoDivergence(CheckMappings(model.ExpectedMappings(), good, true)));
}

class FullAliasPair : public ::testing::Test {
 protected:
  // Two sections of the same size on the same HVA: their expected mappings
  // have equal keys and are interchangeable.
  FullAliasPair() : model_(Config()) {
    EXPECT_TRUE(model_.AddSection(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());  // 0x1000
    EXPECT_TRUE(
        model_.AddSection(S(0x100000, 0x10000, 0x7f0000000000, "a-alias")).ok());  // 0x11000
  }
  ReferenceModel model_;
};

TEST_F(FullAliasPair, BothEntriesMatch) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x10000, 0x7f0000000000);
  Update(dev, 0x11000, 0x10000, 0x7f0000000000);
  EXPECT_TRUE(NoDivergence(CheckMappings(model_.ExpectedMappings(), dev, false)));
  EXPECT_TRUE(NoDivergence(CheckMappings(model_.ExpectedMappings(), dev, true)));
}

TEST_F(FullAliasPair, OneEntryForTwoSectionsIsMissingOne) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x10000, 0x7f0000000000);
  std::optional<Divergence> d = CheckMappings(model_.ExpectedMappings(), dev, false);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kCoverage);
  EXPECT_EQ(d->hvas, U64s{0x7f0000000000});
  ASSERT_EQ(d->gpas.size(), 1u);
}

TEST_F(FullAliasPair, ThreeEntriesForTwoSectionsIsStale) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x10000, 0x7f0000000000);
  Update(dev, 0x11000, 0x10000, 0x7f0000000000);
  Update(dev, 0x21000, 0x10000, 0x7f0000000000);
  std::optional<Divergence> d = CheckMappings(model_.ExpectedMappings(), dev, false);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kStale);
  EXPECT_EQ(d->iovas, U64s{0x21000});
}

TEST_F(FullAliasPair, StrictMatchesTheGroupInIovaOrder) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x10000, 0x7f0000000000);
  Update(dev, 0x31000, 0x10000, 0x7f0000000000);  // predicted 0x11000
  EXPECT_TRUE(NoDivergence(CheckMappings(model_.ExpectedMappings(), dev, false)));
  std::optional<Divergence> d = CheckMappings(model_.ExpectedMappings(), dev, true);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kStrictIova);
  EXPECT_EQ(d->iovas, U64s{0x31000});
}

TEST(CheckMappings, HostBufferInAsidOne) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddHostBuffer(B(0x7f5000000000, 0x100, kPermRW, 1, "cvq-status")).ok());
  VdpaDevice in_asid1(Config());
  Update(in_asid1, 0x1000, 0x1000, 0x7f5000000000, kPermRW, 1);
  EXPECT_TRUE(NoDivergence(CheckMappings(model.ExpectedMappings(), in_asid1, true)));
  // The buffer's own size instead of the page: not the expected mapping.
  VdpaDevice unrounded(Config());
  Update(unrounded, 0x1000, 0x100, 0x7f5000000000, kPermRW, 1);
  std::optional<Divergence> d = CheckMappings(model.ExpectedMappings(), unrounded, false);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kCoverage);
}

// --- CheckIovaSpace --------------------------------------------------------

TEST(CheckIovaSpace, InsideTheBoundsPasses) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000);           // starts at the floor
  Update(dev, 0xf000, 0x1000, 0x7f0000001000, kPermRW, 1);  // ends at last
  EXPECT_TRUE(NoDivergence(CheckIovaSpace(dev, 0x1000, 0xffff)));
}

TEST(CheckIovaSpace, IovaBelowTheFloor) {
  // The device accepts IOVA 0 (its range starts at 0), but page 0 is never
  // handed out.
  VdpaDevice dev(Config());
  Update(dev, 0x0, 0x1000, 0x7f0000000000);
  std::optional<Divergence> d = CheckIovaSpace(dev, 0x1000, kMax);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaRange);
  EXPECT_EQ(d->iovas, U64s{0x0});

  VdpaDevice dev2(Config());
  Update(dev2, 0x100fff, 0x1000, 0x7f0000000000, kPermRW, 1);
  d = CheckIovaSpace(dev2, 0x101000, kMax);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaRange);
  EXPECT_EQ(d->iovas, U64s{0x100fff});
}

TEST(CheckIovaSpace, IovaAboveLast) {
  VdpaDevice dev(Config());
  Update(dev, 0xf000, 0x1001, 0x7f0000000000);  // last byte 0x10000
  std::optional<Divergence> d = CheckIovaSpace(dev, 0x1000, 0xffff);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaRange);
  EXPECT_EQ(d->iovas, U64s{0xf000});
}

TEST(CheckIovaSpace, OverlapAcrossAsids) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x2000, 0x7f0000000000, kPermRW, 0);  // [0x1000, 0x2fff]
  Update(dev, 0x2000, 0x1000, 0x7f5000000000, kPermRW, 1);  // [0x2000, 0x2fff]
  std::optional<Divergence> d = CheckIovaSpace(dev, 0x1000, kMax);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaOverlap);
  EXPECT_EQ(d->iovas, (U64s{0x1000, 0x2000}));
}

TEST(CheckIovaSpace, OverlapByOneByteAcrossAsids) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000, kPermRW, 0);  // [0x1000, 0x1fff]
  Update(dev, 0x1fff, 0x1000, 0x7f5000000000, kPermRW, 1);  // [0x1fff, 0x2ffe]
  std::optional<Divergence> d = CheckIovaSpace(dev, 0x1000, kMax);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaOverlap);
  EXPECT_EQ(d->iovas, (U64s{0x1000, 0x1fff}));
}

TEST(CheckIovaSpace, SameRangeInTwoAsidsOverlaps) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000, kPermRW, 0);
  Update(dev, 0x1000, 0x1000, 0x7f5000000000, kPermRW, 1);
  std::optional<Divergence> d = CheckIovaSpace(dev, 0x1000, kMax);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaOverlap);
}

TEST(CheckIovaSpace, AdjacentAcrossAsidsIsFine) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000, kPermRW, 0);
  Update(dev, 0x2000, 0x1000, 0x7f5000000000, kPermRW, 1);
  Update(dev, 0x3000, 0x1000, 0x7f0000001000, kPermRW, 0);
  EXPECT_TRUE(NoDivergence(CheckIovaSpace(dev, 0x1000, kMax)));
}

// --- CheckAllocations ------------------------------------------------------

TEST(CheckAllocations, MatchingAllocationsPass) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000, kPermRW, 0);
  Update(dev, 0x2000, 0x3000, 0x7f5000000000, kPermRO, 1);
  EXPECT_TRUE(NoDivergence(CheckAllocations({{0x2000, 0x3000}, {0x1000, 0x1000}}, dev)));
}

TEST(CheckAllocations, LeakAllocatedButNotMapped) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000);
  std::optional<Divergence> d = CheckAllocations({{0x1000, 0x1000}, {0x5000, 0x1000}}, dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kLeak);
  EXPECT_EQ(d->iovas, U64s{0x5000});
  EXPECT_NE(d->actual.find("allocated but not mapped: {[0x5000, +0x1000)}"), std::string::npos)
      << d->actual;
  EXPECT_NE(d->actual.find("mapped but not allocated: {}"), std::string::npos) << d->actual;
}

TEST(CheckAllocations, LeakMappedButNotAllocated) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000);
  Update(dev, 0x5000, 0x1000, 0x7f5000000000, kPermRW, 1);
  std::optional<Divergence> d = CheckAllocations({{0x1000, 0x1000}}, dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kLeak);
  EXPECT_EQ(d->iovas, U64s{0x5000});
  EXPECT_NE(d->actual.find("allocated but not mapped: {}"), std::string::npos) << d->actual;
  EXPECT_NE(d->actual.find("mapped but not allocated: {[0x5000, +0x1000)}"), std::string::npos)
      << d->actual;
}

// Found by the properties once they switched shadow data off: guest memory
// sits at IOVA = GPA in asid 0, and the isolated CVQ's buffer, allocated,
// may get the same IOVA range in asid 1. Its allocation still counts.
TEST(CheckAllocations, AllocationSharingAFixedRangeInAnotherAsidCounts) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x4000, 0x7f0000001000, kPermRW, 0);  // guest memory, fixed
  Update(dev, 0x1000, 0x4000, 0x7a0000000000, kPermRO, 1);  // the CVQ's, allocated
  ExpectedMapping guest;
  guest.guest = true;
  guest.gpa = 0x1000;
  guest.hva = 0x7f0000001000;
  guest.len = 0x4000;
  guest.perm = kPermRW;
  guest.fixed_iova = 0x1000;
  EXPECT_TRUE(NoDivergence(CheckAllocations({{0x1000, 0x4000}}, dev, {guest})));
  // A recording reports the fixed entry as an allocation too.
  EXPECT_TRUE(
      NoDivergence(CheckAllocations({{0x1000, 0x4000}, {0x1000, 0x4000}}, dev, {guest})));
  // Without the CVQ's allocation its entry is owned by nobody...
  std::optional<Divergence> d = CheckAllocations({}, dev, {guest});
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->actual.find("mapped but not allocated: {[0x1000, +0x4000)}"), std::string::npos)
      << d->actual;
  // ...and a third allocation of the range is a leak.
  d = CheckAllocations({{0x1000, 0x4000}, {0x1000, 0x4000}, {0x1000, 0x4000}}, dev, {guest});
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->actual.find("allocated but not mapped: {[0x1000, +0x4000)}"), std::string::npos)
      << d->actual;
}

TEST(CheckAllocations, LengthAndMultiplicityCount) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000);
  // Allocated two pages, mapped one: both directions at once.
  std::optional<Divergence> d = CheckAllocations({{0x1000, 0x2000}}, dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kLeak);
  EXPECT_EQ(d->iovas, (U64s{0x1000, 0x1000}));
  // The same range allocated twice and mapped once.
  d = CheckAllocations({{0x1000, 0x1000}, {0x1000, 0x1000}}, dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kLeak);
  EXPECT_EQ(d->iovas, U64s{0x1000});
}

// --- CheckDeviceView -------------------------------------------------------

TEST(CheckDeviceView, OpenBatch) {
  VdpaDevice dev(Config());
  BatchBegin(dev);
  Update(dev, 0x1000, 0x1000, 0x7f0000000000);
  std::optional<Divergence> d = CheckDeviceView(dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDeviceView);
  EXPECT_NE(d->actual.find("asid 0"), std::string::npos) << d->actual;
  BatchEnd(dev);
  EXPECT_TRUE(NoDivergence(CheckDeviceView(dev)));
}

TEST(CheckDeviceView, OpenBatchOnAsidOne) {
  VdpaDevice dev(Config(DeviceKind::kSetMap));
  BatchBegin(dev, 1);
  Update(dev, 0x1000, 0x1000, 0x7f5000000000, kPermRW, 1);
  std::optional<Divergence> d = CheckDeviceView(dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDeviceView);
  EXPECT_NE(d->actual.find("asid 1"), std::string::npos) << d->actual;
  BatchEnd(dev, 1);
  EXPECT_TRUE(NoDivergence(CheckDeviceView(dev)));
}

TEST(CheckDeviceView, SetMapLag) {
  // A set_map device that never got its BATCH_END: the batch ended by a
  // reset (with IOTLB_PERSIST, so the reset itself clears nothing), and the
  // parent driver never saw the table. Linux keeps the batch open across a
  // reset (then the open batch is what is reported); the described profile
  // ends it, which makes the lag itself reachable: the check must see it.
  DeviceConfig c = Config(DeviceKind::kSetMap);
  c.profile = KernelProfile::kDescribed;
  c.backend_features |= uint64_t{1} << kFeatureIotlbPersist;
  VdpaDevice dev(c);
  Update(dev, 0x1000, 0x1000, 0x7f0000000000);  // outside a batch: seen at once
  EXPECT_TRUE(NoDivergence(CheckDeviceView(dev)));
  BatchBegin(dev);
  Update(dev, 0x2000, 0x1000, 0x7f0000001000);
  dev.Reset();
  ASSERT_FALSE(dev.in_batch());
  std::optional<Divergence> d = CheckDeviceView(dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDeviceView);
  EXPECT_NE(d->expected.find("asid 0"), std::string::npos) << d->expected;
}

TEST(CheckDeviceView, ResetInsideABatchLeavesItOpen) {
  DeviceConfig c = Config(DeviceKind::kSetMap);
  c.backend_features |= uint64_t{1} << kFeatureIotlbPersist;
  VdpaDevice dev(c);
  BatchBegin(dev);
  Update(dev, 0x2000, 0x1000, 0x7f0000001000);
  dev.Reset();
  std::optional<Divergence> d = CheckDeviceView(dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->actual.find("batch still open"), std::string::npos) << d->actual;
}

// vdpa_sim (6.12) returns to an identity passthrough at a reset without
// IOTLB_PERSIST. With nothing mapped no translator can leave it (only a map
// or an unmap that removes something does), so that is not a divergence.
TEST(CheckDeviceView, ParentDefaultWithNothingMappedPasses) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000);
  Invalidate(dev, 0x1000, 0x1000);
  dev.Reset();
  ASSERT_TRUE(dev.parent_default(0));
  EXPECT_TRUE(NoDivergence(CheckDeviceView(dev)));
}

TEST(CheckDeviceView, ResetWithoutPersistLeavesTheDeviceBehind) {
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x1000, 0x7f0000000000);
  EXPECT_TRUE(NoDivergence(CheckDeviceView(dev)));
  dev.Reset();
  std::optional<Divergence> d = CheckDeviceView(dev);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDeviceView);
}

// --- CheckDatapath ---------------------------------------------------------

class Datapath : public ::testing::Test {
 protected:
  // ram at IOVA 0x1000, rom (RO) at 0x11000, the CVQ status buffer in ASID 1
  // at 0x21000, all as first fit predicts.
  Datapath() : model_(Config()), dev_(Config()) {
    EXPECT_TRUE(model_.AddSection(S(0x0, 0x10000, 0x7f0000000000, "ram")).ok());
    EXPECT_TRUE(model_.AddSection(S(0x100000, 0x10000, 0x7f0000100000, "rom", true)).ok());
    EXPECT_TRUE(
        model_.AddHostBuffer(B(0x7f5000000000, 0x100, kPermRW, 1, "cvq-status")).ok());
    MapAsPredicted(model_, dev_);
  }
  std::optional<Divergence> Check(const std::vector<Iovec>& iovecs, int rc,
                                  const std::vector<uint64_t>& iovas) {
    return CheckDatapath(model_, dev_, iovecs, rc, iovas);
  }
  ReferenceModel model_;
  VdpaDevice dev_;
};

TEST_F(Datapath, CorrectTranslationPasses) {
  EXPECT_TRUE(NoDivergence(Check({GuestIov(0x100, 0x10), GuestIov(0x100200, 0x20),
                   HostIov(0x7f5000000010, 0x1, true)},
                  0, {0x1100, 0x11200, 0x21010})));
  // Reaching into the host buffer's page-rounded tail.
  EXPECT_TRUE(NoDivergence(Check({HostIov(0x7f5000000800, 0x800, true)}, 0, {0x21800})));
}

TEST_F(Datapath, AcceptedButShouldRefuse) {
  // Crosses ram's end into unmapped GPA.
  std::optional<Divergence> d = Check({GuestIov(0x100, 0x10), GuestIov(0xff00, 0x200)}, 0,
                                      {0x1100, 0x10f00});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  EXPECT_EQ(d->gpas, U64s{0xff00});
  EXPECT_NE(d->expected.find("element 1"), std::string::npos) << d->expected;
  // GPA in no section.
  d = Check({GuestIov(0x50000, 0x10)}, 0, {0x1000});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  // A host element past its buffer's rounded end.
  d = Check({HostIov(0x7f5000000f00, 0x101)}, 0, {0x21f00});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
}

TEST_F(Datapath, RefusingWhatMustBeRefusedPasses) {
  EXPECT_TRUE(NoDivergence(Check({GuestIov(0x100, 0x10), GuestIov(0xff00, 0x200)}, EFAULT, {})));
  EXPECT_TRUE(NoDivergence(Check({GuestIov(0x50000, 0x10)}, EINVAL, {})));
}

TEST_F(Datapath, RefusedButMapped) {
  std::optional<Divergence> d = Check({GuestIov(0x100, 0x10)}, EFAULT, {});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  EXPECT_EQ(d->gpas, U64s{0x100});
  d = Check({HostIov(0x7f5000000000, 0x100, true)}, EINVAL, {});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
}

TEST_F(Datapath, WrongHvaReached) {
  // The IOVA of rom for an element of ram: the device lands in rom's HVA.
  std::optional<Divergence> d = Check({GuestIov(0x100, 0x10)}, 0, {0x11100});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  EXPECT_EQ(d->iovas, U64s{0x11100});
  EXPECT_NE(d->actual.find("0x7f0000100100"), std::string::npos) << d->actual;
  // Off by one byte inside the right mapping.
  d = Check({GuestIov(0x100, 0x10)}, 0, {0x1101});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  // An IOVA the device does not map at all.
  d = Check({GuestIov(0x100, 0x10)}, 0, {0x50000});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  EXPECT_EQ(d->iovas, U64s{0x50000});
}

TEST_F(Datapath, WrongNumberOfIovas) {
  std::optional<Divergence> d =
      Check({GuestIov(0x100, 0x10), GuestIov(0x200, 0x10)}, 0, {0x1100});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  // One IOVA too many.
  d = Check({GuestIov(0x100, 0x10)}, 0, {0x1100, 0x1200});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
}

TEST_F(Datapath, EpermExpectedForDeviceWriteIntoRoMapping) {
  // The device writes into rom: the right IOVA and EPERM from the device is
  // the correct outcome, not a divergence.
  EXPECT_TRUE(NoDivergence(Check({GuestIov(0x100200, 0x20, /*device_writes=*/true)}, 0, {0x11200})));
  // A device read of the same place lands.
  EXPECT_TRUE(NoDivergence(Check({GuestIov(0x100200, 0x20, false)}, 0, {0x11200})));
  // An IOVA into a RW mapping instead: the write succeeds where EPERM is due.
  std::optional<Divergence> d =
      Check({GuestIov(0x100200, 0x20, /*device_writes=*/true)}, 0, {0x1200});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  EXPECT_EQ(d->iovas, U64s{0x1200});
  EXPECT_NE(d->expected.find("EPERM"), std::string::npos) << d->expected;
}

TEST(CheckDatapath, EpermExpectedButTheRoSectionWasMappedRw) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0x100000, 0x10000, 0x7f0000100000, "rom", true)).ok());
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x10000, 0x7f0000100000, kPermRW);  // should have been RO
  std::optional<Divergence> d =
      CheckDatapath(model, dev, {GuestIov(0x100200, 0x20, true)}, 0, {0x1200});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
}

TEST_F(Datapath, HostBufferMustBeReachedInItsOwnAsid) {
  VdpaDevice wrong_asid(Config());
  Update(wrong_asid, 0x21000, 0x1000, 0x7f5000000000, kPermRW, 0);
  std::optional<Divergence> d = CheckDatapath(
      model_, wrong_asid, {HostIov(0x7f5000000010, 0x10, true)}, 0, {0x21010});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
}

// Without shadow data QEMU translates no guest buffer: an element answered
// with its own GPA is right even where nothing maps it, as long as the
// device refuses it there. Any other answer for it is still caught.
TEST(CheckDatapath, WithoutShadowDataAnUnmappedGuestElementMayComeBackAsItsGpa) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.SetShadow(false).ok());
  ASSERT_TRUE(model.AddSection(S(0x10000, 0x1000, 0x7f0000010000, "ram")).ok());
  VdpaDevice dev(Config());
  Update(dev, 0x10000, 0x1000, 0x7f0000010000);
  EXPECT_TRUE(
      NoDivergence(CheckDatapath(model, dev, {GuestIov(0x30000, 0x10)}, 0, {0x30000})));
  std::optional<Divergence> d = CheckDatapath(model, dev, {GuestIov(0x30000, 0x10)}, 0, {0x10000});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  // The device reaching memory there is wrong whatever the translator said.
  Update(dev, 0x30000, 0x1000, 0x7f0000050000);
  d = CheckDatapath(model, dev, {GuestIov(0x30000, 0x10)}, 0, {0x30000});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
}

TEST(CheckDatapath, PiecesContiguousInHvaLand) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0x0, 0x10000, 0x7f0000000000, "ram")).ok());
  // The device maps ram as two entries, contiguous in IOVA and HVA.
  VdpaDevice split(Config());
  Update(split, 0x1000, 0x8000, 0x7f0000000000);
  Update(split, 0x9000, 0x8000, 0x7f0000008000);
  EXPECT_TRUE(NoDivergence(CheckDatapath(model, split, {GuestIov(0x7f00, 0x200)}, 0, {0x8f00})));
  // Second half pointing elsewhere in HVA: the element is torn.
  VdpaDevice torn(Config());
  Update(torn, 0x1000, 0x8000, 0x7f0000000000);
  Update(torn, 0x9000, 0x8000, 0x7f0000108000);
  std::optional<Divergence> d =
      CheckDatapath(model, torn, {GuestIov(0x7f00, 0x200)}, 0, {0x8f00});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
}

TEST(CheckDatapath, WrongFirstPieceIsCaughtEvenIfTheLastEndsRight) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0x0, 0x10000, 0x7f0000000000, "ram")).ok());
  // The first half maps elsewhere; the second half is right, so the last
  // piece ends exactly where the element should end.
  VdpaDevice dev(Config());
  Update(dev, 0x1000, 0x8000, 0x7f5000000000);
  Update(dev, 0x9000, 0x8000, 0x7f0000008000);
  std::optional<Divergence> d =
      CheckDatapath(model, dev, {GuestIov(0x7f00, 0x200)}, 0, {0x8f00});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDatapath);
  EXPECT_NE(d->actual.find("0x7f5000007f00"), std::string::npos) << d->actual;
}

// --- CheckState ------------------------------------------------------------

TEST(CheckState, IdealStatePassesStrict) {
  ReferenceModel model = FactsModel();
  ASSERT_TRUE(model.AddHostBuffer(B(0x7f5000000000, 0x2c6, kPermRO, 1, "cvq-out")).ok());
  VdpaDevice dev(Config());
  BatchBegin(dev);
  std::vector<IovaAllocation> alloc;
  for (const ExpectedMapping& m : model.ExpectedMappings()) {
    if (m.asid != 0) continue;
    Update(dev, *m.predicted_iova, m.len, m.hva, m.perm, m.asid);
    alloc.push_back({*m.predicted_iova, m.len});
  }
  BatchEnd(dev);
  Update(dev, 0x2000021000, 0x1000, 0x7f5000000000, kPermRO, 1);
  alloc.push_back({0x2000021000, 0x1000});
  EXPECT_TRUE(NoDivergence(CheckState(model, dev, alloc, {/*quiescent=*/true, /*strict=*/true})));
}

TEST(CheckState, CoverageIsReportedBeforeLeak) {
  ReferenceModel model = FactsModel();
  VdpaDevice dev(Config());
  std::vector<IovaAllocation> alloc = MapAsPredicted(model, dev);
  Invalidate(dev, 0x2000001000, 0x20000);  // unmapped but still allocated
  std::optional<Divergence> d = CheckState(model, dev, alloc, {true, false});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kCoverage);
}

TEST(CheckState, IovaFloorComesFromTheModel) {
  // IOVA 0 is accepted by the device (range.first = 0) but is below
  // max(range.first, page).
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0x0, 0x1000, 0x7f0000000000, "ram")).ok());
  VdpaDevice dev(Config());
  Update(dev, 0x0, 0x1000, 0x7f0000000000);
  std::optional<Divergence> d = CheckState(model, dev, {{0x0, 0x1000}}, {true, false});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kIovaRange);
}

TEST(CheckState, LeakIsReported) {
  ReferenceModel model = FactsModel();
  VdpaDevice dev(Config());
  std::vector<IovaAllocation> alloc = MapAsPredicted(model, dev);
  alloc.push_back({0x3000000000, 0x1000});
  std::optional<Divergence> d = CheckState(model, dev, alloc, {true, false});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kLeak);
}

TEST(CheckState, DeviceViewOnlyAtQuiescentPoints) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0x0, 0x10000, 0x7f0000000000, "ram")).ok());
  VdpaDevice dev(Config(DeviceKind::kSetMap));
  BatchBegin(dev);
  Update(dev, 0x1000, 0x10000, 0x7f0000000000);
  const std::vector<IovaAllocation> alloc = {{0x1000, 0x10000}};
  EXPECT_TRUE(NoDivergence(CheckState(model, dev, alloc, {/*quiescent=*/false, true})));
  std::optional<Divergence> d = CheckState(model, dev, alloc, {/*quiescent=*/true, true});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kDeviceView);
  BatchEnd(dev);
  EXPECT_TRUE(NoDivergence(CheckState(model, dev, alloc, {true, true})));
}

TEST(CheckState, StrictOnlyWhenAsked) {
  ReferenceModel model(Config());
  ASSERT_TRUE(model.AddSection(S(0x0, 0x10000, 0x7f0000000000, "ram")).ok());
  VdpaDevice dev(Config());
  Update(dev, 0x5000, 0x10000, 0x7f0000000000);
  const std::vector<IovaAllocation> alloc = {{0x5000, 0x10000}};
  EXPECT_TRUE(NoDivergence(CheckState(model, dev, alloc, {true, /*strict=*/false})));
  std::optional<Divergence> d = CheckState(model, dev, alloc, {true, /*strict=*/true});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kStrictIova);
}

TEST(Divergence, RuleNamesAreDistinct) {
  std::vector<std::string> names;
  for (OracleRule r : {OracleRule::kCoverage, OracleRule::kStale, OracleRule::kIovaRange,
                       OracleRule::kIovaOverlap, OracleRule::kLeak, OracleRule::kDeviceView,
                       OracleRule::kStrictIova, OracleRule::kDatapath,
                       OracleRule::kTranslatorError}) {
    std::string n = OracleRuleName(r);
    EXPECT_NE(n, "?");
    for (const std::string& other : names) EXPECT_NE(n, other);
    names.push_back(n);
  }
  Divergence d;
  d.rule = OracleRule::kLeak;
  d.expected = "e";
  d.actual = "a";
  EXPECT_EQ(DivergenceToString(d), "rule allocation-leak\n  expected: e\n  actual:   a");
}

}  // namespace
}  // namespace iovacheck
