// Mappings at an IOVA the translator does not choose: guest memory at
// IOVA = GPA when there is no shadow data, and guest IOVAs the vIOMMU
// notifier names. Nothing here is allocated; the map only remembers what the
// device was told, so that it can be unmapped, replayed or restored.
#ifndef IOVACHECK_TRANSLATOR_FIXED_IOVA_MAP_H_
#define IOVACHECK_TRANSLATOR_FIXED_IOVA_MAP_H_

#include <cstdint>
#include <vector>

#include "absl/container/btree_map.h"

namespace iovacheck {

struct FixedMapping {
  uint64_t iova = 0;
  uint64_t last = 0;  // inclusive, so a mapping may end at 2^64 - 1
  uint64_t hva = 0;
  uint8_t perm = 0;

  uint64_t size() const { return last - iova + 1; }  // callers keep it < 2^64
  bool operator==(const FixedMapping& o) const {
    return iova == o.iova && last == o.last && hva == o.hva && perm == o.perm;
  }
};

// Disjoint ranges keyed by IOVA, every lookup O(log n).
class FixedIovaMap {
 public:
  // The mapping holding addr, or nullptr.
  const FixedMapping* FindContaining(uint64_t addr) const;
  bool Overlaps(uint64_t first, uint64_t last) const;
  // True when exactly this mapping (range, HVA and permission) is held.
  bool Holds(const FixedMapping& m) const;

  // m must not overlap anything held (callers check or remove first).
  void Insert(const FixedMapping& m);
  // Removes every mapping sharing an address with [first, last], whole, the
  // way the device's INVALIDATE does; returns them in IOVA order.
  std::vector<FixedMapping> RemoveOverlapping(uint64_t first, uint64_t last);

  std::vector<FixedMapping> All() const;
  bool empty() const { return map_.empty(); }

 private:
  absl::btree_map<uint64_t, FixedMapping> map_;  // by iova
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_FIXED_IOVA_MAP_H_
