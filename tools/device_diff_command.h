// iovacheck device-diff: the emulation against Linux's own code, message by
// message (devicediff/).
#ifndef IOVACHECK_TOOLS_DEVICE_DIFF_COMMAND_H_
#define IOVACHECK_TOOLS_DEVICE_DIFF_COMMAND_H_

#include <cstdint>
#include <string>

namespace iovacheck {

// Runs `messages` generated operations from `seed` on `device` and on the
// emulation, for each device kind (dma_map, set_map) and with and without
// IOTLB_PERSIST, in runs of `run_length` operations (each on fresh
// devices). Prints the first disagreement, shrunk, with the seed; exit 0
// when none, 1 on a disagreement, 2 on bad arguments.
int RunDeviceDiff(const std::string& device, uint64_t messages, uint64_t seed,
                  uint64_t run_length);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_DEVICE_DIFF_COMMAND_H_
