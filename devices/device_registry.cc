#include "devices/device_registry.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "devices/kernel_device.h"
#include "model/vdpa_device.h"

namespace iovacheck {

std::vector<std::string> DeviceNames() {
  std::vector<std::string> names = {"emulated"};
  for (const std::string& v : KernelVersions()) names.push_back("linux-" + v);
  return names;
}

absl::Status CheckDeviceName(const std::string& name) {
  for (const std::string& n : DeviceNames()) {
    if (n == name) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown device '%s' (choose %s)", name, absl::StrJoin(DeviceNames(), ", ")));
}

absl::StatusOr<std::unique_ptr<Device>> MakeDevice(const DeviceConfig& config) {
  if (absl::Status s = CheckDeviceName(config.device); !s.ok()) return s;
  if (config.device == "emulated") return std::make_unique<VdpaDevice>(config);
  absl::StatusOr<std::unique_ptr<KernelDevice>> k =
      KernelDevice::Open(config.device.substr(6), config);
  if (!k.ok()) return k.status();
  return std::unique_ptr<Device>(std::move(*k));
}

}  // namespace iovacheck
