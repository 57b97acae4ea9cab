// PAM: the 0xc0000-0xfffff windows that firmware switches between reading
// the ROMs (PCI: option ROMs from pc.rom, the BIOS from isa-bios, an alias
// of pc.bios's top half), RAM read-only and RAM read-write, to shadow the
// BIOS. Each register write is one listener transaction that replaces the
// window's section; in RAM modes windows merge with their neighbours and
// with low RAM, so one write can split or join the big low-RAM section.
#ifndef IOVACHECK_SIM_SCENARIOS_PAM_H_
#define IOVACHECK_SIM_SCENARIOS_PAM_H_

#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

class PamPart : public Part {
 public:
  enum class Mode { kPci, kReadOnly, kReadWrite };

  void Boot(SplitMix64& prng, World& world) override;
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;

 private:
  void SetMode(World& world, size_t window, Mode mode);

  std::vector<int> windows_;  // region ids, 0xc0000 upwards
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_PAM_H_
