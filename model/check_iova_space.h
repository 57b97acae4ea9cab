// Checker: IOVAs lie in [max(range.first, page), range.last] and no two IOVA
// ranges overlap, across every address space (one allocator serves them all).
#ifndef IOVACHECK_MODEL_CHECK_IOVA_SPACE_H_
#define IOVACHECK_MODEL_CHECK_IOVA_SPACE_H_

#include <cstdint>
#include <optional>

#include "model/divergence.h"
#include "model/vdpa_device.h"

namespace iovacheck {

std::optional<Divergence> CheckIovaSpace(const VdpaDevice& device, uint64_t floor,
                                         uint64_t last);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_CHECK_IOVA_SPACE_H_
