#include "translator/iotlb_sender.h"

#include <cerrno>

#include "translator/address_math.h"

namespace iovacheck {

IotlbSender::IotlbSender(const DeviceConfig& config, IotlbChannel* channel)
    : config_(config), channel_(channel) {}

IotlbMsg IotlbSender::NewMsg(uint32_t asid, uint8_t type) const {
  IotlbMsg msg;
  msg.version = config_.Has(kFeatureIotlbMsgV2) ? kMsgV2 : kMsgV1;
  msg.asid = asid;
  msg.type = type;
  return msg;
}

int IotlbSender::Send(const IotlbMsg& msg) {
  // An interrupted write did nothing, so writing the same message again
  // cannot apply it twice.
  int err = 0;
  for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
    err = channel_->Write(msg).err;
    if (err != EINTR) break;
  }
  return err;
}

void IotlbSender::BeginTransaction() {
  in_transaction_ = true;
  batch_begin_sent_ = false;
}

void IotlbSender::CommitTransaction() {
  if (batch_begin_sent_) {
    // Like QEMU, a refused BATCH_END is only worth a log line: the maps
    // themselves already succeeded or reported their errors.
    Send(NewMsg(kGuestAsid, kIotlbBatchEnd));
  }
  batch_begin_sent_ = false;
  in_transaction_ = false;
}

bool IotlbSender::EndBatchAfterReset() {
  const bool was_open = batch_begin_sent_;
  // Refused or not, the batch is over as far as this sender knows: the
  // restore that follows must not wait for a commit.
  if (was_open) Send(NewMsg(kGuestAsid, kIotlbBatchEnd));
  batch_begin_sent_ = false;
  return was_open;
}

void IotlbSender::BeginBatchOnce() {
  if (!in_transaction_ || batch_begin_sent_ ||
      !config_.Has(kFeatureIotlbBatch)) {
    return;
  }
  // A refused BATCH_BEGIN still counts as sent (as in QEMU): the commit's
  // BATCH_END is harmless outside a batch.
  Send(NewMsg(kGuestAsid, kIotlbBatchBegin));
  batch_begin_sent_ = true;
}

int IotlbSender::ListenerMap(uint64_t iova, uint64_t size, uint64_t hva,
                             uint8_t perm) {
  BeginBatchOnce();
  return Map(kGuestAsid, iova, size, hva, perm);
}

int IotlbSender::ListenerUnmap(uint64_t iova, absl::uint128 size) {
  BeginBatchOnce();
  return Unmap(kGuestAsid, iova, size);
}

int IotlbSender::Map(uint32_t asid, uint64_t iova, uint64_t size, uint64_t hva,
                     uint8_t perm) {
  IotlbMsg msg = NewMsg(asid, kIotlbUpdate);
  msg.iova = iova;
  msg.size = size;
  msg.uaddr = hva;
  msg.perm = perm;
  return Send(msg);
}

int IotlbSender::Unmap(uint32_t asid, uint64_t iova, absl::uint128 size) {
  int first_err = 0;
  if (size == WholeAddressSpace()) {
    const uint64_t half = uint64_t{1} << 63;
    IotlbMsg low = NewMsg(asid, kIotlbInvalidate);
    low.iova = iova;
    low.size = half;
    first_err = Send(low);
    iova += half;
    size = half;
  }
  IotlbMsg msg = NewMsg(asid, kIotlbInvalidate);
  msg.iova = iova;
  msg.size = absl::Uint128Low64(size);
  const int err = Send(msg);
  return first_err != 0 ? first_err : err;
}

}  // namespace iovacheck
