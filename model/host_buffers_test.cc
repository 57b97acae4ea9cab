#include "model/host_buffers.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kPage = 0x1000;

HostBuffer B(uint64_t hva, uint64_t size, uint8_t perm = kPermRW, uint32_t asid = 0,
             const char* name = "buf") {
  HostBuffer b;
  b.hva = hva;
  b.size = size;
  b.perm = perm;
  b.asid = asid;
  b.name = name;
  return b;
}

TEST(HostBuffers, MappedLengthRoundsUpToThePage) {
  HostBuffers h(kPage);
  EXPECT_EQ(h.MappedLength(B(0x7f0000000000, 1)), 0x1000u);
  EXPECT_EQ(h.MappedLength(B(0x7f0000000000, 0x1000)), 0x1000u);
  EXPECT_EQ(h.MappedLength(B(0x7f0000000000, 0x1001)), 0x2000u);
  HostBuffers big(0x10000);
  EXPECT_EQ(big.MappedLength(B(0x7f0000000000, 0x2c6)), 0x10000u);
}

// Find remembers its last hit (model/last_hit.h): removals, insertions that
// move the tree's values, and copies must each leave it right.
TEST(HostBuffers, FindStaysRightAcrossChangesAndCopies) {
  HostBuffers h(kPage);
  ASSERT_TRUE(h.Add(B(0x10000, 0x800, kPermRO)).ok());
  ASSERT_NE(h.Find(0x10fff), nullptr);  // inside the page-rounded extent
  ASSERT_TRUE(h.Remove(0x10000, 0x800).ok());
  EXPECT_EQ(h.Find(0x10fff), nullptr);
  ASSERT_TRUE(h.Add(B(0x10000, 0x2000, kPermWO)).ok());
  for (uint64_t i = 1; i < 200; ++i) ASSERT_TRUE(h.Add(B(0x10000 + i * 0x10000, kPage)).ok());
  ASSERT_NE(h.Find(0x11000), nullptr);
  EXPECT_EQ(h.Find(0x11000)->perm, kPermWO);
  HostBuffers copy = h;
  ASSERT_TRUE(h.Remove(0x10000, 0x2000).ok());
  EXPECT_EQ(h.Find(0x11000), nullptr);
  ASSERT_NE(copy.Find(0x11000), nullptr);
  EXPECT_EQ(copy.Find(0x11000)->size, 0x2000u);
  EXPECT_EQ(copy.Find(0x12000), nullptr);  // past the buffer, before the next
}

TEST(HostBuffers, RejectsUnalignedHvaAndSizeZero) {
  HostBuffers h(kPage);
  EXPECT_EQ(h.Add(B(0x7f0000000800, 0x100)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(h.Add(B(0x7f0000000000, 0)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(h.Buffers().empty());
}

TEST(HostBuffers, RejectsWrapOfThePageRoundedExtent) {
  HostBuffers h(kPage);
  // 0x1001 bytes at the last page round up to two pages: past 2^64.
  EXPECT_EQ(h.Add(B(kMax - 0xfff, 0x1001)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(h.Buffers().empty());
  // One page at the last page ends exactly at 2^64.
  EXPECT_TRUE(h.Add(B(kMax - 0xfff, 0x1000)).ok());
}

TEST(HostBuffers, RejectsOverlapOfPageRoundedExtents) {
  HostBuffers h(kPage);
  ASSERT_TRUE(h.Add(B(0x7f0000000000, 0x100, kPermRO, 0, "desc")).ok());
  // The first buffer is 0x100 bytes but occupies its whole page.
  EXPECT_EQ(h.Add(B(0x7f0000000000, 0x1000)).code(), absl::StatusCode::kInvalidArgument);
  // A buffer before it whose rounded extent reaches into it.
  EXPECT_EQ(h.Add(B(0x7effffffe000, 0x2001)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(h.Buffers().size(), 1u);
  // The next page and the page before are free.
  EXPECT_TRUE(h.Add(B(0x7f0000001000, 0x10, kPermRW, 0, "used")).ok());
  EXPECT_TRUE(h.Add(B(0x7effffffe000, 0x2000)).ok());
  ASSERT_EQ(h.Buffers().size(), 3u);
  EXPECT_EQ(h.Buffers()[0].hva, 0x7effffffe000u);
  EXPECT_EQ(h.Buffers()[1].name, "desc");
  EXPECT_EQ(h.Buffers()[2].name, "used");
}

TEST(HostBuffers, FindUsesThePageRoundedExtent) {
  HostBuffers h(kPage);
  ASSERT_TRUE(h.Add(B(0x7f0000000000, 0x100, kPermRO, 1, "cvq-out")).ok());
  ASSERT_NE(h.Find(0x7f0000000000), nullptr);
  EXPECT_EQ(h.Find(0x7f0000000000)->name, "cvq-out");
  EXPECT_EQ(h.Find(0x7f00000000ff)->name, "cvq-out");
  // Past the size but inside the rounded page.
  ASSERT_NE(h.Find(0x7f0000000fff), nullptr);
  EXPECT_EQ(h.Find(0x7f0000000fff)->asid, 1u);
  EXPECT_EQ(h.Find(0x7f0000001000), nullptr);
  EXPECT_EQ(h.Find(0x7effffffffff), nullptr);
}

TEST(HostBuffers, RemoveNeedsExactHvaAndSize) {
  HostBuffers h(kPage);
  const HostBuffer b = B(0x7f0000000000, 0x100, kPermRO, 0, "desc");
  ASSERT_TRUE(h.Add(b).ok());
  // Same page-rounded extent, different size: still not this buffer.
  EXPECT_EQ(h.Remove(0x7f0000000000, 0x1000).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(h.Remove(0x7f0000001000, 0x100).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<HostBuffer> removed = h.Remove(0x7f0000000000, 0x100);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, b);
  EXPECT_TRUE(h.Buffers().empty());
  EXPECT_EQ(h.Find(0x7f0000000000), nullptr);
}

// A buffer whose page-rounded extent is the whole 2^64 address space cannot
// have its length represented in 64 bits. Either Add refuses it, or the model
// must still see its extent: it may never hold two overlapping buffers.
TEST(HostBuffers, WholeAddressSpaceBufferNeverHidesAnOverlap) {
  HostBuffers h(kPage);
  const bool first = h.Add(B(0x0, kMax, kPermRW, 0, "everything")).ok();
  const bool second = h.Add(B(0x10000, 0x1000, kPermRW, 0, "inside")).ok();
  EXPECT_FALSE(first && second)
      << "both accepted; the first buffer's rounded extent [0, 2^64) contains "
         "the second";
  if (first) {
    EXPECT_NE(h.Find(0x10000), nullptr);
  }
}

}  // namespace
}  // namespace iovacheck
