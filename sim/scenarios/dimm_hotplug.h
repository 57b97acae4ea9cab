// DIMM hot-plug and unplug in the device-memory area above 4 GiB (the part
// of it virtio-mem does not use). Each DIMM is its own memory backend (a new
// RAM block, a new HVA), sometimes read-only (a read-only file backend); a
// plug or unplug is one listener transaction.
#ifndef IOVACHECK_SIM_SCENARIOS_DIMM_HOTPLUG_H_
#define IOVACHECK_SIM_SCENARIOS_DIMM_HOTPLUG_H_

#include <cstdint>
#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

class DimmHotplugPart : public Part {
 public:
  void Boot(SplitMix64& prng, World& world) override;
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;

 private:
  bool Plug(SplitMix64& prng, World& world);

  struct Dimm {
    int region = 0;
    uint64_t gpa = 0;
    uint64_t size = 0;
  };
  std::vector<Dimm> plugged_;
  uint64_t area_base_ = 0;
  uint64_t area_size_ = 0;
  uint64_t next_name_ = 0;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_DIMM_HOTPLUG_H_
