// Checker: the translator's IOVA allocations are exactly the live device
// mappings: nothing allocated and unmapped (a leak), nothing mapped that the
// allocator could hand out again.
#ifndef IOVACHECK_MODEL_CHECK_ALLOCATIONS_H_
#define IOVACHECK_MODEL_CHECK_ALLOCATIONS_H_

#include <optional>
#include <vector>

#include "model/divergence.h"
#include "model/expected_mapping.h"
#include "model/iovec.h"
#include "model/device.h"

namespace iovacheck {

// Entries matching a fixed-IOVA expected mapping are not allocations.
std::optional<Divergence> CheckAllocations(
    const std::vector<IovaAllocation>& allocations, const Device& device,
    const std::vector<ExpectedMapping>& expected = {});

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_CHECK_ALLOCATIONS_H_
