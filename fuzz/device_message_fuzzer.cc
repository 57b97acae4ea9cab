// Raw vhost_msg / vhost_msg_v2 bytes, as a plug-in writes them, into the
// emulated device: each chunk of the input (its first byte says how long)
// is one write(); afterwards every address space's table must hold
// entries that do not overlap, as vhost_iotlb's interval tree does.
#include <algorithm>

#include "fuzz/fuzz_target.h"
#include "model/vdpa_device.h"
#include "translator/plugin/uapi_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The default device: v2 messages, batching and two address spaces.
  const iovacheck::DeviceConfig config;
  iovacheck::VdpaDevice device(config);
  size_t pos = 0;
  while (pos < size) {
    const size_t len = std::min<size_t>(data[pos], size - pos - 1);
    ++pos;
    absl::StatusOr<iovacheck::IotlbMsg> msg = iovacheck::DecodeUapiMessage(data + pos, len);
    pos += len;
    if (msg.ok()) device.Write(*msg);
  }
  for (uint32_t asid : device.asids()) {
    const iovacheck::IntervalTable* t = device.vhost_table(asid);
    if (t == nullptr) continue;
    uint64_t next_free = 0;
    bool first = true;
    for (const iovacheck::IotlbEntry& e : t->Entries()) {
      if (e.last < e.start || (!first && e.start < next_free)) {
        iovacheck::FuzzFinding("overlapping or inverted entries in the device's table");
      }
      first = false;
      next_free = e.last + 1;
      if (next_free == 0) break;  // the entry ends at the top of the space
    }
  }
  return 0;
}
