// One test per rule of model/vfio_type1.h, each naming the line of
// drivers/vfio/vfio_iommu_type1.c (linux-source-6.12) it follows.
#include "model/vfio_type1.h"

#include <cerrno>

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = VfioType1Container::kPageSize;
constexpr uint32_t kRW = kVfioDmaRead | kVfioDmaWrite;
constexpr uint64_t kTop = ~uint64_t{0};

// Line 1569: a map without READ or WRITE is refused.
TEST(VfioType1, MapWithoutPermissionIsRefused) {
  VfioType1Container c;
  EXPECT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000000, 0), EINVAL);
  EXPECT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000000, kVfioDmaRead), 0);
}

// Line 1578: size 0, or size, iova or vaddr off a page boundary.
TEST(VfioType1, MapMustBeNonEmptyAndPageAligned) {
  VfioType1Container c;
  EXPECT_EQ(c.MapDma(0x100000, 0, 0x7f0000000000, kRW), EINVAL);
  EXPECT_EQ(c.MapDma(0x100000, kPage + 1, 0x7f0000000000, kRW), EINVAL);
  EXPECT_EQ(c.MapDma(0x100800, kPage, 0x7f0000000000, kRW), EINVAL);
  EXPECT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000800, kRW), EINVAL);
  EXPECT_TRUE(c.Regions().empty());
}

// Line 1583: neither range may wrap; ending exactly at 2^64 is no wrap.
TEST(VfioType1, MapMayNotWrapButMayEndAtTheTop) {
  VfioType1Container c;
  EXPECT_EQ(c.MapDma(kTop - kPage + 1, 2 * kPage, 0x7f0000000000, kRW), EINVAL);
  EXPECT_EQ(c.MapDma(0x100000, 2 * kPage, kTop - kPage + 1, kRW), EINVAL);
  EXPECT_EQ(c.MapDma(kTop - kPage + 1, kPage, 0x7f0000000000, kRW), 0);
}

// Line 1606: any overlap with a region refuses the whole map.
TEST(VfioType1, OverlapIsRefused) {
  VfioType1Container c;
  ASSERT_EQ(c.MapDma(0x100000, 4 * kPage, 0x7f0000000000, kRW), 0);
  EXPECT_EQ(c.MapDma(0x103000, 2 * kPage, 0x7f0000100000, kRW), EEXIST);
  EXPECT_EQ(c.MapDma(0x0ff000, 2 * kPage, 0x7f0000100000, kRW), EEXIST);
  EXPECT_EQ(c.MapDma(0x104000, kPage, 0x7f0000100000, kRW), 0);  // adjacent is fine
  EXPECT_EQ(c.MapDma(0x0ff000, kPage, 0x7f0000200000, kRW), 0);
}

// Lines 58, 1610: at most dma_entry_limit regions; an unmap gives one back.
TEST(VfioType1, RegionsAreLimited) {
  VfioType1Container c(std::nullopt, /*dma_entry_limit=*/2);
  ASSERT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000000, kRW), 0);
  ASSERT_EQ(c.MapDma(0x200000, kPage, 0x7f0000001000, kRW), 0);
  EXPECT_EQ(c.MapDma(0x300000, kPage, 0x7f0000002000, kRW), ENOSPC);
  ASSERT_EQ(c.UnmapDma(0x100000, kPage).err, 0);
  EXPECT_EQ(c.MapDma(0x300000, kPage, 0x7f0000002000, kRW), 0);
}

// Lines 1498, 1615: the whole range inside the IOMMU's aperture.
TEST(VfioType1, MapOutsideTheApertureIsRefused) {
  VfioType1Container c(std::make_pair(uint64_t{0x100000}, uint64_t{0x1fffff}));
  EXPECT_EQ(c.MapDma(0x0ff000, kPage, 0x7f0000000000, kRW), EINVAL);
  EXPECT_EQ(c.MapDma(0x1ff000, 2 * kPage, 0x7f0000000000, kRW), EINVAL);
  EXPECT_EQ(c.MapDma(0x1ff000, kPage, 0x7f0000000000, kRW), 0);
}

// Lines 1295, 1303: unmap iova and size page aligned, size non-zero, no wrap.
TEST(VfioType1, UnmapArgumentsAreChecked) {
  VfioType1Container c;
  ASSERT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000000, kRW), 0);
  EXPECT_EQ(c.UnmapDma(0x100800, kPage).err, EINVAL);
  EXPECT_EQ(c.UnmapDma(0x100000, 0).err, EINVAL);
  EXPECT_EQ(c.UnmapDma(0x100000, kPage + 1).err, EINVAL);
  EXPECT_EQ(c.UnmapDma(kTop - kPage + 1, 2 * kPage).err, EINVAL);
  EXPECT_EQ(c.Regions().size(), 1u);
}

// Lines 1347-1354 (v2): an unmap may not bisect a region at either end;
// it may cover several whole regions, and a range holding none succeeds
// with nothing unmapped.
TEST(VfioType1, UnmapMustCoverWholeRegions) {
  VfioType1Container c;
  ASSERT_EQ(c.MapDma(0x100000, 4 * kPage, 0x7f0000000000, kRW), 0);
  ASSERT_EQ(c.MapDma(0x104000, 4 * kPage, 0x7f0000100000, kRW), 0);
  EXPECT_EQ(c.UnmapDma(0x101000, kPage).err, EINVAL);          // inside the first
  EXPECT_EQ(c.UnmapDma(0x100000, 5 * kPage).err, EINVAL);      // bisects the second
  EXPECT_EQ(c.UnmapDma(0x0f0000, 0x11000).err, EINVAL);        // ends inside the first
  const VfioUnmapResult none = c.UnmapDma(0x200000, kPage);
  EXPECT_EQ(none.err, 0);
  EXPECT_EQ(none.unmapped, 0u);
  const VfioUnmapResult both = c.UnmapDma(0x0f0000, 0x20000);
  EXPECT_EQ(both.err, 0);
  EXPECT_EQ(both.unmapped, 8 * kPage);
  EXPECT_TRUE(c.Regions().empty());
}

// Lines 1358-1361 with line 165: 6.12 computes dma->iova + dma->size and
// iova + size in 64 bits. A region ending exactly at 2^64 is then invisible
// to its lookups: an unmap reaching 2^64 succeeds having unmapped nothing,
// and a map over the region is not refused.
TEST(VfioType1, ARegionEndingAtTheTopCannotBeUnmapped) {
  VfioType1Container c;
  ASSERT_EQ(c.MapDma(kTop - 2 * kPage + 1, 2 * kPage, 0x7f0000000000, kRW), 0);
  const VfioUnmapResult r = c.UnmapDma(kTop - 2 * kPage + 1, 2 * kPage);
  EXPECT_EQ(r.err, 0);
  EXPECT_EQ(r.unmapped, 0u);
  EXPECT_EQ(c.Regions().size(), 1u);
  EXPECT_EQ(c.Find(kTop), nullptr);
  EXPECT_EQ(c.MapDma(kTop - kPage + 1, kPage, 0x7f0000100000, kRW), 0);
  EXPECT_EQ(c.Regions().size(), 2u);
  // Below the top, lookups and unmaps work as anywhere else.
  ASSERT_EQ(c.MapDma(0x100000, kPage, 0x7f0000200000, kRW), 0);
  EXPECT_NE(c.Find(0x100fff), nullptr);
  EXPECT_EQ(c.UnmapDma(0x100000, kPage).unmapped, kPage);
}

}  // namespace
}  // namespace iovacheck
