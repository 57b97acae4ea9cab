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
  // Whatever else happened, the device is no longer inside a batch; if one
  // was open, the mappings sent in it must still reach a set_map device.
  const bool batch_was_open = sender->ForgetBatch();
  if (config.Has(kFeatureIotlbPersist)) {
    if (batch_was_open) sender->ReopenBatch();
    return 0;
  }

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
