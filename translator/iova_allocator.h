// The decoupled design's IOVA-only allocator: every IOVA range handed out,
// for guest memory and host buffers alike, and nothing else. Translations
// live in their own maps; this only answers "where is the next free range".
#ifndef IOVACHECK_TRANSLATOR_IOVA_ALLOCATOR_H_
#define IOVACHECK_TRANSLATOR_IOVA_ALLOCATOR_H_

#include <cstdint>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/numeric/int128.h"
#include "model/device_config.h"
#include "model/first_fit_allocator.h"
#include "translator/translator.h"

namespace iovacheck {

// The lowest IOVA a translator hands out: the device's first usable address,
// but never page 0 ("some devices do not like 0 addresses").
uint64_t AllocatableIovaFirst(const DeviceConfig& config);

class IovaAllocator {
 public:
  // Hands out addresses in [first, last] (last inclusive).
  IovaAllocator(uint64_t first, uint64_t last) : fit_(first, last) {}
  explicit IovaAllocator(const DeviceConfig& config)
      : IovaAllocator(AllocatableIovaFirst(config), config.iova_last) {}

  // First fit, O(log n) in the allocations. 0 and *iova on success; EINVAL for len 0 (QEMU's
  // IOVA_ERR_INVALID); ENOMEM when no hole fits below last (IOVA_ERR_NOMEM).
  int Allocate(absl::uint128 len, uint64_t* iova);

  // Frees every allocation overlapping [iova, iova + len), whole.
  void Remove(uint64_t iova, absl::uint128 len);

  std::vector<IovaAllocation> Allocations() const;
  void JournalTo(std::vector<AllocationChange>* journal) { fit_.JournalTo(journal); }

 private:
  // QEMU's first fit, in O(log n) (model/first_fit_allocator.h).
  FirstFitAllocator fit_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_IOVA_ALLOCATOR_H_
