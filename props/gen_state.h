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

struct GenState {
  DeviceConfig config;
  std::vector<Section> sections;
  std::vector<HostBuffer> buffers;

  bool GpaFree(uint64_t gpa, uint64_t size) const;
  bool HasSection(const Section& s) const;
  bool HasBuffer(const HostBuffer& b) const;
  bool HostSlotFree(uint64_t hva) const;
  void RemoveSection(const Section& s);
  void RemoveBuffer(const HostBuffer& b);
};

}  // namespace iovacheck

#endif  // IOVACHECK_PROPS_GEN_STATE_H_
