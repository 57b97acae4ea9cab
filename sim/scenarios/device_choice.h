// The device of a run: parent driver kind (dma_map or set_map), acked
// backend features (v1/v2 messages, batching, ASID, IOTLB_PERSIST), address
// spaces, IOVA range, host page size, vIOMMU or not. Weighted towards what
// real devices advertise, with the rarer shapes (64 KiB pages, a range that
// starts above 0 or ends below the machine's top RAM) often enough to matter.
#ifndef IOVACHECK_SIM_SCENARIOS_DEVICE_CHOICE_H_
#define IOVACHECK_SIM_SCENARIOS_DEVICE_CHOICE_H_

#include "model/device_config.h"
#include "sim/prng.h"

namespace iovacheck {
namespace scenarios {

DeviceConfig ChooseDeviceConfig(SplitMix64& prng, bool viommu);

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_DEVICE_CHOICE_H_
