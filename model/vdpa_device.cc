#include "model/vdpa_device.h"

#include <algorithm>
#include <cerrno>
#include <limits>
#include <utility>

namespace iovacheck {

VdpaDevice::VdpaDevice(const DeviceConfig& config)
    : config_(config), parents_(config.num_as) {
  // vdpasim_create (6.12) starts every address space in passthrough.
  ParentsToDefault();
}

// What a clean map leaves in every parent table: 6.12's vdpa_sim an
// identity passthrough (vdpasim_do_reset), 6.1's (and the described
// profile's) nothing.
void VdpaDevice::ParentsToDefault() {
  for (uint32_t asid = 0; asid < config_.num_as; ++asid) {
    if (config_.profile == KernelProfile::kLinux612) {
      SetPassthrough(asid);
    } else {
      ParentChanged(asid);
      parents_[asid].table.Clear();
      parents_[asid].passthrough = false;
    }
  }
}

void VdpaDevice::VhostChanged(AddressSpace& as, bool added, const IotlbEntry& e) {
  if (config_.kind != DeviceKind::kSetMap || !as.parent_follows) return;
  // Past the table's own size, copying it whole is cheaper.
  if (as.unsynced.size() > as.vhost.size()) {
    as.parent_follows = false;
    as.unsynced.clear();
    return;
  }
  as.unsynced.push_back({added, e});
}

void VdpaDevice::ParentChanged(uint32_t asid) {
  auto it = spaces_.find(asid);
  if (it == spaces_.end()) return;
  it->second.parent_follows = false;
  it->second.unsynced.clear();
}

void VdpaDevice::SetPassthrough(uint32_t asid) {
  ParentChanged(asid);
  Parent& p = parents_[asid];
  p.table.Clear();
  const uint64_t mid = std::numeric_limits<uint64_t>::max() / 2;
  p.table.Add(IotlbEntry{0, mid, 0, kPermRW});
  p.table.Add(IotlbEntry{mid + 1, std::numeric_limits<uint64_t>::max(), mid + 1, kPermRW});
  p.passthrough = true;
}

void VdpaDevice::LeavePassthrough(uint32_t asid) {
  Parent& p = parents_[asid];
  if (!p.passthrough) return;
  ParentChanged(asid);
  p.table.Clear();
  p.passthrough = false;
}

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
    auto [it, created] = spaces_.try_emplace(asid);
    if (created) it->second.vhost.JournalTo(journal_, asid, TableSide::kVhost);
    as = &it->second;
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
      if (in_batch_ && config_.kind == DeviceKind::kSetMap) SetMap(asid, *as);
      in_batch_ = false;
      return 0;
    default:
      // MISS and ACCESS_FAIL only flow kernel -> userspace; anything else is
      // garbage.
      return EINVAL;
  }
}

int VdpaDevice::HandleUpdate(uint32_t asid, AddressSpace& as,
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

  if (config_.profile == KernelProfile::kDescribed) {
    return MapPiece(asid, as, IotlbEntry{msg.iova, last, msg.uaddr, msg.perm});
  }
  // 6.1's vdpa_sim has no use_va: pinned pages. 6.12's maps user addresses.
  if (config_.profile == KernelProfile::kLinux61) return PaMap(asid, as, msg);
  return VaMap(asid, as, msg);
}

// VA mode (drivers/vhost/vdpa.c:1094-1141 in 6.12): the user range is walked
// area by area of the owner's memory map, one entry per area. find_vma
// returns the first area ending above the address, without checking that
// it starts at or below it: a piece starting in a gap runs to that area's
// end. An area that is not a shared file mapping is stepped over, its part
// of the IOVA range left unmapped. No area at or above the address fails.
// Whatever fails, what was walked is undone with vhost_vdpa_unmap(iova,
// walked) -- which, when nothing was, is an unmap of size 0: at iova 0 it
// empties the whole address space.
int VdpaDevice::VaMap(uint32_t asid, AddressSpace& as, const IotlbMsg& msg) {
  uint64_t walked = 0;
  uint64_t uaddr = msg.uaddr;
  uint64_t remaining = msg.size;
  int err = 0;
  while (remaining != 0) {
    const ProcessArea* area = nullptr;
    for (const ProcessArea& a : config_.process_map) {
      if (a.end > uaddr) {
        area = &a;
        break;
      }
    }
    if (area == nullptr) {
      err = EINVAL;
      break;
    }
    const uint64_t piece =
        remaining - 1 <= area->end - 1 - uaddr ? remaining : area->end - uaddr;
    if (area->shared) {
      err = MapPiece(asid, as,
                     IotlbEntry{msg.iova + walked, msg.iova + walked + piece - 1, uaddr, msg.perm});
      if (err != 0) break;
    }
    remaining -= piece;
    uaddr += piece;
    walked += piece;
  }
  if (err != 0) Unmap(asid, as, msg.iova, walked);
  return err;
}

