// Frames between iovacheck and the child process Linux's code runs in
// (devices/isolated_kernel_device.h), over translator/plugin/wire.h. The
// parent asks; the child answers every call with one frame, and after any
// call that can change the device, with the device's whole visible state.
#ifndef IOVACHECK_DEVICES_KERNEL_DEVICE_PROTOCOL_H_
#define IOVACHECK_DEVICES_KERNEL_DEVICE_PROTOCOL_H_

#include <cstdint>
#include <map>
#include <vector>

#include "model/device.h"
#include "model/interval_table.h"
#include "translator/plugin/wire.h"

namespace iovacheck {
namespace kernel_protocol {

enum Op : uint8_t {
  kOpen = 'O',       // child -> parent, first: U8 opened, then Str error or State
  kWrite = 'W',      // IotlbMsg -> I32 err, State
  kReset = 'R',      // -> State
  kReopen = 'C',     // -> State
  kDma = 'D',        // U32 asid, U64 iova, U64 len, U8 perm -> I32 rc, segments
  kMisbehave = 'M',  // U32 how -> nothing (tests only)
};

// What the oracle reads of a device between calls.
struct State {
  bool in_batch = false;
  uint32_t batch_asid = 0;
  std::map<uint32_t, IntervalTable> vhost;   // created address spaces
  std::map<uint32_t, IntervalTable> parent;  // the same address spaces
  std::vector<bool> parent_default;          // every asid < num_as
};

void PutState(const Device& device, WireWriter& w);
bool GetState(WireReader& r, State* state);

void PutMsg(const IotlbMsg& msg, WireWriter& w);
bool GetMsg(WireReader& r, IotlbMsg* msg);

}  // namespace kernel_protocol
}  // namespace iovacheck

#endif  // IOVACHECK_DEVICES_KERNEL_DEVICE_PROTOCOL_H_
