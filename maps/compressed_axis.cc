#include "maps/compressed_axis.h"

#include <algorithm>
#include <cmath>

namespace iovacheck {
namespace {

// kMinHeight for a page or less, 4 px more for each doubling, at most
// kMaxHeight.
double HeightOf(absl::uint128 length) {
  double bits = 0;
  for (absl::uint128 l = length >> 12; l > 1; l >>= 1) bits += 1;
  return std::min(CompressedAxis::kMaxHeight, CompressedAxis::kMinHeight + 4 * bits);
}

}  // namespace

CompressedAxis::CompressedAxis(const std::vector<std::pair<uint64_t, uint64_t>>& covered,
                               double top)
    : bottom_(top) {
  // Each range opens at its start and closes after its last byte.
  std::vector<std::pair<absl::uint128, int>> events;
  for (const auto& [start, last] : covered) {
    events.push_back({start, +1});
    events.push_back({absl::uint128(last) + 1, -1});
  }
  std::sort(events.begin(), events.end());
  int open = 0;
  double y = top;
  for (size_t i = 0; i < events.size();) {
    const absl::uint128 at = events[i].first;
    if (!edges_.empty()) {
      // The segment from the last edge to this one: covered or a gap.
      const absl::uint128 from = edges_.back();
      if (open > 0) {
        y += HeightOf(at - from);
      } else {
        gaps_.push_back({y, static_cast<uint64_t>(from), static_cast<uint64_t>(at - 1)});
        y += kGapHeight;
      }
    }
    edges_.push_back(at);
    ys_.push_back(y);
    for (; i < events.size() && events[i].first == at; ++i) open += events[i].second;
  }
  bottom_ = y;
}

double CompressedAxis::At(absl::uint128 addr) const {
  if (edges_.empty()) return bottom_;
  auto it = std::upper_bound(edges_.begin(), edges_.end(), addr);
  if (it == edges_.begin()) return ys_.front();
  if (it == edges_.end()) return ys_.back();
  const size_t i = static_cast<size_t>(it - edges_.begin()) - 1;
  // Linear within the segment: long double keeps 64 bits of mantissa.
  const long double offset = static_cast<long double>(addr - edges_[i]);
  const long double length = static_cast<long double>(edges_[i + 1] - edges_[i]);
  return ys_[i] + static_cast<double>(offset / length) * (ys_[i + 1] - ys_[i]);
}

double CompressedAxis::Top(uint64_t addr) const { return At(addr); }

double CompressedAxis::Bottom(uint64_t last) const { return At(absl::uint128(last) + 1); }

}  // namespace iovacheck
