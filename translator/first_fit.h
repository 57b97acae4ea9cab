// QEMU's IOVA allocation policy over any ordered map of disjoint ranges:
// the lowest start >= first whose whole range is free, an exact fit allowed,
// nothing when the range would pass last. Shared by the decoupled allocator
// and the legacy single tree, which differ in what a range carries.
#ifndef IOVACHECK_TRANSLATOR_FIRST_FIT_H_
#define IOVACHECK_TRANSLATOR_FIRST_FIT_H_

#include <cstdint>
#include <optional>

#include "absl/numeric/int128.h"

namespace iovacheck {

// `ranges` maps a range's start to a value; last_of(value) is the range's
// inclusive last address. Ranges must not overlap. Walks the holes in order,
// stopping as soon as the candidate passes `last`.
template <typename RangeMap, typename LastOf>
std::optional<uint64_t> FindFirstFit(const RangeMap& ranges, LastOf last_of,
                                     uint64_t first, uint64_t last,
                                     absl::uint128 len) {
  if (len == 0 || first > last) return std::nullopt;
  const auto fits_below_last = [&](absl::uint128 start) {
    return start + len - 1 <= last;
  };
  absl::uint128 candidate = first;
  // The range starting at or before `first` may cover it; begin there.
  auto it = ranges.upper_bound(first);
  if (it != ranges.begin()) --it;
  for (; it != ranges.end(); ++it) {
    const uint64_t start = it->first;
    const absl::uint128 range_last = last_of(it->second);
    if (range_last < candidate) continue;  // entirely below the candidate
    if (start > candidate && start - candidate >= len) break;  // hole fits
    candidate = range_last + 1;
    if (!fits_below_last(candidate)) return std::nullopt;
  }
  if (!fits_below_last(candidate)) return std::nullopt;
  return absl::Uint128Low64(candidate);
}

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_FIRST_FIT_H_
