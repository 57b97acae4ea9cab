// The single-tree design QEMU used before the three-tree fix: one IOVA -> HVA
// tree holds guest memory and host buffers alike, and every reverse lookup
// (region_del, datapath translation, ring unmap) searches it BY HVA, taking
// the first node in IOVA order whose HVA range overlaps. With aliased guest
// memory (two sections sharing HVA) region_del removes and invalidates the
// wrong mapping. That bug is kept on purpose: iovacheck must catch it.
// It is the only one: guest memory at IOVA = GPA (no shadow data), the
// vIOMMU notifier, device resets and interrupted writes are handled by the
// same shared code as the decoupled design, since the old QEMU kept no tree
// for the first two either.
//
// `alias-id` is the same tree as the RFC "Identify aliased maps in vdpa SVQ
// iova_tree" (April 2024, seed 004) proposed to fix it: every node carries
// the id of the section that created it (here its GPA, unique among live
// sections; host buffers carry none), and region_del and host_unmap look up
// by HVA *and* id. The datapath still translates by HVA alone: the shadow
// virtqueue's lookup has no section to name.
#ifndef IOVACHECK_TRANSLATOR_LEGACY_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_LEGACY_TRANSLATOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/container/btree_map.h"
#include "model/device_config.h"
#include "translator/device_reset.h"
#include "translator/guest_at_gpa.h"
#include "translator/iommu_mappings.h"
#include "translator/iotlb_sender.h"
#include "translator/translator.h"

namespace iovacheck {

class LegacyTranslator : public Translator {
 public:
  enum class Lookup {
    kHvaOnly,     // legacy: the first node holding the HVA
    kHvaAndId,    // alias-id: region_del and host_unmap match the id too
  };

  LegacyTranslator(const DeviceConfig& config, IotlbChannel* channel,
                   Lookup lookup = Lookup::kHvaOnly);

  static std::unique_ptr<Translator> Create(const DeviceConfig& config,
                                            IotlbChannel* channel);
  static std::unique_ptr<Translator> CreateAliasId(const DeviceConfig& config,
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
  void SetShadowData(bool enabled) override;
  int DeviceReset() override;
  int IommuMap(uint64_t giova, uint64_t size, uint64_t hva,
               uint8_t perm) override;
  int IommuUnmap(uint64_t giova, uint64_t last) override;

 private:
  // One node of the tree, keyed by its IOVA.
  struct Node {
    uint64_t iova_last = 0;  // inclusive
    uint64_t hva = 0;
    uint8_t perm = 0;
    // The address space it was mapped in, which the old tree did not keep;
    // only a reset's restore reads it, so the lookups behave as they did.
    uint32_t asid = 0;
    uint64_t id = kNoId;  // alias-id: the creating section's GPA
  };
  using Tree = absl::btree_map<uint64_t, Node>;
  // A host buffer's id (no section has it: a section's GPA range would end
  // past 2^64).
  static constexpr uint64_t kNoId = ~uint64_t{0};

  // Allocates IOVA for [hva, hva + len) and inserts the node; 0, EINVAL or
  // ENOMEM. *iova is the node's key.
  int Insert(uint64_t hva, absl::uint128 len, uint8_t perm, uint32_t asid,
             uint64_t id, uint64_t* iova);

  // The old iova_tree_find_iova: a linear scan in IOVA order for the first
  // node whose HVA range overlaps [hva, hva_last] (and, when `id` is given,
  // whose id is that one).
  Tree::iterator FindByHva(uint64_t hva, uint64_t hva_last,
                           std::optional<uint64_t> id = std::nullopt);
  // The id an unmap looks for: none for legacy.
  std::optional<uint64_t> IdToMatch(uint64_t id) const;

  // Everything the device should hold, for a reset without IOTLB_PERSIST.
  std::vector<LiveMapping> LiveMappings() const;

  DeviceConfig config_;
  Lookup lookup_;
  IotlbSender sender_;  // before the members that keep a pointer to it
  Tree tree_;  // shadow-data guest memory and host buffers
  bool shadow_data_ = true;
  GuestAtGpa guest_at_gpa_;  // guest memory without shadow data
  IommuMappings iommu_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_LEGACY_TRANSLATOR_H_
