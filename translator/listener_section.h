// The vhost-vdpa memory listener's view of a flat-view section: whether it is
// skipped, and if not, which page-rounded guest range it maps and at which HVA.
// Both translators share these rules so that they differ only in how they
// track IOVA, which is what iovacheck compares.
#ifndef IOVACHECK_TRANSLATOR_LISTENER_SECTION_H_
#define IOVACHECK_TRANSLATOR_LISTENER_SECTION_H_

#include <cstdint>

#include "absl/numeric/int128.h"
#include "model/device_config.h"
#include "translator/translator.h"

namespace iovacheck {

enum class SectionVerdict {
  kMap,          // the listener maps (or unmaps) `range`
  kNotRam,       // MMIO, protected or RAM-device memory
  kBelowRange,   // starts below the device's IOVA range
  kPastRange,    // ends past the device's IOVA range
  kUnaligned,    // GPA and HVA disagree within the page
  kEmpty,        // nothing left once rounded to whole pages
};

// The page-rounded part of a section the listener hands to the device.
struct ListenerRange {
  uint64_t gpa = 0;        // section start rounded up to the page (QEMU's "iova")
  absl::uint128 size = 0;  // llend - gpa; 2^64 is representable
  uint64_t hva = 0;        // host address of `gpa`
  uint8_t perm = 0;        // RO for read-only sections, else RW
};

struct ListenerSection {
  SectionVerdict verdict = SectionVerdict::kNotRam;
  ListenerRange range;  // meaningful only for kMap
};

ListenerSection ClassifySection(const GuestSection& section,
                                const DeviceConfig& config);

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_LISTENER_SECTION_H_
