// Checker for one guest buffer translation: the translator refuses it exactly
// when the model says some element is unmapped or crosses a mapping's end,
// and otherwise every element, DMA'd by the device through its IOTLB at the
// IOVA the translator chose, lands on the HVA the guest means (or is refused
// with EPERM when the mapping lacks the permission the direction needs).
#ifndef IOVACHECK_MODEL_CHECK_DATAPATH_H_
#define IOVACHECK_MODEL_CHECK_DATAPATH_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "model/divergence.h"
#include "model/iovec.h"
#include "model/reference_model.h"
#include "model/device.h"

namespace iovacheck {

std::optional<Divergence> CheckDatapath(const ReferenceModel& model,
                                        const Device& device,
                                        const std::vector<Iovec>& iovecs,
                                        int translator_rc,
                                        const std::vector<uint64_t>& iovas);

// A device DMA of its own: where the model can say where it lands (every
// mapping of the address space at a fixed IOVA: no shadow data, or a
// vIOMMU), it must land exactly there, or be refused where nothing maps it.
std::optional<Divergence> CheckDeviceDma(const ReferenceModel& model,
                                         const Device& device, uint32_t asid,
                                         uint64_t iova, uint64_t len, bool device_writes,
                                         int rc, const std::vector<DmaSegment>& segments);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_CHECK_DATAPATH_H_
