#include "devices/device_registry.h"

#include "devices/isolated_kernel_device.h"
#include "model/vdpa_device.h"

namespace iovacheck {

absl::StatusOr<std::unique_ptr<Device>> MakeDevice(const DeviceConfig& config) {
  if (absl::Status s = CheckDeviceName(config.device); !s.ok()) return s;
  if (config.device == "emulated") return std::make_unique<VdpaDevice>(config);
  // Linux's code runs in a child process: a crash or hang there is the
  // device's death (Device::death), not the run's.
  absl::StatusOr<std::unique_ptr<IsolatedKernelDevice>> k =
      IsolatedKernelDevice::Open(config.device.substr(6), config);
  if (!k.ok()) return k.status();
  return std::unique_ptr<Device>(std::move(*k));
}

}  // namespace iovacheck
