// One moment of a run as a picture's data: every live section, host buffer
// and IOTLB entry as a band in its address space (GPA, HVA, IOVA), links
// joining the views of one mapping, and what is wrong marked. Built by
// map_builder.h, drawn by svg_render.h; kept apart so that a test can ask
// what the picture holds without parsing SVG.
#ifndef IOVACHECK_MAPS_ADDRESS_MAP_H_
#define IOVACHECK_MAPS_ADDRESS_MAP_H_

#include <cstdint>
#include <string>
#include <vector>

namespace iovacheck {

enum class Space : uint8_t { kGpa, kHva, kIova };

enum class BandKind : uint8_t {
  kSection,     // GPA: a live RAM section
  kNonRam,      // GPA: MMIO, protected or RAM-device memory (never mapped)
  kHostMemory,  // HVA: what one or more sections are backed by
  kHostBuffer,  // HVA: host-only memory (SVQ vrings, CVQ buffers)
  kUnbacked,    // HVA: reached by an IOTLB entry, held by nothing live
  kEntry,       // IOVA: an entry of the kernel's table of one address space
  kMissing,     // IOVA: where a required mapping should be and is not
};

struct Band {
  Space space = Space::kGpa;
  BandKind kind = BandKind::kSection;
  uint64_t start = 0;
  uint64_t last = 0;   // inclusive: a band may end at 2^64 - 1
  uint32_t asid = 0;   // IOVA bands: the address space
  std::string label;   // drawn inside the band when it is tall enough
  std::string title;   // shown on hover: the addresses in hex
  bool warn = false;   // part of what is wrong at this moment
  bool alias = false;  // HVA: backs more than one GPA range
};

// One end of a link: a band, and the part of it the mapping covers.
struct LinkEnd {
  size_t band = 0;
  uint64_t start = 0;
  uint64_t last = 0;
};

// One mapping seen in two spaces: GPA -> HVA (a section), IOVA -> HVA (an
// IOTLB entry).
struct Link {
  LinkEnd from;
  LinkEnd to;
  bool warn = false;
};

struct AddressMap {
  std::string title;               // what, where, at which event
  std::vector<std::string> notes;  // what is wrong, one line each
  std::vector<Band> bands;
  std::vector<Link> links;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MAPS_ADDRESS_MAP_H_
