// Checker, at quiescent points (outside a listener transaction): no batch is
// left open and what the parent driver DMAs through equals the kernel's table
// in every address space. A set_map device only catches up at BATCH_END, so a
// translator that forgets it leaves the device behind.
#ifndef IOVACHECK_MODEL_CHECK_DEVICE_VIEW_H_
#define IOVACHECK_MODEL_CHECK_DEVICE_VIEW_H_

#include <optional>

#include "model/divergence.h"
#include "model/device.h"

namespace iovacheck {

std::optional<Divergence> CheckDeviceView(const Device& device);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_CHECK_DEVICE_VIEW_H_
