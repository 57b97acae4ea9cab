// What a translator does when the device is reset: an open batch stays open
// in the kernel, and without IOTLB_PERSIST the parent driver lost every
// mapping (back to its default) while the kernel's vhost table kept them. Both translators share this so
// that they differ only in how they track IOVA.
#ifndef IOVACHECK_TRANSLATOR_DEVICE_RESET_H_
#define IOVACHECK_TRANSLATOR_DEVICE_RESET_H_

#include <cstdint>
#include <vector>

#include "model/device_config.h"
#include "translator/fixed_iova_map.h"
#include "translator/iotlb_sender.h"

namespace iovacheck {

// One mapping the device should hold, whichever structure tracks it.
struct LiveMapping {
  uint32_t asid = 0;
  uint64_t iova = 0;
  uint64_t size = 0;  // every live mapping ends below 2^64
  uint64_t hva = 0;
  uint8_t perm = 0;
};

// Appends every mapping of `map`, all in address space asid.
void AppendLive(const FixedIovaMap& map, uint32_t asid,
                std::vector<LiveMapping>* out);

// With IOTLB_PERSIST nothing was lost and nothing is sent. Without it: ends
// the batch the reset interrupted, re-sends every live mapping as INVALIDATE
// then UPDATE outside any batch, in (asid, iova) order so that the messages
// do not depend on the translator's data structures, and opens the batch
// again for the rest of the transaction. 0, or the first errno a write
// failed with; the rest are still attempted, and every mapping stays tracked
// (its later unmap must still reach the kernel's table).
int RecoverFromReset(const DeviceConfig& config, IotlbSender* sender,
                     std::vector<LiveMapping> live);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_DEVICE_RESET_H_
