// The model's lifecycle modes: no shadow data (IOVA = GPA), vIOMMU
// (guest IOVA -> GPA -> HVA), and mappings a fault rightly kept away.
#include <gtest/gtest.h>

#include <cerrno>

#include "model/check_allocations.h"
#include "model/check_mappings.h"
#include "model/reference_model.h"
#include "model/vdpa_device.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = 0x1000;

Section Ram(uint64_t gpa, uint64_t size, uint64_t hva, const char* name = "ram") {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  s.name = name;
  return s;
}

DeviceConfig Viommu() {
  DeviceConfig c;
  c.viommu = true;
  return c;
}

void Update(VdpaDevice& dev, uint64_t iova, uint64_t size, uint64_t uaddr, uint8_t perm) {
  IotlbMsg m;
  m.type = kIotlbUpdate;
  m.iova = iova;
  m.size = size;
  m.uaddr = uaddr;
  m.perm = perm;
  ASSERT_TRUE(dev.Write(m).ok());
}

TEST(NoShadowData, GuestMemorySitsAtIovaEqualsGpa) {
  ReferenceModel m{DeviceConfig{}};
  ASSERT_TRUE(m.SetShadow(false).ok());
  ASSERT_TRUE(m.AddSection(Ram(0x100000, 0x4000, 0x7f0000000000)).ok());
  std::vector<ExpectedMapping> want = m.ExpectedMappings();
  ASSERT_EQ(want.size(), 1u);
  EXPECT_EQ(want[0].fixed_iova, std::optional<uint64_t>(0x100000));
  EXPECT_FALSE(want[0].predicted_iova.has_value());
  EXPECT_FALSE(m.single_allocator());
}

TEST(NoShadowData, WrongIovaIsACoverageFailureEvenWithoutStrictMode) {
  ReferenceModel m{DeviceConfig{}};
  ASSERT_TRUE(m.SetShadow(false).ok());
  ASSERT_TRUE(m.AddSection(Ram(0x100000, 0x4000, 0x7f0000000000)).ok());
  VdpaDevice dev{DeviceConfig{}};
  Update(dev, 0x200000, 0x4000, 0x7f0000000000, kPermRW);  // right HVA, wrong IOVA
  std::optional<Divergence> d = CheckMappings(m.ExpectedMappings(), dev, /*strict=*/false);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rule, OracleRule::kCoverage);
  VdpaDevice right{DeviceConfig{}};
  Update(right, 0x100000, 0x4000, 0x7f0000000000, kPermRW);
  EXPECT_FALSE(CheckMappings(m.ExpectedMappings(), right, false).has_value());
  // A fixed mapping is no allocation: no leak with an empty allocator.
  EXPECT_FALSE(CheckAllocations({}, right, m.ExpectedMappings()).has_value());
}

TEST(NoShadowData, SwitchOnlyWithNothingMappedAndHostBuffersOutsideAsidZero) {
  ReferenceModel m{DeviceConfig{}};
  ASSERT_TRUE(m.AddSection(Ram(0, 0x4000, 0x7f0000000000)).ok());
  EXPECT_FALSE(m.SetShadow(false).ok());
  ASSERT_TRUE(m.RemoveSection(0, 0x4000).ok());
  ASSERT_TRUE(m.SetShadow(false).ok());
  EXPECT_FALSE(m.AddHostBuffer(HostBuffer{0x7e0000000000, kPage, kPermRW, 0, "vring"}).ok());
  EXPECT_TRUE(m.AddHostBuffer(HostBuffer{0x7e0000000000, kPage, kPermRW, 1, "cvq"}).ok());
}

TEST(Viommu, RamIsReachedOnlyThroughIommuMappings) {
  ReferenceModel m{Viommu()};
  EXPECT_FALSE(m.SetShadow(true).ok());
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x100000, 0x7f0000000000)).ok());
  EXPECT_TRUE(m.ExpectedMappings().empty());
  ASSERT_TRUE(m.IommuMap(0x40000000, 0x3000, 0x2000, kPermRO).ok());
  std::vector<ExpectedMapping> want = m.ExpectedMappings();
  ASSERT_EQ(want.size(), 1u);
  EXPECT_EQ(want[0].fixed_iova, std::optional<uint64_t>(0x40000000));
  EXPECT_EQ(want[0].hva, 0x7f0000003000u);
  EXPECT_EQ(want[0].len, 0x2000u);
  EXPECT_EQ(want[0].perm, kPermRO);
}

