// Whether the model would accept every event of a candidate, decided without
// a translator: the rules Harness::Step enforces (transactions balanced,
// listener events inside them and nothing else, a region_del or host_unmap
// naming exactly what is live, no empty or wrapping translation or DMA) and
// the reference model's own refusals (overlapping GPA, unaligned or
// overlapping host buffers, unknown address spaces, shadow switches while
// something is live, IOMMU maps outside live RAM or over a live entry, RAM
// deleted while it backs one); and one rule every generator keeps: a guest
// element's HVA is what its GPA maps to (its RAM's, or no live memory where
// the GPA is nothing). The shrinker checks candidates it builds by editing
// fields or removing a lone event before spending a replay on them.
#ifndef IOVACHECK_SHRINK_WELL_FORMED_H_
#define IOVACHECK_SHRINK_WELL_FORMED_H_

#include "absl/status/status.h"
#include "model/device_config.h"
#include "shrink/trace_step.h"

namespace iovacheck {

// OK, or the first refused event: "event N (kind): why".
absl::Status CheckWellFormed(const DeviceConfig& config, const StepPool& pool,
                             const StepOrder& order);

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_WELL_FORMED_H_