// Pages pin_user_pages pins from `base` before the first it cannot: one
// outside every area, or read-only when pinned for a device write.
uint64_t VdpaDevice::PinnablePages(uint64_t base, uint64_t npages, bool for_write) const {
  constexpr uint64_t kPage = 4096;
  uint64_t pinned = 0;
  uint64_t addr = base;
  while (pinned < npages) {
    const ProcessArea* area = nullptr;
    for (const ProcessArea& a : config_.process_map) {
      if (a.start <= addr && addr < a.end) area = &a;
    }
    if (area == nullptr || (for_write && !area->writable)) break;
    const uint64_t in_area = (area->end - addr + kPage - 1) / kPage;
    const uint64_t take = std::min(npages - pinned, in_area);
    pinned += take;
    addr += take * kPage;
  }
  return pinned;
}

// PA mode (drivers/vhost/vdpa.c vhost_vdpa_pa_map, 6.1): the pages under the
// user range are pinned, PAGE_SIZE / sizeof(struct page *) = 512 at a time
// (write access when the entry is writable), and each physically contiguous
// run becomes one entry. The entry covers whole pages: from the IOVA's page,
// as many pages as size plus the IOVA's in-page offset needs, to the
// physical address of uaddr's page (the shim's frame number is the user
// address >> 12, so one run, at uaddr's page, across areas). The in-page
// offset of uaddr is dropped. RLIMIT_MEMLOCK is unlimited here.
int VdpaDevice::PaMap(uint32_t asid, AddressSpace& as, const IotlbMsg& msg) {
  constexpr uint64_t kPage = 4096;  // the kernel's PAGE_SIZE (x86-64)
  constexpr uint64_t kPagesPerPin = kPage / 8;
  // PFN_UP(size + (iova & ~PAGE_MASK)), wrapping as the kernel's u64 does.
  const uint64_t npages = (msg.size + (msg.iova & (kPage - 1)) + (kPage - 1)) / kPage;
  if (npages == 0) return EINVAL;
  const uint64_t base = msg.uaddr & ~(kPage - 1);
  const uint64_t start = msg.iova & ~(kPage - 1);
  const uint64_t pinnable = PinnablePages(base, npages, (msg.perm & kPermWO) != 0);
  int err = 0;
  if (pinnable < npages) {
    // The chunk that came up short: none of it pinned is -EFAULT from
    // pin_user_pages, some of it -ENOMEM from vhost_vdpa_pa_map.
    err = pinnable % kPagesPerPin == 0 ? EFAULT : ENOMEM;
  } else {
    err = MapPiece(asid, as, IotlbEntry{start, start + npages * kPage - 1, base, msg.perm});
  }
  // The error path unmaps the range as userspace gave it.
  if (err != 0) Unmap(asid, as, msg.iova, msg.size);
  return err;
}

// vhost_vdpa_map: the vhost table, then the parent.
int VdpaDevice::MapPiece(uint32_t asid, AddressSpace& as, const IotlbEntry& entry) {
  // 6.12's address spaces hold at most max_iotlb_entries (vhost_iotlb_init
  // in vhost_vdpa_alloc_as, vdpa.c:127; vhost_iotlb_add_range_ctx refuses
  // the next with -ENOSPC). vdpa_sim's parent tables have the same limit,
  // but never hold more than the vhost table does.
  if (config_.profile == KernelProfile::kLinux612 &&
      as.vhost.size() >= config_.max_iotlb_entries) {
    return ENOSPC;
  }
  as.vhost.Add(entry);
  VhostChanged(as, true, entry);
  if (config_.kind == DeviceKind::kDmaMap) {
    // vdpasim_dma_map: out of passthrough, then the entry. The parent's table
    // is a subset of the vhost table otherwise (a reset only shrinks it), so
    // this cannot collide.
    LeavePassthrough(asid);
    parents_[asid].table.Add(entry);
  } else if (!in_batch_) {
    SetMap(asid, as);
  }
  return 0;
}

void VdpaDevice::Unmap(uint32_t asid, AddressSpace& as, uint64_t iova, uint64_t size) {
  HandleInvalidate(asid, as, IotlbMsg{kMsgV2, asid, iova, size, 0, 0, kIotlbInvalidate});
}

void VdpaDevice::HandleInvalidate(uint32_t asid, AddressSpace& as,
                                  const IotlbMsg& msg) {
  // No range checks, and the last address wraps: size 0 means iova - 1, which
  // at iova 0 covers the whole address space.
  const uint64_t last = msg.iova + msg.size - 1;
  std::vector<IotlbEntry>& removed = removed_;
  removed.clear();
  as.vhost.RemoveOverlapping(msg.iova, last, &removed);
  for (const IotlbEntry& e : removed) VhostChanged(as, false, e);
  if (config_.kind == DeviceKind::kDmaMap) {
    // One dma_unmap per removed entry, each dropping whatever the parent has
    // in that range.
    // (vdpasim_dma_unmap leaves passthrough first; with nothing removed it
    // is never called.)
    for (const IotlbEntry& e : removed) {
      LeavePassthrough(asid);
      parents_[asid].table.RemoveOverlapping(e.start, e.last, nullptr);
    }
  } else if (!in_batch_) {
    SetMap(asid, as);
  }
}

