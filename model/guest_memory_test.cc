#include "model/guest_memory.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

Section S(uint64_t gpa, uint64_t size, uint64_t hva, const char* name = "s",
          bool readonly = false) {
  Section s;
  s.gpa = gpa;
  s.size = size;
  s.hva = hva;
  s.readonly = readonly;
  s.name = name;
  return s;
}

std::vector<uint64_t> Gpas(const GuestMemory& m) {
  std::vector<uint64_t> out;
  for (const Section& s : m.Sections()) out.push_back(s.gpa);
  return out;
}

TEST(GuestMemory, AddsDisjointSectionsAndListsThemInGpaOrder) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(0x100000000, 0x1f80000000, 0x7f7983e00000, "high")).ok());
  ASSERT_TRUE(m.Add(S(0x0, 0x80000000, 0x7f7903e00000, "low")).ok());
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(Gpas(m), (std::vector<uint64_t>{0x0, 0x100000000}));
  EXPECT_EQ(m.Sections()[0], S(0x0, 0x80000000, 0x7f7903e00000, "low"));
}

// Find remembers its last hit (model/last_hit.h): a removal, an insertion
// that moves the tree's values, and a copy must each leave it right.
TEST(GuestMemory, FindStaysRightAcrossChangesAndCopies) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(0x1000, 0x1000, 0xa000, "a")).ok());
  ASSERT_NE(m.Find(0x1800), nullptr);
  ASSERT_TRUE(m.Remove(0x1000, 0x1000).ok());
  EXPECT_EQ(m.Find(0x1800), nullptr);
  ASSERT_TRUE(m.Add(S(0x1000, 0x1000, 0xb000, "b")).ok());
  ASSERT_NE(m.Find(0x1800), nullptr);
  for (uint64_t i = 2; i < 200; ++i) ASSERT_TRUE(m.Add(S(i * 0x1000, 0x1000, i * 0x10000)).ok());
  ASSERT_NE(m.Find(0x1800), nullptr);
  EXPECT_EQ(m.Find(0x1800)->hva, 0xb000u);
  GuestMemory copy = m;
  ASSERT_TRUE(m.Remove(0x1000, 0x1000).ok());
  EXPECT_EQ(m.Find(0x1800), nullptr);
  ASSERT_NE(copy.Find(0x1800), nullptr);
  EXPECT_EQ(copy.Find(0x1800)->name, "b");
  EXPECT_EQ(copy.Find(0x80800)->gpa, 0x80000u);
}

TEST(GuestMemory, RejectsOverlapWithTheFollowingSection) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(0x10000, 0x10000, 0x7f0000010000, "b")).ok());
  // Ends one byte into the live section.
  absl::Status st = m.Add(S(0x0, 0x10001, 0x7f0000000000, "a"));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.size(), 1u);
  // Ending exactly where it starts is fine.
  EXPECT_TRUE(m.Add(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());
}

TEST(GuestMemory, RejectsOverlapWithThePrecedingSection) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());
  // Starts on the live section's last byte.
  absl::Status st = m.Add(S(0xffff, 0x1000, 0x7f0000100000, "b"));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_TRUE(m.Add(S(0x10000, 0x1000, 0x7f0000100000, "b")).ok());
}

TEST(GuestMemory, RejectsSameStartAndContainment) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(0x10000, 0x10000, 0x7f0000010000, "a")).ok());
  EXPECT_EQ(m.Add(S(0x10000, 0x1000, 0x7f0000900000)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.Add(S(0x12000, 0x1000, 0x7f0000900000)).code(),
            absl::StatusCode::kInvalidArgument);
  // Covers the live one entirely, from both sides.
  EXPECT_EQ(m.Add(S(0x0, 0x100000, 0x7f0000900000)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.size(), 1u);
}

TEST(GuestMemory, RejectsOverlapBetweenTwoNeighbours) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());
  ASSERT_TRUE(m.Add(S(0x20000, 0x10000, 0x7f0000020000, "c")).ok());
  // Fits the hole exactly.
  EXPECT_TRUE(m.Add(S(0x10000, 0x10000, 0x7f0000010000, "b")).ok());
  EXPECT_EQ(Gpas(m), (std::vector<uint64_t>{0x0, 0x10000, 0x20000}));
}

