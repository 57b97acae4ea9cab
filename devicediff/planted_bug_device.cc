#include "devicediff/planted_bug_device.h"

namespace iovacheck {

std::vector<PlantedBug> AllPlantedBugs() {
  return {PlantedBug::kLastOffByOne,  PlantedBug::kInvalidateSizeZeroNoop,
          PlantedBug::kResetEndsBatch, PlantedBug::kDmaIgnoresPerm,
          PlantedBug::kAsidIgnored,   PlantedBug::kSizeZeroUpdateAccepted};
}

std::string PlantedBugName(PlantedBug bug) {
  switch (bug) {
    case PlantedBug::kLastOffByOne: return "last-off-by-one";
    case PlantedBug::kInvalidateSizeZeroNoop: return "invalidate-size-zero-noop";
    case PlantedBug::kResetEndsBatch: return "reset-ends-batch";
    case PlantedBug::kDmaIgnoresPerm: return "dma-ignores-perm";
    case PlantedBug::kAsidIgnored: return "asid-ignored";
    case PlantedBug::kSizeZeroUpdateAccepted: return "size-zero-update-accepted";
  }
  return "?";
}

WriteResult PlantedBugDevice::Write(const IotlbMsg& msg) {
  IotlbMsg m = msg;
  switch (bug_) {
    case PlantedBug::kLastOffByOne:
      if (m.type == kIotlbUpdate && m.size != 0 && m.size != ~uint64_t{0}) ++m.size;
      break;
    case PlantedBug::kInvalidateSizeZeroNoop:
      if (m.type == kIotlbInvalidate && m.size == 0) return WriteResult{};
      break;
    case PlantedBug::kAsidIgnored:
      m.asid = 0;
      break;
    case PlantedBug::kSizeZeroUpdateAccepted:
      if (m.type == kIotlbUpdate && m.size == 0) return WriteResult{};
      break;
    default:
      break;
  }
  return VdpaDevice::Write(m);
}

void PlantedBugDevice::Reset() {
  if (bug_ == PlantedBug::kResetEndsBatch && in_batch()) {
    IotlbMsg end;
    end.asid = batch_asid();
    end.type = kIotlbBatchEnd;
    VdpaDevice::Write(end);
  }
  VdpaDevice::Reset();
}

int PlantedBugDevice::Dma(uint32_t asid, uint64_t iova, uint64_t len, uint8_t need_perm,
                          std::vector<DmaSegment>* out) const {
  if (bug_ == PlantedBug::kDmaIgnoresPerm) need_perm = kPermNone;
  return VdpaDevice::Dma(asid, iova, len, need_perm, out);
}

}  // namespace iovacheck
