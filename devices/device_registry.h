// Devices by name, as --device and a trace's header name them:
//   emulated    the emulation (model/vdpa_device.h), the default;
//   linux-6.1   Linux 6.1's vhost-vdpa over vdpa_sim (PA mode, no entry limit);
//   linux-6.12  Linux 6.12's, VA mode (vdpa_sim's use_va default).
#ifndef IOVACHECK_DEVICES_DEVICE_REGISTRY_H_
#define IOVACHECK_DEVICES_DEVICE_REGISTRY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/device.h"
#include "model/device_config.h"

namespace iovacheck {

// The device config.device names. InvalidArgument for an unknown name.
absl::StatusOr<std::unique_ptr<Device>> MakeDevice(const DeviceConfig& config);

// The names are model/device_config.h's DeviceNames(); CheckDeviceName
// there says whether one is known.

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICES_DEVICE_REGISTRY_H_
