// Where a design keeps host-only memory (SVQ vring areas, CVQ buffers), the
// memory that has an HVA and no GPA: decoupled's HVA -> IOVA tree per
// address space (host_iova_trees.h) or seed 004's linear window
// (svq_window.h). Guest memory is the translator's own business.
#ifndef IOVACHECK_TRANSLATOR_HOST_BUFFER_MAP_H_
#define IOVACHECK_TRANSLATOR_HOST_BUFFER_MAP_H_

#include <cstdint>
#include <vector>

#include "model/iovec.h"
#include "translator/device_reset.h"

namespace iovacheck {

class HostBufferMap {
 public:
  virtual ~HostBufferMap() = default;

  // Translator::MapHostBuffer and UnmapHostBuffer, with the same results.
  virtual int Map(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) = 0;
  virtual int Unmap(uint64_t hva, uint64_t size, uint32_t asid) = 0;

  // IOVA of [hva, last] when some address space holds it whole, else EFAULT.
  virtual int Translate(uint64_t hva, uint64_t last, uint64_t* iova) const = 0;

  // Every host buffer mapped, for a reset without IOTLB_PERSIST.
  virtual void AppendLive(std::vector<LiveMapping>* live) const = 0;

  // IOVA ranges it holds that the translator's allocator does not list, and
  // from now on their changes (Translator::JournalAllocations).
  virtual void AppendAllocations(std::vector<IovaAllocation>* out) const = 0;
  virtual void JournalTo(std::vector<AllocationChange>* journal) = 0;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_HOST_BUFFER_MAP_H_
