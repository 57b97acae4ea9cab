// What a composed scenario's parts share: the machine's memory regions and
// the flat view the listener was last told about, the device's host-only
// buffers, the guest IOMMU's live entries, and whether the listener runs
// with shadow data. Parts change the regions and call Commit(), which turns
// the difference into one listener transaction.
#ifndef IOVACHECK_SIM_SCENARIOS_WORLD_H_
#define IOVACHECK_SIM_SCENARIOS_WORLD_H_

#include <cstdint>
#include <map>
#include <vector>

#include "model/device_config.h"
#include "model/guest_memory.h"
#include "model/host_buffers.h"
#include "sim/event.h"
#include "sim/scenarios/flat_view.h"
#include "sim/scenarios/host_arena.h"

namespace iovacheck {
namespace scenarios {

// Where the machine's fixed memory is; chosen at boot.
struct MachineLayout {
  bool q35 = true;            // false: pc (i440fx-like), no SMRAM high alias
  uint64_t below_4g = 0;      // RAM [0, below_4g)
  uint64_t above_4g = 0;      // RAM [4 GiB, 4 GiB + above_4g)
  uint64_t ram_hva = 0;       // pc.ram: both RAM ranges, below first
  uint64_t bios_hva = 0;      // pc.bios, 256 KiB under 4 GiB (and isa-bios)
  uint64_t rom_hva = 0;       // pc.rom, option ROMs at 0xc0000
  uint64_t device_memory_base = 0;  // the hotplug area (DIMMs, virtio-mem)
  uint64_t device_memory_size = 0;
};

// Fixed RAM block ids; hot-plugged memory gets new ones.
inline constexpr uint64_t kPcRamBlock = 1;
inline constexpr uint64_t kBiosBlock = 2;
inline constexpr uint64_t kRomBlock = 3;

struct IommuEntry {
  uint64_t size = 0;
  uint64_t gpa = 0;
  uint8_t perm = 0;
};

struct World {
  DeviceConfig config;
  MachineLayout layout;
  MemoryMap memory;
  std::vector<Section> live;  // the listener's view, GPA order
  bool shadow = true;         // the listener runs with shadow data (SVQ)

  // The device: shadowed data queues (their vring areas are host buffers
  // while shadow data is on) and the control virtqueue.
  uint32_t data_queues = 2;
  uint32_t queue_size = 256;
  bool has_cvq = true;
  HostArena arena;
  std::vector<HostBuffer> vrings;  // live SVQ vring areas
  std::vector<HostBuffer> cvq;     // live CVQ buffers (out, status)

  std::map<uint64_t, IommuEntry> iommu;  // live guest IOMMU entries by giova

  // A new RAM block: its id, and an HVA range nothing else uses.
  uint64_t NewBlock(uint64_t size, uint64_t* hva);

  // One listener transaction from `live` to the rendered regions. Under a
  // vIOMMU, entries backed by a section that goes are unmapped first (the
  // model refuses to remove RAM an IOMMU mapping uses) and mapped again
  // afterwards where their GPA is still one RAM section.
  void Commit(std::vector<Event>* out);

  // The live section containing gpa, or null.
  const Section* SectionAt(uint64_t gpa) const;

 private:
  uint64_t next_block_ = 16;
  uint64_t next_block_hva_ = 0x7c0000000000;
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_WORLD_H_
