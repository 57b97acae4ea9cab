#include "devicediff/diff_configs.h"

#include "devices/device_registry.h"

namespace iovacheck {

std::vector<DeviceConfig> DiffConfigs(KernelProfile profile) {
  std::vector<DeviceConfig> out;
  // A tiny max_iotlb_entries makes 6.12's per-address-space limit (and
  // its rollback) come up within a few dozen operations.
  for (uint32_t max_entries : {2048u, 8u}) {
    for (DeviceKind kind : {DeviceKind::kDmaMap, DeviceKind::kSetMap}) {
      for (bool persist : {false, true}) {
        DeviceConfig c;
        c.profile = profile;
        c.kind = kind;
        c.num_as = 2;
        c.max_iotlb_entries = max_entries;
        if (persist) c.backend_features |= uint64_t{1} << kFeatureIotlbPersist;
        out.push_back(c);
      }
    }
  }
  return out;
}

DeviceMaker NamedDevice(DeviceConfig config, const std::string& name) {
  config.device = name;
  return [config]() { return MakeDevice(config); };
}

}  // namespace iovacheck
