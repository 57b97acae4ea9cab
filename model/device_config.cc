#include "model/device_config.h"

#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace iovacheck {

std::string FeaturesToString(uint64_t features) {
  std::vector<std::string> names;
  for (int bit = 0; bit < 64; ++bit) {
    if (!((features >> bit) & 1)) continue;
    switch (bit) {
      case kFeatureIotlbMsgV2:
        names.push_back("v2");
        break;
      case kFeatureIotlbBatch:
        names.push_back("batch");
        break;
      case kFeatureIotlbAsid:
        names.push_back("asid");
        break;
      case kFeatureIotlbPersist:
        names.push_back("persist");
        break;
      default:  // keep unknown bits visible rather than dropping them
        names.push_back(absl::StrFormat("bit%d", bit));
    }
  }
  return names.empty() ? "none" : absl::StrJoin(names, ",");
}

absl::StatusOr<uint64_t> ParseFeatures(const std::string& text) {
  if (text == "all") return kAllFeatures;
  if (text == "none") return uint64_t{0};
  uint64_t features = 0;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    int bit = -1;
    for (int b : {kFeatureIotlbMsgV2, kFeatureIotlbBatch, kFeatureIotlbAsid,
                  kFeatureIotlbPersist}) {
      if (FeaturesToString(uint64_t{1} << b) == name) bit = b;
    }
    if (bit < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "unknown feature '%s' (v2, batch, asid, persist, all or none)", name));
    }
    features |= uint64_t{1} << bit;
  }
  return features;
}

std::string DeviceConfigToString(const DeviceConfig& config) {
  // "target page" only when it differs: one page size reads as before.
  const std::string target =
      config.target_page_size == config.page_size
          ? ""
          : absl::StrFormat(" target page 0x%x", config.target_page_size);
  return absl::StrFormat(
      "iova [0x%x, 0x%x] page 0x%x%s features %s kind %s num_as %u",
      config.iova_first, config.iova_last, config.page_size, target,
      FeaturesToString(config.backend_features),
      config.kind == DeviceKind::kSetMap ? "set_map" : "dma_map",
      config.num_as) +
         (config.device == "emulated" ? "" : " device " + config.device);
}

std::vector<ProcessArea> DefaultProcessMap() {
  return {ProcessArea{0x1000, 0x7ffffffff000, true, true}};
}

const std::vector<std::string>& DeviceNames() {
  static const std::vector<std::string>* names =
      new std::vector<std::string>{"emulated", "linux-6.1", "linux-6.12"};
  return *names;
}

absl::Status CheckDeviceName(const std::string& name) {
  for (const std::string& n : DeviceNames()) {
    if (n == name) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "unknown device '%s' (choose %s)", name, absl::StrJoin(DeviceNames(), ", ")));
}

}  // namespace iovacheck
