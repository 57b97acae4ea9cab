#include "model/expected_mapping.h"

#include <cstdint>
#include <limits>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "model/device_config.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

Section S(uint64_t gpa, uint64_t size, uint64_t hva, bool readonly = false,
          bool ram = true, const char* name = "s") {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  s.readonly = readonly;
  s.ram = ram;
  s.name = name;
  return s;
}

DeviceConfig Config(uint64_t first = 0, uint64_t last = kMax, uint64_t page = 0x1000) {
  DeviceConfig c;
  c.iova_first = first;
  c.iova_last = last;
  c.page_size = page;
  c.target_page_size = page;
  return c;
}

ListenerSkip SkipOf(const Section& s, const DeviceConfig& c) {
  return GuestMappingOf(s, c).skip;
}

// --- Skip reasons ----------------------------------------------------------

TEST(GuestMappingOf, NonRamIsSkipped) {
  EXPECT_EQ(SkipOf(S(0xfebd0000, 0x1000, 0x7f0000000000, false, /*ram=*/false), Config()),
            ListenerSkip::kNotRam);
  EXPECT_EQ(SkipOf(S(0xfebd0000, 0x1000, 0x7f0000000000), Config()),
            ListenerSkip::kMapped);
}

TEST(GuestMappingOf, BelowRangeFirstIsSkipped) {
  const DeviceConfig c = Config(/*first=*/0x100000);
  // Starts one page below first even though most of it is inside the range.
  EXPECT_EQ(SkipOf(S(0xff000, 0x10000, 0x7f00000ff000), c), ListenerSkip::kBelowRange);
  EXPECT_EQ(SkipOf(S(0xfffff, 0x10001, 0x7f00000fffff), c), ListenerSkip::kBelowRange);
  // Starting exactly at first is fine.
  ListenerVerdict v = GuestMappingOf(S(0x100000, 0x10000, 0x7f0000100000), c);
  EXPECT_EQ(v.skip, ListenerSkip::kMapped);
  EXPECT_EQ(v.mapping.gpa, 0x100000u);
}

TEST(GuestMappingOf, PageRoundedEndPastRangeLastIsSkipped) {
  // A range whose last is not at a page boundary makes the rounding visible.
  const DeviceConfig c = Config(0, /*last=*/0x20000);
  // Unrounded end 0x20800 passes last, but the listener rounds it down to
  // 0x20000 first: mapped.
  ListenerVerdict v = GuestMappingOf(S(0x10000, 0x10800, 0x7f0000010000), c);
  EXPECT_EQ(v.skip, ListenerSkip::kMapped);
  EXPECT_EQ(v.mapping.len, 0x10000u);
  // Rounded end 0x21000 > last.
  EXPECT_EQ(SkipOf(S(0x10000, 0x11000, 0x7f0000010000), c), ListenerSkip::kAboveRange);
}

TEST(GuestMappingOf, RoundedEndIsComparedExclusiveAgainstInclusiveLast) {
  // The rule is "page-rounded (exclusive) end > iova_range.last", as QEMU's
  // vhost_vdpa_listener_skipped_section compares it: a section whose last byte
  // is exactly iova_last is skipped.
  const DeviceConfig c = Config(0, /*last=*/0xffffffff);
  EXPECT_EQ(SkipOf(S(0xfffff000, 0x1000, 0x7f00fffff000), c), ListenerSkip::kAboveRange);
  EXPECT_EQ(SkipOf(S(0xffffe000, 0x1000, 0x7f00ffffe000), c), ListenerSkip::kMapped);
}

TEST(GuestMappingOf, SectionEndingAt2To64IsPastAnyRange) {
  EXPECT_EQ(SkipOf(S(kMax - 0xfff, 0x1000, 0x1000), Config()), ListenerSkip::kAboveRange);
}

