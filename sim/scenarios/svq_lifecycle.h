// The shadow-virtqueue lifecycle. Starting the device maps what SVQ needs as
// host buffers: with shadow data, each data queue's driver area (descriptors
// and avail ring, RO) and device area (used ring, RW), and the CVQ buffers.
// Enabling or disabling SVQ (migration start, cancel or end) stops the
// device, unregisters the listener (region_del of every section), re-registers
// it with or without shadow data (region_add of them all again) and starts
// the device; device restarts reset it in between, with the listener kept
// (as with IOTLB_PERSIST) or re-registered.
#ifndef IOVACHECK_SIM_SCENARIOS_SVQ_LIFECYCLE_H_
#define IOVACHECK_SIM_SCENARIOS_SVQ_LIFECYCLE_H_

#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

// Maps the vring areas (with shadow data) and the CVQ buffers.
void StartDevice(SplitMix64& prng, World& world, std::vector<Event>* out);
// Unmaps every host buffer.
void StopDevice(World& world, std::vector<Event>* out);

class SvqLifecyclePart : public Part {
 public:
  bool Ready(const World& world) const override { return !world.config.viommu; }
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;

 private:
  // The listener goes and comes back: every live section deleted, then
  // `between` (a reset, the shadow switch), then every section added again.
  static void Reregister(World& world, const std::vector<Event>& between,
                         std::vector<Event>* out);
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_SVQ_LIFECYCLE_H_
