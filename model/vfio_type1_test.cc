// One test per rule of model/vfio_type1.h, each naming the line of
// drivers/vfio/vfio_iommu_type1.c (linux-source-6.12) it follows.
#include "model/vfio_type1.h"

#include <cerrno>
#include <utility>
#include <vector>

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

// Line 816: pinning needs a device whose dma_unmap callback can undo it.
TEST(VfioType1, PinWithoutADeviceIsRefused) {
  VfioType1Container c;
  ASSERT_EQ(c.MapDma(0x100000, 4 * kPage, 0x7f0000000000, kRW), 0);
  EXPECT_EQ(c.PinPages(0x100000, 1, kVfioDmaRead).err, EINVAL);
  c.RegisterDevice([](uint64_t, uint64_t) {});
  const VfioPinResult r = c.PinPages(0x101000, 2, kVfioDmaRead);
  EXPECT_EQ(r.err, 0);
  EXPECT_EQ(r.pages, (std::vector<uint64_t>{0x7f0000001000, 0x7f0000002000}));
  EXPECT_EQ(c.PinCount(0x101000), 1u);
}

// Lines 834-838 and pin_unwind: a page in no region fails the call, and
// what it pinned before that page is unpinned again.
TEST(VfioType1, PinOutsideARegionIsRefusedAndUnwound) {
  VfioType1Container c;
  c.RegisterDevice([](uint64_t, uint64_t) {});
  ASSERT_EQ(c.MapDma(0x100000, 2 * kPage, 0x7f0000000000, kRW), 0);
  ASSERT_EQ(c.PinPages(0x100000, 1, kVfioDmaRead).err, 0);  // pinned before: stays
  EXPECT_EQ(c.PinPages(0x100000, 3, kVfioDmaRead).err, EINVAL);
  EXPECT_EQ(c.PinCount(0x100000), 1u);
  EXPECT_EQ(c.PinCount(0x101000), 0u);
  EXPECT_EQ(c.PinnedPages(), 1u);
}

// Lines 840-843: the region must allow what the pin asks for.
TEST(VfioType1, PinNeedsTheRegionsPermission) {
  VfioType1Container c;
  c.RegisterDevice([](uint64_t, uint64_t) {});
  ASSERT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000000, kVfioDmaRead), 0);
  EXPECT_EQ(c.PinPages(0x100000, 1, kVfioDmaWrite).err, EPERM);
  EXPECT_EQ(c.PinPages(0x100000, 1, kVfioDmaRead).err, 0);
}

// Lines 390, 400: pins are counted per page; the page is released when the
// count returns to zero.
TEST(VfioType1, PinsAreCounted) {
  VfioType1Container c;
  c.RegisterDevice([](uint64_t, uint64_t) {});
  ASSERT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000000, kRW), 0);
  ASSERT_EQ(c.PinPages(0x100000, 1, kVfioDmaRead).err, 0);
  ASSERT_EQ(c.PinPages(0x100000, 1, kRW).err, 0);
  EXPECT_EQ(c.PinCount(0x100000), 2u);
  c.UnpinPages(0x100000, 1);
  EXPECT_EQ(c.PinCount(0x100000), 1u);
  c.UnpinPages(0x100000, 1);
  EXPECT_EQ(c.PinnedPages(), 0u);
  c.UnpinPages(0x100000, 1);  // an unpinned page: nothing happens
  EXPECT_EQ(c.PinnedPages(), 0u);
}

// Lines 921-929: unpinning stops at the first page in no region.
TEST(VfioType1, UnpinStopsAtTheFirstPageOutsideRegions) {
  VfioType1Container c;
  c.RegisterDevice([](uint64_t, uint64_t) {});
  ASSERT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000000, kRW), 0);
  ASSERT_EQ(c.MapDma(0x102000, kPage, 0x7f0000002000, kRW), 0);
  ASSERT_EQ(c.PinPages(0x100000, 1, kVfioDmaRead).err, 0);
  ASSERT_EQ(c.PinPages(0x102000, 1, kVfioDmaRead).err, 0);
  c.UnpinPages(0x100000, 3);  // 0x101000 is in no region: 0x102000 stays
  EXPECT_EQ(c.PinCount(0x100000), 0u);
  EXPECT_EQ(c.PinCount(0x102000), 1u);
}

// Lines 1387-1398, 1246: unmapping a region with pinned pages calls every
// device's dma_unmap with the region first; a vendor driver that unpins
// there lets the unmap through.
TEST(VfioType1, UnmapOfAPinnedRegionAsksTheDeviceToUnpinFirst) {
  VfioType1Container c;
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  c.RegisterDevice([&](uint64_t iova, uint64_t size) {
    calls.push_back({iova, size});
    c.UnpinPages(iova, static_cast<int>(size / kPage));
  });
  ASSERT_EQ(c.MapDma(0x100000, 4 * kPage, 0x7f0000000000, kRW), 0);
  ASSERT_EQ(c.PinPages(0x102000, 1, kVfioDmaRead).err, 0);
  const VfioUnmapResult r = c.UnmapDma(0x100000, 4 * kPage);
  EXPECT_EQ(r.err, 0);
  EXPECT_FALSE(r.kernel_bug);
  EXPECT_EQ(r.unmapped, 4 * kPage);
  EXPECT_EQ(calls, (std::vector<std::pair<uint64_t, uint64_t>>{{0x100000, 4 * kPage}}));
  EXPECT_EQ(c.PinnedPages(), 0u);
}

// Line 1390: a vendor driver that forgets to unpin is asked eleven times,
// then the kernel hits BUG_ON.
TEST(VfioType1, ADriverThatNeverUnpinsIsAKernelBug) {
  VfioType1Container c;
  int calls = 0;
  c.RegisterDevice([&](uint64_t, uint64_t) { ++calls; });
  ASSERT_EQ(c.MapDma(0x100000, kPage, 0x7f0000000000, kRW), 0);
  ASSERT_EQ(c.PinPages(0x100000, 1, kVfioDmaRead).err, 0);
  const VfioUnmapResult r = c.UnmapDma(0x100000, kPage);
  EXPECT_TRUE(r.kernel_bug);
  EXPECT_EQ(calls, 11);
}

}  // namespace
}  // namespace iovacheck
