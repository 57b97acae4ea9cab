// The registered scenarios, composed from parts with weights:
//   q35        the whole lifecycle: memory-map churn (SMRAM alias toggling,
//              PAM, hot-plug, virtio-mem, BARs), SVQ on and off, vrings,
//              CVQ, resets, datapath
//   hotplug    DIMM and virtio-mem heavy, on q35 or pc
//   migration  SVQ lifecycle heavy: mostly boots without SVQ, enables it,
//              cancels, resets
//   viommu     a guest IOMMU: RAM announced but mapped only through IOMMU
//              MAP/UNMAP and replays, device DMAs at guest IOVAs
#ifndef IOVACHECK_SIM_SCENARIOS_NAMED_SCENARIOS_H_
#define IOVACHECK_SIM_SCENARIOS_NAMED_SCENARIOS_H_

#include <memory>

#include "sim/scenario.h"

namespace iovacheck {
namespace scenarios {

std::unique_ptr<Scenario> MakeQ35Scenario();
std::unique_ptr<Scenario> MakeHotplugScenario();
std::unique_ptr<Scenario> MakeMigrationScenario();
std::unique_ptr<Scenario> MakeViommuScenario();

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_NAMED_SCENARIOS_H_
