#include "translator/iova_allocator.h"

#include <algorithm>
#include <cerrno>
#include <iterator>

#include "absl/container/inlined_vector.h"
#include "translator/address_math.h"

namespace iovacheck {
uint64_t AllocatableIovaFirst(const DeviceConfig& config) {
  return std::max(config.iova_first, config.page_size);
}

int IovaAllocator::Allocate(absl::uint128 len, uint64_t* iova) {
  if (len == 0) return EINVAL;
  const std::optional<uint64_t> start = fit_.Allocate(len);
  if (!start) return ENOMEM;
  *iova = *start;
  return 0;
}

void IovaAllocator::Remove(uint64_t iova, absl::uint128 len) {
  if (len == 0) return;
  // Clamp at 2^64 - 1: nothing can be allocated beyond it anyway.
  uint64_t last = ~uint64_t{0};
  RangeLast(iova, len, &last);
  const absl::btree_map<uint64_t, uint64_t>& used = fit_.used();
  absl::InlinedVector<uint64_t, 4> starts;  // almost always one: no allocation
  auto it = used.upper_bound(iova);
  if (it != used.begin() && std::prev(it)->second >= iova) starts.push_back(std::prev(it)->first);
  for (it = used.lower_bound(iova); it != used.end() && it->first <= last; ++it) {
    starts.push_back(it->first);
  }
  for (uint64_t start : starts) fit_.Free(start);
}

std::vector<IovaAllocation> IovaAllocator::Allocations() const {
  std::vector<IovaAllocation> out;
  out.reserve(fit_.used().size());
  for (const auto& [start, last] : fit_.used()) {
    out.push_back({start, last - start + 1});
  }
  return out;
}

}  // namespace iovacheck
