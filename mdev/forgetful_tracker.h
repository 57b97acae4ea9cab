// A vendor driver bug seed 003 warns of: the dma_unmap callback returns
// without unpinning, so type1 finds the region still pinned after asking
// (vfio_iommu_type1.c's BUG_ON after eleven tries). Everything else is the
// wrapped tracker's.
#ifndef IOVACHECK_MDEV_FORGETFUL_TRACKER_H_
#define IOVACHECK_MDEV_FORGETFUL_TRACKER_H_

#include <memory>
#include <utility>

#include "mdev/tracker.h"

namespace iovacheck {

class ForgetfulTracker : public MdevTracker {
 public:
  explicit ForgetfulTracker(std::unique_ptr<MdevTracker> inner) : inner_(std::move(inner)) {}

  int RegionMapped(uint64_t iova, uint64_t size) override {
    return inner_->RegionMapped(iova, size);
  }
  int Acquire(uint64_t gpa, uint32_t prot, uint64_t* vaddr) override {
    return inner_->Acquire(gpa, prot, vaddr);
  }
  void Release(uint64_t gpa) override { inner_->Release(gpa); }
  void DmaUnmap(uint64_t, uint64_t) override {}  // the bug
  std::optional<uint64_t> Lookup(uint64_t gpa) const override { return inner_->Lookup(gpa); }
  std::vector<std::pair<uint64_t, uint64_t>> HeldRanges() const override {
    return inner_->HeldRanges();
  }
  uint64_t PinsHeld() const override { return inner_->PinsHeld(); }

 private:
  std::unique_ptr<MdevTracker> inner_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_FORGETFUL_TRACKER_H_
