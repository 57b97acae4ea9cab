#include "model/oracle.h"

#include "model/check_allocations.h"
#include "model/check_device_view.h"
#include "model/check_iova_space.h"
#include "model/check_mappings.h"

namespace iovacheck {

std::optional<Divergence> CheckState(const ReferenceModel& model,
                                     const VdpaDevice& device,
                                     const std::vector<IovaAllocation>& allocations,
                                     const OracleOptions& options) {
  // Most specific first: a missing or stale mapping explains the others.
  if (auto d = CheckMappings(model.ExpectedMappings(), device, options.strict)) return d;
  if (auto d = CheckIovaSpace(device, model.iova_floor(), model.config().iova_last)) return d;
  if (auto d = CheckAllocations(allocations, device)) return d;
  if (options.quiescent) {
    if (auto d = CheckDeviceView(device)) return d;
  }
  return std::nullopt;
}

}  // namespace iovacheck
