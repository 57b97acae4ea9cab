#include "model/check_device_view.h"

#include "absl/strings/str_format.h"

namespace iovacheck {

std::optional<Divergence> CheckDeviceView(const Device& device) {
  if (device.in_batch()) {
    Divergence d;
    d.rule = OracleRule::kDeviceView;
    d.expected = "no IOTLB batch open outside a listener transaction";
    d.actual = absl::StrFormat("batch still open on asid %u", device.batch_asid());
    return d;
  }
  for (uint32_t asid : device.asids()) {
    const IntervalTable& vhost = *device.vhost_table(asid);
    const IntervalTable& dev = *device.device_table(asid);
    if (vhost == dev) continue;
    Divergence d;
    d.rule = OracleRule::kDeviceView;
    d.expected = absl::StrFormat("asid %u: device holds the %u entries the kernel holds",
                                 asid, vhost.size());
    d.actual = absl::StrFormat("device holds %u entries that differ", dev.size());
    return d;
  }
  return std::nullopt;
}

}  // namespace iovacheck