void VdpaDevice::SetMap(uint32_t asid, AddressSpace& as) {
  IntervalTable& parent = parents_[asid].table;
  if (as.parent_follows && !parents_[asid].passthrough) {
    for (const auto& [added, e] : as.unsynced) {
      if (added) {
        parent.Add(e);
      } else {
        parent.RemoveOverlapping(e.start, e.last, nullptr);
      }
    }
  } else {
    parent = as.vhost;
  }
  as.parent_follows = true;
  as.unsynced.clear();
  parents_[asid].passthrough = false;
  ++set_map_calls_;
}

void VdpaDevice::Reset() {
  if (config_.profile == KernelProfile::kDescribed) in_batch_ = false;
  // An open batch stays open: vhost_vdpa_set_status(0) goes through
  // _compat_vdpa_reset, which never touches in_batch; only vhost_vdpa_reset
  // (open and release of the fd) clears it (drivers/vhost/vdpa.c, 6.1 and
  // 6.12 alike).
  // Only the parent driver's mapping goes; the vhost table is the kernel's
  // and survives the reset.
  // 6.12: _compat_vdpa_reset asks for VDPA_RESET_F_CLEAN_MAP unless
  // IOTLB_PERSIST was acked, and vdpasim_do_reset then puts every address
  // space back in passthrough. 6.1 knows no IOTLB_PERSIST (never acks it)
  // and its vdpasim_do_reset empties every table.
  if (config_.profile != KernelProfile::kLinux61 && config_.Has(kFeatureIotlbPersist)) return;
  ParentsToDefault();
}

void VdpaDevice::Reopen() {
  // vhost_vdpa_release: a reset (clearing in_batch), then every address
  // space removed (vhost_vdpa_cleanup -> vhost_vdpa_remove_as: its entries
  // unmapped from the parent, then reset_map, which puts 6.12's vdpa_sim
  // back in passthrough). vhost_vdpa_open resets again, with
  // VDPA_RESET_F_CLEAN_MAP whatever was acked (the vhost_dev's queues, which
  // carry the acked features, are gone by then): every parent table returns
  // to its default, passthrough in 6.12, empty in 6.1.
  // Emptied before they go, so that a journal hears of every entry leaving.
  for (auto& [asid, as] : spaces_) {
    as.vhost.Clear();
    ParentChanged(asid);
  }
  spaces_.clear();
  in_batch_ = false;
  ParentsToDefault();
}

int VdpaDevice::Dma(uint32_t asid, uint64_t iova, uint64_t len,
                    uint8_t need_perm, std::vector<DmaSegment>* out) const {
  // Pieces are only handed out for a DMA that fully succeeds; a failed one
  // leaves *out empty rather than half-filled.
  if (out != nullptr) out->clear();
  if (len == 0) return 0;
  std::vector<DmaSegment> segments;
  // The parent's table exists for every address space the device has,
  // created by vhost or not (vdpasim_set_group_asid binds a queue to it).
  if (asid >= parents_.size()) return EINVAL;
  // A range that wraps past 2^64 - 1 is refused before any entry is looked
  // at: iotlb_translate (vringh.c) asks the interval tree for
  // [iova, iova + len - 1], which then ends below where it starts.
  if (config_.profile != KernelProfile::kDescribed &&
      len - 1 > std::numeric_limits<uint64_t>::max() - iova) {
    return EINVAL;
  }
  const IntervalTable& table = parents_[asid].table;

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

bool VdpaDevice::JournalTables(TableJournal* journal) {
  journal_ = journal;
  for (auto& [asid, as] : spaces_) {
    as.vhost.JournalTo(journal, asid, TableSide::kVhost);
    for (const IotlbEntry& e : as.vhost.Entries()) {
      journal->Record({asid, TableSide::kVhost, true, e});
    }
  }
  for (uint32_t asid = 0; asid < parents_.size(); ++asid) {
    parents_[asid].table.JournalTo(journal, asid, TableSide::kDevice);
    for (const IotlbEntry& e : parents_[asid].table.Entries()) {
      journal->Record({asid, TableSide::kDevice, true, e});
    }
  }
  return true;
}

const IntervalTable* VdpaDevice::vhost_table(uint32_t asid) const {
  auto it = spaces_.find(asid);
  return it == spaces_.end() ? nullptr : &it->second.vhost;
}

const IntervalTable* VdpaDevice::device_table(uint32_t asid) const {
  auto it = spaces_.find(asid);
  return it == spaces_.end() ? nullptr : &parents_[asid].table;
}

bool VdpaDevice::parent_default(uint32_t asid) const {
  return asid < parents_.size() && parents_[asid].passthrough;
}

std::vector<uint32_t> VdpaDevice::asids() const {
  std::vector<uint32_t> out;
  for (const auto& [asid, as] : spaces_) out.push_back(asid);
  return out;
}

}  // namespace iovacheck
