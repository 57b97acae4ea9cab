#include "devices/kernel_device_child.h"

#include <unistd.h>

#include <memory>
#include <vector>

#include "devices/kernel_device_protocol.h"
#include "translator/plugin/wire.h"

namespace iovacheck {

using namespace kernel_protocol;  // NOLINT: the op names

void ServeKernelDevice(int fd, const KernelApi* api, const std::string& version,
                       const DeviceConfig& config) {
  absl::StatusOr<std::unique_ptr<KernelDevice>> opened =
      KernelDevice::OpenLoaded(api, version, config);
  {
    WireWriter w;
    w.U8(kOpen).U8(opened.ok() ? 1 : 0);
    if (opened.ok()) {
      PutState(**opened, w);
    } else {
      w.Str(std::string(opened.status().message()));
    }
    if (!SendFrame(fd, w.bytes()) || !opened.ok()) _exit(0);
  }
  KernelDevice& device = **opened;
  std::string frame;
  // End of file: the parent is done with the device.
  while (ReceiveFrame(fd, &frame)) {
    WireReader r(frame);
    uint8_t op = 0;
    if (!r.U8(&op)) _exit(3);
    WireWriter w;
    switch (op) {
      case kWrite: {
        IotlbMsg msg;
        if (!GetMsg(r, &msg)) _exit(3);
        const WriteResult result = device.Write(msg);
        w.U32(static_cast<uint32_t>(result.err));
        PutState(device, w);
        break;
      }
      case kReset:
        device.Reset();
        PutState(device, w);
        break;
      case kReopen:
        device.Reopen();
        PutState(device, w);
        break;
      case kDma: {
        uint32_t asid = 0;
        uint64_t iova = 0, len = 0;
        uint8_t perm = 0;
        if (!r.U32(&asid) || !r.U64(&iova) || !r.U64(&len) || !r.U8(&perm)) _exit(3);
        std::vector<DmaSegment> segments;
        const int rc = device.Dma(asid, iova, len, perm, &segments);
        w.U32(static_cast<uint32_t>(rc)).U32(static_cast<uint32_t>(segments.size()));
        for (const DmaSegment& s : segments) w.U64(s.hva).U64(s.len);
        break;
      }
      case kMisbehave: {
        uint32_t how = 0;
        if (!r.U32(&how)) _exit(3);
        device.MisbehaveNextAllocation(static_cast<int>(how));
        continue;  // no answer
      }
      default:
        _exit(3);
    }
    if (!SendFrame(fd, w.bytes())) break;
  }
  _exit(0);
}

}  // namespace iovacheck
