#include "model/mappings_ledger.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "model/check_mappings.h"

namespace iovacheck {

void MappingsLedger::SetExpected(const MappingSource& source,
                                 std::optional<ExpectedMapping> now) {
  auto it = expected_.find(source);
  if (it != expected_.end()) {
    const GroupKey key = KeyOf(it->second);
    auto& sources = groups_[key].sources;
    if (auto at = std::find(sources.begin(), sources.end(), source); at != sources.end()) {
      sources.erase(at);
    }
    if (touched_.empty() || !(touched_.back() == key)) touched_.push_back(key);
    DropIfEmpty(key);
    if (!now) {
      expected_.erase(it);
      return;
    }
    it->second = std::move(*now);
  } else {
    if (!now) return;
    it = expected_.emplace(source, std::move(*now)).first;
  }
  const GroupKey key = KeyOf(it->second);
  groups_[key].sources.push_back(source);
  if (touched_.empty() || !(touched_.back() == key)) touched_.push_back(key);
}

const ExpectedMapping* MappingsLedger::Expected(const MappingSource& source) const {
  auto it = expected_.find(source);
  return it == expected_.end() ? nullptr : &it->second;
}

void MappingsLedger::AddEntry(uint32_t asid, const IotlbEntry& e) {
  const GroupKey key = KeyOf(asid, e);
  auto& entries = groups_[key].entries;
  // Kept in address order, as the full check meets them.
  entries.insert(std::upper_bound(entries.begin(), entries.end(), e,
                                  [](const IotlbEntry& a, const IotlbEntry& b) {
                                    return a.start < b.start;
                                  }),
                 e);
  if (touched_.empty() || !(touched_.back() == key)) touched_.push_back(key);
}

void MappingsLedger::RemoveEntry(uint32_t asid, const IotlbEntry& e) {
  const GroupKey key = KeyOf(asid, e);
  auto& entries = groups_[key].entries;
  if (auto it = std::find(entries.begin(), entries.end(), e); it != entries.end()) {
    entries.erase(it);
  }
  if (touched_.empty() || !(touched_.back() == key)) touched_.push_back(key);
  DropIfEmpty(key);
}

void MappingsLedger::DropIfEmpty(const GroupKey& key) {
  auto it = groups_.find(key);
  if (it != groups_.end() && it->second.sources.empty() && it->second.entries.empty()) {
    groups_.erase(it);
  }
}

std::optional<Divergence> MappingsLedger::Check(bool strict) {
  std::optional<Divergence> d;
  for (const GroupKey& key : touched_) {
    auto it = groups_.find(key);
    if (it == groups_.end()) continue;  // nothing expected, nothing mapped
    d = CheckGroup(key, it->second, strict);
    if (d) break;
  }
  touched_.clear();
  return d;
}

std::optional<Divergence> MappingsLedger::CheckGroup(const GroupKey& key, const Group& group,
                                                     bool strict) const {
  // The common groups, decided as MatchMappings would decide them.
  if (group.sources.size() <= 1 && group.entries.size() <= 1) {
    const ExpectedMapping* m =
        group.sources.empty() ? nullptr : &expected_.at(group.sources.front());
    const IotlbEntry* e = group.entries.empty() ? nullptr : &group.entries.front();
    bool holds = false;
    if (m == nullptr) {
      holds = e == nullptr;  // an entry nothing asks for is stale
    } else if (e == nullptr) {
      holds = m->optional;  // a required mapping is missing
    } else {
      holds = (!m->fixed_iova || *m->fixed_iova == e->start) &&
              !(strict && !m->optional && !m->fixed_iova && m->predicted_iova != e->start);
    }
    if (holds) return std::nullopt;
  }
  std::vector<const ExpectedMapping*> expected;
  for (const MappingSource& s : group.sources) expected.push_back(&expected_.at(s));
  std::vector<AsidEntry> entries;
  for (const IotlbEntry& e : group.entries) entries.push_back({key.asid, e});
  return MatchMappings(expected, entries, strict);
}

}  // namespace iovacheck
