// A set of disjoint closed intervals [start, last] -> (addr, perm): one address
// space of a vhost IOTLB. Modelled on Linux's drivers/vhost/iotlb.c, with the
// interval tree replaced by an ordered map (entries here never overlap).
#ifndef IOVACHECK_MODEL_INTERVAL_TABLE_H_
#define IOVACHECK_MODEL_INTERVAL_TABLE_H_

#include <cstdint>
#include <vector>

#include "absl/container/btree_map.h"

namespace iovacheck {

struct IotlbEntry {
  uint64_t start = 0;
  uint64_t last = 0;  // inclusive
  uint64_t addr = 0;  // HVA the device reaches at `start`
  uint8_t perm = 0;

  bool operator==(const IotlbEntry& o) const {
    return start == o.start && last == o.last && addr == o.addr && perm == o.perm;
  }
};

class IntervalTable {
 public:
  // The kernel's overlap query: entries with e.start <= last && e.last >= start.
  // `last < start` is allowed and keeps exactly that meaning (the kernel's
  // INVALIDATE of size 0 relies on it).
  const IotlbEntry* FirstOverlap(uint64_t start, uint64_t last) const;

  // Adds an entry; the caller has checked that nothing overlaps. Returns false
  // (and adds nothing) if something does or last < start.
  bool Add(const IotlbEntry& entry);

  // Removes every entry overlapping [start, last] whole (never split), in
  // address order, and returns them.
  std::vector<IotlbEntry> RemoveOverlapping(uint64_t start, uint64_t last);

  // The entry containing addr, or null.
  const IotlbEntry* Find(uint64_t addr) const;

  std::vector<IotlbEntry> Entries() const;  // in address order
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void Clear() { entries_.clear(); }

  bool operator==(const IntervalTable& o) const { return entries_ == o.entries_; }

 private:
  absl::btree_map<uint64_t, IotlbEntry> entries_;  // keyed by start
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_INTERVAL_TABLE_H_
