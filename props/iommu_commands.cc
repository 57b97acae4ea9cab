#include "props/iommu_commands.h"

#include <algorithm>

#include "props/boundary_draws.h"

namespace iovacheck {
namespace {

// The guest's IOMMU page (VT-d's), whatever the host's.
constexpr uint64_t kIommuPage = 0x1000;

uint64_t RoundUp(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

}  // namespace

MapIommu::MapIommu(const GenState& s) {
  RC_PRE(s.config.viommu);
  if (!s.iommu.empty() && *rc::gen::weightedElement<bool>({{5, false}, {1, true}})) {
    entry_ = *rc::gen::elementOf(s.iommu);
    replay_ = true;
    return;
  }
  std::vector<const Section*> ram;
  for (const Section& x : s.sections) {
    const uint64_t first = RoundUp(x.gpa, kIommuPage);
    if (x.ram && first >= x.gpa && first - x.gpa < x.size &&
        x.size - (first - x.gpa) >= kIommuPage) {
      ram.push_back(&x);
    }
  }
  RC_PRE(!ram.empty());
  const Section& x = **rc::gen::elementOf(ram);
  const uint64_t first = RoundUp(x.gpa, kIommuPage);
  const uint64_t pages_in = (x.size - (first - x.gpa)) / kIommuPage;
  // One page, a few, or all the section has (to its last byte).
  const uint64_t pages =
      DrawEdgeOr({1, pages_in}, *rc::gen::inRange<uint64_t>(1, std::min<uint64_t>(pages_in, 16) + 1));
  entry_.size = pages * kIommuPage;
  entry_.gpa = first + DrawEdgeOr({0, pages_in - pages},
                                  *rc::gen::inRange<uint64_t>(0, pages_in - pages + 1)) *
                           kIommuPage;
  // At the device's first IOVA, ending at its last, ending at 2^64 - 1, or
  // low (entries then meet and unmaps span several).
  const DeviceConfig& c = s.config;
  std::vector<uint64_t> edges = {RoundUp(c.iova_first, kIommuPage)};
  if (c.iova_last >= entry_.size - 1) {
    edges.push_back((c.iova_last - (entry_.size - 1)) / kIommuPage * kIommuPage);
  }
  edges.push_back(~uint64_t{0} - (entry_.size - 1));
  entry_.giova = DrawEdgeOr(edges, RoundUp(c.iova_first, kIommuPage) +
                                       *rc::gen::inRange<uint64_t>(0, 256) * kIommuPage);
  entry_.perm = *rc::gen::weightedElement<uint8_t>({{3, kPermRO}, {1, kPermWO}, {6, kPermRW}});
  RC_PRE(s.GiovaFree(entry_.giova, entry_.size));
}

void MapIommu::checkPreconditions(const GenState& s) const {
  RC_PRE(s.RamSectionHolding(entry_.gpa, entry_.size) != nullptr);
  const bool fits = replay_ ? s.HasIommuEntry(entry_) : s.GiovaFree(entry_.giova, entry_.size);
  RC_PRE(fits);
}

void MapIommu::apply(GenState& s) const {
  if (!replay_) s.iommu.push_back(entry_);
}

std::vector<Event> MapIommu::Events() const {
  return {IommuMapEvent{entry_.giova, entry_.gpa, entry_.size, entry_.perm}};
}

UnmapIommu::UnmapIommu(const GenState& s) {
  RC_PRE(s.config.viommu);
  const uint64_t roll = *rc::gen::inRange<uint64_t>(0, 8);
  if (s.iommu.empty() || roll == 0) {  // the whole space, as VT-d's replay starts
    giova_ = 0;
    last_ = ~uint64_t{0};
    return;
  }
  const GenIommuEntry& a = *rc::gen::elementOf(s.iommu);
  if (roll < 4) {  // exactly one entry
    giova_ = a.giova;
    last_ = a.giova + (a.size - 1);
  } else if (roll < 6) {  // from one entry to another, and what lies between
    const GenIommuEntry& b = *rc::gen::elementOf(s.iommu);
    giova_ = std::min(a.giova, b.giova);
    last_ = std::max(a.giova + (a.size - 1), b.giova + (b.size - 1));
  } else {  // one page inside an entry: the whole entry goes
    giova_ = a.giova + *rc::gen::inRange<uint64_t>(0, a.size / kIommuPage) * kIommuPage;
    last_ = giova_ + (kIommuPage - 1);
  }
}

void UnmapIommu::apply(GenState& s) const {
  s.iommu.erase(std::remove_if(s.iommu.begin(), s.iommu.end(),
                               [&](const GenIommuEntry& e) {
                                 return e.giova <= last_ && giova_ <= e.giova + (e.size - 1);
                               }),
                s.iommu.end());
}

}  // namespace iovacheck
