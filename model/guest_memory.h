// Guest memory as QEMU's flat view presents it: live sections, GPA -> HVA.
// GPA ranges never overlap; HVA ranges may (aliasing, e.g. smram-open-high).
#ifndef IOVACHECK_MODEL_GUEST_MEMORY_H_
#define IOVACHECK_MODEL_GUEST_MEMORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/last_hit.h"
#include "model/page_lookup.h"

namespace iovacheck {

struct Section {
  uint64_t gpa = 0;
  uint64_t size = 0;
  uint64_t hva = 0;
  bool readonly = false;
  bool ram = true;  // false: MMIO / protected / RAM device, never mapped
  std::string name;

  bool operator==(const Section& o) const {
    return gpa == o.gpa && size == o.size && hva == o.hva &&
           readonly == o.readonly && ram == o.ram && name == o.name;
  }
};

// "ram gpa [0x0, 0x200000) hva [0x7f0000000000, 0x7f0000200000) rw"
std::string SectionToString(const Section& s);

// True when the two sections' HVA ranges share a byte.
bool HvaOverlaps(const Section& a, const Section& b);

class GuestMemory {
 public:
  // Caller errors (InvalidArgument): size 0, GPA or HVA range wrapping past
  // 2^64, a GPA range overlapping a live section.
  absl::Status Add(const Section& section);
  // Removes the live section starting at gpa with exactly this size.
  // NotFound when there is none.
  absl::StatusOr<Section> Remove(uint64_t gpa, uint64_t size);

  // The section containing gpa; the pointer is good until the next Add or
  // Remove.
  const Section* Find(uint64_t gpa) const;
  std::vector<Section> Sections() const;    // in GPA order
  size_t size() const { return sections_.size(); }

 private:
  absl::btree_map<uint64_t, Section> sections_;  // keyed by gpa, the truth
  // Small page-aligned sections also by page (model/page_lookup.h): a
  // lookup in one probe, the section itself in the slot (a pointer there
  // would cost a second miss), once guests have hundreds of thousands of
  // small sections (virtio-mem blocks, a vIOMMU guest's fragmented RAM).
  PageLookup<Section> pages_;
  mutable LastHit<Section> last_found_;  // Find's (model/last_hit.h)
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_GUEST_MEMORY_H_
