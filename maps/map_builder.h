// The address map of a harness's model and device at one moment: sections
// and their HVAs from the model, entries from the kernel's tables, each
// required mapping matched to an entry as the oracle matches them (same
// address space, HVA, length and permission; the same IOVA where it is
// fixed). An entry nothing asks for is stale, a required mapping no entry
// serves is missing; both are marked, as is every address the divergence
// (if any) names.
#ifndef IOVACHECK_MAPS_MAP_BUILDER_H_
#define IOVACHECK_MAPS_MAP_BUILDER_H_

#include <optional>
#include <string>

#include "maps/address_map.h"
#include "model/device.h"
#include "model/divergence.h"
#include "model/reference_model.h"

namespace iovacheck {

AddressMap BuildAddressMap(const ReferenceModel& model, const Device& device,
                           const std::optional<Divergence>& divergence, const std::string& title);

}  // namespace iovacheck

#endif  // IOVACHECK_MAPS_MAP_BUILDER_H_
