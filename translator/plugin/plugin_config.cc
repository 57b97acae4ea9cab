#include "translator/plugin/plugin_config.h"

namespace iovacheck {

iovacheck_device_config ToPluginConfig(const DeviceConfig& config) {
  iovacheck_device_config out{};
  out.iova_first = config.iova_first;
  out.iova_last = config.iova_last;
  out.host_page_size = config.page_size;
  out.target_page_size = config.target_page_size;
  out.backend_features = config.backend_features;
  out.num_address_spaces = config.num_as;
  out.device_kind =
      config.kind == DeviceKind::kSetMap ? IOVACHECK_DEVICE_SET_MAP : IOVACHECK_DEVICE_DMA_MAP;
  out.viommu = config.viommu ? 1 : 0;
  return out;
}

DeviceConfig FromPluginConfig(const iovacheck_device_config& config) {
  DeviceConfig out;
  out.iova_first = config.iova_first;
  out.iova_last = config.iova_last;
  out.page_size = config.host_page_size;
  out.target_page_size = config.target_page_size;
  out.backend_features = config.backend_features;
  out.num_as = config.num_address_spaces;
  out.kind = config.device_kind == IOVACHECK_DEVICE_SET_MAP ? DeviceKind::kSetMap
                                                             : DeviceKind::kDmaMap;
  out.viommu = config.viommu != 0;
  return out;
}

}  // namespace iovacheck
