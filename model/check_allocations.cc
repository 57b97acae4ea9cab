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
  for (const ExpectedMapping& m : expected) {
    if (m.fixed_iova) fixed.insert({m.asid, *m.fixed_iova, m.len});
  }
  // Per [iova, len): allocations, entries needing one (not at a fixed IOVA
  // of their own address space), and entries at a fixed IOVA, which need
  // none but which a recording (it cannot tell them apart) reports as
  // allocations too. An allocation that only shares a fixed mapping's range
  // (an isolated CVQ buffer in asid 1 at the IOVA of guest memory in asid
  // 0) still counts.
  struct Counts {
    int allocated = 0;
    int unfixed = 0;
    int at_fixed = 0;
  };
  std::map<std::pair<uint64_t, uint64_t>, Counts> counts;
  for (const IovaAllocation& a : allocations) ++counts[{a.iova, a.len}].allocated;
  for (uint32_t asid : device.asids()) {
    for (const IotlbEntry& e : device.vhost_table(asid)->Entries()) {
      const uint64_t len = e.last - e.start + 1;
      Counts& c = counts[{e.start, len}];
      ++(fixed.count({asid, e.start, len}) ? c.at_fixed : c.unfixed);
    }
  }
  std::map<std::pair<uint64_t, uint64_t>, int> balance;
  for (const auto& [range, c] : counts) {
    const int b = c.allocated - c.unfixed;
    if (b != 0 && !(c.at_fixed != 0 && b == c.at_fixed)) balance[range] = b;
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
