#include "model/first_fit_allocator.h"

namespace iovacheck {

FirstFitAllocator::FirstFitAllocator(uint64_t floor, uint64_t last)
    : floor_(floor), last_(last) {
  if (floor <= last) holes_.Insert(Hole{floor, last});
}

std::optional<uint64_t> FirstFitAllocator::Allocate(absl::uint128 len) {
  if (len == 0 || len - 1 > ~uint64_t{0}) return std::nullopt;
  const uint64_t span = absl::Uint128Low64(len - 1);
  std::optional<Hole> hole = holes_.FirstWithSpan(span);
  if (!hole) return std::nullopt;
  const uint64_t start = hole->start;
  holes_.Erase(start);
  // The rest of the hole, if the range did not fill it.
  if (hole->last - start > span) holes_.Insert(Hole{start + span + 1, hole->last});
  used_.emplace(start, start + span);
  if (journal_ != nullptr) journal_->push_back({{start, span + 1}, true});
  return start;
}

bool FirstFitAllocator::Free(uint64_t start) {
  auto it = used_.find(start);
  if (it == used_.end()) return false;
  Hole merged{start, it->second};
  if (journal_ != nullptr) journal_->push_back({{start, it->second - start + 1}, false});
  used_.erase(it);
  // Join the hole that ends just below and the one that starts just above.
  if (merged.start > floor_) {
    std::optional<Hole> below = holes_.AtOrBelow(merged.start - 1);
    if (below && below->last == merged.start - 1) {
      holes_.Erase(below->start);
      merged.start = below->start;
    }
  }
  if (merged.last < last_) {
    std::optional<Hole> above = holes_.AtOrBelow(merged.last + 1);
    if (above && above->start == merged.last + 1) {
      holes_.Erase(above->start);
      merged.last = above->last;
    }
  }
  holes_.Insert(merged);
  return true;
}

}  // namespace iovacheck
