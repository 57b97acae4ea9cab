// The specification of what the device must hold: for each live section, the
// vhost-vdpa listener's skip, alignment and rounding rules (facts section 4);
// for each host buffer, its page-rounded extent. Written independently of the
// translators' own listener code, which is what it checks.
#ifndef IOVACHECK_MODEL_EXPECTED_MAPPING_H_
#define IOVACHECK_MODEL_EXPECTED_MAPPING_H_

#include <cstdint>
#include <optional>
#include <string>

#include "model/device_config.h"
#include "model/guest_memory.h"
#include "model/host_buffers.h"

namespace iovacheck {

struct ExpectedMapping {
  bool guest = true;  // false: host-only memory
  uint64_t gpa = 0;   // guest only: the first GPA mapped (page aligned)
  uint64_t hva = 0;
  uint64_t len = 0;
  uint8_t perm = 0;
  uint32_t asid = 0;
  // The section's or buffer's name; empty for a guest IOMMU mapping, whose
  // name (MappingName) follows from its IOVA and is only made when shown.
  std::string name;
  bool iommu = false;  // a guest IOMMU mapping (fixed_iova: its guest IOVA)
  // Strict mode: the IOVA QEMU's first-fit policy hands out.
  std::optional<uint64_t> predicted_iova;
  // Mappings whose IOVA is not the translator's choice: IOVA = GPA without
  // shadow data, the guest IOVA under a vIOMMU. Checked in every mode.
  std::optional<uint64_t> fixed_iova;
  // A fault kept this mapping off the device and the device was reset since:
  // the translator may map it again or keep it off. QEMU, whose reset
  // unregisters and re-registers its memory listener, maps every section of
  // the flat view again; a translator that re-sends what it holds does not.
  // Either is right: an optional mapping is never missing, and an entry that
  // matches it is not stale.
  bool optional = false;

  bool operator==(const ExpectedMapping& o) const {
    return guest == o.guest && gpa == o.gpa && hva == o.hva && len == o.len && perm == o.perm &&
           asid == o.asid && name == o.name && iommu == o.iommu &&
           predicted_iova == o.predicted_iova && fixed_iova == o.fixed_iova &&
           optional == o.optional;
  }
};

std::string ExpectedMappingToString(const ExpectedMapping& m);
// "ram-below-4g", or "iommu@0x56000".
std::string MappingName(const ExpectedMapping& m);

enum class ListenerSkip {
  kMapped,      // not skipped: the mapping below is expected
  kNotRam,      // MMIO, protected or RAM device
  kBelowRange,  // gpa < iova_range.first
  kAboveRange,  // page-rounded end > iova_range.last
  kUnaligned,   // gpa and offset_within_region differ within the page
  kEmpty,       // nothing left after rounding to whole pages
  kBehindIommu, // the device reaches guest memory only through a vIOMMU
};

const char* ListenerSkipName(ListenerSkip skip);

struct ListenerVerdict {
  ListenerSkip skip = ListenerSkip::kMapped;
  ExpectedMapping mapping;  // meaningful when skip == kMapped
};

// With shadow data (QEMU's SVQ) the translator picks the IOVA; without, the
// mapping sits at IOVA = GPA.
// `named`: whether the mapping carries the section's or buffer's name (for
// reports); the hot paths that only need its addresses do without the copy.
ListenerVerdict GuestMappingOf(const Section& section, const DeviceConfig& config,
                               bool shadow = true, bool named = true);
ExpectedMapping HostMappingOf(const HostBuffer& buffer, const DeviceConfig& config,
                              bool named = true);

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_EXPECTED_MAPPING_H_
