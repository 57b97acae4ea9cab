#include "mdev/check_tracker.h"

#include "absl/strings/str_format.h"

namespace iovacheck {

std::optional<std::string> CheckTracker(const VfioType1Container& container,
                                        const MdevTracker& tracker) {
  for (const auto& [start, size] : tracker.HeldRanges()) {
    const VfioDma* dma = container.Find(start);
    if (dma == nullptr || start - dma->iova + size > dma->size) {
      return absl::StrFormat("the tracker holds gpa [0x%x, +0x%x), which no live region holds",
                             start, size);
    }
    // Its first and last address stand for the range: a range is one
    // translation (one vaddr plus the offset).
    for (const uint64_t gpa : {start, start + size - 1}) {
      const std::optional<uint64_t> held = tracker.Lookup(gpa);
      const uint64_t want = dma->vaddr + (gpa - dma->iova);
      if (!held || *held != want) {
        return absl::StrFormat("gpa 0x%x: the tracker answers %s, type1 maps it to vaddr 0x%x",
                               gpa, held ? absl::StrFormat("vaddr 0x%x", *held) : "nothing",
                               want);
      }
    }
  }
  if (container.TotalPins() != tracker.PinsHeld()) {
    return absl::StrFormat("type1 counts %u pins, the tracker holds %u", container.TotalPins(),
                           tracker.PinsHeld());
  }
  return std::nullopt;
}

}  // namespace iovacheck
