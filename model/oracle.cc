#include "model/oracle.h"

#include "model/check_allocations.h"
#include "model/check_device_view.h"
#include "model/check_iova_space.h"
#include "model/check_mappings.h"

namespace iovacheck {

std::optional<Divergence> CheckState(const ReferenceModel& model,
                                     const Device& device,
                                     const std::vector<IovaAllocation>& allocations,
                                     const OracleOptions& options) {
  // Most specific first: a missing or stale mapping explains the others.
  const std::vector<ExpectedMapping> expected = model.ExpectedMappings();
  if (auto d = CheckMappings(expected, device, options.strict)) return d;
  // Fixed IOVAs (GPA, guest IOVA) may start below the page floor.
  const uint64_t floor =
      model.single_allocator() ? model.iova_floor() : model.config().iova_first;
  if (auto d = CheckIovaSpace(device, floor, model.config().iova_last,
                              model.single_allocator())) {
    return d;
  }
  if (auto d = CheckAllocations(allocations, device, expected)) return d;
  if (options.quiescent) {
    if (auto d = CheckDeviceView(device)) return d;
  }
  return std::nullopt;
}

}  // namespace iovacheck