TEST(Viommu, IdenticalMapIsAReplayAndOverlapIsRefused) {
  ReferenceModel m{Viommu()};
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x100000, 0x7f0000000000)).ok());
  ASSERT_TRUE(m.IommuMap(0x40000000, 0x3000, 0x2000, kPermRW).ok());
  EXPECT_TRUE(m.IommuMap(0x40000000, 0x3000, 0x2000, kPermRW).ok());
  EXPECT_EQ(m.ExpectedMappings().size(), 1u);
  EXPECT_FALSE(m.IommuMap(0x40001000, 0x8000, 0x1000, kPermRW).ok());
  EXPECT_FALSE(m.IommuMap(0x50000000, 0x200000, 0x1000, kPermRW).ok())  // not RAM
      << "a map outside live RAM must be refused";
}

TEST(Viommu, UnmapRemovesOverlappingEntriesAndRamBehindAMappingStays) {
  ReferenceModel m{Viommu()};
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x100000, 0x7f0000000000)).ok());
  ASSERT_TRUE(m.IommuMap(0x40000000, 0x3000, 0x2000, kPermRW).ok());
  ASSERT_TRUE(m.IommuMap(0x40010000, 0x8000, 0x1000, kPermRW).ok());
  EXPECT_FALSE(m.RemoveSection(0x0, 0x100000).ok());
  ASSERT_TRUE(m.IommuUnmap(0x40001000, 0x40001000).ok());  // partial: removes whole
  EXPECT_EQ(m.ExpectedMappings().size(), 1u);
  ASSERT_TRUE(m.IommuUnmap(0, ~uint64_t{0}).ok());
  EXPECT_TRUE(m.ExpectedMappings().empty());
  EXPECT_TRUE(m.RemoveSection(0x0, 0x100000).ok());
}

TEST(Viommu, DeviceDmaExpectationFollowsTheComposition) {
  ReferenceModel m{Viommu()};
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x100000, 0x7f0000000000)).ok());
  ASSERT_TRUE(m.IommuMap(0x40000000, 0x3000, 0x2000, kPermRW).ok());
  ASSERT_TRUE(m.IommuMap(0x40002000, 0x9000, 0x1000, kPermRO).ok());
  std::optional<DmaExpectation> in = m.ExpectDeviceDma(0, 0x40000800, 0x100, kPermWO);
  ASSERT_TRUE(in.has_value());
  EXPECT_EQ(in->refusal, 0);
  EXPECT_EQ(in->pieces, (std::vector<DmaSegment>{{0x7f0000003800, 0x100}}));
  // Back-to-back entries: the device walks on, one piece per entry.
  std::optional<DmaExpectation> across = m.ExpectDeviceDma(0, 0x40001800, 0x1000, kPermRO);
  ASSERT_TRUE(across.has_value());
  EXPECT_EQ(across->refusal, 0);
  EXPECT_EQ(across->pieces, (std::vector<DmaSegment>{{0x7f0000004800, 0x800},
                                                     {0x7f0000009000, 0x800}}));
  // A write into the read-only entry: EPERM; past the last entry: EINVAL.
  EXPECT_EQ(m.ExpectDeviceDma(0, 0x40001800, 0x1000, kPermWO)->refusal, EPERM);
  EXPECT_EQ(m.ExpectDeviceDma(0, 0x40002800, 0x1000, kPermRO)->refusal, EINVAL);
  // With shadow data the translator picks IOVAs: the model cannot say.
  ReferenceModel shadow{DeviceConfig{}};
  EXPECT_FALSE(shadow.ExpectDeviceDma(0, 0x1000, 0x10, kPermRO).has_value());
}

TEST(Excuses, AFaultedSectionIsExpectedAbsentUntilItGoes) {
  ReferenceModel m{DeviceConfig{}};
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x4000, 0x7f0000000000)).ok());
  m.ExcuseSection(0x0);
  EXPECT_TRUE(m.ExpectedMappings().empty());
  Iovec v;
  v.has_gpa = true;
  v.gpa = 0x1000;
  v.len = 0x10;
  EXPECT_FALSE(m.Expect(v).mapped);
  // The excuse frees the first-fit prediction: the next section takes its IOVA.
  ASSERT_TRUE(m.AddSection(Ram(0x10000, 0x1000, 0x7f0000010000, "next")).ok());
  EXPECT_EQ(m.ExpectedMappings().at(0).predicted_iova, std::optional<uint64_t>(kPage));
  ASSERT_TRUE(m.RemoveSection(0x0, 0x4000).ok());
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x4000, 0x7f0000000000)).ok());
  EXPECT_EQ(m.ExpectedMappings().size(), 2u);
}

