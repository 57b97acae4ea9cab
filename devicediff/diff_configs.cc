#include "devicediff/diff_configs.h"

#include "devices/device_registry.h"

namespace iovacheck {

std::vector<DeviceConfig> DiffConfigs(KernelProfile profile) {
  std::vector<DeviceConfig> out;
  // A tiny max_iotlb_entries makes 6.12's per-address-space limit (and its
  // rollback) come up within a few dozen operations. A memory map of
  // several areas (read-only, anonymous, a gap) where the generated user
  // addresses fall (0x7f0000000000 and the 4 MiB above it) makes VA mode
  // split UPDATEs per area and PA mode refuse writable pins.
  const std::vector<ProcessArea> several = {
      ProcessArea{0x1000, 0x7f0000100000, true, true},
      ProcessArea{0x7f0000100000, 0x7f0000180000, false, true},
      ProcessArea{0x7f0000180000, 0x7f0000200000, true, false},
      ProcessArea{0x7f0000280000, 0x7ffffffff000, true, true}};
  struct Variant {
    uint32_t max_entries;
    bool several_areas;
  };
  for (const Variant& v : {Variant{2048, false}, Variant{8, false}, Variant{2048, true}}) {
    for (DeviceKind kind : {DeviceKind::kDmaMap, DeviceKind::kSetMap}) {
      for (bool persist : {false, true}) {
        DeviceConfig c;
        c.profile = profile;
        c.kind = kind;
        c.num_as = 2;
        c.max_iotlb_entries = v.max_entries;
        if (v.several_areas) c.process_map = several;
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
