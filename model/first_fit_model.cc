#include "model/first_fit_model.h"

#include <algorithm>

#include "absl/numeric/int128.h"

namespace iovacheck {

std::optional<uint64_t> FirstFitModel::Allocate(uint64_t len) {
  if (len == 0) return std::nullopt;
  absl::uint128 candidate = floor_;
  for (const auto& [start, last] : used_) {
    if (candidate + len - 1 < start) break;  // fits in the hole before `start`
    candidate = std::max(candidate, absl::uint128(last) + 1);
  }
  if (candidate + len - 1 > last_) return std::nullopt;
  uint64_t start = absl::Uint128Low64(candidate);
  used_.emplace_back(start, start + len - 1);
  std::sort(used_.begin(), used_.end());
  return start;
}

void FirstFitModel::Free(uint64_t start, uint64_t len) {
  used_.erase(std::remove(used_.begin(), used_.end(),
                          std::make_pair(start, start + len - 1)),
              used_.end());
}

}  // namespace iovacheck
