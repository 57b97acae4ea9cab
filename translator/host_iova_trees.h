// Decoupled's host-only memory: per address space, an HVA -> IOVA tree of
// the buffers mapped there, with their IOVAs from the allocator guest
// memory shares (QEMU 10's third tree).
#ifndef IOVACHECK_TRANSLATOR_HOST_IOVA_TREES_H_
#define IOVACHECK_TRANSLATOR_HOST_IOVA_TREES_H_

#include <cstdint>
#include <vector>

#include "absl/container/btree_map.h"
#include "model/device_config.h"
#include "translator/host_buffer_map.h"
#include "translator/iotlb_sender.h"
#include "translator/iova_allocator.h"

namespace iovacheck {

class HostIovaTrees : public HostBufferMap {
 public:
  // Neither pointer is owned; both outlive this.
  HostIovaTrees(const DeviceConfig& config, IotlbSender* sender, IovaAllocator* allocator)
      : page_size_(config.page_size), sender_(sender), allocator_(allocator) {}

  int Map(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) override;
  int Unmap(uint64_t hva, uint64_t size, uint32_t asid) override;
  int Translate(uint64_t hva, uint64_t last, uint64_t* iova) const override;
  void AppendLive(std::vector<LiveMapping>* live) const override;
  // The allocator lists every IOVA these hold.
  void AppendAllocations(std::vector<IovaAllocation>*) const override {}
  void JournalTo(std::vector<AllocationChange>*) override {}

 private:
  struct HostMapping {
    uint64_t hva_last = 0;  // inclusive
    uint64_t iova = 0;
    uint8_t perm = 0;
  };
  using HostMap = absl::btree_map<uint64_t, HostMapping>;  // by HVA

  uint64_t page_size_;
  IotlbSender* sender_;
  IovaAllocator* allocator_;
  absl::btree_map<uint32_t, HostMap> host_;  // by asid
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_HOST_IOVA_TREES_H_
