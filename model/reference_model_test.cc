#include "model/reference_model.h"
#include "model/test_fixtures.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "model/device_config.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

DeviceConfig Config(uint64_t first = 0, uint64_t last = kMax, uint64_t page = 0x1000) {
  DeviceConfig c;
  c.iova_first = first;
  c.iova_last = last;
  c.page_size = page;
  c.target_page_size = page;
  return c;
}




std::vector<std::optional<uint64_t>> Predictions(const ReferenceModel& m) {
  std::vector<std::optional<uint64_t>> out;
  for (const ExpectedMapping& e : m.ExpectedMappings()) out.push_back(e.predicted_iova);
  return out;
}

std::optional<uint64_t> PredictionFor(const ReferenceModel& m, const std::string& name) {
  for (const ExpectedMapping& e : m.ExpectedMappings()) {
    if (e.name == name) return e.predicted_iova;
  }
  ADD_FAILURE() << "no expected mapping named " << name;
  return std::nullopt;
}

// --- iova_floor ------------------------------------------------------------

TEST(ReferenceModel, IovaFloorIsMaxOfRangeFirstAndPage) {
  EXPECT_EQ(ReferenceModel(Config(0)).iova_floor(), 0x1000u);
  EXPECT_EQ(ReferenceModel(Config(0x800)).iova_floor(), 0x1000u);
  EXPECT_EQ(ReferenceModel(Config(0x100000)).iova_floor(), 0x100000u);
  EXPECT_EQ(ReferenceModel(Config(0x1000, kMax, 0x10000)).iova_floor(), 0x10000u);
}

TEST(ReferenceModel, FirstPredictionIsAtTheFloor) {
  ReferenceModel m(Config(0x100000));
  ASSERT_TRUE(m.AddSection(S(0x100000, 0x10000, 0x7f0000100000, "a")).ok());
  EXPECT_EQ(Predictions(m), (std::vector<std::optional<uint64_t>>{0x100000}));

  ReferenceModel m64(Config(0, kMax, 0x10000));
  ASSERT_TRUE(m64.AddSection(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());
  EXPECT_EQ(Predictions(m64), (std::vector<std::optional<uint64_t>>{0x10000}));
}

// --- ExpectedMappings and strict predictions -------------------------------

TEST(ReferenceModel, FactsTableMappingsAndPredictions) {
  ReferenceModel m(Config());
  ASSERT_TRUE(m.AddSection(kFactsLow).ok());
  ASSERT_TRUE(m.AddSection(kFactsHigh).ok());
  ASSERT_TRUE(m.AddSection(kFactsSmram).ok());
  std::vector<ExpectedMapping> want = m.ExpectedMappings();
  ASSERT_EQ(want.size(), 3u);
  // GPA order: low, smram, high.
  EXPECT_EQ(want[0].name, "pc.ram-low");
  EXPECT_EQ(want[0].gpa, 0x0u);
  EXPECT_EQ(want[0].hva, 0x7f7903e00000u);
  EXPECT_EQ(want[0].len, 0x80000000u);
  EXPECT_EQ(want[0].predicted_iova, std::optional<uint64_t>(0x1000));
  EXPECT_EQ(want[1].name, "smram-open-high");
  EXPECT_EQ(want[1].gpa, 0xfeda0000u);
  EXPECT_EQ(want[1].hva, 0x7f7903ea0000u);
  EXPECT_EQ(want[1].len, 0x20000u);
  EXPECT_EQ(want[1].predicted_iova, std::optional<uint64_t>(0x2000001000));
  EXPECT_EQ(want[2].name, "pc.ram-high");
  EXPECT_EQ(want[2].gpa, 0x100000000u);
  EXPECT_EQ(want[2].len, 0x1f80000000u);
  EXPECT_EQ(want[2].predicted_iova, std::optional<uint64_t>(0x80001000));
  for (const ExpectedMapping& e : want) {
    EXPECT_TRUE(e.guest);
    EXPECT_EQ(e.asid, 0u);
    EXPECT_EQ(e.perm, kPermRW);
  }
}

TEST(ReferenceModel, RemovingTheAliasKeepsLowRam) {
  // The aliasing bug's scenario: after region_del of the alias, low RAM must
  // still be expected whole, at its own IOVA.
  ReferenceModel m(Config());
  ASSERT_TRUE(m.AddSection(kFactsLow).ok());
  ASSERT_TRUE(m.AddSection(kFactsHigh).ok());
  ASSERT_TRUE(m.AddSection(kFactsSmram).ok());
  absl::StatusOr<Section> removed = m.RemoveSection(kFactsSmram.gpa, kFactsSmram.size);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, kFactsSmram);
  std::vector<ExpectedMapping> want = m.ExpectedMappings();
  ASSERT_EQ(want.size(), 2u);
  EXPECT_EQ(want[0].name, "pc.ram-low");
  EXPECT_EQ(want[0].len, 0x80000000u);
  EXPECT_EQ(want[0].predicted_iova, std::optional<uint64_t>(0x1000));
  EXPECT_EQ(want[1].name, "pc.ram-high");
  EXPECT_EQ(want[1].predicted_iova, std::optional<uint64_t>(0x80001000));
}

