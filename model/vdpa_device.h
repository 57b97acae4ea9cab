// An emulated vhost-vdpa device: the kernel's IOTLB message handler
// (drivers/vhost/vdpa.c) in front of a parent driver that is either a
// `dma_map` device (incremental) or a `set_map` device (whole table).
//
// Two tables per address space are kept apart on purpose:
//  - the vhost table: the kernel's own bookkeeping, which decides EEXIST and
//    what INVALIDATE removes; updated by every accepted message;
//  - the device table: what the parent driver DMAs through. A dma_map device
//    follows the vhost table message by message; a set_map device receives a
//    copy of it at BATCH_END, or per message outside a batch.
// Reset without IOTLB_PERSIST cleans the parent's mapping only; the kernel's
// table survives (so a later UPDATE of the same range is EEXIST), which is how
// QEMU and the device can silently disagree.
#ifndef IOVACHECK_MODEL_VDPA_DEVICE_H_
#define IOVACHECK_MODEL_VDPA_DEVICE_H_

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "model/device.h"
#include "model/device_config.h"
#include "model/interval_table.h"
#include "model/iotlb_msg.h"

namespace iovacheck {

class VdpaDevice : public Device {
 public:
  explicit VdpaDevice(const DeviceConfig& config);

  // One write() of one message on the fd.
  WriteResult Write(const IotlbMsg& msg) override;

  // VHOST_VDPA_SET_STATUS(0): ends any batch; cleans the parent driver's
  // mappings unless IOTLB_PERSIST was acked.
  void Reset() override;
  void Reopen() override;

  // The device reads (need RO) or writes (need WO) [iova, iova+len) in
  // address space asid, walking entries as vdpa_sim does. Returns 0 and the
  // HVA pieces, EINVAL on a gap, an unmapped start or an unknown asid, EPERM
  // on an entry without the permission. len 0 returns 0 with no pieces.
  int Dma(uint32_t asid, uint64_t iova, uint64_t len, uint8_t need_perm,
          std::vector<DmaSegment>* out) const override;

  // Null when the address space was never created.
  const IntervalTable* vhost_table(uint32_t asid) const override;
  const IntervalTable* device_table(uint32_t asid) const override;
  // Every created address space id, ascending.
  std::vector<uint32_t> asids() const override;
  bool parent_default(uint32_t asid) const override;

  bool JournalTables(TableJournal* journal) override;

  bool in_batch() const override { return in_batch_; }
  uint32_t batch_asid() const override { return batch_asid_; }
  uint64_t set_map_calls() const { return set_map_calls_; }
  const DeviceConfig& config() const override { return config_; }

 private:
  struct AddressSpace {
    IntervalTable vhost;
    // set_map: the parent's table equals the vhost table as it was before
    // `unsynced` happened to it (true), or is not known to (false). A set_map
    // then replays those changes instead of copying the whole table: the same
    // result, in O(changes) (vdpasim_set_map itself walks every entry).
    bool parent_follows = false;
    std::vector<std::pair<bool, IotlbEntry>> unsynced;  // (added, entry)
  };
  // The parent driver's IOTLB of one address space. vdpa_sim keeps one per
  // address space from creation on (vdpasim_create), whether or not vhost
  // ever created the space.
  struct Parent {
    IntervalTable table;
    bool passthrough = false;  // 6.12's iommu_pt: the default identity map
  };

  int Handle(uint32_t asid, const IotlbMsg& msg);  // the kernel's msg handler
  int HandleUpdate(uint32_t asid, AddressSpace& as, const IotlbMsg& msg);
  void HandleInvalidate(uint32_t asid, AddressSpace& as, const IotlbMsg& msg);
  // vhost_vdpa_map: 0 or the errno the entry was refused with.
  int MapPiece(uint32_t asid, AddressSpace& as, const IotlbEntry& entry);
  // vhost_vdpa_va_map (6.12) and vhost_vdpa_pa_map (6.1).
  int VaMap(uint32_t asid, AddressSpace& as, const IotlbMsg& msg);
  int PaMap(uint32_t asid, AddressSpace& as, const IotlbMsg& msg);
  uint64_t PinnablePages(uint64_t base, uint64_t npages, bool for_write) const;
  // vhost_vdpa_unmap(iova, size): what an INVALIDATE does, size 0 included.
  void Unmap(uint32_t asid, AddressSpace& as, uint64_t iova, uint64_t size);
  void SetMap(uint32_t asid, AddressSpace& as);
  // vdpa_sim's default mapping of an address space: [0, 2^64-1] -> 0, RW,
  // stored as two halves (vhost_iotlb_add_range_ctx splits the full range).
  void SetPassthrough(uint32_t asid);
  void ParentsToDefault();
  // What vdpasim_dma_map/_dma_unmap/_set_map do first: leave passthrough.
  void LeavePassthrough(uint32_t asid);
  // The vhost table of a set_map address space changed (see AddressSpace).
  void VhostChanged(AddressSpace& as, bool added, const IotlbEntry& e);
  // The parent's table changed on its own: the next set_map copies whole.
  void ParentChanged(uint32_t asid);

  DeviceConfig config_;
  std::map<uint32_t, AddressSpace> spaces_;
  std::vector<Parent> parents_;  // num_as of them
  TableJournal* journal_ = nullptr;  // not owned
  bool in_batch_ = false;
  uint32_t batch_asid_ = 0;
  uint64_t set_map_calls_ = 0;
  std::vector<IotlbEntry> removed_;  // HandleInvalidate's, kept for its capacity
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_VDPA_DEVICE_H_
