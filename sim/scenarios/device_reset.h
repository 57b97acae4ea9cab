// A device reset at a quiet moment (VHOST_VDPA_SET_STATUS 0 and restart):
// without IOTLB_PERSIST the device loses its mappings and the translator
// must restore them. (Resets in the middle of a transaction are a fault
// site the simulator injects.)
#ifndef IOVACHECK_SIM_SCENARIOS_DEVICE_RESET_H_
#define IOVACHECK_SIM_SCENARIOS_DEVICE_RESET_H_

#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

class DeviceResetPart : public Part {
 public:
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_DEVICE_RESET_H_