TEST(ReferenceModel, StrictPredictionsReuseHolesAfterRemoveSection) {
  ReferenceModel m(Config());
  ASSERT_TRUE(m.AddSection(kFactsLow).ok());    // 0x1000
  ASSERT_TRUE(m.AddSection(kFactsHigh).ok());   // 0x80001000
  ASSERT_TRUE(m.AddSection(kFactsSmram).ok());  // 0x2000001000
  ASSERT_TRUE(m.RemoveSection(kFactsLow.gpa, kFactsLow.size).ok());
  // Two halves of the old low RAM fill the freed hole from its start.
  ASSERT_TRUE(m.AddSection(S(0x0, 0x40000000, 0x7f7903e00000, "low-a")).ok());
  ASSERT_TRUE(m.AddSection(S(0x40000000, 0x40000000, 0x7f7943e00000, "low-b")).ok());
  // The hole is now exactly full: the next one goes after smram.
  ASSERT_TRUE(m.AddSection(S(0x80000000, 0x1000, 0x7f7983e00000 - 0x1000, "c")).ok());
  EXPECT_EQ(PredictionFor(m, "low-a"), std::optional<uint64_t>(0x1000));
  EXPECT_EQ(PredictionFor(m, "low-b"), std::optional<uint64_t>(0x40001000));
  EXPECT_EQ(PredictionFor(m, "c"), std::optional<uint64_t>(0x2000021000));
  EXPECT_EQ(PredictionFor(m, "pc.ram-high"), std::optional<uint64_t>(0x80001000));
  EXPECT_EQ(PredictionFor(m, "smram-open-high"), std::optional<uint64_t>(0x2000001000));
}

TEST(ReferenceModel, RemovedSectionFreesItsRoundedLength) {
  ReferenceModel m(Config());
  // Sub-page section: maps 0x2000 bytes (gpa [0x11000, 0x13000)) at 0x1000.
  ASSERT_TRUE(m.AddSection(S(0x10800, 0x3000, 0x7f0000000800, "sub")).ok());
  ASSERT_TRUE(m.AddSection(S(0x100000, 0x1000, 0x7f0000100000, "next")).ok());
  EXPECT_EQ(PredictionFor(m, "sub"), std::optional<uint64_t>(0x1000));
  EXPECT_EQ(PredictionFor(m, "next"), std::optional<uint64_t>(0x3000));
  ASSERT_TRUE(m.RemoveSection(0x10800, 0x3000).ok());
  ASSERT_TRUE(m.AddSection(S(0x200000, 0x2000, 0x7f0000200000, "refill")).ok());
  EXPECT_EQ(PredictionFor(m, "refill"), std::optional<uint64_t>(0x1000));
}

