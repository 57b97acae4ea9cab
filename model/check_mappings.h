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

// One entry of the kernel's table of address space `asid`.
struct AsidEntry {
  uint32_t asid = 0;
  IotlbEntry entry;
};

// The same check over given entries (ordered by asid, then start): the
// incremental oracle runs it on the few mappings and entries an event
// touched, grouped so that no match can cross a group.
std::optional<Divergence> MatchMappings(const std::vector<const ExpectedMapping*>& expected,
                                        const std::vector<AsidEntry>& entries, bool strict);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_CHECK_MAPPINGS_H_
