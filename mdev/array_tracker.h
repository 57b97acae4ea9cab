// `mdev-array`: the vendor driver keeps, for every region it was told of, a
// flat array with one entry per page (the seed's "page table rooted in the
// vgpu_dma and indexed by the offset"). A lookup is an index; the memory
// is the region's pages whatever the device uses. Under pin-all every entry
// is pinned when the region is mapped; under pin-sparse an entry is pinned
// at its page's first use and counted by its users.
#ifndef IOVACHECK_MDEV_ARRAY_TRACKER_H_
#define IOVACHECK_MDEV_ARRAY_TRACKER_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "mdev/tracker.h"
#include "model/vfio_type1.h"

namespace iovacheck {

class ArrayTracker : public MdevTracker {
 public:
  // `container` must outlive the tracker.
  ArrayTracker(VfioType1Container* container, PinPolicy policy);

  int RegionMapped(uint64_t iova, uint64_t size) override;
  int Acquire(uint64_t gpa, uint32_t prot, uint64_t* vaddr) override;
  void Release(uint64_t gpa) override;
  void DmaUnmap(uint64_t iova, uint64_t size) override;
  std::optional<uint64_t> Lookup(uint64_t gpa) const override;
  std::vector<std::pair<uint64_t, uint64_t>> HeldRanges() const override;
  uint64_t PinsHeld() const override { return pins_; }

 private:
  struct Page {
    uint64_t vaddr = 0;
    uint32_t users = 0;   // pin-sparse: Acquires not yet Released
    bool pinned = false;
  };
  struct Region {
    uint64_t last = 0;  // inclusive
    uint32_t prot = 0;
    std::vector<Page> pages;
  };
  using Regions = absl::btree_map<uint64_t, Region>;  // by guest address
  // The region holding gpa and gpa's page in it, or {end, nullptr}.
  std::pair<Regions::iterator, Page*> At(uint64_t gpa);
  void Unpin(uint64_t page_gpa, Page& page);

  VfioType1Container* container_;
  PinPolicy policy_;
  Regions regions_;
  uint64_t pins_ = 0;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_ARRAY_TRACKER_H_
