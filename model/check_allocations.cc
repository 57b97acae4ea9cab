#include "model/check_allocations.h"

#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace iovacheck {

std::optional<Divergence> CheckAllocations(
    const std::vector<IovaAllocation>& allocations, const VdpaDevice& device) {
  // Count each [iova, len) up for an allocation and down for a mapping.
  std::map<std::pair<uint64_t, uint64_t>, int> balance;
  for (const IovaAllocation& a : allocations) ++balance[{a.iova, a.len}];
  for (uint32_t asid : device.asids()) {
    for (const IotlbEntry& e : device.vhost_table(asid)->Entries()) {
      --balance[{e.start, e.last - e.start + 1}];
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
