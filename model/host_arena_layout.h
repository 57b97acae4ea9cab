// Where the QEMU that iovacheck plays allocates host-only memory (SVQ vring
// areas, CVQ buffers): one arena of fixed page-aligned slots, each big enough
// for any one buffer. The simulator hands its slots out (sim/scenarios/
// host_arena.h), the property generators use its first slots, and the
// svq-window design maps the whole arena into one IOVA window, which only
// works because every host buffer comes from here.
#ifndef IOVACHECK_MODEL_HOST_ARENA_LAYOUT_H_
#define IOVACHECK_MODEL_HOST_ARENA_LAYOUT_H_

#include <cstdint>

namespace iovacheck {

inline constexpr uint64_t kHostArenaBase = 0x7a0000000000;
inline constexpr uint64_t kHostArenaSlots = 128;
inline constexpr uint64_t kHostArenaSlotPages = 16;

// The arena's size for a host page size: 2048 pages (8 MiB of 4 KiB pages).
inline constexpr uint64_t HostArenaBytes(uint64_t page_size) {
  return kHostArenaSlots * kHostArenaSlotPages * page_size;
}

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_HOST_ARENA_LAYOUT_H_
