// O(log n) lookups in an ordered map of disjoint ranges keyed by their start,
// the structure both translation directions of the decoupled design use.
#ifndef IOVACHECK_TRANSLATOR_RANGE_LOOKUP_H_
#define IOVACHECK_TRANSLATOR_RANGE_LOOKUP_H_

#include <cstdint>

namespace iovacheck {

// The range containing addr, or ranges.end(). last_of(value) is the range's
// inclusive last address.
template <typename RangeMap, typename LastOf>
auto FindContaining(RangeMap& ranges, LastOf last_of, uint64_t addr)
    -> decltype(ranges.begin()) {
  auto it = ranges.upper_bound(addr);
  if (it == ranges.begin()) return ranges.end();
  --it;
  return last_of(it->second) >= addr ? it : ranges.end();
}

// True when some range shares an address with [start, last].
template <typename RangeMap, typename LastOf>
bool OverlapsAny(const RangeMap& ranges, LastOf last_of, uint64_t start,
                 uint64_t last) {
  if (FindContaining(ranges, last_of, start) != ranges.end()) return true;
  auto next = ranges.upper_bound(start);
  return next != ranges.end() && next->first <= last;
}

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_RANGE_LOOKUP_H_
