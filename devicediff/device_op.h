// One thing done to a vhost-vdpa device in a differential run: a write() of
// an IOTLB message, a device reset, or a device DMA probe.
#ifndef IOVACHECK_DEVICEDIFF_DEVICE_OP_H_
#define IOVACHECK_DEVICEDIFF_DEVICE_OP_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/iotlb_msg.h"

namespace iovacheck {

struct WriteOp {
  IotlbMsg msg;
};
struct ResetOp {};
struct ReopenOp {};  // close(2) and open(2) of the fd
struct DmaOp {
  uint32_t asid = 0;
  uint64_t iova = 0;
  uint64_t len = 0;
  uint8_t need_perm = kPermRO;  // RO: the device reads; WO: it writes
};
using DeviceOp = std::variant<WriteOp, ResetOp, DmaOp, ReopenOp>;

// The write() messages among ops (the rest are resets, reopens, DMAs).
size_t CountMessages(const std::vector<DeviceOp>& ops);

std::string DeviceOpToString(const DeviceOp& op);

}  // namespace iovacheck

#endif  // IOVACHECK_DEVICEDIFF_DEVICE_OP_H_
