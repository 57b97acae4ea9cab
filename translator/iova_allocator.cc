#include "translator/iova_allocator.h"

#include <algorithm>
#include <cerrno>
#include <iterator>

#include "translator/address_math.h"
#include "translator/first_fit.h"

namespace iovacheck {
namespace {

uint64_t LastOf(uint64_t last) { return last; }

}  // namespace

uint64_t AllocatableIovaFirst(const DeviceConfig& config) {
  return std::max(config.iova_first, config.page_size);
}

int IovaAllocator::Allocate(absl::uint128 len, uint64_t* iova) {
  if (len == 0) return EINVAL;
  const std::optional<uint64_t> start =
      FindFirstFit(ranges_, LastOf, first_, last_, len);
  if (!start) return ENOMEM;
  // FindFirstFit guarantees start + len - 1 <= last_.
  ranges_.emplace(*start, absl::Uint128Low64(*start + len - 1));
  *iova = *start;
  return 0;
}

void IovaAllocator::Remove(uint64_t iova, absl::uint128 len) {
  if (len == 0) return;
  // Clamp at 2^64 - 1: nothing can be allocated beyond it anyway.
  uint64_t last = ~uint64_t{0};
  RangeLast(iova, len, &last);
  auto it = ranges_.upper_bound(iova);
  if (it != ranges_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= iova) ranges_.erase(prev);
  }
  it = ranges_.lower_bound(iova);
  while (it != ranges_.end() && it->first <= last) it = ranges_.erase(it);
}

std::vector<IovaAllocation> IovaAllocator::Allocations() const {
  std::vector<IovaAllocation> out;
  out.reserve(ranges_.size());
  for (const auto& [start, last] : ranges_) {
    out.push_back({start, last - start + 1});
  }
  return out;
}

}  // namespace iovacheck
