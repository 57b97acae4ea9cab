#include "model/allocation_ledger.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

template <typename Map>
void Count(Map& map, const std::pair<uint64_t, uint64_t>& r, uint32_t asid, bool added) {
  if (added) {
    map[r].push_back(asid);
    return;
  }
  auto it = map.find(r);
  if (it == map.end()) return;
  auto& asids = it->second;
  auto at = std::find(asids.begin(), asids.end(), asid);
  if (at != asids.end()) asids.erase(at);
  if (asids.empty()) map.erase(it);
}

}  // namespace

void AllocationLedger::Allocated(const IovaAllocation& a, bool added) {
  const Range r{a.iova, a.len};
  int& n = allocated_[r];
  n += added ? 1 : -1;
  if (n == 0) allocated_.erase(r);
  touched_.push_back(r);
}

void AllocationLedger::Entry(uint32_t asid, uint64_t start, uint64_t len, bool added) {
  const Range r{start, len};
  Count(entries_, r, asid, added);
  touched_.push_back(r);
}

void AllocationLedger::Fixed(uint32_t asid, uint64_t iova, uint64_t len, bool added) {
  const Range r{iova, len};
  Count(fixed_, r, asid, added);
  touched_.push_back(r);
}

// As CheckAllocations counts: an allocation counts unless some fixed
// mapping (in any address space) has the range; an entry counts unless a
// fixed mapping of its own address space has it.
int AllocationLedger::Balance(const Range& r) const {
  auto f = fixed_.find(r);
  const Asids none;
  const Asids& fixed = f == fixed_.end() ? none : f->second;
  int balance = 0;
  if (fixed.empty()) {
    if (auto a = allocated_.find(r); a != allocated_.end()) balance += a->second;
  }
  if (auto e = entries_.find(r); e != entries_.end()) {
    for (uint32_t asid : e->second) {
      if (std::find(fixed.begin(), fixed.end(), asid) == fixed.end()) --balance;
    }
  }
  return balance;
}

std::optional<Divergence> AllocationLedger::Check() {
  std::optional<Divergence> d;
  for (const Range& r : touched_) {
    const int balance = Balance(r);
    if (balance == 0) continue;
    d.emplace();
    d->rule = OracleRule::kLeak;
    d->expected = "translator allocations == live IOTLB entries";
    d->actual = absl::StrFormat("[0x%x, +0x%x) %s", r.first, r.second,
                                balance > 0 ? "allocated but not mapped"
                                            : "mapped but not allocated");
    d->iovas = {r.first};
    break;
  }
  touched_.clear();
  return d;
}

std::vector<IovaAllocation> AllocationLedger::Held() const {
  std::vector<IovaAllocation> out;
  for (const auto& [r, n] : allocated_) {
    for (int i = 0; i < n; ++i) out.push_back({r.first, r.second});
  }
  return out;
}

}  // namespace iovacheck
