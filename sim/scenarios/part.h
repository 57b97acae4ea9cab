// One concern of a scenario (the PAM windows, DIMM hot-plug, the SVQ
// lifecycle, the datapath, ...). A composed scenario boots every part, then
// at each step lets one ready part act, chosen by weight.
#ifndef IOVACHECK_SIM_SCENARIOS_PART_H_
#define IOVACHECK_SIM_SCENARIOS_PART_H_

#include <vector>

#include "sim/event.h"
#include "sim/prng.h"
#include "sim/scenarios/world.h"

namespace iovacheck {
namespace scenarios {

class Part {
 public:
  virtual ~Part() = default;
  // Installs the part's regions and state, before the boot transaction.
  virtual void Boot(SplitMix64& prng, World& world) {
    (void)prng;
    (void)world;
  }
  // Whether Act can do something useful now.
  virtual bool Ready(const World& world) const {
    (void)world;
    return true;
  }
  // Appends the events of one lifecycle step: valid for the model, listener
  // transactions balanced.
  virtual void Act(SplitMix64& prng, World& world, std::vector<Event>* out) = 0;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_PART_H_
