// QEMU 10's fixed vhost IOVA tree design (three trees), with every lookup
// O(log n): an IOVA-only allocator, a GPA -> IOVA map for guest memory and,
// per address space, an HVA -> IOVA map for host-only memory. Because guest
// memory is found by GPA, two sections sharing HVA (aliases) never mistake
// one another, which is the bug of the single-tree design. Without shadow
// data guest memory sits at IOVA = GPA, and under a vIOMMU at the guest
// IOVAs the notifier names; neither is allocated.
//
// svq-window (seed 004's proposal) is the same translator with host memory
// in a linear IOVA window instead of the third tree (svq_window.h).
#ifndef IOVACHECK_TRANSLATOR_DECOUPLED_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_DECOUPLED_TRANSLATOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/container/btree_map.h"
#include "translator/page_index.h"
#include "model/device_config.h"
#include "translator/device_reset.h"
#include "translator/guest_at_gpa.h"
#include "translator/host_buffer_map.h"
#include "translator/iommu_mappings.h"
#include "translator/iotlb_sender.h"
#include "translator/iova_allocator.h"
#include "translator/translator.h"

namespace iovacheck {

class DecoupledTranslator : public Translator {
 public:
  // How host-only memory is kept, made once the sender and the allocator
  // it may share exist.
  using HostBufferMapFactory = std::function<std::unique_ptr<HostBufferMap>(
      const DeviceConfig&, IotlbSender*, IovaAllocator*)>;

  // Guest memory is allocated from the allocatable floor to guest_iova_last.
  DecoupledTranslator(const DeviceConfig& config, IotlbChannel* channel,
                      uint64_t guest_iova_last, const HostBufferMapFactory& host);
  // QEMU 10's design: host memory in HVA -> IOVA trees, one allocator.
  DecoupledTranslator(const DeviceConfig& config, IotlbChannel* channel);

  static std::unique_ptr<Translator> Create(const DeviceConfig& config,
                                            IotlbChannel* channel);
  // svq-window: host memory in a window mirroring the host arena
  // (model/host_arena_layout.h), reserved at the top of the IOVA range.
  static std::unique_ptr<Translator> CreateSvqWindow(const DeviceConfig& config,
                                                     IotlbChannel* channel);

  void ListenerBegin() override;
  void ListenerCommit() override;
  int RegionAdd(const GuestSection& section) override;
  int RegionDel(const GuestSection& section) override;
  int MapHostBuffer(uint64_t hva, uint64_t size, uint8_t perm,
                    uint32_t asid) override;
  int UnmapHostBuffer(uint64_t hva, uint64_t size, uint32_t asid) override;
  int TranslateBuffer(const std::vector<Iovec>& iovecs,
                      std::vector<uint64_t>* iovas) override;
  std::vector<IovaAllocation> Allocations() const override;
  bool JournalAllocations(std::vector<AllocationChange>* journal) override;
  void SetShadowData(bool enabled) override;
  int DeviceReset() override;
  int IommuMap(uint64_t giova, uint64_t size, uint64_t hva,
               uint8_t perm) override;
  int IommuUnmap(uint64_t giova, uint64_t last) override;

 private:
  // Guest memory mapped by region_add, keyed by its (page-rounded) GPA.
  struct GuestMapping {
    uint64_t gpa_last = 0;  // inclusive
    uint64_t iova = 0;
    uint64_t hva = 0;
    uint8_t perm = 0;
  };
  using GuestMap = absl::btree_map<uint64_t, GuestMapping>;

  // IOVA of [addr, addr + len) through one map, or EFAULT when the start is
  // unmapped or the range runs past its mapping's end.
  int TranslateGuest(uint64_t gpa, uint64_t len, uint64_t* iova) const;
  int TranslateHost(uint64_t hva, uint64_t len, uint64_t* iova) const;

  // Everything the device should hold, for a reset without IOTLB_PERSIST.
  std::vector<LiveMapping> LiveMappings() const;

  DeviceConfig config_;
  IotlbSender sender_;  // before the members that keep a pointer to it
  IovaAllocator allocator_;
  bool shadow_data_ = true;
  GuestMap guest_;  // with shadow data
  PageIndex guest_pages_;  // the small ones of guest_, for translation
  GuestAtGpa guest_at_gpa_;  // without
  std::unique_ptr<HostBufferMap> host_;
  IommuMappings iommu_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_DECOUPLED_TRANSLATOR_H_
