// What happens in the mdev domain, one event at a time: QEMU maps and
// unmaps guest memory in the VFIO type1 container (MAP_DMA / UNMAP_DMA, the
// IOVA being the GPA), and the mediated device starts and stops using guest
// pages (the vendor driver's vfio_pin_pages / vfio_unpin_pages path, through
// its tracker). The mdev harness (mdev/harness.h) runs them.
#ifndef IOVACHECK_MDEV_EVENT_H_
#define IOVACHECK_MDEV_EVENT_H_

#include <cstdint>
#include <string>
#include <variant>

namespace iovacheck {

// VFIO_IOMMU_MAP_DMA of [iova, iova + size) -> vaddr with prot
// (kVfioDmaRead | kVfioDmaWrite).
struct MapDmaEvent {
  uint64_t iova = 0;
  uint64_t size = 0;
  uint64_t vaddr = 0;
  uint32_t prot = 0;
};

// VFIO_IOMMU_UNMAP_DMA (v2) of [iova, iova + size): a whole region, or a
// balloon-like piece of one, which type1 refuses.
struct UnmapDmaEvent {
  uint64_t iova = 0;
  uint64_t size = 0;
};

// The device starts a DMA to the guest page holding gpa, for prot.
struct DeviceUseEvent {
  uint64_t gpa = 0;
  uint32_t prot = 0;
};

// The device is done with a use of gpa: the oldest one not yet done. Without
// one (its use failed, or its region went), nothing happens.
struct DeviceDoneEvent {
  uint64_t gpa = 0;
};

using MdevEvent = std::variant<MapDmaEvent, UnmapDmaEvent, DeviceUseEvent, DeviceDoneEvent>;

// One line, as the harness and the shrinker print it.
std::string MdevEventToString(const MdevEvent& event);

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_EVENT_H_
