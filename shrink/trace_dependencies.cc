#include "shrink/trace_dependencies.h"

#include <algorithm>
#include <map>

#include "absl/numeric/int128.h"

namespace iovacheck {
namespace {

// Half-open address ranges that are gone (deleted sections, unmapped
// buffers), each with the position of the event that ended it, queried for
// overlap with a later range.
class GoneRanges {
 public:
  void Add(uint64_t start, absl::uint128 end, uint32_t position) {
    ranges_.emplace(start, Entry{end, position});
    if (end - start > max_len_) max_len_ = end - start;
  }
  template <typename F>
  void ForEachOverlap(uint64_t start, absl::uint128 end, F f) const {
    const uint64_t from =
        absl::uint128(start) > max_len_ ? absl::Uint128Low64(start - max_len_) : 0;
    for (auto it = ranges_.lower_bound(from); it != ranges_.end() && it->first < end; ++it) {
      if (it->second.end > start) f(it->second.position);
    }
  }

 private:
  struct Entry {
    absl::uint128 end;
    uint32_t position;
  };
  std::multimap<uint64_t, Entry> ranges_;
  absl::uint128 max_len_ = 0;
};

absl::uint128 End(uint64_t start, uint64_t len) { return absl::uint128(start) + len; }

absl::uint128 RoundUp(uint64_t size, uint64_t page) {
  return (absl::uint128(size) + page - 1) / page * page;
}

bool Overlaps(uint64_t a, absl::uint128 a_end, uint64_t b, absl::uint128 b_end) {
  return a < b_end && b < a_end;
}

}  // namespace

TraceDependencies::TraceDependencies(const StepPool& pool, const StepOrder& order,
                                     uint64_t page_size)
    : order_(order),
      unit_of_(order.size(), kNone),
      txn_of_(order.size(), -1),
      owned_(order.size()),
      extension_(order.size()),
      opener_(order.size(), kNone),
      closer_(order.size(), kNone),
      unmapped_(order.size()) {
  Build(pool, page_size);
}

void TraceDependencies::Build(const StepPool& pool, uint64_t page_size) {
  std::map<uint64_t, uint32_t> live_sections;  // gpa -> region_add position
  std::map<uint64_t, uint32_t> live_buffers;   // hva -> host_map position
  // Live IOMMU entries by guest IOVA (they never overlap).
  struct LiveIommu {
    uint64_t last = 0;
    IommuMapEvent map;
    std::vector<uint32_t> maps;  // the map that made it, then its replays
    uint32_t section = kNone;    // the region_add whose RAM backs it
  };
  std::map<uint64_t, LiveIommu> live_iommu;
  std::vector<std::pair<uint32_t, uint32_t>> unmap_sections;  // (iommu_unmap, region_add)
  GoneRanges gone_gpa, gone_hva, gone_buffers, gone_giova;
  int32_t open = -1;
  uint32_t segment = kNone;  // the shadow_data switch whose segment this is
  auto section_at = [&](uint32_t p) -> const Section& {
    return std::get<RegionAddEvent>(pool[order_[p]].event).section;
  };
  auto buffer_at = [&](uint32_t p) -> const HostBuffer& {
    return std::get<HostMapEvent>(pool[order_[p]].event).buffer;
  };

  for (uint32_t p = 0; p < order_.size(); ++p) {
    const Event& event = pool[order_[p]].event;
    const bool is_switch = std::holds_alternative<ShadowDataEvent>(event);
    if (segment != kNone && !is_switch) owned_[segment].push_back(p);
    if (std::holds_alternative<ListenerBeginEvent>(event)) {
      open = static_cast<int32_t>(txns_.size());
      txns_.push_back(Transaction{p, kNone, 0});
      txn_of_[p] = open;
      continue;
    }
    if (std::holds_alternative<ListenerCommitEvent>(event)) {
      if (open < 0) continue;  // unbalanced input: the replay refuses it
      txn_of_[p] = open;
      txns_[open].commit = p;
      if (txns_[open].inputs == 0) units_.push_back(Unit{txns_[open].begin, p});
      open = -1;
      continue;
    }
    txn_of_[p] = open;
    if (open >= 0) ++txns_[open].inputs;
    unit_of_[p] = static_cast<uint32_t>(units_.size());
    units_.push_back(Unit{p, kNone});

    if (const auto* e = std::get_if<RegionAddEvent>(&event)) {
      const Section& s = e->section;
      gone_gpa.ForEachOverlap(s.gpa, End(s.gpa, s.size),
                              [&](uint32_t del) { extension_[del].push_back(p); });
      live_sections[s.gpa] = p;
    } else if (const auto* e = std::get_if<RegionDelEvent>(&event)) {
      auto it = live_sections.find(e->section.gpa);
      if (it == live_sections.end()) continue;
      const uint32_t add = it->second;
      owned_[add].push_back(p);
      opener_[p] = add;
      closer_[add] = p;
      const Section& s = section_at(add);
      gone_gpa.Add(s.gpa, End(s.gpa, s.size), p);
      gone_hva.Add(s.hva, End(s.hva, s.size), p);
      live_sections.erase(it);
    } else if (const auto* e = std::get_if<HostMapEvent>(&event)) {
      const HostBuffer& b = e->buffer;
      const absl::uint128 end = absl::uint128(b.hva) + RoundUp(b.size, page_size);
      for (const auto& [gpa, add] : live_sections) {
        const Section& s = section_at(add);
        if (Overlaps(s.hva, End(s.hva, s.size), b.hva, end)) owned_[add].push_back(p);
      }
      gone_hva.ForEachOverlap(b.hva, end, [&](uint32_t del) { extension_[del].push_back(p); });
      gone_buffers.ForEachOverlap(b.hva, end,
                                  [&](uint32_t unmap) { extension_[unmap].push_back(p); });
      live_buffers[b.hva] = p;
    } else if (const auto* e = std::get_if<HostUnmapEvent>(&event)) {
      auto it = live_buffers.find(e->hva);
      if (it == live_buffers.end()) continue;
      const uint32_t map = it->second;
      owned_[map].push_back(p);
      opener_[p] = map;
      closer_[map] = p;
      const HostBuffer& b = buffer_at(map);
      gone_buffers.Add(b.hva, absl::uint128(b.hva) + RoundUp(b.size, page_size), p);
      live_buffers.erase(it);
    } else if (is_switch) {
      segment = p;
      shadow_switches_.push_back(p);
    } else if (const auto* e = std::get_if<IommuMapEvent>(&event)) {
      const absl::uint128 end = End(e->giova, e->size);
      gone_giova.ForEachOverlap(e->giova, end,
                                [&](uint32_t unmap) { extension_[unmap].push_back(p); });
      uint32_t section = kNone;
      if (auto it = live_sections.upper_bound(e->gpa); it != live_sections.begin()) {
        --it;
        const Section& s = section_at(it->second);
        if (e->gpa - s.gpa < s.size) {
          section = it->second;
          owned_[section].push_back(p);
        }
      }
      auto live = live_iommu.find(e->giova);
      if (live != live_iommu.end() && live->second.map.size == e->size &&
          live->second.map.gpa == e->gpa && live->second.map.perm == e->perm) {
        live->second.maps.push_back(p);  // a replay: the model changes nothing
      } else {
        live_iommu[e->giova] = LiveIommu{e->giova + (e->size - 1), *e, {p}, section};
      }
    } else if (const auto* e = std::get_if<IommuUnmapEvent>(&event)) {
      // Entries never overlap: the one before the first starting past
      // e->giova may reach into the range, the rest start inside it.
      auto it = live_iommu.upper_bound(e->giova);
      if (it != live_iommu.begin() && std::prev(it)->second.last >= e->giova) --it;
      while (it != live_iommu.end() && it->first <= e->last) {
        const LiveIommu& m = it->second;
        unmapped_[p].insert(unmapped_[p].end(), m.maps.begin(), m.maps.end());
        gone_giova.Add(it->first, absl::uint128(m.last) + 1, p);
        if (m.section != kNone) unmap_sections.emplace_back(p, m.section);
        // An unmap of exactly this entry is its map's partner, and pointless
        // without it.
        if (it->first == e->giova && m.last == e->last) {
          owned_[m.maps.front()].push_back(p);
          closer_[m.maps.front()] = p;
        }
        it = live_iommu.erase(it);
      }
    } else if (const auto* e = std::get_if<TranslateEvent>(&event)) {
      for (const Iovec& v : e->iovecs) {
        if (v.has_gpa) {
          auto it = live_sections.upper_bound(v.gpa);
          if (it != live_sections.begin()) {
            --it;
            const Section& s = section_at(it->second);
            if (v.gpa - s.gpa < s.size) {
              owned_[it->second].push_back(p);
              continue;
            }
          }
          // An element of memory that is gone: were that memory kept alive
          // (its closer removed alone), the element's GPA would lie in a
          // section whose HVA is not its, or its HVA in memory its GPA is
          // not (well_formed.h).
          const auto drag = [&](uint32_t closer) { extension_[closer].push_back(p); };
          gone_gpa.ForEachOverlap(v.gpa, absl::uint128(v.gpa) + 1, drag);
          gone_hva.ForEachOverlap(v.hva, absl::uint128(v.hva) + 1, drag);
          gone_buffers.ForEachOverlap(v.hva, absl::uint128(v.hva) + 1, drag);
        } else {
          auto it = live_buffers.upper_bound(v.hva);
          if (it == live_buffers.begin()) continue;
          --it;
          const HostBuffer& b = buffer_at(it->second);
          if (absl::uint128(v.hva - b.hva) < RoundUp(b.size, page_size)) {
            owned_[it->second].push_back(p);
          }
        }
      }
    }
  }
  // A transaction still open at the end with nothing in it is a unit too.
  if (open >= 0 && txns_[open].inputs == 0) units_.push_back(Unit{txns_[open].begin, kNone});
  // An iommu_unmap's maps kept alive keep their RAM alive: its region_del
  // (known only now) goes.
  for (const auto& [unmap, add] : unmap_sections) {
    if (closer_[add] != kNone) extension_[unmap].push_back(closer_[add]);
  }
}

bool TraceDependencies::KeepsAlive(uint32_t closer, const std::vector<char>& removed) const {
  if (opener_[closer] != kNone) return !removed[opener_[closer]];
  for (uint32_t map : unmapped_[closer]) {
    if (!removed[map]) return true;
  }
  return false;
}

std::optional<size_t> TraceDependencies::UnitAt(size_t position) const {
  if (unit_of_[position] != kNone) return unit_of_[position];
  for (size_t u = 0; u < units_.size(); ++u) {
    if (units_[u].first == position || units_[u].second == position) return u;
  }
  return std::nullopt;
}

std::optional<size_t> TraceDependencies::Partner(size_t position) const {
  if (closer_[position] == kNone) return std::nullopt;
  return closer_[position];
}

void TraceDependencies::Close(std::vector<char>& removed, std::vector<uint32_t> stack) const {
  // Removed region_dels, host_unmaps and iommu_unmaps, and whether their
  // extension was pushed already.
  std::vector<std::pair<uint32_t, bool>> closers;
  for (;;) {
    while (!stack.empty()) {
      const uint32_t p = stack.back();
      stack.pop_back();
      if (removed[p]) continue;
      removed[p] = 1;
      if (opener_[p] != kNone || !unmapped_[p].empty()) closers.emplace_back(p, false);
      for (uint32_t q : owned_[p]) {
        if (!removed[q]) stack.push_back(q);
      }
    }
    // A closer removed while its opener stays extends a lifetime: what
    // conflicts with the longer life goes too, and so does every later
    // shadow_data switch (with its segment). Checked after the owned edges
    // settle, so a closer whose opener goes as well drags nothing.
    for (auto& [c, pushed] : closers) {
      if (pushed || !KeepsAlive(c, removed)) continue;
      pushed = true;
      for (uint32_t q : extension_[c]) {
        if (!removed[q]) stack.push_back(q);
      }
      for (auto it = std::upper_bound(shadow_switches_.begin(), shadow_switches_.end(), c);
           it != shadow_switches_.end(); ++it) {
        if (!removed[*it]) stack.push_back(*it);
      }
    }
    if (stack.empty()) return;
  }
}

StepOrder TraceDependencies::Materialize(std::vector<char>& removed) const {
  std::vector<uint32_t> removed_inputs(txns_.size(), 0);
  for (uint32_t p = 0; p < order_.size(); ++p) {
    if (removed[p] && unit_of_[p] != kNone && txn_of_[p] >= 0) ++removed_inputs[txn_of_[p]];
  }
  for (size_t t = 0; t < txns_.size(); ++t) {
    const Transaction& txn = txns_[t];
    if (txn.inputs > 0 && removed_inputs[t] == txn.inputs) {
      removed[txn.begin] = 1;
      if (txn.commit != kNone) removed[txn.commit] = 1;
    }
  }
  StepOrder out;
  out.reserve(order_.size());
  for (uint32_t p = 0; p < order_.size(); ++p) {
    if (!removed[p]) out.push_back(order_[p]);
  }
  return out;
}

StepOrder TraceDependencies::Without(const std::vector<size_t>& units, bool close) const {
  std::vector<char> removed(order_.size(), 0);
  std::vector<uint32_t> start;
  for (size_t u : units) {
    start.push_back(units_[u].first);
    if (units_[u].second != kNone) start.push_back(units_[u].second);
  }
  if (close) {
    Close(removed, std::move(start));
  } else {
    for (uint32_t p : start) removed[p] = 1;
  }
  return Materialize(removed);
}

StepOrder TraceDependencies::WithoutRange(size_t first, size_t count, bool close) const {
  std::vector<size_t> units;
  for (size_t u = first; u < first + count && u < units_.size(); ++u) units.push_back(u);
  return Without(units, close);
}

}  // namespace iovacheck