TEST(ReferenceModel, SkippedSectionsAreNotExpectedAndAllocateNothing) {
  ReferenceModel m(Config());
  ASSERT_TRUE(m.AddSection(S(0x10000, 0x10000, 0x7f0000000800, "unaligned")).ok());
  ASSERT_TRUE(m.AddSection(S(0xfebd0000, 0x1000, 0x7f0000900000, "mmio", false, false)).ok());
  ASSERT_TRUE(m.AddSection(S(0x30800, 0x100, 0x7f0000030800, "tiny")).ok());
  ASSERT_TRUE(m.AddSection(S(0x100000, 0x10000, 0x7f0000100000, "ram")).ok());
  EXPECT_EQ(m.guest().size(), 4u);
  std::vector<ExpectedMapping> want = m.ExpectedMappings();
  ASSERT_EQ(want.size(), 1u);
  EXPECT_EQ(want[0].name, "ram");
  EXPECT_EQ(want[0].predicted_iova, std::optional<uint64_t>(0x1000));
  // Removing a skipped section frees nothing that is in use.
  ASSERT_TRUE(m.RemoveSection(0x10000, 0x10000).ok());
  ASSERT_TRUE(m.AddSection(S(0x200000, 0x1000, 0x7f0000200000, "after")).ok());
  EXPECT_EQ(PredictionFor(m, "after"), std::optional<uint64_t>(0x11000));
}

TEST(ReferenceModel, HostBuffersShareTheAllocatorAndComeAfterGuestMappings) {
  ReferenceModel m(Config());
  ASSERT_TRUE(m.AddSection(S(0x0, 0x10000, 0x7f0000000000, "ram")).ok());        // 0x1000
  ASSERT_TRUE(m.AddHostBuffer(B(0x7f5000002000, 0x2c6, kPermRO, 0, "desc")).ok());  // 0x11000
  ASSERT_TRUE(m.AddHostBuffer(B(0x7f5000000000, 0x1001, kPermRW, 1, "used")).ok());  // 0x12000
  ASSERT_TRUE(m.AddSection(S(0x100000, 0x1000, 0x7f0000100000, "ram2")).ok());   // 0x14000
  std::vector<ExpectedMapping> want = m.ExpectedMappings();
  ASSERT_EQ(want.size(), 4u);
  EXPECT_EQ(want[0].name, "ram");
  EXPECT_EQ(want[0].predicted_iova, std::optional<uint64_t>(0x1000));
  EXPECT_EQ(want[1].name, "ram2");
  EXPECT_EQ(want[1].predicted_iova, std::optional<uint64_t>(0x14000));
  // Host buffers in HVA order.
  EXPECT_EQ(want[2].name, "used");
  EXPECT_FALSE(want[2].guest);
  EXPECT_EQ(want[2].hva, 0x7f5000000000u);
  EXPECT_EQ(want[2].len, 0x2000u);
  EXPECT_EQ(want[2].perm, kPermRW);
  EXPECT_EQ(want[2].asid, 1u);
  EXPECT_EQ(want[2].predicted_iova, std::optional<uint64_t>(0x12000));
  EXPECT_EQ(want[3].name, "desc");
  EXPECT_EQ(want[3].len, 0x1000u);
  EXPECT_EQ(want[3].perm, kPermRO);
  EXPECT_EQ(want[3].asid, 0u);
  EXPECT_EQ(want[3].predicted_iova, std::optional<uint64_t>(0x11000));

  ASSERT_TRUE(m.RemoveHostBuffer(0x7f5000002000, 0x2c6).ok());
  ASSERT_TRUE(m.AddHostBuffer(B(0x7f6000000000, 0x1000, kPermRW, 0, "status")).ok());
  EXPECT_EQ(PredictionFor(m, "status"), std::optional<uint64_t>(0x11000));
}

