// The reference model: live guest sections and host buffers, what the device
// must hold for them, and what a guest buffer must translate to. Obviously
// correct rather than fast; the oracle compares a translator and the emulated
// device against it.
#ifndef IOVACHECK_MODEL_REFERENCE_MODEL_H_
#define IOVACHECK_MODEL_REFERENCE_MODEL_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/device_config.h"
#include "model/expected_mapping.h"
#include "model/first_fit_allocator.h"
#include "model/guest_memory.h"
#include "model/host_buffers.h"
#include "model/iovec.h"
#include "model/vdpa_device.h"

namespace iovacheck {

// Where the device must land for one element, or why it must be refused.
struct ElementExpectation {
  bool mapped = false;
  // In an optional mapping (ExpectedMapping::optional): refusing it is right,
  // and so is accepting it, provided the device then reaches `hva`.
  bool optional = false;
  uint32_t asid = 0;
  uint64_t hva = 0;   // the HVA the guest means
  uint8_t perm = 0;   // the permission of the mapping that holds it
  std::string why;    // names the section or buffer, or the reason it fails
};

struct DmaExpectation {
  int refusal = 0;                 // 0: it lands; else EINVAL or EPERM
  std::vector<DmaSegment> pieces;  // one per mapping crossed, when it lands
  std::string why;                 // the mappings crossed, or where it stops
};

// What an expected mapping comes from: a guest section (by GPA), a host
// buffer (by HVA) or a guest IOMMU mapping (by guest IOVA). Each gives at
// most one expected mapping.
struct MappingSource {
  enum class Kind : uint8_t { kSection, kHostBuffer, kIommu };
  Kind kind = Kind::kSection;
  uint64_t key = 0;
  bool operator==(const MappingSource& o) const { return kind == o.kind && key == o.key; }
  bool operator<(const MappingSource& o) const {
    return kind != o.kind ? kind < o.kind : key < o.key;
  }
  template <typename H>
  friend H AbslHashValue(H h, const MappingSource& s) {
    return H::combine(std::move(h), s.kind, s.key);
  }
};

class ReferenceModel {
 public:
  explicit ReferenceModel(const DeviceConfig& config);

  // Caller errors come back as InvalidArgument / NotFound; the model is then
  // unchanged.
  absl::Status AddSection(const Section& section);
  absl::StatusOr<Section> RemoveSection(uint64_t gpa, uint64_t size);
  absl::Status AddHostBuffer(const HostBuffer& buffer);
  absl::StatusOr<HostBuffer> RemoveHostBuffer(uint64_t hva, uint64_t size);

  // The listener is re-registered with or without shadow data. Only while no
  // section or host buffer is live; never with shadow data under a vIOMMU.
  absl::Status SetShadow(bool enabled);
  bool shadow() const { return shadow_; }

  // vIOMMU (config.viommu): the guest IOMMU maps [giova, giova+size) to GPA
  // (inside one live RAM section); a MAP identical to a live one is a replay
  // and changes nothing. UNMAP removes every entry overlapping [giova, last].
  absl::Status IommuMap(uint64_t giova, uint64_t gpa, uint64_t size, uint8_t perm);
  absl::Status IommuUnmap(uint64_t giova, uint64_t last);
  // The HVA a GPA resolves to through the flat view (what QEMU hands the
  // notifier), or nullopt.
  std::optional<uint64_t> HvaOf(uint64_t gpa) const;
  // Where the live IOMMU mapping at `giova` reaches: the HVA its GPA
  // resolved to when it was mapped and the permission the device gets
  // (IommuDevicePerm); nullopt when none starts there.
  struct IommuTarget {
    uint64_t hva = 0;
    uint8_t perm = 0;
  };
  std::optional<IommuTarget> IommuTargetOf(uint64_t giova) const;

  // A fault (a refused UPDATE, an IOVA space too small) rightly kept this
  // mapping off the device: it is expected absent, and buffers in it refused,
  // until it goes.
  void ExcuseSection(uint64_t gpa);
  void ExcuseHostBuffer(uint64_t hva);
  void ExcuseIommu(uint64_t giova);
  // A guest IOMMU mapping the device's IOVA range cannot hold: the kernel
  // refuses its UPDATE (EINVAL), QEMU does not send it. It is never expected
  // on the device, and whatever the translator answers is right.
  bool IommuOutsideDevice(uint64_t giova, uint64_t last) const;
  // The permission a guest IOMMU translation of `gpa` reaches the device
  // with: the guest's, except that read-only memory is read-only
  // (memory_get_xlat_addr() reports it so, system/memory.c, and the kernel
  // refuses a writable mapping of it in PA mode).
  uint8_t IommuDevicePerm(uint64_t gpa, uint8_t guest_perm) const;
  // The device was reset: every excused section, host buffer and IOMMU
  // mapping becomes optional (see ExpectedMapping::optional) until it goes
  // (QEMU replays the guest's IOMMU translations when it registers its
  // listener again).
  void DeviceWasReset();
  // QEMU's first fit found no room for this mapping: ENOMEM is the right
  // answer (for first-fit translators).
  bool FirstFitFailedForSection(uint64_t gpa) const;
  bool FirstFitFailedForHostBuffer(uint64_t hva) const;

