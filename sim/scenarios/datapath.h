// The guest's datapath. With shadow data the guest posts buffers that SVQ
// translates (chains of iovecs carrying their GPA and the HVA QEMU maps it
// at): inside sections, across a section's end, into the SMRAM alias, into
// memory nothing maps, and host-only memory by HVA. Without shadow data the
// device DMAs at IOVA = GPA itself, and under a vIOMMU at the guest IOVAs
// the guest mapped: then the part makes device DMAs instead.
#ifndef IOVACHECK_SIM_SCENARIOS_DATAPATH_H_
#define IOVACHECK_SIM_SCENARIOS_DATAPATH_H_

#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

class DatapathPart : public Part {
 public:
  bool Ready(const World& world) const override;
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_DATAPATH_H_
