// What an mdev vendor driver keeps of the guest memory its device reaches
// (seed 003): for each guest page in use, the host page VFIO type1 pinned
// for it (here type1's vaddr: model/vfio_type1.h stands in for the kernel).
// The seed weighs two structures (a tree of ranges; a flat array per
// registered region) and two pinning policies:
//   pin-all     every page of a region is pinned when the region is mapped
//               and unpinned when type1's dma_unmap notifier names it;
//   pin-sparse  a page is pinned when the device first uses it, counted,
//               and unpinned when its last user is done or the notifier
//               names it.
// The harness drives a tracker with the container's events and the
// device's page accesses; mdev/check_tracker.h holds it to type1.
#ifndef IOVACHECK_MDEV_TRACKER_H_
#define IOVACHECK_MDEV_TRACKER_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace iovacheck {

enum class PinPolicy { kPinAll, kPinSparse };

class MdevTracker {
 public:
  virtual ~MdevTracker() = default;

  // QEMU mapped [iova, iova + size) in the container (VFIO_IOMMU_MAP_DMA
  // succeeded). 0 or the errno of a pin type1 refused.
  virtual int RegionMapped(uint64_t iova, uint64_t size) = 0;
  // The device starts using the guest page holding gpa for `prot`
  // (kVfioDmaRead / kVfioDmaWrite): 0 and the vaddr its DMA reaches, or an
  // errno (nothing held).
  virtual int Acquire(uint64_t gpa, uint32_t prot, uint64_t* vaddr) = 0;
  // The device is done with that page: one Release per successful Acquire.
  virtual void Release(uint64_t gpa) = 0;
  // type1's dma_unmap notifier: everything held in [iova, iova + size) is
  // unpinned and forgotten.
  virtual void DmaUnmap(uint64_t iova, uint64_t size) = 0;

  // For the oracle: the vaddr held for gpa, or nullopt.
  virtual std::optional<uint64_t> Lookup(uint64_t gpa) const = 0;
  // For the oracle: the guest ranges [start, start + size) it holds.
  virtual std::vector<std::pair<uint64_t, uint64_t>> HeldRanges() const = 0;
  // For the oracle: how many pins of type1 this tracker holds in all.
  virtual uint64_t PinsHeld() const = 0;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_TRACKER_H_