// QEMU's reset unregisters and re-registers its memory listener, mapping every
// section of the flat view again, a faulted one included; a translator that
// re-sends only what it holds keeps it off. After a reset either is right.
TEST(Excuses, AfterAResetAFaultedSectionIsOptional) {
  ReferenceModel m{DeviceConfig{}};
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x4000, 0x7f0000000000)).ok());
  m.ExcuseSection(0x0);
  m.DeviceWasReset();
  ASSERT_EQ(m.ExpectedMappings().size(), 1u);
  EXPECT_TRUE(m.ExpectedMappings()[0].optional);
  Iovec v;
  v.has_gpa = true;
  v.gpa = 0x1000;
  v.len = 0x10;
  const ElementExpectation x = m.Expect(v);
  EXPECT_FALSE(x.mapped);
  EXPECT_TRUE(x.optional);
  EXPECT_EQ(x.hva, 0x7f0000001000u);

  VdpaDevice absent{DeviceConfig{}};
  EXPECT_EQ(CheckMappings(m.ExpectedMappings(), absent, false), std::nullopt);
  VdpaDevice present{DeviceConfig{}};
  Update(present, 0x5000, 0x4000, 0x7f0000000000, kPermRW);
  EXPECT_EQ(CheckMappings(m.ExpectedMappings(), present, false), std::nullopt);
  // Mapped again, but wrongly, is still a divergence.
  VdpaDevice wrong{DeviceConfig{}};
  Update(wrong, 0x5000, 0x4000, 0x7f0000000000, kPermRO);
  EXPECT_NE(CheckMappings(m.ExpectedMappings(), wrong, false), std::nullopt);
  // Gone and added again, it is required as any new section.
  ASSERT_TRUE(m.RemoveSection(0x0, 0x4000).ok());
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x4000, 0x7f0000000000)).ok());
  EXPECT_FALSE(m.ExpectedMappings()[0].optional);
}

// A refused replay of a guest IOMMU mapping the device already holds may
// leave that entry there or not; a refused first MAP keeps it off the device until a reset,
// after which QEMU's listener registration replays it (optional).
TEST(Excuses, IommuReplaysAndResets) {
  ReferenceModel m{Viommu()};
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x10000, 0x7f0000000000)).ok());
  ASSERT_TRUE(m.IommuMap(0x1000, 0x2000, 0x1000, kPermRW).ok());
  ASSERT_TRUE(m.IommuMap(0x1000, 0x2000, 0x1000, kPermRW).ok());  // a replay
  m.ExcuseIommu(0x1000);  // the replay's UPDATE was refused
  ASSERT_EQ(m.ExpectedMappings().size(), 1u);
  EXPECT_TRUE(m.ExpectedMappings()[0].optional);  // held, or taken away first

  ASSERT_TRUE(m.IommuMap(0x8000, 0x4000, 0x1000, kPermRO).ok());
  m.ExcuseIommu(0x8000);  // a first MAP refused: off the device
  EXPECT_EQ(m.ExpectedMappings().size(), 1u);
  m.DeviceWasReset();
  ASSERT_EQ(m.ExpectedMappings().size(), 2u);
  EXPECT_TRUE(m.ExpectedMappings()[1].optional);
  ASSERT_TRUE(m.IommuUnmap(0x8000, 0x8fff).ok());
  EXPECT_EQ(m.ExpectedMappings().size(), 1u);
}

TEST(Viommu, MappingsOutsideTheDeviceRangeAreNeverExpected) {
  DeviceConfig c = Viommu();
  c.iova_first = 0x100000;
  ReferenceModel m{c};
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x10000, 0x7f0000000000)).ok());
  ASSERT_TRUE(m.IommuMap(0x1000, 0x2000, 0x1000, kPermRO).ok());
  EXPECT_TRUE(m.IommuOutsideDevice(0x1000, 0x1fff));
  EXPECT_TRUE(m.ExpectedMappings().empty());
  ASSERT_TRUE(m.IommuMap(0x100000, 0x2000, 0x1000, kPermRO).ok());
  EXPECT_EQ(m.ExpectedMappings().size(), 1u);
}

// Guest sections alone never exhaust the range (the listener skips those
// ending past iova_last, and the floor page is the only IOVA a GPA range does
// not get): host buffers do.
TEST(Excuses, FirstFitFailureIsKnown) {
  DeviceConfig c;
  c.iova_last = 0x2fff;  // room for two pages above the floor
  ReferenceModel m{c};
  ASSERT_TRUE(m.AddSection(Ram(0x0, 0x2000, 0x7f0000000000)).ok());
  EXPECT_FALSE(m.FirstFitFailedForSection(0x0));
  ASSERT_TRUE(m.AddHostBuffer(HostBuffer{0x7e0000000000, kPage, kPermRW, 0, "vring"}).ok());
  EXPECT_TRUE(m.FirstFitFailedForHostBuffer(0x7e0000000000));
}

}  // namespace
}  // namespace iovacheck
