// What the command generators know while they build a sequence: the device
// and what is live. RapidCheck's state model (commands, model and system
// under test kept apart: the system under test is a Harness).
#ifndef IOVACHECK_PROPS_GEN_STATE_H_
#define IOVACHECK_PROPS_GEN_STATE_H_

#include <cstdint>
#include <vector>

#include "model/device_config.h"
#include "model/guest_memory.h"
#include "model/host_arena_layout.h"
#include "model/host_buffers.h"

namespace iovacheck {

// Fresh guest RAM sits at kGuestHvaBase + gpa, so only deliberate aliases
// share HVA; host-only buffers live in the first slots of the host arena
// (model/host_arena_layout.h).
inline constexpr uint64_t kGuestHvaBase = 0x7f0000000000;
inline constexpr uint64_t kHostHvaBase = kHostArenaBase;
inline constexpr uint64_t kHostSlotPages = kHostArenaSlotPages;
inline constexpr uint64_t kHostSlots = 32;
static_assert(kHostSlots <= kHostArenaSlots);
// "Above 4 GiB" RAM starts here; past iova_last on 32-bit-range devices.
inline constexpr uint64_t kHighGpaBase = 0x100000000;
// Sections at the edges of the device's IOVA range and of the 64-bit space
// (gpa up to 2^64 - 1) are backed here, one 4 GiB area per edge, so their
// HVAs neither wrap nor meet fresh RAM's.
inline constexpr uint64_t kEdgeHvaBase = 0x7e0000000000;
inline constexpr uint64_t kEdgeHvaArea = 0x100000000;
// Sections aligned to the guest page but not the host's are backed here.
inline constexpr uint64_t kGuestAlignedHvaBase = kEdgeHvaBase + 4 * kEdgeHvaArea;

// A live guest IOMMU entry: [giova, giova + size) maps to GPA.
struct GenIommuEntry {
  uint64_t giova = 0;
  uint64_t gpa = 0;
  uint64_t size = 0;
  uint8_t perm = 0;
  bool operator==(const GenIommuEntry& o) const {
    return giova == o.giova && gpa == o.gpa && size == o.size && perm == o.perm;
  }
};

struct GenState {
  DeviceConfig config;
  std::vector<Section> sections;
  std::vector<HostBuffer> buffers;
  // Whether the listener is registered with shadow data; never under a
  // vIOMMU (the model's own rule).
  bool shadow = true;
  std::vector<GenIommuEntry> iommu;  // only with config.viommu
  // The property checks QEMU's exact IOVAs. A reset with memory mapped is
  // then not drawn: a translator that allocates again after it (QEMU maps
  // its rings, then replays the flat view) lays IOVAs out in an order the
  // model's first-fit history does not follow, so no IOVA is "the" one.
  bool strict = false;

  // The state before any command: shadow data on unless a vIOMMU refuses it.
  static GenState Initial(const DeviceConfig& config);

  bool GpaFree(uint64_t gpa, uint64_t size) const;
  bool HasSection(const Section& s) const;
  bool HasBuffer(const HostBuffer& b) const;
  bool HostSlotFree(uint64_t hva) const;
  void RemoveSection(const Section& s);
  void RemoveBuffer(const HostBuffer& b);
  bool GiovaFree(uint64_t giova, uint64_t size) const;
  bool HasIommuEntry(const GenIommuEntry& e) const;
  // The live RAM section holding [gpa, gpa + size), or null.
  const Section* RamSectionHolding(uint64_t gpa, uint64_t size) const;
  // The entries whose GPA lies in `s` (they go before it does).
  std::vector<GenIommuEntry> IommuEntriesIn(const Section& s) const;
  void RemoveIommuEntry(const GenIommuEntry& e);
};

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_GEN_STATE_H_
