#include "sim/scenarios/composed_scenario.h"

#include <iterator>

#include "sim/scenarios/device_choice.h"
#include "sim/scenarios/svq_lifecycle.h"

namespace iovacheck {
namespace scenarios {

ComposedScenario::ComposedScenario(Recipe recipe) : recipe_(std::move(recipe)) {
  for (const auto& [weight, make] : recipe_.parts) parts_.emplace_back(weight, make());
}

DeviceConfig ComposedScenario::ChooseDevice(SplitMix64& prng) {
  return ChooseDeviceConfig(prng, recipe_.viommu);
}

void ComposedScenario::Boot(SplitMix64& prng, std::vector<Event>* out) {
  static constexpr uint32_t kQueueSizes[] = {64, 128, 256, 512, 1024};
  world_.arena.Reset(world_.config.page_size);
  // Queue pairs: enough of them (multiqueue) that the rings alone can fill
  // a small IOVA range.
  world_.data_queues = 2 * static_cast<uint32_t>(prng.InRange(1, 8));
  world_.queue_size = kQueueSizes[prng.Below(std::size(kQueueSizes))];
  world_.has_cvq = recipe_.svq && prng.Percent(80);
  for (auto& [weight, part] : parts_) part->Boot(prng, world_);

  // The model starts with shadow data on (off under a vIOMMU, which refuses
  // it); booting without it is a switch before anything is mapped.
  if (world_.config.viommu) {
    world_.shadow = false;
  } else {
    world_.shadow = recipe_.svq && prng.Percent(recipe_.boot_shadow_percent);
    if (!world_.shadow) out->push_back(ShadowDataEvent{false});
  }
  world_.Commit(out);
  if (recipe_.svq) StartDevice(prng, world_, out);
}

void ComposedScenario::NextStep(SplitMix64& prng, const ScenarioContext& context,
                                std::vector<Event>* out) {
  world_.config = context.config;
  const size_t before = out->size();
  if (!booted_) {
    booted_ = true;
    Boot(prng, out);
    return;
  }
  uint64_t total = 0;
  for (const auto& [weight, part] : parts_) {
    if (part->Ready(world_)) total += weight;
  }
  if (total != 0) {
    uint64_t pick = prng.Below(total);
    for (auto& [weight, part] : parts_) {
      if (!part->Ready(world_)) continue;
      if (pick < weight) {
        part->Act(prng, world_, out);
        break;
      }
      pick -= weight;
    }
  }
  // A step has at least one event: an empty transaction changes nothing.
  if (out->size() == before) {
    out->push_back(ListenerBeginEvent{});
    out->push_back(ListenerCommitEvent{});
  }
}

}  // namespace scenarios
}  // namespace iovacheck
