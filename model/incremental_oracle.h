// The oracle, incrementally: after each event it looks only at what the
// event changed -- the sources whose expected mapping moved (the model's
// journal), the entries that came and went in the kernel's and the parent's
// tables (the device's journal), the IOVA ranges the translator allocated
// and freed -- so a step costs O(changes * log n), not a sweep over every
// live mapping. One ledger per family of rules. When a ledger finds
// something wrong, the full sweep (model/oracle.h) runs to describe it, so a
// finding reads the same either way; `HarnessOptions::full_oracle` runs the
// sweep after every event as well, as a check of this.
#ifndef IOVACHECK_MODEL_INCREMENTAL_ORACLE_H_
#define IOVACHECK_MODEL_INCREMENTAL_ORACLE_H_

#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "model/allocation_ledger.h"
#include "model/device.h"
#include "model/device_view_ledger.h"
#include "model/divergence.h"
#include "model/iova_space_ledger.h"
#include "model/mappings_ledger.h"
#include "model/oracle.h"
#include "model/reference_model.h"

namespace iovacheck {

// What the oracle looked at, summed over a run: the mapping groups, added
// entries and IOVA ranges the incremental checks went over, the quiescent
// points where the device's view was compared; the harness adds the
// translations and DMAs it judged and the translator's answers to mapping
// events (coverage/coverage.h reports them).
struct OracleWork {
  uint64_t mapping_groups = 0;   // coverage, stale
  uint64_t strict_groups = 0;    // the same, in strict mode (strict IOVA)
  uint64_t entries = 0;          // IOVA range, overlap
  uint64_t iova_ranges = 0;      // leak
  uint64_t quiescent_points = 0; // device view
  uint64_t datapath = 0;         // translations and device DMAs
  uint64_t answers = 0;          // translator errors
};

class IncrementalOracle {
 public:
  // Starts the model's and the device's journals (a device without one is
  // read whole after every event) and takes in what they hold already.
  // Both must outlive the oracle.
  IncrementalOracle(ReferenceModel* model, Device* device);
  IncrementalOracle(const IncrementalOracle&) = delete;
  IncrementalOracle& operator=(const IncrementalOracle&) = delete;

  // Where a translator that keeps a journal of its allocations writes it
  // (Translator::JournalAllocations).
  std::vector<AllocationChange>* allocation_journal() { return &allocation_journal_; }
  // For a translator without one: what it holds now, compared with what it
  // held at the last call.
  void AllocationsAre(const std::vector<IovaAllocation>& now);

  // Every rule over what changed since the last check. `allocations` gives
  // the translator's whole list, read only when something is found (the
  // full sweep describes it).
  std::optional<Divergence> Check(const OracleOptions& options,
                                  const std::function<std::vector<IovaAllocation>()>& allocations);

  const OracleWork& work() const { return work_; }

  // What the translator held at the last check, in IOVA order.
  std::vector<IovaAllocation> HeldAllocations() const { return allocations_.Held(); }

 private:
  void TakeChanges();
  void TableChanged(const TableChange& c);
  void DeviceViewChanged(const std::vector<TableChange>& changes);
  void ExpectedChanged(const MappingSource& source);
  void ReadWholeTables();

  ReferenceModel* model_;
  Device* device_;
  TableJournal table_journal_;
  std::vector<MappingSource> changed_sources_;  // reused from event to event
  bool device_journals_ = false;
  // For a device without a journal: copies of its tables, journalled here.
  std::map<std::pair<uint32_t, TableSide>, IntervalTable> copies_;
  std::vector<AllocationChange> allocation_journal_;
  absl::btree_map<std::pair<uint64_t, uint64_t>, int> listed_;  // for AllocationsAre

  OracleWork work_;
  MappingsLedger mappings_;
  IovaSpaceLedger iova_space_;
  AllocationLedger allocations_;
  DeviceViewLedger device_view_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_INCREMENTAL_ORACLE_H_
