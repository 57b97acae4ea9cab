// A vertical axis over a 64-bit address space on which a 1 TiB section and a
// 4 KiB buffer are both visible. The bands' edges cut the space into
// segments; a segment some band covers gets a height that grows with the
// logarithm of its length, a gap no band covers a short fixed height (drawn
// as a break). The axis is monotonic, so bands keep their order and nesting.
#ifndef IOVACHECK_MAPS_COMPRESSED_AXIS_H_
#define IOVACHECK_MAPS_COMPRESSED_AXIS_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"

namespace iovacheck {

class CompressedAxis {
 public:
  struct Gap {
    double y = 0;  // top of the break
    uint64_t start = 0;
    uint64_t last = 0;
  };

  // `covered`: inclusive [start, last] ranges, in any order, overlaps allowed.
  CompressedAxis(const std::vector<std::pair<uint64_t, uint64_t>>& covered, double top);

  double Top(uint64_t addr) const;     // where byte `addr` begins
  double Bottom(uint64_t last) const;  // where byte `last` ends
  double bottom() const { return bottom_; }
  const std::vector<Gap>& gaps() const { return gaps_; }

  static constexpr double kGapHeight = 14;
  static constexpr double kMinHeight = 14;   // a page or less: one line of text
  static constexpr double kMaxHeight = 120;  // 2^35 bytes or more

 private:
  double At(absl::uint128 addr) const;

  std::vector<absl::uint128> edges_;  // sorted; segment i is [edges_[i], edges_[i+1])
  std::vector<double> ys_;            // the y of each edge
  std::vector<Gap> gaps_;
  double bottom_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MAPS_COMPRESSED_AXIS_H_
