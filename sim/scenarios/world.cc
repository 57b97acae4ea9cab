#include "sim/scenarios/world.h"

#include <algorithm>

namespace iovacheck {
namespace scenarios {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

bool Inside(const Section& s, uint64_t gpa, uint64_t size) {
  return gpa >= s.gpa && gpa - s.gpa <= s.size && size <= s.size - (gpa - s.gpa);
}

}  // namespace

uint64_t World::NewBlock(uint64_t size, uint64_t* hva) {
  // A gap of at least 1 GiB: blocks never touch, so nothing merges across.
  const uint64_t span = (size + kGiB - 1) / kGiB * kGiB + kGiB;
  // Blocks live below the BIOS and RAM mappings (0x7e0000000000 up), first
  // in [0x7c0000000000, 0x7e0000000000), then in [0x100000000000,
  // 0x7c0000000000) over and over: user space ends at 0x7ffffffff000 (the
  // device resolves user addresses in it), and a long run plugs far more
  // blocks than a process holds at once; QEMU's mmap reuses what unplugs
  // freed (a reused address still live is an alias, which guests may make).
  constexpr uint64_t kTopBase = 0x7c0000000000, kTopEnd = 0x7e0000000000;
  constexpr uint64_t kLowBase = 0x100000000000;
  const uint64_t end = next_block_hva_ >= kTopBase ? kTopEnd : kTopBase;
  if (next_block_hva_ + span > end) next_block_hva_ = kLowBase;
  *hva = next_block_hva_;
  next_block_hva_ += span;
  return next_block_++;
}

const Section* World::SectionAt(uint64_t gpa) const {
  auto it = std::upper_bound(live.begin(), live.end(), gpa,
                             [](uint64_t g, const Section& s) { return g < s.gpa; });
  if (it == live.begin()) return nullptr;
  --it;
  return gpa - it->gpa < it->size ? &*it : nullptr;
}

void World::Commit(std::vector<Event>* out) {
  std::vector<Section> next = memory.Render();
  ViewChange change = DiffViews(live, next);

  std::map<uint64_t, IommuEntry> unmapped;
  for (auto it = iommu.begin(); it != iommu.end();) {
    const bool backed_by_del =
        std::any_of(change.dels.begin(), change.dels.end(),
                    [&](const Section& s) { return Inside(s, it->second.gpa, 1); });
    if (!backed_by_del) {
      ++it;
      continue;
    }
    out->push_back(IommuUnmapEvent{it->first, it->first + it->second.size - 1});
    unmapped.insert(*it);
    it = iommu.erase(it);
  }

  out->push_back(ListenerBeginEvent{});
  for (const Section& s : change.dels) out->push_back(RegionDelEvent{s});
  for (const Section& s : change.adds) out->push_back(RegionAddEvent{s});
  out->push_back(ListenerCommitEvent{});

  // Unchanged sections keep the names the listener saw them under.
  for (Section& s : next) {
    if (const Section* old = SectionAt(s.gpa); old != nullptr && SameMemory(*old, s)) {
      s.name = old->name;
    }
  }
  live = std::move(next);

  for (const auto& [giova, e] : unmapped) {
    const Section* s = SectionAt(e.gpa);
    if (s == nullptr || !s->ram || !Inside(*s, e.gpa, e.size)) continue;
    out->push_back(IommuMapEvent{giova, e.gpa, e.size, e.perm});
    iommu.emplace(giova, e);
  }
}

}  // namespace scenarios
}  // namespace iovacheck
