#include "sim/scenarios/pam.h"

namespace iovacheck {
namespace scenarios {
namespace {

// Twelve 16 KiB windows from 0xc0000, then one 64 KiB window at 0xf0000.
constexpr size_t kWindows = 13;
constexpr uint64_t kIsaBiosStart = 0xe0000;

uint64_t WindowGpa(size_t w) { return w < 12 ? 0xc0000 + w * 0x4000 : 0xf0000; }
uint64_t WindowSize(size_t w) { return w < 12 ? 0x4000 : 0x10000; }

// The windows one PAM register controls: PAM0 the BIOS window, PAM1..6 two
// 16 KiB windows each.
std::vector<size_t> RegisterWindows(size_t reg) {
  if (reg == 0) return {12};
  return {2 * (reg - 1), 2 * (reg - 1) + 1};
}

}  // namespace

void PamPart::Boot(SplitMix64& prng, World& world) {
  (void)prng;
  for (size_t w = 0; w < kWindows; ++w) {
    MemRegion r;
    r.name = "pam";
    r.gpa = WindowGpa(w);
    r.size = WindowSize(w);
    r.priority = 1;
    windows_.push_back(world.memory.Add(r));
    SetMode(world, w, Mode::kPci);  // reset state: the ROMs are visible
  }
}

void PamPart::SetMode(World& world, size_t window, Mode mode) {
  MemRegion& r = world.memory.Get(windows_[window]);
  const MachineLayout& l = world.layout;
  r.ram = true;
  if (mode == Mode::kPci) {
    r.readonly = true;
    if (r.gpa < kIsaBiosStart) {
      r.name = "pc.rom";
      r.block = kRomBlock;
      r.hva = l.rom_hva + (r.gpa - 0xc0000);
    } else {
      // isa-bios aliases the top 128 KiB of pc.bios, which is also mapped
      // under 4 GiB: another HVA shared by two live sections.
      r.name = "isa-bios";
      r.block = kBiosBlock;
      r.hva = l.bios_hva + 0x20000 + (r.gpa - kIsaBiosStart);
    }
  } else {
    r.name = mode == Mode::kReadOnly ? "pam-rom" : "pam-ram";
    r.readonly = mode == Mode::kReadOnly;
    r.block = kPcRamBlock;
    r.hva = l.ram_hva + r.gpa;
  }
}

void PamPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  const Mode mode = static_cast<Mode>(prng.Below(3));
  if (prng.Percent(30)) {
    // Firmware's shadowing sequence touches every window at once.
    for (size_t w = 0; w < kWindows; ++w) SetMode(world, w, mode);
  } else {
    for (size_t w : RegisterWindows(prng.Below(7))) SetMode(world, w, mode);
  }
  world.Commit(out);
}

}  // namespace scenarios
}  // namespace iovacheck
