// The guest IOMMU (facts section 6): the guest maps and unmaps page ranges
// of guest IOVA onto RAM, and the notifier replays: VT-d first unmaps the
// whole space then maps every live entry again; other IOMMUs only re-send
// the MAPs of live entries, which the consumer must take as no change. The
// device then DMAs at guest IOVAs (see the datapath part).
#ifndef IOVACHECK_SIM_SCENARIOS_VIOMMU_H_
#define IOVACHECK_SIM_SCENARIOS_VIOMMU_H_

#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

class ViommuPart : public Part {
 public:
  bool Ready(const World& world) const override { return world.config.viommu; }
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_VIOMMU_H_
