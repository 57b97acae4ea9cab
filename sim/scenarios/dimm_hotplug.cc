#include "sim/scenarios/dimm_hotplug.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_format.h"

namespace iovacheck {
namespace scenarios {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr size_t kSlots = 8;
// virtio-mem takes the first 8 GiB of device memory.
constexpr uint64_t kVirtioMemShare = 8 * kGiB;

}  // namespace

void DimmHotplugPart::Boot(SplitMix64& prng, World& world) {
  area_base_ = world.layout.device_memory_base + kVirtioMemShare;
  area_size_ = world.layout.device_memory_size - kVirtioMemShare;
  // Some DIMMs are there from the start (-device pc-dimm on the command line).
  const uint64_t cold = prng.Below(3);
  for (uint64_t i = 0; i < cold; ++i) Plug(prng, world);
}

bool DimmHotplugPart::Plug(SplitMix64& prng, World& world) {
  if (plugged_.size() >= kSlots) return false;
  static constexpr uint64_t kSizes[] = {128 * kMiB, 256 * kMiB, 512 * kMiB, 1 * kGiB};
  const uint64_t size = kSizes[prng.Below(std::size(kSizes))];
  // A random address aligned to the DIMM's size, not overlapping another.
  for (int attempt = 0; attempt < 8; ++attempt) {
    const uint64_t gpa = area_base_ + prng.Below(area_size_ / size) * size;
    const bool free = std::none_of(plugged_.begin(), plugged_.end(), [&](const Dimm& d) {
      return gpa < d.gpa + d.size && d.gpa < gpa + size;
    });
    if (!free) continue;
    MemRegion r;
    r.name = absl::StrFormat("dimm%u", next_name_++);
    r.gpa = gpa;
    r.size = size;
    r.block = world.NewBlock(size, &r.hva);
    r.readonly = prng.Percent(10);
    plugged_.push_back(Dimm{world.memory.Add(r), gpa, size});
    return true;
  }
  return false;
}

void DimmHotplugPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  const bool unplug = !plugged_.empty() && (plugged_.size() >= kSlots || prng.Percent(45));
  if (unplug) {
    const size_t i = prng.Below(plugged_.size());
    world.memory.Remove(plugged_[i].region);
    plugged_.erase(plugged_.begin() + i);
  } else {
    Plug(prng, world);
  }
  world.Commit(out);
}

}  // namespace scenarios
}  // namespace iovacheck
