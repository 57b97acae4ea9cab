// The vIOMMU notifier's side of vhost-vdpa: the guest's IOMMU MAP and UNMAP
// become UPDATE and INVALIDATE at guest IOVAs in address space 0, never
// batched (they arrive outside memory transactions). What the notifier
// mapped is remembered by guest IOVA so that a replayed MAP the device
// already holds is not sent again (it would be EEXIST) and a MAP over a
// different mapping first takes the old one away.
#ifndef IOVACHECK_TRANSLATOR_IOMMU_MAPPINGS_H_
#define IOVACHECK_TRANSLATOR_IOMMU_MAPPINGS_H_

#include <cstdint>

#include "translator/fixed_iova_map.h"
#include "translator/iotlb_sender.h"

namespace iovacheck {

class IommuMappings {
 public:
  explicit IommuMappings(IotlbSender* sender) : sender_(sender) {}

  // [giova, giova + size) -> hva. 0 without a message when exactly this is
  // live. Otherwise every live mapping it overlaps is invalidated (each over
  // its own range) and forgotten, then the UPDATE is sent. EINVAL for size 0
  // or a wrapping range. A device errno (the first refused INVALIDATE, after
  // which no UPDATE is sent, or the UPDATE's) leaves nothing tracked there.
  int Map(uint64_t giova, uint64_t size, uint64_t hva, uint8_t perm);
  // Forgets every live mapping overlapping [giova, last] and invalidates the
  // range whether or not anything was known there. EINVAL when last < giova.
  int Unmap(uint64_t giova, uint64_t last);

  const FixedIovaMap& mappings() const { return map_; }

 private:
  IotlbSender* sender_;
  FixedIovaMap map_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_IOMMU_MAPPINGS_H_
