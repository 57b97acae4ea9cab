// A scenario: a generator of translator and device events from a seed, one
// lifecycle step at a time, built from parts that can be combined (machine
// memory maps, the shadow-virtqueue lifecycle, the datapath, vIOMMU, ...).
// Every random choice comes from the SplitMix64 it is handed, so a seed
// always gives the same events.
#ifndef IOVACHECK_SIM_SCENARIO_H_
#define IOVACHECK_SIM_SCENARIO_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/device_config.h"
#include "model/reference_model.h"
#include "sim/event.h"
#include "sim/prng.h"

namespace iovacheck {

// What a scenario may look at when it picks the next step: the run's
// device, and the model of what is live (the listener's view).
struct ScenarioContext {
  const DeviceConfig& config;
  const ReferenceModel& model;
};

class Scenario {
 public:
  virtual ~Scenario() = default;
  // The device of this run: kind, features, range, address spaces, vIOMMU.
  virtual DeviceConfig ChooseDevice(SplitMix64& prng) = 0;
  // Appends the events of one lifecycle step (at least one event; listener
  // transactions balanced within the step). Events must be valid for the
  // model: a refused event is a scenario bug.
  virtual void NextStep(SplitMix64& prng, const ScenarioContext& context,
                        std::vector<Event>* out) = 0;
};

using ScenarioFactory = std::function<std::unique_ptr<Scenario>()>;

// The registered scenarios; the first is the default.
std::vector<std::string> ScenarioNames();
absl::StatusOr<ScenarioFactory> FindScenario(absl::string_view name);

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIO_H_
