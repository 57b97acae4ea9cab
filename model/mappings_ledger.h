// The coverage / stale / strict-IOVA rule (model/check_mappings.h) kept
// event by event: expected mappings and the kernel's entries grouped by
// what a match needs alike (address space, HVA, length, permission), and
// only the groups an event touched checked again. A match never crosses a
// group, so a group that held before and was not touched still holds.
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
  // The source's expected mapping is now `now` (nullopt: none).
  void SetExpected(const MappingSource& source, std::optional<ExpectedMapping> now);
  const ExpectedMapping* Expected(const MappingSource& source) const;

  void AddEntry(uint32_t asid, const IotlbEntry& e);
  void RemoveEntry(uint32_t asid, const IotlbEntry& e);

  // The rule over every group touched since the last call.
  std::optional<Divergence> Check(bool strict);
  // How many groups the next Check looks at (repeats counted).
  size_t pending() const { return touched_.size(); }

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
  struct Group {
    absl::InlinedVector<MappingSource, 1> sources;
    absl::InlinedVector<IotlbEntry, 1> entries;
  };
  static GroupKey KeyOf(const ExpectedMapping& m) { return {m.asid, m.hva, m.len, m.perm}; }
  static GroupKey KeyOf(uint32_t asid, const IotlbEntry& e) {
    return {asid, e.addr, e.last - e.start + 1, e.perm};
  }
  std::optional<Divergence> CheckGroup(const GroupKey& key, const Group& group,
                                       bool strict) const;
  void DropIfEmpty(const GroupKey& key);

  absl::flat_hash_map<MappingSource, ExpectedMapping> expected_;
  absl::flat_hash_map<GroupKey, Group> groups_;
  // Repeats allowed: looking at a group twice is cheaper than a set.
  std::vector<GroupKey> touched_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_MAPPINGS_LEDGER_H_