  // Every mapping the device must hold now: guest sections (GPA order), host
  // buffers (HVA order), IOMMU entries (guest IOVA order), with strict-mode
  // IOVA predictions and fixed IOVAs.
  std::vector<ExpectedMapping> ExpectedMappings() const;

  // For the incremental oracle: from now on remember every source whose
  // expected mapping may have changed (come, gone, or changed in any field),
  // until TakeChangedSources hands them over (repeats possible).
  void TrackChanges() { tracking_ = true; }
  // Swapped into *out (cleared first), so that neither side allocates anew.
  void TakeChangedSources(std::vector<MappingSource>* out) {
    out->clear();
    out->swap(changed_);
  }
  // What the source asks of the device now: nothing when it is gone,
  // skipped by the listener's rules or excused.
  // `named`: with the source's name (for reports); the incremental oracle
  // does without.
  std::optional<ExpectedMapping> ExpectedMappingOf(const MappingSource& source,
                                                   bool named = true) const;
  // Every live source, in ExpectedMappings()'s order.
  std::vector<MappingSource> Sources() const;

  ElementExpectation Expect(const Iovec& element) const;
  // A device DMA at fixed IOVAs (no shadow data in asid 0, or a vIOMMU):
  // walking the mappings as the device walks its entries, the HVA pieces it
  // must reach, or the refusal (EINVAL at a gap, EPERM at a mapping without
  // the permission) it must meet first. nullopt when the translator chose
  // the IOVAs, so only it knows. Without `explain`, `why` stays empty: the
  // check asks for it only once it has found something to report.
  std::optional<DmaExpectation> ExpectDeviceDma(uint32_t asid, uint64_t iova, uint64_t len,
                                                uint8_t need_perm, bool explain = true) const;

  // The lowest IOVA a translator may hand out: max(range.first, page).
  uint64_t iova_floor() const;
  // True when every IOVA comes from one allocator (shadow data, no vIOMMU):
  // then no two IOVA ranges may overlap, even across address spaces.
  bool single_allocator() const { return shadow_ && !config_.viommu; }

  const DeviceConfig& config() const { return config_; }
  const GuestMemory& guest() const { return guest_; }
  const HostBuffers& host() const { return host_; }

 private:
  void Changed(MappingSource::Kind kind, uint64_t key) {
    if (tracking_) changed_.push_back(MappingSource{kind, key});
  }

  DeviceConfig config_;
  bool tracking_ = false;
  std::vector<MappingSource> changed_;
  GuestMemory guest_;
  HostBuffers host_;
  FirstFitAllocator first_fit_;
  struct IommuEntry {
    uint64_t last = 0;
    uint64_t gpa = 0;
    uint8_t perm = 0;
    // Of the section under gpa, taken at the map: RemoveSection refuses a
    // section while an IOMMU mapping rests on it, so they cannot go stale.
    uint64_t hva = 0;         // HvaOf(gpa)
    uint8_t device_perm = 0;  // IommuDevicePerm(gpa, perm)
    uint64_t section_gpa = 0;  // the section under gpa
  };

  bool shadow_ = true;
  // Strict-mode predictions, keyed by section GPA and by host buffer HVA.
  absl::flat_hash_map<uint64_t, uint64_t> guest_iova_;
  absl::flat_hash_map<uint64_t, uint64_t> host_iova_;
  // Guest IOVA -> last, in order, for the overlap questions; the entries
  // themselves by guest IOVA. Apart, the B-tree's slots stay small and its
  // nodes wide (a lookup touches few cache lines).
  using IommuExtents = absl::btree_map<uint64_t, uint64_t>;
  // The first live IOMMU mapping overlapping [giova, last], or end().
  IommuExtents::const_iterator FirstIommuOverlap(uint64_t giova, uint64_t last) const;
  // The same, given next = upper_bound(giova).
  IommuExtents::const_iterator IommuOverlapAround(IommuExtents::const_iterator next,
                                                  uint64_t giova, uint64_t last) const;

  IommuExtents iommu_extents_;
  absl::flat_hash_map<uint64_t, IommuEntry> iommu_;
  // Section GPA -> how many live IOMMU mappings rest on that section
  // (RemoveSection refuses it while any do); no zero is kept.
  absl::flat_hash_map<uint64_t, uint32_t> iommu_resting_on_;
  std::set<uint64_t> excused_sections_;   // by GPA
  std::set<uint64_t> excused_buffers_;    // by HVA
  std::set<uint64_t> excused_iommu_;      // by guest IOVA
  std::set<uint64_t> optional_sections_;  // by GPA
  std::set<uint64_t> optional_buffers_;   // by HVA
  std::set<uint64_t> optional_iommu_;     // by guest IOVA
  // The last IommuMap was a replay of a mapping the device holds (ExcuseIommu
  // then makes it optional rather than absent).
  bool replay_of_live_ = false;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_REFERENCE_MODEL_H_
