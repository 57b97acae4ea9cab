// Simpler versions of one event, for the shrinker's last phase: smaller
// sizes, page-aligned and lower addresses (guest IOVAs of IOMMU maps
// included), fewer iovecs, read-only over read-write. Every variant is
// strictly smaller than the event in one field (sizes and addresses fall,
// flags only go one way), so repeatedly taking a variant that still fails
// ends.
#ifndef IOVACHECK_SHRINK_FIELD_SIMPLIFIER_H_
#define IOVACHECK_SHRINK_FIELD_SIMPLIFIER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/event.h"

namespace iovacheck {

// Most aggressive first, so the first variant that still fails is taken.
// Region_del, host_unmap and iommu_unmap have none of their own: they follow
// their region_add / host_map / iommu_map (see FollowPartner). Shadow
// switches and device resets have no fields worth simplifying.
std::vector<Event> SimplerVariants(const Event& event, uint64_t page_size);

// The partner of a simplified event rewritten to match it: the region_del
// of a simplified region_add names the new section, the host_unmap of a
// simplified host_map the new buffer, the iommu_unmap of a simplified
// iommu_map its new range. Nullopt if `partner` is none of these.
std::optional<Event> FollowPartner(const Event& partner, const Event& simplified);

// Values below `value`, smallest first: floor, then halfway, three
// quarters, ... up to one step below, each a multiple of `step` (a power of
// two) and at least `floor`. Like a binary search run from below: the first
// that still fails is close to the smallest that does.
std::vector<uint64_t> LowerValues(uint64_t value, uint64_t floor, uint64_t step);

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_FIELD_SIMPLIFIER_H_
