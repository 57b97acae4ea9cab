#include "sim/scenarios/named_scenarios.h"

#include "sim/scenarios/composed_scenario.h"
#include "sim/scenarios/cvq.h"
#include "sim/scenarios/datapath.h"
#include "sim/scenarios/device_reset.h"
#include "sim/scenarios/dimm_hotplug.h"
#include "sim/scenarios/machine_memory_map.h"
#include "sim/scenarios/pam.h"
#include "sim/scenarios/smram.h"
#include "sim/scenarios/svq_lifecycle.h"
#include "sim/scenarios/viommu.h"
#include "sim/scenarios/virtio_mem.h"

namespace iovacheck {
namespace scenarios {
namespace {

template <typename P, typename... Args>
std::pair<uint32_t, std::function<std::unique_ptr<Part>()>> Weighted(uint32_t weight,
                                                                     Args... args) {
  return {weight, [=]() { return std::make_unique<P>(args...); }};
}

struct Weights {
  uint32_t machine, pam, smram, dimm, virtio_mem, svq, cvq, datapath, reset, viommu;
};

Recipe Compose(MachineFlavour flavour, const Weights& w) {
  Recipe r;
  r.parts = {
      Weighted<MachineMemoryMapPart>(w.machine, flavour),
      Weighted<PamPart>(w.pam),
      Weighted<SmramPart>(w.smram),
      Weighted<DimmHotplugPart>(w.dimm),
      Weighted<VirtioMemPart>(w.virtio_mem),
      Weighted<SvqLifecyclePart>(w.svq),
      Weighted<CvqPart>(w.cvq),
      Weighted<DatapathPart>(w.datapath),
      Weighted<DeviceResetPart>(w.reset),
      Weighted<ViommuPart>(w.viommu),
  };
  return r;
}

}  // namespace

std::unique_ptr<Scenario> MakeQ35Scenario() {
  Recipe r = Compose(MachineFlavour::kQ35, {1, 3, 4, 2, 2, 2, 2, 8, 1, 0});
  return std::make_unique<ComposedScenario>(std::move(r));
}

std::unique_ptr<Scenario> MakeHotplugScenario() {
  Recipe r = Compose(MachineFlavour::kEither, {1, 1, 1, 7, 7, 1, 1, 5, 1, 0});
  return std::make_unique<ComposedScenario>(std::move(r));
}

std::unique_ptr<Scenario> MakeMigrationScenario() {
  Recipe r = Compose(MachineFlavour::kEither, {1, 1, 1, 1, 1, 7, 3, 6, 2, 0});
  r.boot_shadow_percent = 15;
  return std::make_unique<ComposedScenario>(std::move(r));
}

std::unique_ptr<Scenario> MakeViommuScenario() {
  Recipe r = Compose(MachineFlavour::kQ35, {1, 1, 1, 2, 1, 0, 0, 6, 1, 9});
  r.viommu = true;
  r.svq = false;
  return std::make_unique<ComposedScenario>(std::move(r));
}

}  // namespace scenarios
}  // namespace iovacheck
