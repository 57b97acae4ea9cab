// A set of disjoint closed intervals [start, last] -> (addr, perm): one address
// space of a vhost IOTLB. Modelled on Linux's drivers/vhost/iotlb.c, with the
// interval tree replaced by an ordered map (entries here never overlap).
#ifndef IOVACHECK_MODEL_INTERVAL_TABLE_H_
#define IOVACHECK_MODEL_INTERVAL_TABLE_H_

#include <cstdint>
#include <vector>

#include "absl/container/btree_map.h"
#include "model/page_lookup.h"

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

// Which of an address space's two tables (model/device.h): the kernel's
// own, or the parent driver's that the device DMAs through.
enum class TableSide : uint8_t { kVhost, kDevice };

// One entry that came into or left a table.
struct TableChange {
  uint32_t asid = 0;
  TableSide side = TableSide::kVhost;
  bool added = false;
  IotlbEntry entry;
};

// Every change of the tables that write into it, in order, until the reader
// takes them: how the incremental oracle (model/incremental_oracle.h) sees
// what an event did without walking every live entry.
class TableJournal {
 public:
  void Record(const TableChange& change) { changes_.push_back(change); }
  // What was recorded since the last Clear.
  const std::vector<TableChange>& changes() const { return changes_; }
  void Clear() { changes_.clear(); }  // keeps the capacity: no allocation per event

 private:
  std::vector<TableChange> changes_;
};

class IntervalTable {
 public:
  IntervalTable() = default;
  // A copy has the entries, not the journal.
  IntervalTable(const IntervalTable& o) : entries_(o.entries_), pages_(o.pages_) {}
  // Assignment keeps this table's journal and records the entries replaced.
  IntervalTable& operator=(const IntervalTable& o);

  // From now on every change is recorded in *journal as (asid, side); the
  // entries already here are not (the reader takes them from Entries()).
  void JournalTo(TableJournal* journal, uint32_t asid, TableSide side) {
    journal_ = journal;
    asid_ = asid;
    side_ = side;
  }

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
  // The same, appending them to *removed (if not null): a caller on the
  // per-message path keeps one vector rather than allocating one a call.
  void RemoveOverlapping(uint64_t start, uint64_t last, std::vector<IotlbEntry>* removed);

  // The entry containing addr, or null.
  const IotlbEntry* Find(uint64_t addr) const;

  std::vector<IotlbEntry> Entries() const;  // in address order
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void Clear();

  bool operator==(const IntervalTable& o) const { return entries_ == o.entries_; }

 private:
  // Every change of entries_ passes here: the page lookup follows it, and
  // the journal (if any) records it.
  void Note(bool added, const IotlbEntry& e) {
    if (added) {
      pages_.Add(e.start, e.last, e);
    } else {
      pages_.Remove(e.start, e.last);
    }
    if (journal_ != nullptr) journal_->Record(TableChange{asid_, side_, added, e});
  }

  absl::btree_map<uint64_t, IotlbEntry> entries_;  // keyed by start, the truth
  // Small page-aligned entries by page (model/page_lookup.h): Find at a
  // million entries (a vIOMMU guest maps page by page) in one probe.
  PageLookup<IotlbEntry> pages_;
  TableJournal* journal_ = nullptr;  // not owned
  uint32_t asid_ = 0;
  TableSide side_ = TableSide::kVhost;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_INTERVAL_TABLE_H_
