#include "model/interval_table.h"

#include <iterator>

namespace iovacheck {
namespace {

// The first entry whose last >= start, or end(). Entries are disjoint and
// keyed by start, so their `last`s ascend in the same order: the candidate is
// either the entry starting at or before `start` (if it reaches `start`) or the
// one right after it. Templated to serve both const and mutable maps.
template <typename Map>
auto FirstReaching(Map& entries, uint64_t start) -> decltype(entries.begin()) {
  auto it = entries.upper_bound(start);  // first entry starting after `start`
  if (it != entries.begin()) {
    auto prev = std::prev(it);
    if (prev->second.last >= start) return prev;
  }
  return it;
}

}  // namespace

const IotlbEntry* IntervalTable::FirstOverlap(uint64_t start,
                                              uint64_t last) const {
  // Every entry after the first one reaching `start` starts later still, so if
  // that one starts past `last`, nothing overlaps. This holds for last < start
  // too: then only an entry containing both last and start can match.
  auto it = FirstReaching(entries_, start);
  if (it == entries_.end() || it->second.start > last) return nullptr;
  return &it->second;
}

bool IntervalTable::Add(const IotlbEntry& entry) {
  if (entry.last < entry.start) return false;
  if (FirstOverlap(entry.start, entry.last) != nullptr) return false;
  entries_.emplace(entry.start, entry);
  Note(true, entry);
  return true;
}

std::vector<IotlbEntry> IntervalTable::RemoveOverlapping(uint64_t start,
                                                         uint64_t last) {
  std::vector<IotlbEntry> removed;
  RemoveOverlapping(start, last, &removed);
  return removed;
}

void IntervalTable::RemoveOverlapping(uint64_t start, uint64_t last,
                                      std::vector<IotlbEntry>* removed) {
  // The overlapping entries form one contiguous run from the first entry
  // reaching `start` up to the last one starting at or before `last`.
  auto it = FirstReaching(entries_, start);
  while (it != entries_.end() && it->second.start <= last) {
    if (removed != nullptr) removed->push_back(it->second);
    Note(false, it->second);
    it = entries_.erase(it);
  }
}

IntervalTable& IntervalTable::operator=(const IntervalTable& o) {
  if (this == &o) return *this;
  if (journal_ == nullptr) {
    entries_ = o.entries_;
    pages_ = o.pages_;
    return *this;
  }
  // Made equal in place, recording only what differs: a set_map parent is
  // handed the whole table at every BATCH_END, and most of it is what it
  // held already.
  auto a = entries_.begin();
  auto b = o.entries_.begin();
  while (a != entries_.end() || b != o.entries_.end()) {
    if (b == o.entries_.end() || (a != entries_.end() && a->first < b->first)) {
      Note(false, a->second);
      a = entries_.erase(a);
    } else if (a == entries_.end() || b->first < a->first) {
      Note(true, b->second);
      a = std::next(entries_.insert(a, *b));
      ++b;
    } else {
      if (!(a->second == b->second)) {
        Note(false, a->second);
        Note(true, b->second);
        a->second = b->second;
      }
      ++a;
      ++b;
    }
  }
  return *this;
}

void IntervalTable::Clear() {
  for (const auto& [start, e] : entries_) Note(false, e);
  entries_.clear();
}

const IotlbEntry* IntervalTable::Find(uint64_t addr) const {
  if (const IotlbEntry* e = pages_.Find(addr)) return e;
  return FirstOverlap(addr, addr);
}

std::vector<IotlbEntry> IntervalTable::Entries() const {
  std::vector<IotlbEntry> out;
  out.reserve(entries_.size());
  for (const auto& [start, entry] : entries_) out.push_back(entry);
  return out;
}

}  // namespace iovacheck
