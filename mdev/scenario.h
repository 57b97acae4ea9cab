// The `mdev` scenario: a VM's life as an mdev vendor driver sees it. Guest
// memory regions are registered with the container (DIMM-sized and small
// ones, some read-only), the device touches guest pages sparsely and lets
// them go, regions are unmapped while the device still holds pages of them
// (the notifier's job), and a balloon driver's partial unmaps arrive, which
// type1 v2 must refuse. The run ends by finishing every use and unmapping
// every region, after which nothing may stay pinned. One seed, one run,
// byte for byte.
#ifndef IOVACHECK_MDEV_SCENARIO_H_
#define IOVACHECK_MDEV_SCENARIO_H_

#include <cstdint>
#include <vector>

#include "mdev/event.h"

namespace iovacheck {

std::vector<MdevEvent> GenerateMdevRun(uint64_t seed, int steps);

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_SCENARIO_H_
