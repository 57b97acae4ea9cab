#include "model/check_iova_space.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"

namespace iovacheck {

std::optional<Divergence> CheckIovaSpace(const Device& device, uint64_t floor,
                                         uint64_t last, bool single_allocator) {
  std::vector<std::pair<IotlbEntry, uint32_t>> all;
  for (uint32_t asid : device.asids()) {
    for (const IotlbEntry& e : device.vhost_table(asid)->Entries()) {
      all.emplace_back(e, asid);
    }
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first.start < b.first.start;
  });
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& [e, asid] = all[i];
    if (e.start < floor || e.last > last) {
      Divergence d;
      d.rule = OracleRule::kIovaRange;
      d.expected = absl::StrFormat("IOVAs within [0x%x, 0x%x]", floor, last);
      d.actual = absl::StrFormat("asid %u maps iova [0x%x, 0x%x]", asid, e.start,
                                 e.last);
      d.iovas = {e.start};
      return d;
    }
    // Within one address space the kernel's EEXIST already forbids overlap.
    if (single_allocator && i > 0 && all[i - 1].first.last >= e.start) {
      const auto& [prev, prev_asid] = all[i - 1];
      Divergence d;
      d.rule = OracleRule::kIovaOverlap;
      d.expected = "disjoint IOVA ranges across address spaces";
      d.actual = absl::StrFormat(
          "asid %u iova [0x%x, 0x%x] overlaps asid %u iova [0x%x, 0x%x]",
          prev_asid, prev.start, prev.last, asid, e.start, e.last);
      d.iovas = {prev.start, e.start};
      return d;
    }
  }
  return std::nullopt;
}

}  // namespace iovacheck
