#include "model/device_view_ledger.h"

#include "model/check_device_view.h"

namespace iovacheck {

void DeviceViewLedger::Entry(TableSide side, uint32_t asid, const IotlbEntry& e,
                             bool added) {
  const Key key{asid, e.start, e.last, e.addr, e.perm};
  const int delta = (side == TableSide::kVhost) == added ? 1 : -1;
  int& n = balance_[key];
  const bool was = n != 0;
  n += delta;
  const bool is = n != 0;
  if (!is) balance_.erase(key);
  if (was == is) return;
  size_t& count = unbalanced_[asid];
  count += is ? 1 : -1;
  if (count == 0) unbalanced_.erase(asid);
}

std::optional<Divergence> DeviceViewLedger::Check(const Device& device) const {
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