TEST(ReferenceModel, ExhaustedRangeLeavesNoPrediction) {
  // IOVA [0x1000, 0x10fff]: 16 pages. Host buffers use IOVA without GPA, so
  // the guest can run out of IOVA with GPAs that are inside the range.
  ReferenceModel m(Config(0, 0x10fff));
  ASSERT_TRUE(m.AddSection(S(0x0, 0xc000, 0x7f0000000000, "a")).ok());
  ASSERT_TRUE(m.AddHostBuffer(B(0x7f5000000000, 0x2000, kPermRW, 0, "h1")).ok());
  ASSERT_TRUE(m.AddSection(S(0xc000, 0x4000, 0x7f000000c000, "b")).ok());
  ASSERT_TRUE(m.AddHostBuffer(B(0x7f5000010000, 0x2000, kPermRW, 0, "h2")).ok());
  EXPECT_EQ(PredictionFor(m, "a"), std::optional<uint64_t>(0x1000));
  EXPECT_EQ(PredictionFor(m, "h1"), std::optional<uint64_t>(0xd000));
  // [0xf000, 0x12fff] would pass last.
  EXPECT_EQ(PredictionFor(m, "b"), std::nullopt);
  // Ends exactly at last.
  EXPECT_EQ(PredictionFor(m, "h2"), std::optional<uint64_t>(0xf000));
  EXPECT_EQ(m.ExpectedMappings().size(), 4u);  // b still expected, just unpredicted
}

