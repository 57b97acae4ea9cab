// The events a run is made of: what QEMU's memory listener and shadow
// virtqueues hand a translator. Properties generate them, traces will store
// them, the harness applies them.
#ifndef IOVACHECK_SIM_EVENT_H_
#define IOVACHECK_SIM_EVENT_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/guest_memory.h"
#include "model/host_buffers.h"
#include "model/iovec.h"

namespace iovacheck {

struct ListenerBeginEvent {};
struct ListenerCommitEvent {};
struct RegionAddEvent {
  Section section;
};
struct RegionDelEvent {
  Section section;
};
struct HostMapEvent {
  HostBuffer buffer;
};
struct HostUnmapEvent {
  uint64_t hva = 0;
  uint64_t size = 0;
  uint32_t asid = 0;
};
struct TranslateEvent {
  std::vector<Iovec> iovecs;
};
// Device-side events: a reset, and a DMA the device makes on its own.
struct DeviceResetEvent {};
struct DeviceDmaEvent {
  uint32_t asid = 0;
  uint64_t iova = 0;
  uint64_t len = 0;
  bool device_writes = false;
};

// The listener is re-registered with or without shadow virtqueues.
struct ShadowDataEvent {
  bool enabled = true;
};
// vIOMMU notifications: the guest maps [giova, giova+size) to GPA, or
// unmaps the closed range [giova, last].
struct IommuMapEvent {
  uint64_t giova = 0;
  uint64_t gpa = 0;
  uint64_t size = 0;
  uint8_t perm = 0;
};
struct IommuUnmapEvent {
  uint64_t giova = 0;
  uint64_t last = 0;
};

using Event = std::variant<ListenerBeginEvent, ListenerCommitEvent, RegionAddEvent,
                           RegionDelEvent, HostMapEvent, HostUnmapEvent,
                           TranslateEvent, DeviceResetEvent, DeviceDmaEvent,
                           ShadowDataEvent, IommuMapEvent, IommuUnmapEvent>;

// "region_add", "translate", ...
const char* EventKind(const Event& event);
// One line, addresses in hex, each address space named (gpa/hva/iova).
std::string EventToString(const Event& event);

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_EVENT_H_
