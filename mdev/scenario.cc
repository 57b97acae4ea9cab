#include "mdev/scenario.h"

#include <map>
#include <utility>

#include "model/vfio_type1.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

constexpr uint64_t kPage = VfioType1Container::kPageSize;
// Guest memory slots: region i may sit at GPA (i + 1) * 256 MiB, its host
// memory at the same offset in one mapping of guest RAM.
constexpr uint64_t kSlots = 24;
constexpr uint64_t kSlotBytes = uint64_t{256} << 20;
constexpr uint64_t kRamHva = 0x7f0000000000;

struct Region {
  uint64_t pages = 0;
  uint32_t prot = 0;
};

class Run {
 public:
  explicit Run(uint64_t seed) : prng_(seed) {}

  void Step() {
    const uint64_t roll = prng_.Below(100);
    if (roll < 20 || regions_.empty()) {
      Map();
    } else if (roll < 30) {
      Unmap();
    } else if (roll < 38) {
      Balloon();
    } else if (roll < 75) {
      Use();
    } else {
      Done();
    }
  }

  // Every use done, every region unmapped.
  void Teardown() {
    for (const auto& [gpa, count] : uses_) {
      for (int i = 0; i < count; ++i) events_.push_back(DeviceDoneEvent{gpa});
    }
    uses_.clear();
    for (const auto& [iova, r] : regions_) events_.push_back(UnmapDmaEvent{iova, r.pages * kPage});
    regions_.clear();
  }

  std::vector<MdevEvent> Take() { return std::move(events_); }

 private:
  void Map() {
    const uint64_t iova = (1 + prng_.Below(kSlots)) * kSlotBytes;
    if (regions_.count(iova)) return;
    // Mostly small regions (ROMs, small DIMMs in pages), now and then a big
    // one: a page array per region must cope with both.
    const uint64_t pages = prng_.Percent(80) ? 1 + prng_.Below(64) : 1 + prng_.Below(4096);
    const uint32_t prot = prng_.Percent(20) ? kVfioDmaRead : kVfioDmaRead | kVfioDmaWrite;
    regions_[iova] = Region{pages, prot};
    events_.push_back(MapDmaEvent{iova, pages * kPage, kRamHva + iova, prot});
  }

  std::pair<uint64_t, Region> AnyRegion() {
    auto it = regions_.begin();
    std::advance(it, static_cast<long>(prng_.Below(regions_.size())));
    return *it;
  }

  // Unmapped whole, often while the device still holds pages of it.
  void Unmap() {
    const auto [iova, r] = AnyRegion();
    events_.push_back(UnmapDmaEvent{iova, r.pages * kPage});
    regions_.erase(iova);
    uses_.erase(uses_.lower_bound(iova), uses_.lower_bound(iova + kSlotBytes));
  }

  // A balloon driver gives back pages from the middle of a region: v2
  // refuses an unmap that splits a region, and nothing may change.
  void Balloon() {
    const auto [iova, r] = AnyRegion();
    if (r.pages < 2) return;
    const uint64_t first = prng_.Below(r.pages);
    const uint64_t count = 1 + prng_.Below(r.pages - first);
    if (first == 0 && count == r.pages) return;  // that would be the whole region
    events_.push_back(UnmapDmaEvent{iova + first * kPage, count * kPage});
  }

  // The device touches a page: of a live region mostly (sparsely: anywhere
  // in it), now and then a guest address no region holds.
  void Use() {
    uint64_t gpa = 0;
    if (prng_.Percent(90)) {
      const auto [iova, r] = AnyRegion();
      gpa = iova + prng_.Below(r.pages * kPage);
    } else {
      gpa = prng_.Below((kSlots + 1) * kSlotBytes);
    }
    const uint32_t prot = prng_.Percent(50) ? kVfioDmaRead : kVfioDmaWrite;
    events_.push_back(DeviceUseEvent{gpa, prot});
    ++uses_[gpa];  // the harness ignores the done of a use that failed
  }

  void Done() {
    if (uses_.empty()) return;
    auto it = uses_.begin();
    std::advance(it, static_cast<long>(prng_.Below(uses_.size())));
    events_.push_back(DeviceDoneEvent{it->first});
    if (--it->second == 0) uses_.erase(it);
  }

  SplitMix64 prng_;
  std::map<uint64_t, Region> regions_;  // by iova
  std::map<uint64_t, int> uses_;        // gpa -> uses not yet done
  std::vector<MdevEvent> events_;
};

}  // namespace

std::vector<MdevEvent> GenerateMdevRun(uint64_t seed, int steps) {
  Run run(seed);
  for (int i = 0; i < steps; ++i) run.Step();
  run.Teardown();
  return run.Take();
}

}  // namespace iovacheck
