// The event stream of one simulation run, shared by the simulator and the
// tests that step several harnesses with it. The run's seed is split into
// independent streams (device choice, scenario steps, faults), so turning
// faults on or off never changes what the scenario chooses.
#ifndef IOVACHECK_SIM_SCENARIOS_RUN_DRIVER_H_
#define IOVACHECK_SIM_SCENARIOS_RUN_DRIVER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "model/device_config.h"
#include "model/reference_model.h"
#include "sim/event.h"
#include "sim/faults.h"
#include "sim/prng.h"
#include "sim/scenario.h"

namespace iovacheck {
namespace scenarios {

struct RunSeeds {
  uint64_t device = 0;
  uint64_t steps = 0;
  uint64_t faults = 0;
};

RunSeeds DeriveRunSeeds(uint64_t seed);

class RunDriver {
 public:
  // `plan` (not owned, may be null: no faults) cuts the device's range and
  // decides the resets injected inside listener transactions.
  // `acked_features` masks the device's backend features: what the
  // translator under test acks of what the device offers.
  RunDriver(std::unique_ptr<Scenario> scenario, uint64_t seed, FaultPlan* plan,
            uint64_t acked_features = ~uint64_t{0});
  RunDriver(std::unique_ptr<Scenario> scenario, const RunSeeds& seeds, FaultPlan* plan,
            uint64_t acked_features = ~uint64_t{0});

  const DeviceConfig& config() const { return config_; }

  // The next lifecycle step's events, replacing *events. Inside a listener
  // transaction, before each region event, the plan may insert a device
  // reset (kResetMidTransaction); (*injected)[i] says event i is one.
  // `model` is the listener's view the scenario may look at.
  void NextStep(const ReferenceModel& model, std::vector<Event>* events,
                std::vector<bool>* injected);

 private:
  std::unique_ptr<Scenario> scenario_;
  SplitMix64 steps_;
  FaultPlan* plan_;
  DeviceConfig config_;
  std::vector<Event> raw_;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_RUN_DRIVER_H_
