// The net control virtqueue's shadow buffers: a command buffer the device
// reads (RO) and a status buffer it writes (RW), one host page each. With
// shadow data they live in address space 0 or, when the device can isolate
// the CVQ (IOTLB_ASID, v2 messages, a second address space), in ASID 1;
// without shadow data only the isolated CVQ is shadowed, always in ASID 1
// (address space 0 then holds guest memory at IOVA = GPA).
#ifndef IOVACHECK_SIM_SCENARIOS_CVQ_H_
#define IOVACHECK_SIM_SCENARIOS_CVQ_H_

#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

bool CvqIsolatable(const DeviceConfig& config);
// Maps the CVQ buffers if the device has a CVQ that can be shadowed now and
// they are not mapped yet.
void MapCvq(SplitMix64& prng, World& world, std::vector<Event>* out);
void UnmapCvq(World& world, std::vector<Event>* out);

// Sends CVQ commands (their buffers translated by HVA: they have no GPA),
// and restarts the CVQ, which maps its buffers afresh.
class CvqPart : public Part {
 public:
  bool Ready(const World& world) const override;
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_CVQ_H_