TEST(GuestMappingOf, UnalignedWhenGpaAndHvaPageOffsetsDiffer) {
  EXPECT_EQ(SkipOf(S(0x10000, 0x10000, 0x7f0000000800), Config()),
            ListenerSkip::kUnaligned);
  EXPECT_EQ(SkipOf(S(0x10800, 0x10000, 0x7f0000000000), Config()),
            ListenerSkip::kUnaligned);
  EXPECT_EQ(SkipOf(S(0x10800, 0x10000, 0x7f0000000400), Config()),
            ListenerSkip::kUnaligned);
  // Same offset within the page, both unaligned: not "unaligned", rounded.
  EXPECT_EQ(SkipOf(S(0x10800, 0x10000, 0x7f0000000800), Config()), ListenerSkip::kMapped);
  // With 64 KiB pages an offset of 0x1000 counts.
  EXPECT_EQ(SkipOf(S(0x10000, 0x20000, 0x7f0000001000), Config(0, kMax, 0x10000)),
            ListenerSkip::kUnaligned);
  EXPECT_EQ(SkipOf(S(0x10000, 0x20000, 0x7f0000001000), Config()), ListenerSkip::kMapped);
}

TEST(GuestMappingOf, EmptyAfterRounding) {
  // Inside one page.
  EXPECT_EQ(SkipOf(S(0x1800, 0x100, 0x7f0000000800), Config()), ListenerSkip::kEmpty);
  // Up to the next page boundary but not past it.
  EXPECT_EQ(SkipOf(S(0x1800, 0x800, 0x7f0000000800), Config()), ListenerSkip::kEmpty);
  // Across a page boundary but covering no whole page.
  EXPECT_EQ(SkipOf(S(0x1800, 0x1000, 0x7f0000000800), Config()), ListenerSkip::kEmpty);
  // One byte short of a whole page at an aligned start.
  EXPECT_EQ(SkipOf(S(0x2000, 0xfff, 0x7f0000002000), Config()), ListenerSkip::kEmpty);
  // Reaching one whole page: mapped.
  EXPECT_EQ(SkipOf(S(0x1800, 0x1800, 0x7f0000000800), Config()), ListenerSkip::kMapped);
}

TEST(GuestMappingOf, ReasonsAreCheckedInListenerOrder) {
  const DeviceConfig c = Config(/*first=*/0x10000, /*last=*/0xfffff);
  // Non-RAM wins over everything.
  EXPECT_EQ(SkipOf(S(0x0, 0x100, 0x7f0000000800, false, false), c), ListenerSkip::kNotRam);
  // Range checks come before the alignment check.
  EXPECT_EQ(SkipOf(S(0x800, 0x100000, 0x7f0000000000), c), ListenerSkip::kBelowRange);
  EXPECT_EQ(SkipOf(S(0x10000, 0x100000, 0x7f0000000800), c), ListenerSkip::kAboveRange);
  // Unaligned before empty.
  EXPECT_EQ(SkipOf(S(0x10800, 0x100, 0x7f0000000000), c), ListenerSkip::kUnaligned);
}

// --- The mapping -----------------------------------------------------------

TEST(GuestMappingOf, AlignedSectionMapsWhole) {
  // Facts section 2, row 3 (the smram-open-high alias).
  ListenerVerdict v =
      GuestMappingOf(S(0xfeda0000, 0x20000, 0x7f7903ea0000, false, true, "smram"), Config());
  ASSERT_EQ(v.skip, ListenerSkip::kMapped);
  EXPECT_TRUE(v.mapping.guest);
  EXPECT_EQ(v.mapping.gpa, 0xfeda0000u);
  EXPECT_EQ(v.mapping.hva, 0x7f7903ea0000u);
  EXPECT_EQ(v.mapping.len, 0x20000u);
  EXPECT_EQ(v.mapping.perm, kPermRW);
  EXPECT_EQ(v.mapping.asid, 0u);
  EXPECT_EQ(v.mapping.name, "smram");
  EXPECT_FALSE(v.mapping.predicted_iova.has_value());
}

