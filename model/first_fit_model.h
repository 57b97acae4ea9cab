// QEMU's IOVA allocation policy, written as plainly as possible: first fit
// at the lowest address >= floor, exact fit allowed, failure when the range
// would pass `last`. Linear on purpose: it is the reference the O(log n)
// FirstFitAllocator (which the model and decoupled use) is tested against.
#ifndef IOVACHECK_MODEL_FIRST_FIT_MODEL_H_
#define IOVACHECK_MODEL_FIRST_FIT_MODEL_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace iovacheck {

class FirstFitModel {
 public:
  FirstFitModel(uint64_t floor, uint64_t last) : floor_(floor), last_(last) {}

  // The start of the new range, or nullopt when no hole is large enough.
  std::optional<uint64_t> Allocate(uint64_t len);
  // Frees a range Allocate returned.
  void Free(uint64_t start, uint64_t len);

 private:
  uint64_t floor_;
  uint64_t last_;
  std::vector<std::pair<uint64_t, uint64_t>> used_;  // [start, last], sorted
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_FIRST_FIT_MODEL_H_
