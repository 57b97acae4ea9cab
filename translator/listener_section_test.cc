#include "translator/listener_section.h"

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

GuestSection Ram(uint64_t gpa, uint64_t size, uint64_t hva) {
  GuestSection s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  return s;
}

TEST(ClassifySection, MapsWholePages) {
  DeviceConfig config;
  const ListenerSection ls =
      ClassifySection(Ram(0x100000, 0x200000, 0x7f0000100000), config);
  ASSERT_EQ(ls.verdict, SectionVerdict::kMap);
  EXPECT_EQ(ls.range.gpa, 0x100000u);
  EXPECT_EQ(ls.range.size, 0x200000u);
  EXPECT_EQ(ls.range.hva, 0x7f0000100000u);
  EXPECT_EQ(ls.range.perm, kPermRW);
}

TEST(ClassifySection, RoundsInwardAndShiftsHva) {
  DeviceConfig config;
  GuestSection s = Ram(0x1800, 0x3000, 0x7f0000000800);
  s.readonly = true;
  const ListenerSection ls = ClassifySection(s, config);
  ASSERT_EQ(ls.verdict, SectionVerdict::kMap);
  EXPECT_EQ(ls.range.gpa, 0x2000u);
  EXPECT_EQ(ls.range.size, 0x2000u);  // llend = 0x4800 & mask = 0x4000
  EXPECT_EQ(ls.range.hva, 0x7f0000001000u);
  EXPECT_EQ(ls.range.perm, kPermRO);
}

TEST(ClassifySection, SkipRules) {
  DeviceConfig config;
  config.iova_first = 0x10000;
  config.iova_last = 0xffffffff;
  GuestSection mmio = Ram(0x100000, 0x1000, 0x7f0000000000);
  mmio.ram = false;
  EXPECT_EQ(ClassifySection(mmio, config).verdict, SectionVerdict::kNotRam);
  EXPECT_EQ(ClassifySection(Ram(0x0, 0x100000, 0x7f0000000000), config).verdict,
            SectionVerdict::kBelowRange);
  EXPECT_EQ(
      ClassifySection(Ram(0xfffff000, 0x2000, 0x7f0000000000), config).verdict,
      SectionVerdict::kPastRange);
  // llend == iova_last + 1 is past the range as QEMU compares it.
  EXPECT_EQ(
      ClassifySection(Ram(0xfffff000, 0x1000, 0x7f0000000000), config).verdict,
      SectionVerdict::kPastRange);
  EXPECT_EQ(ClassifySection(Ram(0xffffe000, 0x1000, 0x7f0000000000), config)
                .verdict,
            SectionVerdict::kMap);
  EXPECT_EQ(
      ClassifySection(Ram(0x100000, 0x2000, 0x7f0000000800), config).verdict,
      SectionVerdict::kUnaligned);
  EXPECT_EQ(
      ClassifySection(Ram(0x100800, 0x1000, 0x7f0000000800), config).verdict,
      SectionVerdict::kEmpty);
}

TEST(ClassifySection, EndAtTwoToTheSixtyFourIsPastAnyRange) {
  DeviceConfig config;  // iova_last = 2^64 - 1
  EXPECT_EQ(ClassifySection(Ram(0, 0, 0), config).verdict,
            SectionVerdict::kEmpty);
  EXPECT_EQ(ClassifySection(Ram(0xfffffffffffff000, 0x1000, 0x1000), config)
                .verdict,
            SectionVerdict::kPastRange);
  // gpa + size wraps in 64 bits; in 128 bits it is past the range.
  EXPECT_EQ(ClassifySection(Ram(0xfffffffffffff000, 0x2000, 0x1000), config)
                .verdict,
            SectionVerdict::kPastRange);
}

}  // namespace
}  // namespace iovacheck
