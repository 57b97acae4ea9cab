#include "model/vdpa_device.h"

#include <cerrno>
#include <limits>
#include <utility>

namespace iovacheck {

VdpaDevice::VdpaDevice(const DeviceConfig& config) : config_(config) {}

WriteResult VdpaDevice::Write(const IotlbMsg& msg) {
  WriteResult result;
  // Checks the write path makes before any handler runs: these are the only
  // errors userspace sees as EINVAL.
  if (msg.version != kMsgV1 && msg.version != kMsgV2) {
    result.err = EINVAL;
    return result;
  }
  if (msg.type == kIotlbUpdate && msg.size == 0) {
    result.err = EINVAL;
    return result;
  }
  // The v2 asid field is only read when the ASID feature was acked; otherwise
  // it is reserved and everything goes to address space 0.
  const uint32_t asid =
      (msg.version == kMsgV2 && config_.Has(kFeatureIotlbAsid)) ? msg.asid : 0;

  // The kernel folds every handler error into EFAULT; keep the original too.
  const int handler_err = Handle(asid, msg);
  if (handler_err != 0) {
    result.err = EFAULT;
    result.handler_err = handler_err;
  }
  return result;
}

int VdpaDevice::Handle(uint32_t asid, const IotlbMsg& msg) {
  AddressSpace* as = nullptr;
  if (msg.type == kIotlbUpdate || msg.type == kIotlbBatchBegin) {
    // Created lazily, and kept even if the message is then refused below.
    if (asid >= config_.num_as) return EINVAL;
    as = &spaces_[asid];
  } else {
    auto it = spaces_.find(asid);
    if (it == spaces_.end()) return EINVAL;
    as = &it->second;
  }
  // A batch is bound to one address space.
  if (in_batch_ && batch_asid_ != asid) return EINVAL;

  switch (msg.type) {
    case kIotlbUpdate:
      return HandleUpdate(asid, *as, msg);
    case kIotlbInvalidate:
      HandleInvalidate(asid, *as, msg);
      return 0;
    case kIotlbBatchBegin:
      in_batch_ = true;
      batch_asid_ = asid;
      return 0;
    case kIotlbBatchEnd:
      // Outside a batch this is a no-op (the asid still had to exist).
      if (in_batch_ && config_.kind == DeviceKind::kSetMap) SetMap(*as);
      in_batch_ = false;
      return 0;
    default:
      // MISS and ACCESS_FAIL only flow kernel -> userspace; anything else is
      // garbage.
      return EINVAL;
  }
}

int VdpaDevice::HandleUpdate(uint32_t /*asid*/, AddressSpace& as,
                             const IotlbMsg& msg) {
  // size != 0 was checked by Write(). Test overflow before computing last.
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  if (msg.iova < config_.iova_first || msg.iova > max - (msg.size - 1)) {
    return EINVAL;
  }
  const uint64_t last = msg.iova + msg.size - 1;
  if (last > config_.iova_last) return EINVAL;
  // Any overlap at all, an identical range included, is refused: the kernel
  // never replaces or merges entries.
  if (as.vhost.FirstOverlap(msg.iova, last) != nullptr) return EEXIST;

  const IotlbEntry entry{msg.iova, last, msg.uaddr, msg.perm};
  as.vhost.Add(entry);
  if (config_.kind == DeviceKind::kDmaMap) {
    // The device table is a subset of the vhost table (Reset only shrinks it),
    // so this cannot collide.
    as.device.Add(entry);
  } else if (!in_batch_) {
    SetMap(as);
  }
  return 0;
}

void VdpaDevice::HandleInvalidate(uint32_t /*asid*/, AddressSpace& as,
                                  const IotlbMsg& msg) {
  // No range checks, and the last address wraps: size 0 means iova - 1, which
  // at iova 0 covers the whole address space.
  const uint64_t last = msg.iova + msg.size - 1;
  const std::vector<IotlbEntry> removed = as.vhost.RemoveOverlapping(msg.iova, last);
  if (config_.kind == DeviceKind::kDmaMap) {
    // One dma_unmap per removed entry, each dropping whatever the parent has
    // in that range.
    for (const IotlbEntry& e : removed) as.device.RemoveOverlapping(e.start, e.last);
  } else if (!in_batch_) {
    SetMap(as);
  }
}

void VdpaDevice::SetMap(AddressSpace& as) {
  as.device = as.vhost;
  ++set_map_calls_;
}

void VdpaDevice::Reset() {
  in_batch_ = false;
  // Only the parent driver's mapping goes; the vhost table is the kernel's
  // and survives the reset.
  if (config_.Has(kFeatureIotlbPersist)) return;
  for (auto& [asid, as] : spaces_) as.device.Clear();
}

int VdpaDevice::Dma(uint32_t asid, uint64_t iova, uint64_t len,
                    uint8_t need_perm, std::vector<DmaSegment>* out) const {
  // Pieces are only handed out for a DMA that fully succeeds; a failed one
  // leaves *out empty rather than half-filled.
  if (out != nullptr) out->clear();
  if (len == 0) return 0;
  std::vector<DmaSegment> segments;
  auto it = spaces_.find(asid);
  if (it == spaces_.end()) return EINVAL;
  const IntervalTable& table = it->second.device;

  uint64_t cur = iova;
  uint64_t remaining = len;
  while (true) {
    const IotlbEntry* e = table.Find(cur);
    if (e == nullptr) return EINVAL;  // gap, or the start itself is unmapped
    if ((e->perm & need_perm) != need_perm) return EPERM;
    // Bytes left in this entry minus one: e->last - cur + 1 can overflow.
    const uint64_t avail_minus_1 = e->last - cur;
    const uint64_t take =
        (remaining - 1 <= avail_minus_1) ? remaining : avail_minus_1 + 1;
    segments.push_back({e->addr + (cur - e->start), take});
    remaining -= take;
    if (remaining == 0) break;
    // Still bytes to go but the entry ends at the top of the address space:
    // nothing lies beyond 2^64 - 1.
    if (e->last == std::numeric_limits<uint64_t>::max()) return EINVAL;
    cur = e->last + 1;
  }
  if (out != nullptr) *out = std::move(segments);
  return 0;
}

const IntervalTable* VdpaDevice::vhost_table(uint32_t asid) const {
  auto it = spaces_.find(asid);
  return it == spaces_.end() ? nullptr : &it->second.vhost;
}

const IntervalTable* VdpaDevice::device_table(uint32_t asid) const {
  auto it = spaces_.find(asid);
  return it == spaces_.end() ? nullptr : &it->second.device;
}

bool VdpaDevice::parent_default(uint32_t /*asid*/) const { return false; }

std::vector<uint32_t> VdpaDevice::asids() const {
  std::vector<uint32_t> out;
  for (const auto& [asid, as] : spaces_) out.push_back(asid);
  return out;
}

}  // namespace iovacheck
