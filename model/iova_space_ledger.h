// The IOVA range and cross-address-space overlap rules
// (model/check_iova_space.h) kept event by event. Only the entries an event
// added need looking at: removing an entry cannot put another out of bounds
// or make two others overlap. Within one address space the device's table
// refuses overlaps itself (EEXIST), so an added entry is looked up only in
// the other address spaces' tables, which the device keeps in IOVA order
// already: no copy of them is kept here. When the bounds or the
// single-allocator rule change, every entry is looked at once. Without one
// allocator (no shadow data, a vIOMMU) overlaps across address spaces are
// allowed and only the bounds apply.
#ifndef IOVACHECK_MODEL_IOVA_SPACE_LEDGER_H_
#define IOVACHECK_MODEL_IOVA_SPACE_LEDGER_H_

#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "model/device.h"
#include "model/divergence.h"
#include "model/interval_table.h"

namespace iovacheck {

class IovaSpaceLedger {
 public:
  void Entry(uint32_t asid, const IotlbEntry& e, bool added);

  // IOVAs within [floor, last]; with one allocator, no two entries overlap
  // in any two address spaces. Forgets what was added.
  std::optional<Divergence> Check(uint64_t floor, uint64_t last, bool single_allocator,
                                  const Device& device) {
    // Most events add nothing to any table: decided here, inline.
    if (added_.empty() && last_rule_ == std::make_tuple(floor, last, single_allocator)) {
      return std::nullopt;
    }
    return CheckAdded(floor, last, single_allocator, device);
  }
  // How many added entries the next Check looks at (when the rule is the same).
  size_t pending() const { return added_.size(); }

 private:
  struct Added {
    uint32_t asid;
    uint64_t start;
    uint64_t last;
  };
  std::optional<Divergence> CheckAdded(uint64_t floor, uint64_t last, bool single_allocator,
                                       const Device& device);
  // `asids`: the device's address spaces, looked up once per check.
  static std::optional<Divergence> CheckOne(const Added& a, uint64_t floor, uint64_t last,
                                            bool single_allocator, const Device& device,
                                            const std::vector<uint32_t>& asids);
  static bool Live(const Added& a, const Device& device);

  std::vector<Added> added_;  // since the last check, repeats allowed
  // The rule's parameters at the last check; unset before the first.
  std::optional<std::tuple<uint64_t, uint64_t, bool>> last_rule_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_IOVA_SPACE_LEDGER_H_
