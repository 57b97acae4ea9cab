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
                                 std::optional<ExpectedMapping> now,
                                 std::optional<FixedPlace>* before) {
  auto it = expected_.find(source);
  if (it != expected_.end()) {
    const ExpectedMapping& was = it->second;
    if (now && *now == was) return false;
    if (was.fixed_iova) *before = FixedPlace{was.asid, *was.fixed_iova, was.len};
    const GroupKey key = KeyOf(it->second);
    auto group = groups_.find(key);
    Forget(group);
    auto& sources = group->second.sources;
    if (auto at = std::find(sources.begin(), sources.end(), source); at != sources.end()) {
      sources.erase(at);
    }
    // An alias gone: the one left is the group's sole source now.
    if (sources.size() == 1) group->second.sole = BriefOf(expected_.at(sources.front()));
    if (!now) {
      expected_.erase(it);
      Judge(key, group);
      return true;
    }
    it->second = std::move(*now);
    Judge(key, group);
  } else {
    if (!now) return false;
    it = expected_.emplace(source, std::move(*now)).first;
  }
  const GroupKey key = KeyOf(it->second);
  auto group = groups_.try_emplace(key).first;
  Forget(group);
  group->second.sources.push_back(source);
  if (group->second.sources.size() == 1) group->second.sole = BriefOf(it->second);
  Judge(key, group);
  return true;
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

std::optional<Divergence> MappingsLedger::Check(bool strict) {
  // The common case returns before a Divergence is made at all.
  if ((strict ? failing_strict_ : failing_lenient_) == 0 && !large_touched_) {
    touched_.clear();
    return std::nullopt;
  }
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
  std::vector<const ExpectedMapping*> expected;
  for (const MappingSource& s : group.sources) expected.push_back(&expected_.at(s));
  std::vector<AsidEntry> entries;
  for (const IotlbEntry& e : group.entries) entries.push_back({key.asid, e});
  return MatchMappings(expected, entries, strict);
}

}  // namespace iovacheck
