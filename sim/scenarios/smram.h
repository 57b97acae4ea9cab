// SMRAM as firmware opens and closes it. The legacy VGA window
// [0xa0000, 0xc0000) shows either VGA MMIO or the low SMRAM (RAM, which then
// merges with the RAM around it), and on q35 `smram-open-high` aliases that
// same RAM at GPA [0xfeda0000, 0xfedc0000): one HVA, two GPAs. States:
//   closed      VGA, no alias
//   open-low    low RAM, no alias
//   open-high   VGA, alias (QEMU's D_OPEN with H_SMRAME)
//   open-both   low RAM and the alias: the seeds' layout (facts section 2),
//               where the alias's HVA lies inside the big low-RAM section.
// Leaving open-both for open-low removes the alias while the section sharing
// its HVA stays: the event the single-tree design gets wrong.
#ifndef IOVACHECK_SIM_SCENARIOS_SMRAM_H_
#define IOVACHECK_SIM_SCENARIOS_SMRAM_H_

#include <vector>

#include "sim/scenarios/part.h"

namespace iovacheck {
namespace scenarios {

class SmramPart : public Part {
 public:
  enum class State { kClosed, kOpenLow, kOpenHigh, kOpenBoth };

  void Boot(SplitMix64& prng, World& world) override;
  void Act(SplitMix64& prng, World& world, std::vector<Event>* out) override;

 private:
  void Apply(World& world);

  State state_ = State::kClosed;
  int vga_ = 0;
  int high_ = 0;  // 0 on pc
};

}  // namespace scenarios
}  // namespace iovacheck

#endif  // IOVACHECK_SIM_SCENARIOS_SMRAM_H_
