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

template <typename Change>
void AllocationLedger::Touch(const Range& r, Change change) {
  if (touched_.empty() || touched_.back() != r) touched_.push_back(r);
  auto [it, created] = cells_.try_emplace(r);
  const bool was = !created && Balance(it->second) != 0;
  change(it->second);
  const bool is = Balance(it->second) != 0;
  unbalanced_ += is;
  unbalanced_ -= was;
  if (it->second.empty()) cells_.erase(it);
}

void AllocationLedger::Allocated(const IovaAllocation& a, bool added) {
  Touch({a.iova, a.len}, [&](Cell& c) { c.allocated += added ? 1 : -1; });
}

void AllocationLedger::Entry(uint32_t asid, uint64_t start, uint64_t len, bool added) {
  Touch({start, len}, [&](Cell& c) { Count(c.entries, asid, added); });
}

void AllocationLedger::Fixed(uint32_t asid, uint64_t iova, uint64_t len, bool added) {
  Touch({iova, len}, [&](Cell& c) { Count(c.fixed, asid, added); });
}

// As CheckAllocations counts: every entry not at a fixed IOVA of its own
// address space needs an allocation of its range. Entries at fixed IOVAs
// need none; a recording, which cannot tell them apart, reports them too,
// so allocations of a fixed range may also cover exactly those entries. An
// allocation that merely shares a fixed mapping's range (an isolated CVQ
// buffer in asid 1 at the IOVA of guest memory in asid 0) still counts.
int AllocationLedger::Balance(const Cell& cell) {
  int unfixed = 0;
  for (uint32_t asid : cell.entries) {
    if (std::find(cell.fixed.begin(), cell.fixed.end(), asid) == cell.fixed.end()) ++unfixed;
  }
  const int at_fixed = static_cast<int>(cell.entries.size()) - unfixed;
  const int balance = cell.allocated - unfixed;
  return at_fixed != 0 && balance == at_fixed ? 0 : balance;
}

std::optional<Divergence> AllocationLedger::CheckTouched() {
  std::optional<Divergence> d;
  for (size_t i = 0; i < touched_.size() && !d; ++i) {
    const Range& r = touched_[i];
    auto it = cells_.find(r);
    if (it == cells_.end()) continue;
    const int balance = Balance(it->second);
    if (balance == 0) continue;
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
