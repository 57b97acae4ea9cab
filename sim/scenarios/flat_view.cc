#include "sim/scenarios/flat_view.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace iovacheck {
namespace scenarios {
namespace {

// One elementary interval of the rendering and the region on top of it.
struct Piece {
  uint64_t gpa = 0;
  uint64_t size = 0;
  int id = 0;
  const MemRegion* region = nullptr;
};

bool Mergeable(const Piece& prev, const Section& merged, const Piece& next) {
  if (merged.gpa + merged.size != next.gpa) return false;
  const MemRegion& a = *prev.region;
  const MemRegion& b = *next.region;
  if (a.ram != b.ram || a.readonly != b.readonly) return false;
  // MMIO merges only with itself; RAM within one block at contiguous HVAs.
  if (a.block == 0 || b.block == 0) return prev.id == next.id;
  return a.block == b.block &&
         merged.hva + merged.size == b.hva + (next.gpa - b.gpa);
}

}  // namespace

int MemoryMap::Add(MemRegion region) {
  const int id = next_id_++;
  regions_.emplace(id, std::move(region));
  return id;
}

std::vector<Section> MemoryMap::Render() const {
  std::vector<uint64_t> bounds;
  for (const auto& [id, r] : regions_) {
    if (!r.enabled || r.size == 0) continue;
    bounds.push_back(r.gpa);
    bounds.push_back(r.gpa + r.size);
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());

  std::vector<Section> view;
  Piece prev;
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    Piece p{bounds[i], bounds[i + 1] - bounds[i], 0, nullptr};
    for (const auto& [id, r] : regions_) {
      if (!r.enabled || r.gpa > p.gpa || r.gpa + r.size < p.gpa + p.size) continue;
      if (p.region == nullptr || r.priority >= p.region->priority) {
        p.region = &r;
        p.id = id;
      }
    }
    if (p.region == nullptr) continue;  // unassigned: no section
    const MemRegion& r = *p.region;
    const uint64_t hva = r.hva + (p.gpa - r.gpa);
    if (!view.empty() && prev.region != nullptr && Mergeable(prev, view.back(), p)) {
      view.back().size += p.size;
    } else {
      Section s;
      s.gpa = p.gpa;
      s.size = p.size;
      s.hva = hva;
      s.readonly = r.readonly;
      s.ram = r.ram;
      s.name = absl::StrFormat("%s@0x%x", r.name, p.gpa);
      view.push_back(s);
    }
    prev = p;
  }
  return view;
}

bool SameMemory(const Section& a, const Section& b) {
  return a.gpa == b.gpa && a.size == b.size && a.hva == b.hva &&
         a.readonly == b.readonly && a.ram == b.ram;
}

ViewChange DiffViews(const std::vector<Section>& before, const std::vector<Section>& after) {
  // Both views are in GPA order with unique start addresses.
  auto find = [](const std::vector<Section>& view, const Section& s) {
    auto it = std::lower_bound(view.begin(), view.end(), s.gpa,
                               [](const Section& x, uint64_t gpa) { return x.gpa < gpa; });
    return it != view.end() && SameMemory(*it, s);
  };
  ViewChange change;
  for (const Section& s : before) {
    if (!find(after, s)) change.dels.push_back(s);
  }
  for (const Section& s : after) {
    if (!find(before, s)) change.adds.push_back(s);
  }
  return change;
}

}  // namespace scenarios
}  // namespace iovacheck
