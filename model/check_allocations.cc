#include "model/check_allocations.h"

#include <map>
#include <set>
#include <tuple>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace iovacheck {

std::optional<Divergence> CheckAllocations(
    const std::vector<IovaAllocation>& allocations, const Device& device,
    const std::vector<ExpectedMapping>& expected) {
  std::set<std::tuple<uint32_t, uint64_t, uint64_t>> fixed;  // asid iova len
  std::set<std::pair<uint64_t, uint64_t>> fixed_anywhere;     // iova len, any asid
  for (const ExpectedMapping& m : expected) {
    if (!m.fixed_iova) continue;
    fixed.insert({m.asid, *m.fixed_iova, m.len});
    fixed_anywhere.insert({*m.fixed_iova, m.len});
  }
  // Count each [iova, len) up for an allocation and down for a mapping.
  std::map<std::pair<uint64_t, uint64_t>, int> balance;
  for (const IovaAllocation& a : allocations) {
    // A recording cannot tell fixed mappings from allocations; neither counts.
    if (!fixed_anywhere.count({a.iova, a.len})) ++balance[{a.iova, a.len}];
  }
  for (uint32_t asid : device.asids()) {
    for (const IotlbEntry& e : device.vhost_table(asid)->Entries()) {
      const uint64_t len = e.last - e.start + 1;
      if (fixed.count({asid, e.start, len})) continue;
      --balance[{e.start, len}];
    }
  }
  std::vector<std::string> leaked, unowned;
  Divergence d;
  for (const auto& [range, count] : balance) {
    if (count == 0) continue;
    std::string s = absl::StrFormat("[0x%x, +0x%x)", range.first, range.second);
    (count > 0 ? leaked : unowned).push_back(s);
    d.iovas.push_back(range.first);
  }
  if (leaked.empty() && unowned.empty()) return std::nullopt;
  d.rule = OracleRule::kLeak;
  d.expected = "translator allocations == live IOTLB entries";
  d.actual = absl::StrFormat("allocated but not mapped: {%s}; mapped but not allocated: {%s}",
                             absl::StrJoin(leaked, ", "), absl::StrJoin(unowned, ", "));
  return d;
}

}  // namespace iovacheck
