// A scenario made of parts: the first step boots the machine (every part
// installs its regions, the listener is registered with or without shadow
// data and told the boot flat view, the device starts); every later step
// lets one ready part act, chosen by weight.
#ifndef IOVACHECK_SIM_SCENARIOS_COMPOSED_SCENARIO_H_
#define IOVACHECK_SIM_SCENARIOS_COMPOSED_SCENARIO_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "sim/scenario.h"
#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

struct Recipe {
  bool viommu = false;
  // The device shadows its queues (SVQ, CVQ); false: no host buffers ever.
  bool svq = true;
  // Runs that boot with shadow data on; the rest boot without it.
  uint64_t boot_shadow_percent = 70;
  // Booted in this order; the machine's base memory map first.
  std::vector<std::pair<uint32_t, std::function<std::unique_ptr<Part>()>>> parts;
};

class ComposedScenario : public Scenario {
 public:
  explicit ComposedScenario(Recipe recipe);
  DeviceConfig ChooseDevice(SplitMix64& prng) override;
  void NextStep(SplitMix64& prng, const ScenarioContext& context,
                std::vector<Event>* out) override;

 private:
  void Boot(SplitMix64& prng, std::vector<Event>* out);

  Recipe recipe_;
  std::vector<std::pair<uint32_t, std::unique_ptr<Part>>> parts_;
  World world_;
  bool booted_ = false;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_COMPOSED_SCENARIO_H_
