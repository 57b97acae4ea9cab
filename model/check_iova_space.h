// Checker: IOVAs lie in [floor, range.last] (floor = max(range.first, page)
// when the translator allocates them) and, when one allocator serves every
// address space, no two IOVA ranges overlap even across address spaces.
#ifndef IOVACHECK_MODEL_CHECK_IOVA_SPACE_H_
#define IOVACHECK_MODEL_CHECK_IOVA_SPACE_H_

#include <cstdint>
#include <optional>

#include "model/divergence.h"
#include "model/device.h"

namespace iovacheck {

std::optional<Divergence> CheckIovaSpace(const Device& device, uint64_t floor,
                                         uint64_t last, bool single_allocator = true);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_CHECK_IOVA_SPACE_H_
