#include "model/allocation_ledger.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

void Count(absl::InlinedVector<uint32_t, 1>& asids, uint32_t asid, bool added) {
  if (added) {
    asids.push_back(asid);
    return;
  }
  auto at = std::find(asids.begin(), asids.end(), asid);
  if (at != asids.end()) asids.erase(at);
}

}  // namespace

AllocationLedger::Cell& AllocationLedger::Touch(const Range& r) {
  if (touched_.empty() || touched_.back() != r) touched_.push_back(r);
  return cells_[r];
}

void AllocationLedger::Allocated(const IovaAllocation& a, bool added) {
  Touch({a.iova, a.len}).allocated += added ? 1 : -1;
}

void AllocationLedger::Entry(uint32_t asid, uint64_t start, uint64_t len, bool added) {
  Count(Touch({start, len}).entries, asid, added);
}

void AllocationLedger::Fixed(uint32_t asid, uint64_t iova, uint64_t len, bool added) {
  Count(Touch({iova, len}).fixed, asid, added);
}

// As CheckAllocations counts: an allocation counts unless some fixed
// mapping (in any address space) has the range; an entry counts unless a
// fixed mapping of its own address space has it.
int AllocationLedger::Balance(const Cell& cell) {
  int balance = cell.fixed.empty() ? cell.allocated : 0;
  for (uint32_t asid : cell.entries) {
    if (std::find(cell.fixed.begin(), cell.fixed.end(), asid) == cell.fixed.end()) --balance;
  }
  return balance;
}

std::optional<Divergence> AllocationLedger::Check() {
  std::optional<Divergence> d;
  for (const Range& r : touched_) {
    auto it = cells_.find(r);
    if (it == cells_.end()) continue;
    if (it->second.empty()) {
      cells_.erase(it);
      continue;
    }
    const int balance = Balance(it->second);
    if (balance == 0 || d) continue;
    d.emplace();
    d->rule = OracleRule::kLeak;
    d->expected = "translator allocations == live IOTLB entries";
    d->actual = absl::StrFormat("[0x%x, +0x%x) %s", r.first, r.second,
                                balance > 0 ? "allocated but not mapped"
                                            : "mapped but not allocated");
    d->iovas = {r.first};
  }
  touched_.clear();
  return d;
}

std::vector<IovaAllocation> AllocationLedger::Held() const {
  std::vector<IovaAllocation> out;
  for (const auto& [r, cell] : cells_) {
    for (int i = 0; i < cell.allocated; ++i) out.push_back({r.first, r.second});
  }
  std::sort(out.begin(), out.end(), [](const IovaAllocation& a, const IovaAllocation& b) {
    return std::make_pair(a.iova, a.len) < std::make_pair(b.iova, b.len);
  });
  return out;
}

}  // namespace iovacheck