TEST(GuestMemory, RejectsSizeZero) {
  GuestMemory m;
  EXPECT_EQ(m.Add(S(0x1000, 0, 0x7f0000000000)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.size(), 0u);
}

TEST(GuestMemory, RejectsGpaWrapPast2To64) {
  GuestMemory m;
  EXPECT_EQ(m.Add(S(kMax - 0xfff, 0x1001, 0x1000)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.size(), 0u);
  // Ending exactly at 2^64 does not wrap.
  EXPECT_TRUE(m.Add(S(kMax - 0xfff, 0x1000, 0x1000)).ok());
}

TEST(GuestMemory, RejectsHvaWrapPast2To64) {
  GuestMemory m;
  EXPECT_EQ(m.Add(S(0x1000, 0x2000, kMax - 0xfff)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.size(), 0u);
}

TEST(GuestMemory, AcceptsHvaAliasing) {
  // Facts section 2: smram-open-high's HVA lies inside low RAM's.
  GuestMemory m;
  const Section low = S(0x0, 0x80000000, 0x7f7903e00000, "pc.ram");
  const Section alias = S(0xfeda0000, 0x20000, 0x7f7903ea0000, "smram-open-high");
  ASSERT_TRUE(m.Add(low).ok());
  ASSERT_TRUE(m.Add(alias).ok());
  EXPECT_TRUE(HvaOverlaps(low, alias));
  // A full alias (same HVA and size) is fine too.
  ASSERT_TRUE(m.Add(S(0x100000000, 0x80000000, 0x7f7903e00000, "full-alias")).ok());
  EXPECT_EQ(m.size(), 3u);
}

TEST(GuestMemory, HvaOverlapsIsHalfOpen) {
  EXPECT_FALSE(HvaOverlaps(S(0, 0x1000, 0x7f0000000000), S(0x1000, 0x1000, 0x7f0000001000)));
  EXPECT_TRUE(HvaOverlaps(S(0, 0x1001, 0x7f0000000000), S(0x1000, 0x1000, 0x7f0000001000)));
}

TEST(GuestMemory, RemoveNeedsExactGpaAndSize) {
  GuestMemory m;
  const Section a = S(0x10000, 0x20000, 0x7f0000010000, "a");
  ASSERT_TRUE(m.Add(a).ok());
  EXPECT_EQ(m.Remove(0x10000, 0x10000).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(m.Remove(0x11000, 0x1f000).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(m.Remove(0x10000, 0x20001).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(m.size(), 1u);
  absl::StatusOr<Section> removed = m.Remove(0x10000, 0x20000);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, a);
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(m.Remove(0x10000, 0x20000).status().code(), absl::StatusCode::kNotFound);
}

TEST(GuestMemory, FindReturnsTheContainingSection) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(0x10000, 0x10000, 0x7f0000010000, "a")).ok());
  ASSERT_TRUE(m.Add(S(0x30000, 0x1000, 0x7f0000030000, "b")).ok());
  EXPECT_EQ(m.Find(0xffff), nullptr);
  ASSERT_NE(m.Find(0x10000), nullptr);
  EXPECT_EQ(m.Find(0x10000)->name, "a");
  EXPECT_EQ(m.Find(0x1ffff)->name, "a");
  EXPECT_EQ(m.Find(0x20000), nullptr);
  EXPECT_EQ(m.Find(0x30fff)->name, "b");
  EXPECT_EQ(m.Find(0x31000), nullptr);
}

TEST(GuestMemory, FindAtTheTopOfTheAddressSpace) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(kMax - 0xfff, 0x1000, 0x1000, "top")).ok());
  ASSERT_NE(m.Find(kMax), nullptr);
  EXPECT_EQ(m.Find(kMax)->name, "top");
}

TEST(GuestMemory, RemovedRangeCanBeReused) {
  GuestMemory m;
  ASSERT_TRUE(m.Add(S(0x0, 0x10000, 0x7f0000000000, "a")).ok());
  ASSERT_TRUE(m.Remove(0x0, 0x10000).ok());
  EXPECT_TRUE(m.Add(S(0x8000, 0x10000, 0x7f0000100000, "b")).ok());
}

// What Find must answer, by a walk over every live section.
const Section* FindByScan(const std::vector<Section>& live, uint64_t gpa) {
  for (const Section& s : live) {
    if (gpa >= s.gpa && gpa - s.gpa < s.size) return &s;
  }
  return nullptr;
}

// The page lookup answers for small page-aligned sections and the tree for
// the rest: sections of every kind (aligned or not, within the lookup's size
// or just over it) come and go in a small GPA window, and every lookup at
// and around each one's ends, and at random, must agree with a scan.
TEST(GuestMemory, FindAgreesWithAScanAsSectionsComeAndGo) {
  constexpr uint64_t kPage = PageLookup<Section>::kPageSize;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SplitMix64 rng(seed);
    GuestMemory m;
    std::vector<Section> live;
    for (int step = 0; step < 300; ++step) {
      if (!live.empty() && rng.Percent(40)) {
        const size_t i = rng.Below(live.size());
        ASSERT_TRUE(m.Remove(live[i].gpa, live[i].size).ok()) << "seed " << seed;
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        Section s;
        const uint64_t pages = rng.InRange(1, PageLookup<Section>::kMaxPages + 2);
        s.gpa = rng.Below(256) * kPage;
        s.size = pages * kPage;
        if (rng.Percent(30)) s.gpa += rng.InRange(1, kPage - 1);   // unaligned start
        if (rng.Percent(20)) s.size -= rng.InRange(1, kPage - 1);  // unaligned end
        s.hva = 0x7f0000000000 + step * 0x100000;
        if (FindByScan(live, s.gpa) != nullptr || FindByScan(live, s.gpa + s.size - 1) != nullptr) {
          continue;
        }
        bool overlaps = false;
        for (const Section& o : live) overlaps |= s.gpa < o.gpa + o.size && o.gpa < s.gpa + s.size;
        ASSERT_EQ(m.Add(s).ok(), !overlaps) << "seed " << seed << " " << SectionToString(s);
        if (!overlaps) live.push_back(s);
      }
      std::vector<uint64_t> probes;
      for (const Section& s : live) {
        for (uint64_t at : {s.gpa - 1, s.gpa, s.gpa + s.size - 1, s.gpa + s.size}) {
          probes.push_back(at);
        }
      }
      for (int i = 0; i < 16; ++i) probes.push_back(rng.Below(260 * kPage));
      const GuestMemory copy = m;
      for (uint64_t at : probes) {
        const Section* want = FindByScan(live, at);
        for (const GuestMemory* g : {static_cast<const GuestMemory*>(&m), &copy}) {
          const Section* got = g->Find(at);
          ASSERT_EQ(got == nullptr, want == nullptr)
              << "seed " << seed << " step " << step << " gpa 0x" << std::hex << at;
          if (want != nullptr) {
            ASSERT_EQ(*got, *want) << "seed " << seed << " step " << step;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace iovacheck
