// The coverage / stale / strict-IOVA rule (model/check_mappings.h) kept
// event by event: expected mappings and the kernel's entries grouped by
// what a match needs alike (address space, HVA, length, permission), and
// only the groups an event touched checked again. A match never crosses a
// group, so a group that held before and was not touched still holds. The
// common group (at most one source, at most one entry) is judged as it
// changes, with a count of those that fail; a check finds nothing to look
// up when that count is 0 and no larger group was touched.
#ifndef IOVACHECK_MODEL_MAPPINGS_LEDGER_H_
#define IOVACHECK_MODEL_MAPPINGS_LEDGER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "model/divergence.h"
#include "model/expected_mapping.h"
#include "model/interval_table.h"
#include "model/reference_model.h"

namespace iovacheck {

class MappingsLedger {
 public:
  MappingsLedger() {
    // Room for a typical guest's mappings from the start: a run's first
    // events then grow no table (a rehash moves every slot).
    expected_.reserve(kInitialMappings);
    groups_.reserve(kInitialMappings);
  }
  // Where a mapping at a fixed IOVA sits.
  struct FixedPlace {
    uint32_t asid;
    uint64_t iova;
    uint64_t len;
  };
  // The source's expected mapping is now `now` (nullopt: none). False, and
  // nothing done, when it was that already; else *before gets where the
  // mapping it had sat, if that was at a fixed IOVA.
  bool SetExpected(const MappingSource& source, const std::optional<ExpectedMapping>& now,
                   std::optional<FixedPlace>* before);

  void AddEntry(uint32_t asid, const IotlbEntry& e);
  void RemoveEntry(uint32_t asid, const IotlbEntry& e);

  // The rule over every group touched since the last call.
  std::optional<Divergence> Check(bool strict) {
    // The common case returns here, inline, before a Divergence is made.
    if ((strict ? failing_strict_ : failing_lenient_) == 0 && !large_touched_) {
      touched_.clear();
      return std::nullopt;
    }
    return CheckTouched(strict);
  }
  // How many groups the next Check looks at (repeats counted).
  size_t pending() const { return touched_.size(); }

  // Rule-level outcome of a small group, kept as it changes.
  enum Fails : uint8_t { kFailsLenient = 1, kFailsStrict = 2 };

 private:
  struct GroupKey {
    uint32_t asid;
    uint64_t hva;
    uint64_t len;
    uint8_t perm;
    bool operator==(const GroupKey& o) const {
      return asid == o.asid && hva == o.hva && len == o.len && perm == o.perm;
    }
    template <typename H>
    friend H AbslHashValue(H h, const GroupKey& k) {
      return H::combine(std::move(h), k.asid, k.hva, k.len, k.perm);
    }
  };
  // What the small-group verdict needs of the sole source's mapping.
  struct Brief {
    bool optional = false;
    std::optional<uint64_t> fixed_iova;
    std::optional<uint64_t> predicted_iova;
  };
  struct Group {
    absl::InlinedVector<MappingSource, 1> sources;
    absl::InlinedVector<IotlbEntry, 1> entries;
    Brief sole;          // of sources.front() when there is one source
    uint8_t fails = 0;   // Fails bits, for a small group
    bool small() const { return sources.size() <= 1 && entries.size() <= 1; }
  };
  using Groups = absl::flat_hash_map<GroupKey, Group>;
  static Brief BriefOf(const ExpectedMapping& m) {
    return {m.optional, m.fixed_iova, m.predicted_iova};
  }
  static GroupKey KeyOf(const ExpectedMapping& m) { return {m.asid, m.hva, m.len, m.perm}; }
  static GroupKey KeyOf(uint32_t asid, const IotlbEntry& e) {
    return {asid, e.addr, e.last - e.start + 1, e.perm};
  }
  // What the rule needs of a source's expected mapping: its group and what
  // decides a match within it. The rest (GPA, name) only reads in reports,
  // and those come from the full sweep.
  struct Wanted {
    GroupKey key;
    Brief brief;
    bool operator==(const Wanted& o) const {
      return key == o.key && brief.optional == o.brief.optional &&
             brief.fixed_iova == o.brief.fixed_iova &&
             brief.predicted_iova == o.brief.predicted_iova;
    }
  };
  std::optional<Divergence> CheckTouched(bool strict);
  std::optional<Divergence> CheckGroup(const GroupKey& key, const Group& group,
                                       bool strict) const;
  // The source leaves (joins) the group of `key` (`wanted`).
  void Leave(const MappingSource& source, const GroupKey& key);
  void Join(const MappingSource& source, const Wanted& wanted);
  // The small-group verdict, as MatchMappings would give it.
  static uint8_t SmallVerdict(const Group& group);
  // Before a change to the group at `it`: takes its verdict out of the counts.
  void Forget(Groups::iterator it);
  // After: counts its verdict again (or notes a large group touched), marks
  // it touched, and drops it when empty.
  void Judge(const GroupKey& key, Groups::iterator it);

  absl::flat_hash_map<MappingSource, Wanted> expected_;
  Groups groups_;
  // Repeats allowed: looking at a group twice is cheaper than a set.
  std::vector<GroupKey> touched_;
  size_t failing_lenient_ = 0;  // small groups with kFailsLenient
  size_t failing_strict_ = 0;   // small groups with kFailsStrict
  bool large_touched_ = false;  // since the last check
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_MAPPINGS_LEDGER_H_
