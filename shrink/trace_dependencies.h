// Which events of a candidate trace stand or fall together, so that the
// shrinker only ever tries well-formed traces.
//
// A unit is what the shrinker removes: one input event (not a transaction
// marker), or a transaction that holds no input events (begin and commit
// together). Removing units with `close` also removes what depends on them:
// - a region_add: its region_del, the translations of its memory (an
//   element whose GPA lies in the section while it is live), and host
//   buffers mapped inside its HVA while it is live;
// - a host_map: its host_unmap and the translations of its memory (an
//   element without GPA inside the buffer while it is mapped);
// - a region_del whose region_add stays: the section now lives on, so later
//   region_adds overlapping its GPA (the model would refuse them), later
//   host buffers reusing its HVA (they would alias it) and later guest
//   elements in its GPA or HVA (made while it was gone, they would break
//   the tie of an element's HVA to its GPA, well_formed.h) go;
// - a host_unmap whose host_map stays: later host buffers overlapping it,
//   and later guest elements whose HVA it holds.
// - a shadow_data switch: every event after it up to the next switch (its
//   segment). The model switches only while nothing is live, so segments
//   share no lifetimes and dropping a whole one leaves the rest valid;
//   dropping the switch alone would re-run its segment in the other mode
//   (sections at other IOVAs, asid-0 host buffers refused);
// - a closer removed while its opener stays: also every later shadow_data
//   switch (the model refuses to switch while something is live), and so
//   everything after the first of them;
// - an iommu_map: its iommu_unmap when that unmap removes exactly this
//   entry; the map itself goes with the region_add whose RAM backs it;
// - an iommu_unmap whose maps stay: the maps live on, so the region_dels of
//   the sections backing them (the model refuses to delete backing RAM) and
//   later iommu_maps overlapping their guest IOVAs go.
// What is removed is removed with its own dependents, to a fixed point.
// Either way, the markers of a transaction left without input events go
// with it, so transactions stay balanced. Device resets and DMAs depend on
// nothing and nothing depends on them.
#ifndef IOVACHECK_SHRINK_TRACE_DEPENDENCIES_H_
#define IOVACHECK_SHRINK_TRACE_DEPENDENCIES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "shrink/trace_step.h"

namespace iovacheck {

class TraceDependencies {
 public:
  // `order` must be well formed up to its first failure (a trace that
  // replayed without a refusal is).
  TraceDependencies(const StepPool& pool, const StepOrder& order, uint64_t page_size);

  size_t unit_count() const { return units_.size(); }
  // Where unit u's (first) event is in the order.
  size_t UnitPosition(size_t u) const { return units_[u].first; }
  // The unit holding the event at `position`; none for a marker of a
  // transaction that holds input events.
  std::optional<size_t> UnitAt(size_t position) const;

  // The order without units [first, first + count) (and, with `close`, all
  // that depends on them).
  StepOrder WithoutRange(size_t first, size_t count, bool close) const;
  StepOrder Without(const std::vector<size_t>& units, bool close) const;

  // The event that must change along with the one at `position` when that
  // one is simplified: a region_add's region_del, a host_map's host_unmap,
  // an iommu_map's iommu_unmap of exactly its range.
  std::optional<size_t> Partner(size_t position) const;

 private:
  static constexpr uint32_t kNone = ~uint32_t{0};
  struct Unit {
    uint32_t first = 0;
    uint32_t second = kNone;  // an empty transaction's commit
  };
  struct Transaction {
    uint32_t begin = 0;
    uint32_t commit = kNone;  // kNone: still open at the end of the trace
    uint32_t inputs = 0;      // input events inside
  };

  void Build(const StepPool& pool, uint64_t page_size);
  void Close(std::vector<char>& removed, std::vector<uint32_t> stack) const;
  // Whether a removed closer leaves something it ended alive.
  bool KeepsAlive(uint32_t closer, const std::vector<char>& removed) const;
  StepOrder Materialize(std::vector<char>& removed) const;

  StepOrder order_;
  std::vector<Unit> units_;
  std::vector<uint32_t> unit_of_;     // per position, kNone for markers
  std::vector<int32_t> txn_of_;       // per position, -1 outside transactions
  std::vector<Transaction> txns_;
  std::vector<std::vector<uint32_t>> owned_;      // removed with this one
  std::vector<std::vector<uint32_t>> extension_;  // removed if this closer goes alone
  std::vector<uint32_t> opener_;  // a region_del's region_add, a host_unmap's host_map
  std::vector<uint32_t> closer_;  // the reverse
  // An iommu_unmap's maps: each entry it removed, with the identical maps
  // that replayed it (any of them makes the entry live without the unmap).
  std::vector<std::vector<uint32_t>> unmapped_;
  std::vector<uint32_t> shadow_switches_;  // positions, ascending
};

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_TRACE_DEPENDENCIES_H_
