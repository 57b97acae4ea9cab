#include "model/device_view_ledger.h"

#include "model/check_device_view.h"

namespace iovacheck {

void DeviceViewLedger::Entry(TableSide side, uint32_t asid, const IotlbEntry& e,
                             bool added) {
  const Key key{asid, e.start, e.last, e.addr, e.perm};
  const int delta = (side == TableSide::kVhost) == added ? 1 : -1;
  // One probe each: the iterators found serve the erase too.
  auto n = balance_.try_emplace(key, 0).first;
  const bool was = n->second != 0;
  n->second += delta;
  const bool is = n->second != 0;
  if (!is) balance_.erase(n);
  if (was == is) return;
  auto count = unbalanced_.try_emplace(asid, 0).first;
  count->second += is ? 1 : -1;
  if (count->second == 0) unbalanced_.erase(count);
}

std::optional<Divergence> DeviceViewLedger::CheckUnbalanced(const Device& device) const {
  if (device.in_batch()) return CheckDeviceView(device);
  for (const auto& [asid, count] : unbalanced_) {
    // Only created address spaces are compared; the parent's default
    // mapping stands until something is mapped.
    if (device.vhost_table(asid) == nullptr || OnlyParentDefault(device, asid)) continue;
    return CheckDeviceView(device);
  }
  return std::nullopt;
}

}  // namespace iovacheck
