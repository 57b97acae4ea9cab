// Checker: every expected mapping is in the kernel's IOTLB exactly (its own
// HVA, its length, its permission, its address space), nothing else is, and
// in strict mode each sits at the IOVA first fit predicts.
#ifndef IOVACHECK_MODEL_CHECK_MAPPINGS_H_
#define IOVACHECK_MODEL_CHECK_MAPPINGS_H_

#include <optional>
#include <vector>

#include "model/divergence.h"
#include "model/expected_mapping.h"
#include "model/device.h"

namespace iovacheck {

std::optional<Divergence> CheckMappings(const std::vector<ExpectedMapping>& expected,
                                        const Device& device, bool strict);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_CHECK_MAPPINGS_H_
