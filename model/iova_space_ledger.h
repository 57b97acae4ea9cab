// The IOVA range and cross-address-space overlap rules
// (model/check_iova_space.h) kept event by event. Every entry of every
// address space sits in one set ordered by start; a set of intervals has
// an overlap only if two neighbours in start order overlap, and removing an
// entry cannot make two others overlap, so only the entries an event added
// need looking at (each against its neighbours). When the bounds or the
// single-allocator rule change, everything is looked at once. Without one
// allocator (no shadow data, a vIOMMU) overlaps across address spaces are
// allowed, and the set is not kept at all: an added entry outside the
// bounds is then looked up in the device's table, to pass over one that
// came and went within the event.
#ifndef IOVACHECK_MODEL_IOVA_SPACE_LEDGER_H_
#define IOVACHECK_MODEL_IOVA_SPACE_LEDGER_H_

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/container/btree_set.h"
#include "model/device.h"
#include "model/divergence.h"
#include "model/interval_table.h"

namespace iovacheck {

class IovaSpaceLedger {
 public:
  void Entry(uint32_t asid, const IotlbEntry& e, bool added);

  // IOVAs within [floor, last]; with one allocator, no two entries overlap
  // in any two address spaces. Forgets what was added.
  // `device` is read whole only when the rule changed.
  std::optional<Divergence> Check(uint64_t floor, uint64_t last, bool single_allocator,
                                  const Device& device);
  // How many added entries the next Check looks at (when the rule is the same).
  size_t pending() const { return added_.size(); }

 private:
  using Key = std::tuple<uint64_t, uint32_t, uint64_t>;  // start, asid, last
  using Set = absl::btree_set<Key>;
  // `at`: where key sits in all_, when the caller has found it already.
  std::optional<Divergence> CheckOne(const Key& key, uint64_t floor, uint64_t last,
                                     bool single_allocator,
                                     std::optional<Set::const_iterator> at = std::nullopt) const;
  static bool Live(const Key& key, const Device& device);

  bool ordered_ = true;  // all_ is kept (one allocator)
  Set all_;
  std::vector<Key> added_;  // since the last check, repeats allowed
  // The rule's parameters at the last check; unset before the first.
  std::optional<std::tuple<uint64_t, uint64_t, bool>> last_rule_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_IOVA_SPACE_LEDGER_H_
