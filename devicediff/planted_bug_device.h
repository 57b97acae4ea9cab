// A copy of the emulation with one plausible bug planted at its boundary,
// for showing that the differential catches each (device_diff_test).
#ifndef IOVACHECK_DEVICEDIFF_PLANTED_BUG_DEVICE_H_
#define IOVACHECK_DEVICEDIFF_PLANTED_BUG_DEVICE_H_

#include <string>
#include <vector>

#include "model/vdpa_device.h"

namespace iovacheck {

enum class PlantedBug {
  kLastOffByOne,           // an UPDATE maps one byte more than asked
  kInvalidateSizeZeroNoop, // INVALIDATE of size 0 removes nothing
  kResetEndsBatch,         // a reset closes an open batch
  kDmaIgnoresPerm,         // device DMA never checks permissions
  kAsidIgnored,            // every message goes to address space 0
  kSizeZeroUpdateAccepted, // UPDATE of size 0 is not refused
};

std::vector<PlantedBug> AllPlantedBugs();
std::string PlantedBugName(PlantedBug bug);

class PlantedBugDevice : public VdpaDevice {
 public:
  PlantedBugDevice(const DeviceConfig& config, PlantedBug bug)
      : VdpaDevice(config), bug_(bug) {}
  WriteResult Write(const IotlbMsg& msg) override;
  void Reset() override;
  int Dma(uint32_t asid, uint64_t iova, uint64_t len, uint8_t need_perm,
          std::vector<DmaSegment>* out) const override;

 private:
  PlantedBug bug_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICEDIFF_PLANTED_BUG_DEVICE_H_
