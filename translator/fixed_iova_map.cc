#include "translator/fixed_iova_map.h"

#include <iterator>

#include "translator/range_lookup.h"

namespace iovacheck {
namespace {

uint64_t LastOf(const FixedMapping& m) { return m.last; }

}  // namespace

const FixedMapping* FixedIovaMap::FindContaining(uint64_t addr) const {
  auto it = iovacheck::FindContaining(map_, LastOf, addr);
  return it == map_.end() ? nullptr : &it->second;
}

bool FixedIovaMap::Overlaps(uint64_t first, uint64_t last) const {
  return OverlapsAny(map_, LastOf, first, last);
}

bool FixedIovaMap::Holds(const FixedMapping& m) const {
  auto it = map_.find(m.iova);
  return it != map_.end() && it->second == m;
}

void FixedIovaMap::Insert(const FixedMapping& m) { map_.emplace(m.iova, m); }

std::vector<FixedMapping> FixedIovaMap::RemoveOverlapping(uint64_t first,
                                                          uint64_t last) {
  std::vector<FixedMapping> removed;
  // Only the mapping starting before `first` can reach into the range from
  // below; every other overlapping one starts inside it.
  auto it = map_.lower_bound(first);
  if (it != map_.begin()) {
    auto prev = std::prev(it);
    if (prev->second.last >= first) it = prev;
  }
  while (it != map_.end() && it->first <= last) {
    removed.push_back(it->second);
    it = map_.erase(it);
  }
  return removed;
}

std::vector<FixedMapping> FixedIovaMap::All() const {
  std::vector<FixedMapping> out;
  out.reserve(map_.size());
  for (const auto& [iova, m] : map_) out.push_back(m);
  return out;
}

}  // namespace iovacheck
