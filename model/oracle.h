// The oracle: runs every checker against the model, the device and the
// translator's allocations. Called after every step; the device-view checker
// only at quiescent points (outside a listener transaction), where a set_map
// device must have caught up.
#ifndef IOVACHECK_MODEL_ORACLE_H_
#define IOVACHECK_MODEL_ORACLE_H_

#include <optional>
#include <vector>

#include "model/divergence.h"
#include "model/iovec.h"
#include "model/reference_model.h"
#include "model/device.h"

namespace iovacheck {

struct OracleOptions {
  bool quiescent = true;
  bool strict = false;  // also demand QEMU's first-fit IOVAs
};

std::optional<Divergence> CheckState(const ReferenceModel& model,
                                     const Device& device,
                                     const std::vector<IovaAllocation>& allocations,
                                     const OracleOptions& options);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_ORACLE_H_
