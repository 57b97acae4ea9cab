#include "model/vfio_type1.h"

#include <cerrno>
#include <iterator>
#include <utility>

namespace iovacheck {

VfioType1Container::VfioType1Container(std::optional<std::pair<uint64_t, uint64_t>> aperture,
                                       uint32_t dma_entry_limit)
    : aperture_(aperture), dma_avail_(dma_entry_limit) {}

// vfio_find_dma (line 165) descends the rb-tree going left if
// start + size <= dma->iova, else right if start >= dma->iova + dma->size,
// else it has found dma; both sums in 64 bits. Where no sum wraps the tests
// agree with IOVA order, and the region found is the one overlapping the
// range. A region ending exactly at 2^64 has dma->iova + dma->size == 0:
// the descent, unless it goes left of it, goes right of it, and being the
// highest region it has nothing there. Such a region is invisible to every
// lookup, which is what the two 64-bit tests below reproduce.
const VfioDma* VfioType1Container::FindOverlapping(uint64_t start, uint64_t size) const {
  auto found = [&](const VfioDma& d) {
    return !(start + size <= d.iova) && !(start >= d.iova + d.size);
  };
  auto it = regions_.upper_bound(start);
  if (it != regions_.begin() && found(std::prev(it)->second)) return &std::prev(it)->second;
  if (it != regions_.end() && found(it->second)) return &it->second;
  return nullptr;
}

int VfioType1Container::MapDma(uint64_t iova, uint64_t size, uint64_t vaddr, uint32_t prot) {
  // Line 1569: a map must ask for READ, WRITE or both.
  if ((prot & (kVfioDmaRead | kVfioDmaWrite)) == 0) return EINVAL;
  // Line 1578: size non-zero; size, iova and vaddr page aligned.
  if (size == 0 || ((size | iova | vaddr) & (kPageSize - 1)) != 0) return EINVAL;
  // Line 1583: neither range may wrap (ending exactly at 2^64 is allowed).
  if (iova + size - 1 < iova || vaddr + size - 1 < vaddr) return EINVAL;
  // Line 1606: any overlap with a region is refused whole.
  if (FindOverlapping(iova, size) != nullptr) return EEXIST;
  // Line 1610: at most dma_entry_limit regions (line 58, default U16_MAX).
  if (dma_avail_ == 0) return ENOSPC;
  // Line 1615 (vfio_iommu_iova_dma_valid, line 1498): inside one of the
  // apertures, or anywhere when the container has none.
  if (aperture_ && (iova < aperture_->first || iova + size - 1 > aperture_->second)) {
    return EINVAL;
  }
  --dma_avail_;
  regions_.emplace(iova, VfioDma{iova, size, vaddr, prot & (kVfioDmaRead | kVfioDmaWrite)});
  return 0;
}

VfioUnmapResult VfioType1Container::UnmapDma(uint64_t iova, uint64_t size) {
  VfioUnmapResult r;
  r.err = EINVAL;
  // Line 1295: iova page aligned.
  if ((iova & (kPageSize - 1)) != 0) return r;
  // Line 1303: size non-zero, page aligned, and iova + size - 1 not wrapping.
  if (size == 0 || (size & (kPageSize - 1)) != 0 || iova + size - 1 < iova) return r;
  // Lines 1347-1354 (v2): the range may not bisect a region at either end.
  if (const VfioDma* first = FindOverlapping(iova, 1); first != nullptr && first->iova != iova) {
    return r;
  }
  if (const VfioDma* last = FindOverlapping(iova + size - 1, 0);
      last != nullptr && last->iova + last->size != iova + size) {
    return r;
  }
  r.err = 0;
  // Lines 1358-1407: every region from the first reaching iova is removed
  // until one starts at or past iova + size. That bound is computed in 64
  // bits: for a range ending exactly at 2^64 it is 0, the loop stops at its
  // first region, and the ioctl succeeds having unmapped nothing.
  // vfio_find_dma_first_node (line 184) finds the lowest region with
  // iova < dma->iova + dma->size (64 bits again: never one ending at 2^64).
  const uint64_t end = iova + size;
  auto it = regions_.upper_bound(iova);
  if (it != regions_.begin() && iova < std::prev(it)->second.iova + std::prev(it)->second.size) {
    --it;
  }
  if (it != regions_.end() && !(iova < it->second.iova + it->second.size)) ++it;
  const VfioDma* last_notified = nullptr;
  int retries = 0;
  while (it != regions_.end() && !(it->second.iova >= end)) {
    // Lines 1387-1398: a region with pinned pages goes to every device's
    // dma_unmap first, and the walk starts again; the same region still
    // pinned after ten retries is a BUG_ON.
    if (HasPins(it->second)) {
      if (last_notified == &it->second) {
        if (++retries > 10) {
          r.kernel_bug = true;
          return r;
        }
      } else {
        last_notified = &it->second;
        retries = 0;
      }
      const uint64_t dma_iova = it->second.iova;
      const uint64_t dma_size = it->second.size;
      for (const DmaUnmapCallback& device : devices_) device(dma_iova, dma_size);
      it = regions_.lower_bound(dma_iova);  // the callbacks may have changed the map
      continue;
    }
    r.unmapped += it->second.size;
    ++dma_avail_;
    it = regions_.erase(it);
  }
  return r;
}

void VfioType1Container::RegisterDevice(DmaUnmapCallback dma_unmap) {
  devices_.push_back(std::move(dma_unmap));
}

bool VfioType1Container::HasPins(const VfioDma& dma) const {
  auto it = pins_.lower_bound(dma.iova);
  return it != pins_.end() && it->first - dma.iova < dma.size;
}

VfioPinResult VfioType1Container::PinPages(uint64_t iova, int npage, uint32_t prot) {
  VfioPinResult r;
  // Line 816: no device with a dma_unmap callback, no pinning.
  if (devices_.empty()) {
    r.err = EINVAL;
    return r;
  }
  for (int i = 0; i < npage; ++i) {
    const uint64_t page = iova + kPageSize * static_cast<uint64_t>(i);
    const VfioDma* dma = FindOverlapping(page, kPageSize);
    // Lines 834-843: every page in a region whose permission covers prot;
    // otherwise the pages pinned so far are unpinned again (pin_unwind).
    int err = 0;
    if (dma == nullptr) {
      err = EINVAL;
    } else if ((dma->prot & prot) != prot) {
      err = EPERM;
    }
    if (err != 0) {
      for (int j = 0; j < i; ++j) UnpinPage(iova + kPageSize * static_cast<uint64_t>(j));
      r.err = err;
      r.pages.clear();
      return r;
    }
    // Lines 845-849 (vfio_iova_get_vfio_pfn, line 390): a page pinned
    // already is counted once more; else it is pinned with a count of one.
    ++pins_[page];
    r.pages.push_back(dma->vaddr + (page - dma->iova));
  }
  return r;
}

void VfioType1Container::UnpinPage(uint64_t iova) {
  // Line 400: the count drops; at zero the page is unpinned and forgotten.
  auto it = pins_.find(iova);
  if (it == pins_.end()) return;
  if (--it->second == 0) pins_.erase(it);
}

void VfioType1Container::UnpinPages(uint64_t iova, int npage) {
  // Lines 921-929: page by page, stopping at the first in no region.
  for (int i = 0; i < npage; ++i) {
    const uint64_t page = iova + kPageSize * static_cast<uint64_t>(i);
    if (FindOverlapping(page, kPageSize) == nullptr) break;
    UnpinPage(page);
  }
}

uint64_t VfioType1Container::TotalPins() const {
  uint64_t total = 0;
  for (const auto& [iova, count] : pins_) total += count;
  return total;
}

uint32_t VfioType1Container::PinCount(uint64_t iova) const {
  auto it = pins_.find(iova);
  return it == pins_.end() ? 0 : it->second;
}

const VfioDma* VfioType1Container::Find(uint64_t iova) const {
  return FindOverlapping(iova, 1);
}

std::vector<VfioDma> VfioType1Container::Regions() const {
  std::vector<VfioDma> out;
  for (const auto& [iova, dma] : regions_) out.push_back(dma);
  return out;
}

}  // namespace iovacheck
