#include "translator/device_reset.h"

#include <algorithm>
#include <tuple>

namespace iovacheck {

void AppendLive(const FixedIovaMap& map, uint32_t asid,
                std::vector<LiveMapping>* out) {
  for (const FixedMapping& m : map.All()) {
    out->push_back(LiveMapping{asid, m.iova, m.size(), m.hva, m.perm});
  }
}

int RecoverFromReset(const DeviceConfig& config, IotlbSender* sender,
                     std::vector<LiveMapping> live) {
  // With IOTLB_PERSIST the parent kept every mapping, and the kernel kept
  // the batch open (_compat_vdpa_reset never clears in_batch): the
  // transaction goes on as if nothing happened, and its commit's BATCH_END
  // hands a set_map parent what the batch holds.
  if (config.Has(kFeatureIotlbPersist)) return 0;
  // Otherwise close the batch first: it would refuse the restore's messages
  // for any other address space, and a set_map parent receives the kernel's
  // whole table at that BATCH_END.
  const bool batch_was_open = sender->EndBatchAfterReset();

  std::sort(live.begin(), live.end(),
            [](const LiveMapping& a, const LiveMapping& b) {
              return std::tie(a.asid, a.iova, a.size, a.hva, a.perm) <
                     std::tie(b.asid, b.iova, b.size, b.hva, b.perm);
            });
  int first_err = 0;
  const auto note = [&first_err](int err) {
    if (first_err == 0) first_err = err;
  };
  for (const LiveMapping& m : live) {
    // The kernel's table still holds the entry, so a bare UPDATE would be
    // EEXIST: the INVALIDATE drops that copy (the device's is gone already)
    // and the UPDATE hands the mapping to the device again.
    note(sender->Unmap(m.asid, m.iova, m.size));
    note(sender->Map(m.asid, m.iova, m.size, m.hva, m.perm));
  }
  // The restore reached the device message by message; the transaction's
  // later maps go in a batch again, handed over by the commit.
  if (batch_was_open) sender->ReopenBatch();
  return first_err;
}

}  // namespace iovacheck
