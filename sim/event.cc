#include "sim/event.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "model/iotlb_msg.h"

namespace iovacheck {
namespace {

struct KindOf {
  const char* operator()(const ListenerBeginEvent&) const { return "listener_begin"; }
  const char* operator()(const ListenerCommitEvent&) const { return "listener_commit"; }
  const char* operator()(const RegionAddEvent&) const { return "region_add"; }
  const char* operator()(const RegionDelEvent&) const { return "region_del"; }
  const char* operator()(const HostMapEvent&) const { return "host_map"; }
  const char* operator()(const HostUnmapEvent&) const { return "host_unmap"; }
  const char* operator()(const TranslateEvent&) const { return "translate"; }
  const char* operator()(const DeviceResetEvent&) const { return "device_reset"; }
  const char* operator()(const DeviceDmaEvent&) const { return "device_dma"; }
  const char* operator()(const ShadowDataEvent&) const { return "shadow_data"; }
  const char* operator()(const IommuMapEvent&) const { return "iommu_map"; }
  const char* operator()(const IommuUnmapEvent&) const { return "iommu_unmap"; }
};

std::string IovecText(const Iovec& v) {
  const char* dir = v.device_writes ? "device-writes" : "device-reads";
  if (v.has_gpa) {
    return absl::StrFormat("gpa [0x%x, +0x%x) (hva 0x%x) %s", v.gpa, v.len, v.hva, dir);
  }
  return absl::StrFormat("hva [0x%x, +0x%x) %s", v.hva, v.len, dir);
}

struct TextOf {
  std::string operator()(const ListenerBeginEvent&) const { return "listener_begin"; }
  std::string operator()(const ListenerCommitEvent&) const { return "listener_commit"; }
  std::string operator()(const RegionAddEvent& e) const {
    return "region_add  " + SectionToString(e.section);
  }
  std::string operator()(const RegionDelEvent& e) const {
    return "region_del  " + SectionToString(e.section);
  }
  std::string operator()(const HostMapEvent& e) const {
    return "host_map    " + HostBufferToString(e.buffer);
  }
  std::string operator()(const HostUnmapEvent& e) const {
    return absl::StrFormat("host_unmap  hva [0x%x, +0x%x) asid %u", e.hva, e.size, e.asid);
  }
  std::string operator()(const TranslateEvent& e) const {
    std::vector<std::string> parts;
    for (const Iovec& v : e.iovecs) parts.push_back(IovecText(v));
    return "translate   " + absl::StrJoin(parts, "; ");
  }
  std::string operator()(const DeviceResetEvent&) const { return "device_reset"; }
  std::string operator()(const DeviceDmaEvent& e) const {
    return absl::StrFormat("device_dma  asid %u iova [0x%x, +0x%x) %s", e.asid, e.iova,
                           e.len, e.device_writes ? "write" : "read");
  }
  std::string operator()(const ShadowDataEvent& e) const {
    return absl::StrFormat("shadow_data %s", e.enabled ? "on" : "off");
  }
  std::string operator()(const IommuMapEvent& e) const {
    return absl::StrFormat("iommu_map   giova [0x%x, +0x%x) -> gpa 0x%x %s", e.giova, e.size,
                           e.gpa, PermToString(e.perm));
  }
  std::string operator()(const IommuUnmapEvent& e) const {
    return absl::StrFormat("iommu_unmap giova [0x%x, 0x%x]", e.giova, e.last);
  }
};

}  // namespace

const char* EventKind(const Event& event) { return std::visit(KindOf{}, event); }

std::string EventToString(const Event& event) { return std::visit(TextOf{}, event); }

}  // namespace iovacheck
