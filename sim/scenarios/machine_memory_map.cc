#include "sim/scenarios/machine_memory_map.h"

#include <algorithm>
#include <iterator>

namespace iovacheck {
namespace scenarios {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t k4GiB = uint64_t{4} << 30;

// The odd regions live in the PCI hole, above any machine's low RAM
// (pc puts at most 3.5 GiB below 4 GiB) and below the fixed MMIO.
constexpr uint64_t kBarSlots = 8;
constexpr uint64_t kBarBase = 0xfd000000;
constexpr uint64_t kBarStride = 0x100000;
constexpr uint64_t kBarSize = 0x10000;

MemRegion Mmio(const char* name, uint64_t gpa, uint64_t size) {
  MemRegion r;
  r.name = name;
  r.gpa = gpa;
  r.size = size;
  r.ram = false;
  return r;
}

MemRegion Ram(const char* name, uint64_t gpa, uint64_t size, uint64_t block, uint64_t hva,
              bool readonly) {
  MemRegion r;
  r.name = name;
  r.gpa = gpa;
  r.size = size;
  r.block = block;
  r.hva = hva;
  r.readonly = readonly;
  return r;
}

}  // namespace

void MachineMemoryMapPart::Boot(SplitMix64& prng, World& world) {
  MachineLayout& l = world.layout;
  l.q35 = flavour_ == MachineFlavour::kQ35 ||
          (flavour_ == MachineFlavour::kEither && prng.Percent(60));
  static constexpr uint64_t kRamSizes[] = {256 * kMiB, 512 * kMiB, 1 * kGiB, 2 * kGiB,
                                           3 * kGiB,   4 * kGiB,   6 * kGiB};
  const uint64_t total = kRamSizes[prng.Below(std::size(kRamSizes))];
  // QEMU's split: q35 keeps 2 GiB below 4 GiB once RAM reaches 2.75 GiB
  // (else up to 2.75 GiB), pc up to 3.5 GiB.
  const uint64_t lowmem = l.q35 ? (total >= 0xb0000000 ? 0x80000000 : 0xb0000000)
                                : 0xe0000000;
  l.below_4g = std::min(total, lowmem);
  l.above_4g = total - l.below_4g;
  l.ram_hva = 0x7f0000000000;
  l.bios_hva = 0x7e0000000000;
  l.rom_hva = 0x7e0001000000;
  l.device_memory_base = (k4GiB + l.above_4g + kGiB - 1) / kGiB * kGiB;
  l.device_memory_size = 64 * kGiB;

  MemoryMap& m = world.memory;
  m.Add(Ram("ram-below-4g", 0, l.below_4g, kPcRamBlock, l.ram_hva, false));
  if (l.above_4g != 0) {
    m.Add(Ram("ram-above-4g", k4GiB, l.above_4g, kPcRamBlock, l.ram_hva + l.below_4g,
              false));
  }
  m.Add(Ram("pc.bios", k4GiB - 0x40000, 0x40000, kBiosBlock, l.bios_hva, true));
  m.Add(Mmio("ioapic", 0xfec00000, 0x1000));
  m.Add(Mmio("hpet", 0xfed00000, 0x400));
  m.Add(Mmio("lapic", 0xfee00000, 0x100000));

  MemRegion bar = Mmio("pci-bar", kBarBase + prng.Below(kBarSlots) * kBarStride, kBarSize);
  bar_ = m.Add(bar);

  uint64_t hva = 0;
  uint64_t block = world.NewBlock(kMiB, &hva);
  MemRegion ramd = Ram("vfio-bar", 0xfd900000, kMiB, block, hva, false);
  ramd.ram = false;  // a RAM device: host memory, but never DMA-mapped
  odd_.push_back(m.Add(ramd));
  // GPA 0x...800 backed by a page-aligned HVA: the listener's _unaligned.
  block = world.NewBlock(0x10000, &hva);
  odd_.push_back(m.Add(Ram("vga.vram", 0xfda00800, 0x10000, block, hva, false)));
  // Less than a page once rounded inwards: nothing to map.
  block = world.NewBlock(0x1000, &hva);
  odd_.push_back(m.Add(Ram("acpi-subpage", 0xfdb00100, 0x300, block, hva + 0x100, false)));
  // Starts and ends mid-page: only the whole pages inside are mapped.
  block = world.NewBlock(0x8000, &hva);
  odd_.push_back(m.Add(Ram("rom-tail", 0xfdc00200, 0x5e00, block, hva + 0x200, true)));
  for (int id : odd_) m.Get(id).enabled = prng.Percent(50);
}

void MachineMemoryMapPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  MemoryMap& m = world.memory;
  if (prng.Percent(40)) {
    // The guest reprograms a BAR: disabled while it moves, then enabled.
    MemRegion& bar = m.Get(bar_);
    if (bar.enabled && prng.Percent(50)) {
      bar.enabled = false;
    } else {
      bar.gpa = kBarBase + prng.Below(kBarSlots) * kBarStride;
      bar.enabled = true;
    }
  } else {
    MemRegion& r = m.Get(odd_[prng.Below(odd_.size())]);
    r.enabled = !r.enabled;
  }
  world.Commit(out);
}

}  // namespace scenarios
}  // namespace iovacheck
