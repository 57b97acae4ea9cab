#include "sim/scenarios/smram.h"

namespace iovacheck {
namespace scenarios {
namespace {

constexpr uint64_t kLowSmram = 0xa0000;
constexpr uint64_t kSmramSize = 0x20000;
constexpr uint64_t kOpenHigh = 0xfeda0000;

}  // namespace

void SmramPart::Boot(SplitMix64& prng, World& world) {
  (void)prng;
  MemRegion vga;
  vga.name = "vga-lowmem";
  vga.gpa = kLowSmram;
  vga.size = kSmramSize;
  vga.priority = 1;
  vga.ram = false;
  vga_ = world.memory.Add(vga);
  if (world.layout.q35) {
    MemRegion high;
    high.name = "smram-open-high";
    high.gpa = kOpenHigh;
    high.size = kSmramSize;
    high.priority = 1;
    high.block = kPcRamBlock;
    high.hva = world.layout.ram_hva + kLowSmram;
    high_ = world.memory.Add(high);
  }
  state_ = State::kClosed;
  Apply(world);
}

void SmramPart::Apply(World& world) {
  const bool low_ram = state_ == State::kOpenLow || state_ == State::kOpenBoth;
  const bool alias = state_ == State::kOpenHigh || state_ == State::kOpenBoth;
  world.memory.Get(vga_).enabled = !low_ram;
  if (high_ != 0) world.memory.Get(high_).enabled = alias;
}

void SmramPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  // pc has no high alias: only closed and open-low.
  const uint64_t states = high_ != 0 ? 4 : 2;
  State next = static_cast<State>(prng.Below(states - 1));
  if (next >= state_) next = static_cast<State>(static_cast<int>(next) + 1);
  state_ = next;
  Apply(world);
  world.Commit(out);
}

}  // namespace scenarios
}  // namespace iovacheck
