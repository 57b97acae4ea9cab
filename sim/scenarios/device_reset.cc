#include "sim/scenarios/device_reset.h"

namespace iovacheck {
namespace scenarios {

void DeviceResetPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  (void)prng;
  (void)world;
  out->push_back(DeviceResetEvent{});
}

}  // namespace scenarios
}  // namespace iovacheck
