// A vhost-vdpa device as the harness and the oracle see it: the write()
// path of the fd, a device reset, device DMA, and the two tables of each
// address space. Two implementations: the emulation (model/vdpa_device.h)
// and Linux's own code (devices/kernel_device.h).
#ifndef IOVACHECK_MODEL_DEVICE_H_
#define IOVACHECK_MODEL_DEVICE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/device_config.h"
#include "model/interval_table.h"
#include "model/iotlb_msg.h"

namespace iovacheck {

// What write() on the vhost-vdpa fd returned, plus the handler's own error
// before the kernel folded it into EFAULT (for diagnostics only; a device
// that cannot see it repeats err).
struct WriteResult {
  int err = 0;          // 0, EINVAL (malformed / UPDATE of size 0) or EFAULT
  int handler_err = 0;  // EINVAL, EEXIST, ... as the handler returned it
  bool ok() const { return err == 0; }
};

// One contiguous piece of a device DMA, in host virtual addresses.
struct DmaSegment {
  uint64_t hva = 0;
  uint64_t len = 0;
  bool operator==(const DmaSegment& o) const { return hva == o.hva && len == o.len; }
};

// How a device's code died.
struct DeviceDeath {
  bool hang = false;   // no answer within the limits; otherwise a crash
  std::string detail;  // "SIGSEGV", "exit status 3", "no answer after 10 s of CPU"
  std::string during;  // the call: "write() of UPDATE ...", "a DMA ..."
};

class Device {
 public:
  virtual ~Device() = default;

  // One write() of one message on the fd.
  virtual WriteResult Write(const IotlbMsg& msg) = 0;

  // VHOST_VDPA_SET_STATUS(0).
  virtual void Reset() = 0;

  // close(2) of the fd, then open(2) of the same device by the same owner,
  // acking the same backend features (vhost_vdpa_release, vhost_vdpa_open).
  virtual void Reopen() = 0;

  // The device reads (need RO) or writes (need WO) [iova, iova+len) in
  // address space asid. Returns 0 and the HVA pieces, or an errno (EINVAL
  // on a gap, an unmapped start or an unknown asid; EPERM on an entry
  // without the permission). len 0 returns 0 with no pieces. A failed DMA
  // leaves *out empty.
  virtual int Dma(uint32_t asid, uint64_t iova, uint64_t len, uint8_t need_perm,
                  std::vector<DmaSegment>* out) const = 0;

  // The kernel's own table (decides EEXIST, what INVALIDATE removes), and
  // the parent driver's (what the device DMAs through). Null when the
  // address space was never created.
  virtual const IntervalTable* vhost_table(uint32_t asid) const = 0;
  virtual const IntervalTable* device_table(uint32_t asid) const = 0;
  // Every created address space id, ascending.
  virtual std::vector<uint32_t> asids() const = 0;
  // Whether the parent's table is its own default mapping (vdpa_sim since
  // Linux 6.7: an identity passthrough after a reset without IOTLB_PERSIST,
  // until the next map or unmap), not anything userspace mapped.
  virtual bool parent_default(uint32_t asid) const = 0;

  virtual bool in_batch() const = 0;
  virtual uint32_t batch_asid() const = 0;
  virtual const DeviceConfig& config() const = 0;

  // For the incremental oracle (model/incremental_oracle.h): what every
  // table holds now, as added, and from now on every change of every table
  // (parents of address spaces not created yet, and tables created later,
  // included) go into *journal (not owned; it outlives the device's use).
  // False when the device keeps no journal: the oracle then reads whole
  // tables after every event.
  virtual bool JournalTables(TableJournal* journal) {
    (void)journal;
    return false;
  }

  // Set once the device's code crashed or hung (Linux's code runs in a child
  // process of its own): what happened. The device then refuses everything.
  virtual std::optional<DeviceDeath> death() const { return std::nullopt; }
};

// The parent holds its own default mapping and the kernel's table nothing:
// no translator has mapped anything there since the device was created or
// reset, and none can leave the default without mapping something (only a
// map, or an unmap that removes an entry, reaches the parent).
inline bool OnlyParentDefault(const Device& device, uint32_t asid) {
  if (!device.parent_default(asid)) return false;
  const IntervalTable* vhost = device.vhost_table(asid);
  return vhost == nullptr || vhost->size() == 0;
}

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_DEVICE_H_
