#include "model/iova_space_ledger.h"

#include <iterator>

#include "absl/strings/str_format.h"

namespace iovacheck {

void IovaSpaceLedger::Entry(uint32_t asid, const IotlbEntry& e, bool added) {
  const Key key{e.start, asid, e.last};
  if (added) added_.push_back(key);
  if (!ordered_) return;
  if (added) {
    all_.insert(key);
  } else {
    all_.erase(key);
  }
}

std::optional<Divergence> IovaSpaceLedger::Check(uint64_t floor, uint64_t last,
                                                 bool single_allocator, const Device& device) {
  const auto rule = std::make_tuple(floor, last, single_allocator);
  const bool same_rule = last_rule_ == rule;
  // Most events add nothing to any table.
  if (same_rule && added_.empty()) return std::nullopt;
  std::optional<Divergence> d;
  if (!same_rule) {
    last_rule_ = rule;
    ordered_ = single_allocator;
    added_.clear();
    all_.clear();
    std::vector<Key> every;
    for (uint32_t asid : device.asids()) {
      for (const IotlbEntry& e : device.vhost_table(asid)->Entries()) {
        every.push_back({e.start, asid, e.last});
      }
    }
    if (ordered_) all_.insert(every.begin(), every.end());
    for (const Key& key : every) {
      if ((d = CheckOne(key, floor, last, single_allocator))) break;
    }
  } else if (ordered_) {
    for (const Key& key : added_) {
      auto it = all_.find(key);
      if (it == all_.end()) continue;  // added and gone again
      if ((d = CheckOne(key, floor, last, single_allocator, it))) break;
    }
  } else {
    for (const Key& key : added_) {
      // Only the bounds apply here, and entries mostly keep them.
      if (!(d = CheckOne(key, floor, last, single_allocator))) continue;
      if (Live(key, device)) break;
      d.reset();  // added and gone again
    }
  }
  added_.clear();
  return d;
}

bool IovaSpaceLedger::Live(const Key& key, const Device& device) {
  const auto& [start, asid, end] = key;
  const IntervalTable* t = device.vhost_table(asid);
  const IotlbEntry* e = t == nullptr ? nullptr : t->Find(start);
  return e != nullptr && e->start == start && e->last == end;
}

std::optional<Divergence> IovaSpaceLedger::CheckOne(const Key& key, uint64_t floor,
                                                    uint64_t last, bool single_allocator,
                                                    std::optional<Set::const_iterator> at) const {
  const auto& [start, asid, end] = key;
  if (start < floor || end > last) {
    Divergence d;
    d.rule = OracleRule::kIovaRange;
    d.expected = absl::StrFormat("IOVAs within [0x%x, 0x%x]", floor, last);
    d.actual = absl::StrFormat("asid %u maps iova [0x%x, 0x%x]", asid, start, end);
    d.iovas = {start};
    return d;
  }
  if (!single_allocator) return std::nullopt;
  auto it = at ? *at : all_.find(key);
  const Key* before = it == all_.begin() ? nullptr : &*std::prev(it);
  const Key* after = std::next(it) == all_.end() ? nullptr : &*std::next(it);
  const Key* other = nullptr;
  if (before != nullptr && std::get<2>(*before) >= start) other = before;
  if (after != nullptr && std::get<0>(*after) <= end) other = after;
  if (other == nullptr) return std::nullopt;
  Divergence d;
  d.rule = OracleRule::kIovaOverlap;
  d.expected = "disjoint IOVA ranges across address spaces";
  d.actual = absl::StrFormat("asid %u iova [0x%x, 0x%x] overlaps asid %u iova [0x%x, 0x%x]",
                             asid, start, end, std::get<1>(*other), std::get<0>(*other),
                             std::get<2>(*other));
  d.iovas = {start, std::get<0>(*other)};
  return d;
}

}  // namespace iovacheck
