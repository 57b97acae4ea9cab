#include "model/mappings_ledger.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "model/check_mappings.h"

namespace iovacheck {

void MappingsLedger::Forget(Groups::iterator it) {
  failing_lenient_ -= (it->second.fails & kFailsLenient) != 0;
  failing_strict_ -= (it->second.fails & kFailsStrict) != 0;
  it->second.fails = 0;
}

void MappingsLedger::Judge(const GroupKey& key, Groups::iterator it) {
  if (touched_.empty() || !(touched_.back() == key)) touched_.push_back(key);
  Group& group = it->second;
  if (group.sources.empty() && group.entries.empty()) {
    groups_.erase(it);
    return;
  }
  if (!group.small()) {
    large_touched_ = true;
    return;
  }
  group.fails = SmallVerdict(group);
  failing_lenient_ += (group.fails & kFailsLenient) != 0;
  failing_strict_ += (group.fails & kFailsStrict) != 0;
}

bool MappingsLedger::SetExpected(const MappingSource& source,
                                 const std::optional<ExpectedMapping>& now,
                                 std::optional<FixedPlace>* before) {
  auto place = [&](const Wanted& was) {
    if (was.brief.fixed_iova) {
      *before = FixedPlace{was.key.asid, *was.brief.fixed_iova, was.key.len};
    }
  };
  if (!now) {
    auto it = expected_.find(source);
    if (it == expected_.end()) return false;
    place(it->second);
    Leave(source, it->second.key);
    expected_.erase(it);
    return true;
  }
  const Wanted wanted{KeyOf(*now), BriefOf(*now)};
  // One probe for the common case, a source that had no mapping.
  auto [it, created] = expected_.try_emplace(source, wanted);
  if (!created) {
    if (it->second == wanted) return false;
    place(it->second);
    Leave(source, it->second.key);
    it->second = wanted;
  }
  Join(source, wanted);
  return true;
}

void MappingsLedger::Leave(const MappingSource& source, const GroupKey& key) {
  auto group = groups_.find(key);
  Forget(group);
  auto& sources = group->second.sources;
  if (auto at = std::find(sources.begin(), sources.end(), source); at != sources.end()) {
    sources.erase(at);
  }
  // An alias gone: the one left is the group's sole source now.
  if (sources.size() == 1) group->second.sole = expected_.at(sources.front()).brief;
  Judge(key, group);
}

void MappingsLedger::Join(const MappingSource& source, const Wanted& wanted) {
  auto group = groups_.try_emplace(wanted.key).first;
  Forget(group);
  group->second.sources.push_back(source);
  if (group->second.sources.size() == 1) group->second.sole = wanted.brief;
  Judge(wanted.key, group);
}

void MappingsLedger::AddEntry(uint32_t asid, const IotlbEntry& e) {
  const GroupKey key = KeyOf(asid, e);
  auto group = groups_.try_emplace(key).first;
  Forget(group);
  auto& entries = group->second.entries;
  // Kept in address order, as the full check meets them.
  entries.insert(std::upper_bound(entries.begin(), entries.end(), e,
                                  [](const IotlbEntry& a, const IotlbEntry& b) {
                                    return a.start < b.start;
                                  }),
                 e);
  Judge(key, group);
}

void MappingsLedger::RemoveEntry(uint32_t asid, const IotlbEntry& e) {
  const GroupKey key = KeyOf(asid, e);
  auto group = groups_.try_emplace(key).first;
  Forget(group);
  auto& entries = group->second.entries;
  if (auto it = std::find(entries.begin(), entries.end(), e); it != entries.end()) {
    entries.erase(it);
  }
  Judge(key, group);
}

std::optional<Divergence> MappingsLedger::CheckTouched(bool strict) {
  std::optional<Divergence> d;
  for (const GroupKey& key : touched_) {
    auto it = groups_.find(key);
    if (it == groups_.end()) continue;  // nothing expected, nothing mapped
    d = CheckGroup(key, it->second, strict);
    if (d) break;
  }
  touched_.clear();
  large_touched_ = false;
  return d;
}

uint8_t MappingsLedger::SmallVerdict(const Group& group) {
  const Brief* m = group.sources.empty() ? nullptr : &group.sole;
  const IotlbEntry* e = group.entries.empty() ? nullptr : &group.entries.front();
  if (m == nullptr) return e == nullptr ? 0 : kFailsLenient | kFailsStrict;  // stale
  if (e == nullptr) return m->optional ? 0 : kFailsLenient | kFailsStrict;   // missing
  if (m->fixed_iova && *m->fixed_iova != e->start) return kFailsLenient | kFailsStrict;
  if (!m->optional && !m->fixed_iova && m->predicted_iova != e->start) return kFailsStrict;
  return 0;
}

std::optional<Divergence> MappingsLedger::CheckGroup(const GroupKey& key, const Group& group,
                                                     bool strict) const {
  // The common groups, decided as MatchMappings would decide them.
  if (group.small() && (SmallVerdict(group) & (strict ? kFailsStrict : kFailsLenient)) == 0) {
    return std::nullopt;
  }
  // The mappings as the matcher takes them, from what the rule needs.
  std::vector<ExpectedMapping> mappings;
  for (const MappingSource& s : group.sources) {
    const Wanted& w = expected_.at(s);
    ExpectedMapping m;
    m.guest = false;  // no GPA: the full sweep describes what is found
    m.hva = w.key.hva;
    m.len = w.key.len;
    m.perm = w.key.perm;
    m.asid = w.key.asid;
    m.optional = w.brief.optional;
    m.fixed_iova = w.brief.fixed_iova;
    m.predicted_iova = w.brief.predicted_iova;
    mappings.push_back(std::move(m));
  }
  std::vector<const ExpectedMapping*> expected;
  for (const ExpectedMapping& m : mappings) expected.push_back(&m);
  std::vector<AsidEntry> entries;
  for (const IotlbEntry& e : group.entries) entries.push_back({key.asid, e});
  return MatchMappings(expected, entries, strict);
}

}  // namespace iovacheck