TEST(ReferenceModel, CallerErrorsLeaveTheModelUnchanged) {
  ReferenceModel m(Config());
  ASSERT_TRUE(m.AddSection(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());
  EXPECT_EQ(m.AddSection(S(0x8000, 0x10000, 0x7f0000100000, "overlap")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.RemoveSection(0x0, 0x8000).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(m.AddHostBuffer(B(0x7f5000000000, 0x1000, kPermRW, 2, "bad-asid")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.AddHostBuffer(B(0x7f5000000800, 0x1000, kPermRW, 0, "unaligned")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.RemoveHostBuffer(0x7f5000000000, 0x1000).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(m.guest().size(), 1u);
  EXPECT_TRUE(m.host().Buffers().empty());
  // No IOVA was consumed by the refused calls.
  ASSERT_TRUE(m.AddSection(S(0x10000, 0x1000, 0x7f0000010000, "b")).ok());
  EXPECT_EQ(PredictionFor(m, "b"), std::optional<uint64_t>(0x11000));
}

// --- Expect(): guest elements ----------------------------------------------

class ExpectGuest : public ::testing::Test {
 protected:
  ExpectGuest() : m_(Config()) {}
  ReferenceModel m_;
};

TEST_F(ExpectGuest, InsideASection) {
  ASSERT_TRUE(m_.AddSection(S(0x100000, 0x100000, 0x7f0000000000, "ram")).ok());
  ElementExpectation x = m_.Expect(GuestIov(0x123456, 0x100));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.asid, 0u);
  EXPECT_EQ(x.hva, 0x7f0000023456u);
  EXPECT_EQ(x.perm, kPermRW);
  EXPECT_EQ(x.why, "ram");
  // Ending exactly at the section's end.
  x = m_.Expect(GuestIov(0x1fff00, 0x100));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.hva, 0x7f00000fff00u);
  // One byte over.
  EXPECT_FALSE(m_.Expect(GuestIov(0x1fff00, 0x101)).mapped);
}

TEST_F(ExpectGuest, ReadonlySectionCarriesRo) {
  ASSERT_TRUE(m_.AddSection(S(0xc0000, 0x20000, 0x7f00000c0000, "rom", true)).ok());
  ElementExpectation x = m_.Expect(GuestIov(0xc1000, 0x10));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.perm, kPermRO);
  EXPECT_EQ(x.hva, 0x7f00000c1000u);
}

TEST_F(ExpectGuest, AliasTranslatesThroughItsOwnSection) {
  ASSERT_TRUE(m_.AddSection(kFactsLow).ok());
  ASSERT_TRUE(m_.AddSection(kFactsSmram).ok());
  ElementExpectation x = m_.Expect(GuestIov(0xfeda0010, 0x40));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.hva, 0x7f7903ea0010u);
  EXPECT_EQ(x.why, "smram-open-high");
  // The same HVA through low RAM's GPA.
  x = m_.Expect(GuestIov(0xa0010, 0x40));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.hva, 0x7f7903ea0010u);
  EXPECT_EQ(x.why, "pc.ram-low");
}

TEST_F(ExpectGuest, CrossingTwoGpaAdjacentSectionsIsRefused) {
  // Adjacent in GPA and contiguous in HVA too: still two mappings.
  ASSERT_TRUE(m_.AddSection(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());
  ASSERT_TRUE(m_.AddSection(S(0x10000, 0x10000, 0x7f0000010000, "b")).ok());
  EXPECT_FALSE(m_.Expect(GuestIov(0xff00, 0x200)).mapped);
  EXPECT_FALSE(m_.Expect(GuestIov(0xffff, 0x2)).mapped);
  EXPECT_TRUE(m_.Expect(GuestIov(0xff00, 0x100)).mapped);
  EXPECT_TRUE(m_.Expect(GuestIov(0x10000, 0x100)).mapped);
}

TEST_F(ExpectGuest, InAnUnalignedSectionIsRefused) {
  ASSERT_TRUE(m_.AddSection(S(0x10000, 0x10000, 0x7f0000000800, "unaligned")).ok());
  ElementExpectation x = m_.Expect(GuestIov(0x11000, 0x100));
  EXPECT_FALSE(x.mapped);
  EXPECT_FALSE(x.why.empty());
}

TEST_F(ExpectGuest, InNoSectionOrANonRamSectionIsRefused) {
  ASSERT_TRUE(m_.AddSection(S(0xfebd0000, 0x1000, 0x7f0000900000, "mmio", false, false)).ok());
  EXPECT_FALSE(m_.Expect(GuestIov(0xfebd0000, 0x4)).mapped);
  EXPECT_FALSE(m_.Expect(GuestIov(0x1000, 0x4)).mapped);
}

TEST_F(ExpectGuest, BelowRangeSectionIsRefused) {
  ReferenceModel m(Config(0x100000));
  ASSERT_TRUE(m.AddSection(S(0x0, 0x200000, 0x7f0000000000, "ram")).ok());
  EXPECT_FALSE(m.Expect(GuestIov(0x150000, 0x10)).mapped);
}

TEST_F(ExpectGuest, SubPageSectionOnlyTheRoundedPartIsMapped) {
  // gpa [0x10800, 0x13800) maps [0x11000, 0x13000) at hva 0x7f0000001000.
  ASSERT_TRUE(m_.AddSection(S(0x10800, 0x3000, 0x7f0000000800, "sub")).ok());
  // The unrounded head.
  EXPECT_FALSE(m_.Expect(GuestIov(0x10800, 0x10)).mapped);
  EXPECT_FALSE(m_.Expect(GuestIov(0x10fff, 0x1)).mapped);
  // From the head into the mapped part.
  EXPECT_FALSE(m_.Expect(GuestIov(0x10f00, 0x200)).mapped);
  // The mapped part.
  ElementExpectation x = m_.Expect(GuestIov(0x11000, 0x100));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.hva, 0x7f0000001000u);
  x = m_.Expect(GuestIov(0x12f00, 0x100));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.hva, 0x7f0000002f00u);
  // The unrounded tail.
  EXPECT_FALSE(m_.Expect(GuestIov(0x13000, 0x10)).mapped);
  EXPECT_FALSE(m_.Expect(GuestIov(0x12f00, 0x101)).mapped);
}

TEST_F(ExpectGuest, GuestElementIsLookedUpByGpaNotHva) {
  // The element's hva lies in a host buffer, but it carries a GPA that no
  // section holds: the GPA decides.
  ASSERT_TRUE(m_.AddHostBuffer(B(0x7f5000000000, 0x1000, kPermRW, 0, "buf")).ok());
  EXPECT_FALSE(m_.Expect(GuestIovAt(0x5000, 0x10, 0x7f5000000000)).mapped);
  // And with a section, the section's HVA is what the guest means, not the
  // element's hva field.
  ASSERT_TRUE(m_.AddSection(S(0x0, 0x10000, 0x7f0000000000, "ram")).ok());
  ElementExpectation x = m_.Expect(GuestIovAt(0x5000, 0x10, 0x7f5000000000));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.hva, 0x7f0000005000u);
}

