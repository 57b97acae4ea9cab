#include "sim/scenarios/run_driver.h"

#include <utility>
#include <variant>

namespace iovacheck {
namespace scenarios {

RunSeeds DeriveRunSeeds(uint64_t seed) {
  SplitMix64 root(seed);
  RunSeeds s;
  s.device = root.Next();
  s.steps = root.Next();
  s.faults = root.Next();
  return s;
}

RunDriver::RunDriver(std::unique_ptr<Scenario> scenario, uint64_t seed, FaultPlan* plan,
                     uint64_t acked_features)
    : RunDriver(std::move(scenario), DeriveRunSeeds(seed), plan, acked_features) {}

RunDriver::RunDriver(std::unique_ptr<Scenario> scenario, const RunSeeds& seeds,
                     FaultPlan* plan, uint64_t acked_features)
    : scenario_(std::move(scenario)), steps_(seeds.steps), plan_(plan) {
  SplitMix64 device(seeds.device);
  config_ = scenario_->ChooseDevice(device);
  config_.backend_features &= acked_features;
  if (plan_ != nullptr) config_ = plan_->ApplyToDevice(config_);
}

void RunDriver::NextStep(const ReferenceModel& model, std::vector<Event>* events,
                         std::vector<bool>* injected) {
  raw_.clear();
  scenario_->NextStep(steps_, ScenarioContext{config_, model}, &raw_);
  events->clear();
  injected->clear();
  bool in_transaction = false;
  for (Event& e : raw_) {
    const bool region = std::holds_alternative<RegionAddEvent>(e) ||
                        std::holds_alternative<RegionDelEvent>(e);
    if (in_transaction && region && plan_ != nullptr &&
        plan_->Fire(FaultSite::kResetMidTransaction)) {
      events->push_back(DeviceResetEvent{});
      injected->push_back(true);
    }
    if (std::holds_alternative<ListenerBeginEvent>(e)) in_transaction = true;
    if (std::holds_alternative<ListenerCommitEvent>(e)) in_transaction = false;
    events->push_back(std::move(e));
    injected->push_back(false);
  }
}

}  // namespace scenarios
}  // namespace iovacheck
