// Host virtual memory for host-only buffers (SVQ vring areas, CVQ buffers):
// fixed page-aligned slots, handed out at random among the free ones so that
// a freed ring's HVA comes back for another buffer, as QEMU's allocator
// reuses memory.
#ifndef IOVACHECK_SIM_SCENARIOS_HOST_ARENA_H_
#define IOVACHECK_SIM_SCENARIOS_HOST_ARENA_H_

#include <cstdint>
#include <vector>

#include "model/host_arena_layout.h"
#include "sim/prng.h"

namespace iovacheck {
namespace scenarios {

class HostArena {
 public:
  static constexpr uint64_t kBase = kHostArenaBase;
  static constexpr uint64_t kSlots = kHostArenaSlots;
  static constexpr uint64_t kSlotPages = kHostArenaSlotPages;

  void Reset(uint64_t page_size);
  uint64_t slot_bytes() const { return kSlotPages * page_size_; }
  // A free slot's HVA, or 0 when all are taken. Every buffer fits one slot.
  uint64_t Take(SplitMix64& prng);
  void Give(uint64_t hva);

 private:
  uint64_t page_size_ = 4096;
  std::vector<bool> used_;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_HOST_ARENA_H_