TEST(GuestMappingOf, SubPageSectionIsRoundedInwardAndHvaShiftedByTheHead) {
  // gpa [0x10800, 0x13800): round_up(gpa) = 0x11000, round_down(end) = 0x13000.
  ListenerVerdict v = GuestMappingOf(S(0x10800, 0x3000, 0x7f0000000800), Config());
  ASSERT_EQ(v.skip, ListenerSkip::kMapped);
  EXPECT_EQ(v.mapping.gpa, 0x11000u);
  EXPECT_EQ(v.mapping.len, 0x2000u);
  EXPECT_EQ(v.mapping.hva, 0x7f0000001000u);  // shifted by the 0x800 head
}

TEST(GuestMappingOf, RoundingWithLargePages) {
  // 64 KiB pages: gpa [0x18000, 0x4c000) -> [0x20000, 0x40000).
  ListenerVerdict v =
      GuestMappingOf(S(0x18000, 0x34000, 0x7f0000008000), Config(0, kMax, 0x10000));
  ASSERT_EQ(v.skip, ListenerSkip::kMapped);
  EXPECT_EQ(v.mapping.gpa, 0x20000u);
  EXPECT_EQ(v.mapping.len, 0x20000u);
  EXPECT_EQ(v.mapping.hva, 0x7f0000010000u);
}

TEST(GuestMappingOf, OnlyTheTailIsCut) {
  ListenerVerdict v = GuestMappingOf(S(0x20000, 0x10fff, 0x7f0000020000), Config());
  ASSERT_EQ(v.skip, ListenerSkip::kMapped);
  EXPECT_EQ(v.mapping.gpa, 0x20000u);
  EXPECT_EQ(v.mapping.hva, 0x7f0000020000u);
  EXPECT_EQ(v.mapping.len, 0x10000u);
}

TEST(GuestMappingOf, ReadonlyIsRoElseRw) {
  EXPECT_EQ(GuestMappingOf(S(0xc0000, 0x20000, 0x7f00000c0000, /*readonly=*/true), Config())
                .mapping.perm,
            kPermRO);
  EXPECT_EQ(GuestMappingOf(S(0xc0000, 0x20000, 0x7f00000c0000, /*readonly=*/false), Config())
                .mapping.perm,
            kPermRW);
}

// --- Host buffers ----------------------------------------------------------

TEST(HostMappingOf, PageRoundedWithItsOwnPermAndAsid) {
  HostBuffer b;
  b.hva = 0x7f1234560000;
  b.size = 0x2c6;
  b.perm = kPermRO;
  b.asid = 1;
  b.name = "cvq-out";
  ExpectedMapping m = HostMappingOf(b, Config());
  EXPECT_FALSE(m.guest);
  EXPECT_EQ(m.hva, 0x7f1234560000u);
  EXPECT_EQ(m.len, 0x1000u);
  EXPECT_EQ(m.perm, kPermRO);
  EXPECT_EQ(m.asid, 1u);
  EXPECT_EQ(m.name, "cvq-out");
  EXPECT_FALSE(m.predicted_iova.has_value());

  b.size = 0x3001;
  b.perm = kPermRW;
  b.asid = 0;
  m = HostMappingOf(b, Config());
  EXPECT_EQ(m.len, 0x4000u);
  EXPECT_EQ(m.perm, kPermRW);
  EXPECT_EQ(m.asid, 0u);
  EXPECT_EQ(HostMappingOf(b, Config(0, kMax, 0x10000)).len, 0x10000u);
}

TEST(ListenerSkipName, EveryReasonHasItsOwnName) {
  std::set<std::string> names;
  for (ListenerSkip s : {ListenerSkip::kMapped, ListenerSkip::kNotRam,
                         ListenerSkip::kBelowRange, ListenerSkip::kAboveRange,
                         ListenerSkip::kUnaligned, ListenerSkip::kEmpty}) {
    names.insert(ListenerSkipName(s));
  }
  EXPECT_EQ(names.size(), 6u);
  EXPECT_EQ(names.count("?"), 0u);
}

}  // namespace
}  // namespace iovacheck
