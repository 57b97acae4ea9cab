// The base of a q35/pc-like machine's memory map: RAM below and above
// 4 GiB (one RAM block, pc.ram), the BIOS ROM under 4 GiB, fixed MMIO
// (IOAPIC, HPET, LAPIC), and sections the listener must skip or trim: PCI
// BARs (MMIO) that the guest moves and disables, a RAM device (a VFIO BAR),
// RAM mapped at a GPA whose page offset differs from its HVA's (unaligned),
// sub-page RAM, and ROM that starts and ends mid-page. Acting toggles or
// moves one of those.
#ifndef IOVACHECK_SIM_SCENARIOS_MACHINE_MEMORY_MAP_H_
#define IOVACHECK_SIM_SCENARIOS_MACHINE_MEMORY_MAP_H_

#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

enum class MachineFlavour { kQ35, kPc, kEither };

class MachineMemoryMapPart : public Part {
 public:
  explicit MachineMemoryMapPart(MachineFlavour flavour) : flavour_(flavour) {}
  void Boot(SplitMix64& prng, World& world) override;
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;

 private:
  MachineFlavour flavour_;
  int bar_ = 0;  // the movable MMIO BAR
  std::vector<int> odd_;  // regions toggled on and off
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_MACHINE_MEMORY_MAP_H_