// --- Expect(): host-only elements ------------------------------------------

TEST_F(ExpectGuest, HostBufferInsideItsSize) {
  ASSERT_TRUE(m_.AddHostBuffer(B(0x7f5000000000, 0x100, kPermRO, 0, "cvq-out")).ok());
  ElementExpectation x = m_.Expect(HostIov(0x7f5000000010, 0x20));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.asid, 0u);
  EXPECT_EQ(x.hva, 0x7f5000000010u);
  EXPECT_EQ(x.perm, kPermRO);
  EXPECT_EQ(x.why, "cvq-out");
}

TEST_F(ExpectGuest, HostBufferUpToItsPageRoundedEndButNotAcross) {
  ASSERT_TRUE(m_.AddHostBuffer(B(0x7f5000000000, 0x100, kPermRW, 0, "cvq-status")).ok());
  // Past the buffer's size but within its page: the device can reach it.
  ElementExpectation x = m_.Expect(HostIov(0x7f5000000800, 0x800));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.hva, 0x7f5000000800u);
  // One byte past the rounded end.
  EXPECT_FALSE(m_.Expect(HostIov(0x7f5000000800, 0x801)).mapped);
  // Past the rounded end altogether.
  EXPECT_FALSE(m_.Expect(HostIov(0x7f5000001000, 0x10)).mapped);
}

TEST_F(ExpectGuest, HostBufferAcrossTwoAdjacentBuffersIsRefused) {
  ASSERT_TRUE(m_.AddHostBuffer(B(0x7f5000000000, 0x1000, kPermRW, 0, "a")).ok());
  ASSERT_TRUE(m_.AddHostBuffer(B(0x7f5000001000, 0x1000, kPermRW, 0, "b")).ok());
  EXPECT_FALSE(m_.Expect(HostIov(0x7f5000000f00, 0x200)).mapped);
}

TEST_F(ExpectGuest, HostBufferInAsidOne) {
  ASSERT_TRUE(m_.AddHostBuffer(B(0x7f5000000000, 0x1000, kPermRW, 1, "cvq-status")).ok());
  ElementExpectation x = m_.Expect(HostIov(0x7f5000000000, 0x1, /*device_writes=*/true));
  EXPECT_TRUE(x.mapped);
  EXPECT_EQ(x.asid, 1u);
  EXPECT_EQ(x.perm, kPermRW);
  EXPECT_EQ(x.hva, 0x7f5000000000u);
}

TEST_F(ExpectGuest, HostElementInNoBufferIsRefused) {
  // A section's HVA is no host buffer: without a GPA it cannot be found.
  ASSERT_TRUE(m_.AddSection(S(0x0, 0x10000, 0x7f0000000000, "ram")).ok());
  ElementExpectation x = m_.Expect(HostIov(0x7f0000001000, 0x10));
  EXPECT_FALSE(x.mapped);
  EXPECT_FALSE(x.why.empty());
}

}  // namespace
}  // namespace iovacheck

namespace iovacheck {
namespace {

TEST(ReferenceModelAsid, HostBufferOutsideAsidZeroNeedsTheAsidFeature) {
  DeviceConfig config;
  config.backend_features = uint64_t{1} << kFeatureIotlbMsgV2;  // no ASID feature
  ReferenceModel model(config);
  HostBuffer cvq{0x7e0000000000, 0x1000, kPermRW, 1, "cvq"};
  EXPECT_EQ(model.AddHostBuffer(cvq).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(model.ExpectedMappings().empty());
  cvq.asid = 0;
  EXPECT_TRUE(model.AddHostBuffer(cvq).ok());
}

}  // namespace
}  // namespace iovacheck
