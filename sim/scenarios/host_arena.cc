#include "sim/scenarios/host_arena.h"

namespace iovacheck {
namespace scenarios {

void HostArena::Reset(uint64_t page_size) {
  page_size_ = page_size;
  used_.assign(kSlots, false);
}

uint64_t HostArena::Take(SplitMix64& prng) {
  const uint64_t start = prng.Below(kSlots);
  for (uint64_t i = 0; i < kSlots; ++i) {
    const uint64_t slot = (start + i) % kSlots;
    if (used_[slot]) continue;
    used_[slot] = true;
    return kBase + slot * slot_bytes();
  }
  return 0;
}

void HostArena::Give(uint64_t hva) {
  if (hva < kBase) return;
  const uint64_t slot = (hva - kBase) / slot_bytes();
  if (slot < kSlots) used_[slot] = false;
}

}  // namespace scenarios
}  // namespace iovacheck
