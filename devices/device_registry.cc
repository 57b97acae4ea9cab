#include "devices/device_registry.h"

#include "devices/kernel_device.h"
#include "model/vdpa_device.h"

namespace iovacheck {

absl::StatusOr<std::unique_ptr<Device>> MakeDevice(const DeviceConfig& config) {
  if (absl::Status s = CheckDeviceName(config.device); !s.ok()) return s;
  if (config.device == "emulated") return std::make_unique<VdpaDevice>(config);
  absl::StatusOr<std::unique_ptr<KernelDevice>> k =
      KernelDevice::Open(config.device.substr(6), config);
  if (!k.ok()) return k.status();
  return std::unique_ptr<Device>(std::move(*k));
}

}  // namespace iovacheck
