// The leak rule (model/check_allocations.h) kept event by event: for each
// IOVA range [iova, +len), the translator's allocations of it counted up and
// the kernel's entries of it counted down, ranges that a fixed-IOVA mapping
// accounts for left out; only the ranges an event touched are looked at
// again. One cell per range holds all three counts, so a change costs one
// hash lookup; a count of the cells out of balance, kept as they change,
// lets a check of a balanced state end without looking anything up.
#ifndef IOVACHECK_MODEL_ALLOCATION_LEDGER_H_
#define IOVACHECK_MODEL_ALLOCATION_LEDGER_H_

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "model/divergence.h"
#include "model/iovec.h"

namespace iovacheck {

class AllocationLedger {
 public:
  AllocationLedger() { cells_.reserve(kInitialMappings); }  // as MappingsLedger
  void Allocated(const IovaAllocation& a, bool added);
  // An entry of the kernel's table of asid, [start, +len).
  void Entry(uint32_t asid, uint64_t start, uint64_t len, bool added);
  // An expected mapping at a fixed IOVA (not an allocation).
  void Fixed(uint32_t asid, uint64_t iova, uint64_t len, bool added);

  // Whether every touched range balances; the first that does not, else
  // nothing. Forgets what was touched.
  std::optional<Divergence> Check() {
    // A cell out of balance was touched since the last check (the last check
    // found every cell it looked at balanced, or the run ended there). The
    // common case returns here, inline, before a Divergence is made at all.
    if (unbalanced_ == 0) {
      touched_.clear();
      return std::nullopt;
    }
    return CheckTouched();
  }
  // How many ranges the next Check looks at (repeats counted).
  size_t pending() const { return touched_.size(); }

  // What the translator holds, as of the last allocations recorded, in IOVA
  // order (O(n log n): for the rare questions about holes).
  std::vector<IovaAllocation> Held() const;

 private:
  using Range = std::pair<uint64_t, uint64_t>;  // iova, len
  using Asids = absl::InlinedVector<uint32_t, 1>;  // a multiset
  struct Cell {
    int allocated = 0;
    Asids entries;
    Asids fixed;
    bool empty() const { return allocated == 0 && entries.empty() && fixed.empty(); }
  };
  static int Balance(const Cell& cell);
  std::optional<Divergence> CheckTouched();
  // Applies `change` to the cell of r, keeping unbalanced_ and dropping the
  // cell when it is left empty.
  template <typename Change>
  void Touch(const Range& r, Change change);

  absl::flat_hash_map<Range, Cell> cells_;  // no empty cell is kept
  size_t unbalanced_ = 0;       // cells whose Balance is not 0
  std::vector<Range> touched_;  // repeats allowed
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_ALLOCATION_LEDGER_H_
