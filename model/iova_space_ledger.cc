#include "model/iova_space_ledger.h"

#include "absl/strings/str_format.h"

namespace iovacheck {

void IovaSpaceLedger::Entry(uint32_t asid, const IotlbEntry& e, bool added) {
  if (added) added_.push_back({asid, e.start, e.last});
}

std::optional<Divergence> IovaSpaceLedger::CheckAdded(uint64_t floor, uint64_t last,
                                                      bool single_allocator,
                                                      const Device& device) {
  const auto rule = std::make_tuple(floor, last, single_allocator);
  const bool same_rule = last_rule_ == rule;
  std::optional<Divergence> d;
  // Only the overlap rule and a full look need the address spaces.
  std::vector<uint32_t> asids;
  if (single_allocator || !same_rule) asids = device.asids();
  if (!same_rule) {
    last_rule_ = rule;
    for (uint32_t asid : asids) {
      for (const IotlbEntry& e : device.vhost_table(asid)->Entries()) {
        if ((d = CheckOne({asid, e.start, e.last}, floor, last, single_allocator, device,
                          asids))) {
          break;
        }
      }
      if (d) break;
    }
  } else {
    for (const Added& a : added_) {
      if (!(d = CheckOne(a, floor, last, single_allocator, device, asids))) continue;
      if (Live(a, device)) break;
      d.reset();  // added and gone again within the event: it broke no rule
    }
  }
  added_.clear();
  return d;
}

bool IovaSpaceLedger::Live(const Added& a, const Device& device) {
  const IntervalTable* t = device.vhost_table(a.asid);
  const IotlbEntry* e = t == nullptr ? nullptr : t->Find(a.start);
  return e != nullptr && e->start == a.start && e->last == a.last;
}

std::optional<Divergence> IovaSpaceLedger::CheckOne(const Added& a, uint64_t floor,
                                                    uint64_t last, bool single_allocator,
                                                    const Device& device,
                                                    const std::vector<uint32_t>& asids) {
  if (a.start < floor || a.last > last) {
    Divergence d;
    d.rule = OracleRule::kIovaRange;
    d.expected = absl::StrFormat("IOVAs within [0x%x, 0x%x]", floor, last);
    d.actual = absl::StrFormat("asid %u maps iova [0x%x, 0x%x]", a.asid, a.start, a.last);
    d.iovas = {a.start};
    return d;
  }
  if (!single_allocator) return std::nullopt;
  for (uint32_t other : asids) {
    if (other == a.asid) continue;
    const IntervalTable* t = device.vhost_table(other);
    const IotlbEntry* o = t == nullptr ? nullptr : t->FirstOverlap(a.start, a.last);
    if (o == nullptr) continue;
    Divergence d;
    d.rule = OracleRule::kIovaOverlap;
    d.expected = "disjoint IOVA ranges across address spaces";
    d.actual = absl::StrFormat("asid %u iova [0x%x, 0x%x] overlaps asid %u iova [0x%x, 0x%x]",
                               a.asid, a.start, a.last, other, o->start, o->last);
    d.iovas = {a.start, o->start};
    return d;
  }
  return std::nullopt;
}

}  // namespace iovacheck
