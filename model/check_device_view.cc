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
    // With nothing mapped, a parent that went back to its own default
    // mapping at a reset (vdpa_sim 6.12: identity passthrough) stays there:
    // only a map or unmap leaves it (vdpasim_dma_map/_unmap,
    // vdpasim_set_map), and a translator with nothing to map cannot send
    // one. Once the kernel holds an entry, the default must be gone.
    if (OnlyParentDefault(device, asid)) continue;
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
