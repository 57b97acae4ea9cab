// The differential: the same operations on two devices (the emulation and
// Linux's code, or any two), compared after every operation: write()'s
// answer, each address space's vhost and parent tables, whether the parent
// is in its default mapping, the batch state, and each DMA's result and
// pieces. The first disagreement is reported and can be shrunk to a minimal
// operation list.
#ifndef IOVACHECK_DEVICEDIFF_DEVICE_DIFF_H_
#define IOVACHECK_DEVICEDIFF_DEVICE_DIFF_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "devicediff/device_op.h"
#include "model/device.h"

namespace iovacheck {

using DeviceMaker = std::function<absl::StatusOr<std::unique_ptr<Device>>()>;

struct Disagreement {
  size_t op_index = 0;  // the operation after which the devices differ
  std::string what;     // "write: a returned 0, b EFAULT", "asid 0 vhost table: ..."
};

// Runs `ops` on a fresh `a` and a fresh `b`. nullopt when they agree
// throughout; an error when a device cannot be made.
absl::StatusOr<std::optional<Disagreement>> RunDiff(const std::vector<DeviceOp>& ops,
                                                    const DeviceMaker& a,
                                                    const DeviceMaker& b);

// A smallest sublist of `ops` (removing chunks, then single ops, until no
// removal keeps a disagreement) that still makes the devices disagree.
// `max_replays` bounds the work by runs, not time.
std::vector<DeviceOp> ShrinkDiff(std::vector<DeviceOp> ops, const DeviceMaker& a,
                                 const DeviceMaker& b, size_t max_replays = 5000);

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICEDIFF_DEVICE_DIFF_H_
