// virtio-mem: a device region at the start of device memory whose blocks the
// guest plugs and unplugs. Plugged blocks are RAM of the device's memory
// backend; contiguous ones render as one section, so plugging next to a run
// replaces it by a longer one, and unplugging inside a run splits it.
#ifndef IOVACHECK_SIM_SCENARIOS_VIRTIO_MEM_H_
#define IOVACHECK_SIM_SCENARIOS_VIRTIO_MEM_H_

#include <cstdint>
#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

class VirtioMemPart : public Part {
 public:
  void Boot(SplitMix64& prng, World& world) override;
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;

 private:
  // Replaces the run regions by the current plugged runs.
  void Rebuild(World& world);

  uint64_t base_ = 0;
  uint64_t block_size_ = 0;
  uint64_t hva_ = 0;
  uint64_t block_id_ = 0;
  std::vector<bool> plugged_;
  std::vector<int> runs_;  // region ids
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_VIRTIO_MEM_H_
