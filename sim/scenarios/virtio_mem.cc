#include "sim/scenarios/virtio_mem.h"

#include <iterator>

namespace iovacheck {
namespace scenarios {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kBlocks = 48;

}  // namespace

void VirtioMemPart::Boot(SplitMix64& prng, World& world) {
  static constexpr uint64_t kBlockSizes[] = {2 * kMiB, 4 * kMiB, 32 * kMiB, 128 * kMiB};
  block_size_ = kBlockSizes[prng.Below(std::size(kBlockSizes))];
  base_ = world.layout.device_memory_base;
  block_id_ = world.NewBlock(kBlocks * block_size_, &hva_);
  plugged_.assign(kBlocks, false);
  // The requested size at boot: a prefix, as the driver plugs lowest first.
  const uint64_t initial = prng.Below(kBlocks / 2);
  for (uint64_t b = 0; b < initial; ++b) plugged_[b] = true;
  Rebuild(world);
}

void VirtioMemPart::Rebuild(World& world) {
  for (int id : runs_) world.memory.Remove(id);
  runs_.clear();
  for (uint64_t b = 0; b < kBlocks;) {
    if (!plugged_[b]) {
      ++b;
      continue;
    }
    uint64_t end = b;
    while (end < kBlocks && plugged_[end]) ++end;
    MemRegion r;
    r.name = "virtio-mem";
    r.gpa = base_ + b * block_size_;
    r.size = (end - b) * block_size_;
    r.block = block_id_;
    r.hva = hva_ + b * block_size_;
    runs_.push_back(world.memory.Add(r));
    b = end;
  }
}

void VirtioMemPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  const uint64_t roll = prng.Below(100);
  if (roll < 8) {
    // Unplug all (the device is reset on reboot).
    plugged_.assign(kBlocks, false);
  } else {
    // Plug or unplug a run of up to four blocks starting at a random block.
    const bool plug = roll < 58;
    uint64_t b = prng.Below(kBlocks);
    const uint64_t n = prng.InRange(1, 4);
    for (uint64_t i = 0; i < n && b < kBlocks; ++i, ++b) plugged_[b] = plug;
  }
  Rebuild(world);
  world.Commit(out);
}

}  // namespace scenarios
}  // namespace iovacheck
