#include "model/guest_memory.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

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

}  // namespace
}  // namespace iovacheck
