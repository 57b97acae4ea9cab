// Writes IOTLB messages for a translator the way QEMU's vhost-vdpa frontend
// does: message version from the acked backend features, listener maps and
// unmaps batched per memory transaction, a 2^64-long unmap split in halves
// (the message's size field is 64 bits), and a write interrupted before it
// did anything (EINTR) written again.
#ifndef IOVACHECK_TRANSLATOR_IOTLB_SENDER_H_
#define IOVACHECK_TRANSLATOR_IOTLB_SENDER_H_

#include <cstdint>

#include "absl/numeric/int128.h"
#include "model/device_config.h"
#include "model/iotlb_msg.h"
#include "translator/translator.h"

namespace iovacheck {

// Guest memory always lives in address space 0 (VHOST_VDPA_GUEST_PA_ASID).
inline constexpr uint32_t kGuestAsid = 0;

// Attempts per message while the write keeps failing with EINTR. A bound,
// so that a channel that never stops interrupting cannot hang the caller;
// after it EINTR is reported like any device error.
inline constexpr int kMaxWriteAttempts = 8;

class IotlbSender {
 public:
  IotlbSender(const DeviceConfig& config, IotlbChannel* channel);

  // A memory listener transaction. Commit ends the batch only if a map or
  // unmap inside the transaction began one.
  void BeginTransaction();
  void CommitTransaction();

  // After a device reset: ends the batch this transaction opened, if any,
  // with a BATCH_END, and returns whether there was one. A reset does not
  // end a batch in the kernel (vhost_vdpa_set_status -> _compat_vdpa_reset
  // never clears in_batch; only opening or closing the fd does), so the
  // batch stays bound to the guest address space and would refuse the
  // restore's messages for any other one. Where a reset did end the batch
  // (the described profile) the BATCH_END is a no-op. The transaction goes
  // on, and its next listener map or unmap begins a batch again.
  bool EndBatchAfterReset();
  // Opens a batch again at once, for the rest of a transaction whose batch
  // EndBatchAfterReset closed: the commit's BATCH_END then has one to end.
  void ReopenBatch() { BeginBatchOnce(); }

  // Guest memory from region_add / region_del, on the guest address space.
  // Inside a transaction the first of them begins the batch.
  int ListenerMap(uint64_t iova, uint64_t size, uint64_t hva, uint8_t perm);
  int ListenerUnmap(uint64_t iova, absl::uint128 size);

  // Host-only memory (SVQ rings, CVQ buffers); never batched, since QEMU maps
  // those outside listener transactions.
  int Map(uint32_t asid, uint64_t iova, uint64_t size, uint64_t hva,
          uint8_t perm);
  // size may be 2^64 (sent as two halves); 0 when both writes succeeded,
  // otherwise the first error. Both halves are attempted regardless, so that
  // as much as possible leaves the device.
  int Unmap(uint32_t asid, uint64_t iova, absl::uint128 size);

 private:
  IotlbMsg NewMsg(uint32_t asid, uint8_t type) const;
  int Send(const IotlbMsg& msg);
  void BeginBatchOnce();

  DeviceConfig config_;
  IotlbChannel* channel_;
  bool in_transaction_ = false;
  bool batch_begin_sent_ = false;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_IOTLB_SENDER_H_
