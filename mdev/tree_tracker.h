// `mdev-tree`: the vendor driver keeps what it holds as a B-tree of guest
// ranges, each with the vaddr type1 pinned it at. Under pin-all a range is
// a whole region (one entry per MAP_DMA, pinned page by page when mapped);
// under pin-sparse a range is one page, pinned when the device first uses
// it and counted by its users.
#ifndef IOVACHECK_MDEV_TREE_TRACKER_H_
#define IOVACHECK_MDEV_TREE_TRACKER_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "mdev/tracker.h"
#include "model/vfio_type1.h"

namespace iovacheck {

class TreeTracker : public MdevTracker {
 public:
  // `container` must outlive the tracker.
  TreeTracker(VfioType1Container* container, PinPolicy policy);

  int RegionMapped(uint64_t iova, uint64_t size) override;
  int Acquire(uint64_t gpa, uint32_t prot, uint64_t* vaddr) override;
  void Release(uint64_t gpa) override;
  void DmaUnmap(uint64_t iova, uint64_t size) override;
  std::optional<uint64_t> Lookup(uint64_t gpa) const override;
  std::vector<std::pair<uint64_t, uint64_t>> HeldRanges() const override;
  uint64_t PinsHeld() const override { return pins_; }

 private:
  struct Range {
    uint64_t last = 0;  // inclusive
    uint64_t vaddr = 0;
    uint32_t prot = 0;
    uint32_t users = 0;  // pin-sparse: Acquires not yet Released
  };
  using Ranges = absl::btree_map<uint64_t, Range>;  // by guest address
  // Unpins the range's pages (one pin each) and forgets it.
  Ranges::iterator Drop(Ranges::iterator it);

  VfioType1Container* container_;
  PinPolicy policy_;
  Ranges ranges_;
  uint64_t pins_ = 0;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_TREE_TRACKER_H_
