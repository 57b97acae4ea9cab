#include "sim/scenarios/viommu.h"

#include <algorithm>
#include <iterator>

#include "model/iotlb_msg.h"

namespace iovacheck {
namespace scenarios {
namespace {

constexpr uint64_t kIommuPage = 0x1000;
constexpr uint64_t kMaxEntries = 48;
// Guest IOVAs stay below 2^39 (a 4-level VT-d guest's width)...
constexpr uint64_t kGuestIovaTop = (uint64_t{1} << 39) - 1;
// ...and mostly in a window of this many pages, so entries sit next to each
// other and unmaps and DMAs meet several.
constexpr uint64_t kWindowPages = 4096;

uint64_t RoundUp(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

bool Overlaps(const World& world, uint64_t giova, uint64_t last) {
  return std::any_of(world.iommu.begin(), world.iommu.end(), [&](const auto& e) {
    return e.first <= last && giova <= e.first + e.second.size - 1;
  });
}

void Forget(World& world, uint64_t giova, uint64_t last) {
  for (auto it = world.iommu.begin(); it != world.iommu.end();) {
    if (it->first <= last && giova <= it->first + it->second.size - 1) {
      it = world.iommu.erase(it);
    } else {
      ++it;
    }
  }
}

// A new entry onto a page range of a live RAM section, at a free guest IOVA.
void MapOne(SplitMix64& prng, World& world, std::vector<Event>* out) {
  std::vector<const Section*> ram;
  for (const Section& s : world.live) {
    const uint64_t first = RoundUp(s.gpa, kIommuPage);
    if (s.ram && first - s.gpa < s.size && s.size - (first - s.gpa) >= kIommuPage) {
      ram.push_back(&s);
    }
  }
  if (ram.empty() || world.iommu.size() >= kMaxEntries) return;
  const Section& s = *ram[prng.Below(ram.size())];
  const uint64_t first = RoundUp(s.gpa, kIommuPage);
  const uint64_t pages_in = (s.size - (first - s.gpa)) / kIommuPage;
  const uint64_t roll = prng.Below(100);
  uint64_t pages = roll < 40 ? 1 : roll < 85 ? prng.InRange(2, 16) : 512;  // 2 MiB
  pages = std::min(pages, pages_in);
  const uint64_t gpa = first + prng.Below(pages_in - pages + 1) * kIommuPage;
  const uint64_t size = pages * kIommuPage;

  const uint64_t lo = RoundUp(world.config.iova_first, kIommuPage);
  const uint64_t hi = std::min(world.config.iova_last, kGuestIovaTop);
  if (lo > hi || hi - lo + 1 < size) return;
  const uint64_t slots = (hi - lo + 1 - size) / kIommuPage + 1;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const uint64_t range = prng.Percent(70) ? std::min(slots, kWindowPages) : slots;
    const uint64_t giova = lo + prng.Below(range) * kIommuPage;
    if (Overlaps(world, giova, giova + size - 1)) continue;
    const uint64_t p = prng.Below(10);
    const uint8_t perm = p < 3 ? kPermRO : p < 4 ? kPermWO : kPermRW;
    world.iommu.emplace(giova, IommuEntry{size, gpa, perm});
    out->push_back(IommuMapEvent{giova, gpa, size, perm});
    return;
  }
}

void Unmap(SplitMix64& prng, World& world, std::vector<Event>* out) {
  if (world.iommu.empty()) return;
  auto pick = [&]() {
    auto it = world.iommu.begin();
    std::advance(it, prng.Below(world.iommu.size()));
    return it;
  };
  const uint64_t roll = prng.Below(100);
  uint64_t giova = 0;
  uint64_t last = 0;
  if (roll < 55) {  // exactly one entry
    auto it = pick();
    giova = it->first;
    last = it->first + it->second.size - 1;
  } else if (roll < 80) {  // from one entry to another, and what lies between
    auto a = pick();
    auto b = pick();
    if (b->first < a->first) std::swap(a, b);
    giova = a->first;
    last = b->first + b->second.size - 1;
  } else {  // one page inside an entry: the whole entry goes
    auto it = pick();
    giova = it->first + prng.Below(it->second.size / kIommuPage) * kIommuPage;
    last = giova + kIommuPage - 1;
  }
  Forget(world, giova, last);
  out->push_back(IommuUnmapEvent{giova, last});
}

void MapAllAgain(const World& world, std::vector<Event>* out) {
  for (const auto& [giova, e] : world.iommu) {
    out->push_back(IommuMapEvent{giova, e.gpa, e.size, e.perm});
  }
}

}  // namespace

void ViommuPart::Act(SplitMix64& prng, World& world, std::vector<Event>* out) {
  const uint64_t roll = prng.Below(100);
  if (roll < 45 || world.iommu.empty()) {
    const uint64_t n = prng.InRange(1, 3);
    for (uint64_t i = 0; i < n; ++i) MapOne(prng, world, out);
  } else if (roll < 72) {
    Unmap(prng, world, out);
  } else if (roll < 86) {
    // VT-d's replay: the whole space unmapped, then every entry mapped.
    out->push_back(IommuUnmapEvent{0, ~uint64_t{0}});
    MapAllAgain(world, out);
  } else {
    MapAllAgain(world, out);
  }
}

}  // namespace scenarios
}  // namespace iovacheck
