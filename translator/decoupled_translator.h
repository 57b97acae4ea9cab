// QEMU 10's fixed vhost IOVA tree design (three trees), with every lookup
// O(log n): an IOVA-only allocator, a GPA -> IOVA map for guest memory and,
// per address space, an HVA -> IOVA map for host-only memory. Because guest
// memory is found by GPA, two sections sharing HVA (aliases) never mistake
// one another, which is the bug of the single-tree design. Without shadow
// data guest memory sits at IOVA = GPA, and under a vIOMMU at the guest
// IOVAs the notifier names; neither is allocated.
#ifndef IOVACHECK_TRANSLATOR_DECOUPLED_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_DECOUPLED_TRANSLATOR_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/btree_map.h"
#include "translator/page_index.h"
#include "model/device_config.h"
#include "translator/device_reset.h"
#include "translator/guest_at_gpa.h"
#include "translator/iommu_mappings.h"
#include "translator/iotlb_sender.h"
#include "translator/iova_allocator.h"
#include "translator/translator.h"

namespace iovacheck {

class DecoupledTranslator : public Translator {
 public:
  DecoupledTranslator(const DeviceConfig& config, IotlbChannel* channel);

  static std::unique_ptr<Translator> Create(const DeviceConfig& config,
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
  // Host-only memory, keyed by its HVA within one address space.
  struct HostMapping {
    uint64_t hva_last = 0;  // inclusive
    uint64_t iova = 0;
    uint8_t perm = 0;
  };
  using GuestMap = absl::btree_map<uint64_t, GuestMapping>;
  using HostMap = absl::btree_map<uint64_t, HostMapping>;

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
  absl::btree_map<uint32_t, HostMap> host_;  // by asid
  IommuMappings iommu_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_DECOUPLED_TRANSLATOR_H_
