#include "mdev/event.h"

#include "absl/strings/str_format.h"
#include "model/vfio_type1.h"

namespace iovacheck {
namespace {

std::string ProtToString(uint32_t prot) {
  std::string s;
  if (prot & kVfioDmaRead) s += "R";
  if (prot & kVfioDmaWrite) s += "W";
  return s.empty() ? "none" : s;
}

struct Printer {
  std::string operator()(const MapDmaEvent& e) const {
    return absl::StrFormat("map_dma     iova [0x%x, +0x%x) -> vaddr 0x%x %s", e.iova, e.size,
                           e.vaddr, ProtToString(e.prot));
  }
  std::string operator()(const UnmapDmaEvent& e) const {
    return absl::StrFormat("unmap_dma   iova [0x%x, +0x%x)", e.iova, e.size);
  }
  std::string operator()(const DeviceUseEvent& e) const {
    return absl::StrFormat("device_use  gpa 0x%x %s", e.gpa, ProtToString(e.prot));
  }
  std::string operator()(const DeviceDoneEvent& e) const {
    return absl::StrFormat("device_done gpa 0x%x", e.gpa);
  }
};

}  // namespace

std::string MdevEventToString(const MdevEvent& event) { return std::visit(Printer{}, event); }

}  // namespace iovacheck
