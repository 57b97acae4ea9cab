// A VFIO type1 IOMMU container as Linux 6.12 keeps it
// (drivers/vfio/vfio_iommu_type1.c): coarse vfio_dma regions, IOVA (= GPA
// for a VM) -> vaddr with a device-side permission, created by
// VFIO_IOMMU_MAP_DMA and destroyed by VFIO_IOMMU_UNMAP_DMA with the v2
// semantics QEMU asks for (VFIO_TYPE1v2_IOMMU). The second domain of issue
// [9] (seed 003: mdev per-page tracking) builds on it.
//
// Each rule cites the line of vfio_iommu_type1.c (linux-source-6.12,
// 6.12.117) it follows; //model:vfio_type1_test has one test per rule.
// Modelled: page size 4 KiB (the pgsize_bitmap's smallest page), one IOVA
// aperture (the container's iova_list; empty means any IOVA, as with a
// single mdev), the dma_entry_limit, pinning for mdev vendor drivers
// (vfio_pin_pages / vfio_unpin_pages with per-page reference counts, and
// the dma_unmap notifier an unmap of a pinned region calls first), and
// 6.12's arithmetic at the top of the
// address space (a region may end exactly at 2^64, after which the lookups
// cannot see it and an unmap reaching 2^64 unmaps nothing). Beyond that the
// model stops following the kernel: vfio_link_dma puts a second region
// ending at 2^64 left of every other, and the kernel's tree is out of IOVA
// order from then on; this model keeps IOVA order. Not modelled:
// VFIO_DMA_MAP_FLAG_VADDR, dirty tracking, v1 semantics, locked-memory
// accounting.
#ifndef IOVACHECK_MODEL_VFIO_TYPE1_H_
#define IOVACHECK_MODEL_VFIO_TYPE1_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"  // btree_multimap

namespace iovacheck {

// VFIO_DMA_MAP_FLAG_READ / _WRITE: the device's access.
inline constexpr uint32_t kVfioDmaRead = 1u << 0;
inline constexpr uint32_t kVfioDmaWrite = 1u << 1;

struct VfioDma {
  uint64_t iova = 0;
  uint64_t size = 0;
  uint64_t vaddr = 0;
  uint32_t prot = 0;  // kVfioDmaRead | kVfioDmaWrite
  bool operator==(const VfioDma& o) const {
    return iova == o.iova && size == o.size && vaddr == o.vaddr && prot == o.prot;
  }
};

struct VfioUnmapResult {
  int err = 0;            // 0 or a positive errno, as the ioctl returns it negated
  uint64_t unmapped = 0;  // what the kernel writes back into unmap->size
  // The vendor driver left pages of a region pinned through 11 notifier
  // calls: the kernel's BUG_ON (line 1390), a crash, not an errno.
  bool kernel_bug = false;
};

struct VfioPinResult {
  int err = 0;                  // 0 or a positive errno (nothing stays pinned)
  std::vector<uint64_t> pages;  // err == 0: the vaddr of each page pinned
};

class VfioType1Container {
 public:
  static constexpr uint64_t kPageSize = 0x1000;
  // The module parameter's default: U16_MAX regions per container.
  static constexpr uint32_t kDefaultDmaEntryLimit = 0xffff;

  // `aperture`: the inclusive IOVA range the attached IOMMU accepts, or none
  // (any IOVA).
  explicit VfioType1Container(std::optional<std::pair<uint64_t, uint64_t>> aperture =
                                  std::nullopt,
                              uint32_t dma_entry_limit = kDefaultDmaEntryLimit);

  // VFIO_IOMMU_MAP_DMA with flags = prot (no VADDR flag): 0 or an errno.
  int MapDma(uint64_t iova, uint64_t size, uint64_t vaddr, uint32_t prot);
  // VFIO_IOMMU_UNMAP_DMA (v2), no flags.
  VfioUnmapResult UnmapDma(uint64_t iova, uint64_t size);

  // An mdev device opened on the container: its dma_unmap callback, which
  // must unpin what it pinned in [iova, iova + size). Pinning needs one.
  using DmaUnmapCallback = std::function<void(uint64_t iova, uint64_t size)>;
  void RegisterDevice(DmaUnmapCallback dma_unmap);

  // vfio_pin_pages: npage pages from iova, each in a region allowing
  // `prot`; a page pinned already has its count raised.
  VfioPinResult PinPages(uint64_t iova, int npage, uint32_t prot);
  // vfio_unpin_pages: stops at the first page in no region.
  void UnpinPages(uint64_t iova, int npage);
  // How many times the page pinned at exactly iova is (0: not pinned; the
  // kernel's vfio_pfn list is keyed by the IOVA the pin named).
  uint32_t PinCount(uint64_t iova) const;
  // Pinned pages, all regions together (a leak check's total).
  size_t PinnedPages() const { return pins_.size(); }
  // Their pin counts summed.
  uint64_t TotalPins() const;

  // The region holding iova, or null.
  const VfioDma* Find(uint64_t iova) const;
  std::vector<VfioDma> Regions() const;

 private:
  // vfio_find_dma: a region overlapping [start, start + size), computed in
  // 64 bits as the kernel does (size 0 finds one only strictly around it).
  const VfioDma* FindOverlapping(uint64_t start, uint64_t size) const;

  // Drops one pin of the page at iova (vfio_unpin_page_external, line 770).
  void UnpinPage(uint64_t iova);
  bool HasPins(const VfioDma& dma) const;

  std::optional<std::pair<uint64_t, uint64_t>> aperture_;
  std::vector<DmaUnmapCallback> devices_;
  // The vfio_pfn list of every region together: page IOVA -> pin count.
  absl::btree_map<uint64_t, uint32_t> pins_;
  uint32_t dma_avail_;
  // By IOVA. A multimap: a region ending at 2^64 is invisible to the
  // kernel's lookups, so a later map over it is not refused (and may start
  // at the same IOVA).
  absl::btree_multimap<uint64_t, VfioDma> regions_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_VFIO_TYPE1_H_
