// What a differential run is made of: the device configurations it cycles
// through, and a maker for a named device in one of them.
#ifndef IOVACHECK_DEVICEDIFF_DIFF_CONFIGS_H_
#define IOVACHECK_DEVICEDIFF_DIFF_CONFIGS_H_

#include <string>
#include <vector>

#include "devicediff/device_diff.h"
#include "model/device_config.h"

namespace iovacheck {

// Both parent kinds, with and without IOTLB_PERSIST, two address spaces;
// the emulation following `profile`.
std::vector<DeviceConfig> DiffConfigs(KernelProfile profile);

// Makes the device `name` (devices/device_registry.h) with `config`.
DeviceMaker NamedDevice(DeviceConfig config, const std::string& name);

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICEDIFF_DIFF_CONFIGS_H_
