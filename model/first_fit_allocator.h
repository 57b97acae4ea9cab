// QEMU's IOVA allocation policy (first fit at the lowest address >= floor,
// exact fit allowed, failure when the range would pass `last`) in O(log n):
// the allocations in a B-tree, the holes between them in a HoleTree. Gives
// exactly the IOVAs model/first_fit_model.h's linear walk gives (a test runs
// the two side by side); used by the reference model and by decoupled.
#ifndef IOVACHECK_MODEL_FIRST_FIT_ALLOCATOR_H_
#define IOVACHECK_MODEL_FIRST_FIT_ALLOCATOR_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/numeric/int128.h"
#include "model/hole_tree.h"
#include "model/iovec.h"

namespace iovacheck {

class FirstFitAllocator {
 public:
  // Hands out addresses in [floor, last] (inclusive).
  FirstFitAllocator(uint64_t floor, uint64_t last);

  // The start of the new range, or nullopt when len is 0 or no hole fits.
  std::optional<uint64_t> Allocate(absl::uint128 len);
  // Frees the allocation starting at `start`; false when there is none.
  bool Free(uint64_t start);

  // start -> inclusive last of every allocation, ascending.
  const absl::btree_map<uint64_t, uint64_t>& used() const { return used_; }

  // From now on every allocation and free is appended to *journal (not
  // owned); the ranges held already are not.
  void JournalTo(std::vector<AllocationChange>* journal) { journal_ = journal; }

 private:
  uint64_t floor_;
  uint64_t last_;
  absl::btree_map<uint64_t, uint64_t> used_;
  HoleTree holes_;
  std::vector<AllocationChange>* journal_ = nullptr;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_FIRST_FIT_ALLOCATOR_H_
