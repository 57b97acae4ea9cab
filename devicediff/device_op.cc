#include "devicediff/device_op.h"

#include "absl/strings/str_format.h"

namespace iovacheck {

std::string DeviceOpToString(const DeviceOp& op) {
  if (const auto* w = std::get_if<WriteOp>(&op)) {
    return absl::StrFormat("write v%u %s", w->msg.version, IotlbMsgToString(w->msg));
  }
  if (std::holds_alternative<ResetOp>(op)) return "reset (SET_STATUS 0)";
  if (std::holds_alternative<ReopenOp>(op)) return "close and reopen the fd";
  const auto& d = std::get<DmaOp>(op);
  return absl::StrFormat("dma asid %u iova 0x%x len 0x%x %s", d.asid, d.iova, d.len,
                         d.need_perm == kPermWO ? "write" : "read");
}

size_t CountMessages(const std::vector<DeviceOp>& ops) {
  size_t n = 0;
  for (const DeviceOp& op : ops) n += std::holds_alternative<WriteOp>(op) ? 1 : 0;
  return n;
}

}  // namespace iovacheck
