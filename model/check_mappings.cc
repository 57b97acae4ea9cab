#include "model/check_mappings.h"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace iovacheck {
namespace {

// What identifies a mapping: asid, hva, len, perm, and the IOVA when it is
// fixed (IOVA = GPA, guest IOVAs); otherwise where the translator put it is
// its own business (strict mode aside).
using Key = std::tuple<uint32_t, uint64_t, uint64_t, uint8_t, std::optional<uint64_t>>;

std::string EntryToString(uint32_t asid, const IotlbEntry& e) {
  return absl::StrFormat("asid %u iova [0x%x, 0x%x] -> hva 0x%x %s", asid,
                         e.start, e.last, e.addr, PermToString(e.perm));
}

}  // namespace

std::optional<Divergence> CheckMappings(const std::vector<ExpectedMapping>& expected,
                                        const Device& device, bool strict) {
  std::vector<const ExpectedMapping*> wanted;
  wanted.reserve(expected.size());
  for (const ExpectedMapping& m : expected) wanted.push_back(&m);
  std::vector<AsidEntry> entries;
  for (uint32_t asid : device.asids()) {
    for (const IotlbEntry& e : device.vhost_table(asid)->Entries()) entries.push_back({asid, e});
  }
  return MatchMappings(wanted, entries, strict);
}

std::optional<Divergence> MatchMappings(const std::vector<const ExpectedMapping*>& expected,
                                        const std::vector<AsidEntry>& entries, bool strict) {
  // Expected mappings with equal keys (full aliases of equal size) are
  // interchangeable; in strict mode they are matched in IOVA order.
  std::map<Key, std::deque<const ExpectedMapping*>> wanted;
  for (const ExpectedMapping* m : expected) {
    wanted[Key{m->asid, m->hva, m->len, m->perm, m->fixed_iova}].push_back(m);
  }
  for (auto& [key, group] : wanted) {
    std::sort(group.begin(), group.end(),
              [](const ExpectedMapping* a, const ExpectedMapping* b) {
                // Required mappings take matching entries before optional ones.
                if (a->optional != b->optional) return b->optional;
                return a->predicted_iova < b->predicted_iova;
              });
  }
  std::vector<std::string> stale;
  Divergence strict_miss;
  bool strict_failed = false;
  Divergence d;
  for (const auto& [asid, e] : entries) {
    const uint64_t len = e.last - e.start + 1;
    auto it = wanted.find(Key{asid, e.addr, len, e.perm, e.start});
    if (it == wanted.end() || it->second.empty()) {
      it = wanted.find(Key{asid, e.addr, len, e.perm, std::nullopt});
    }
    if (it == wanted.end() || it->second.empty()) {
      stale.push_back(EntryToString(asid, e));
      d.iovas.push_back(e.start);
      d.hvas.push_back(e.addr);
      continue;
    }
    const ExpectedMapping* m = it->second.front();
    it->second.pop_front();
    if (strict && !strict_failed && !m->optional && !m->fixed_iova &&
        m->predicted_iova != e.start) {
      strict_failed = true;
      strict_miss.rule = OracleRule::kStrictIova;
      strict_miss.expected = ExpectedMappingToString(*m);
      strict_miss.actual = absl::StrFormat("mapped at %s", EntryToString(asid, e));
      strict_miss.iovas = {e.start};
      strict_miss.hvas = {e.addr};
    }
  }
  std::vector<std::string> missing;
  for (const auto& [key, left] : wanted) {
    for (const ExpectedMapping* m : left) {
      if (m->optional) continue;
      missing.push_back(ExpectedMappingToString(*m));
      d.hvas.push_back(m->hva);
      if (m->guest) d.gpas.push_back(m->gpa);
    }
  }
  if (!missing.empty() || !stale.empty()) {
    d.rule = missing.empty() ? OracleRule::kStale : OracleRule::kCoverage;
    d.expected = missing.empty()
                     ? "no IOTLB entry beyond the live mappings"
                     : absl::StrFormat("reachable through the IOTLB: %s",
                                       absl::StrJoin(missing, "; "));
    d.actual = stale.empty()
                   ? "no IOTLB entry maps it"
                   : absl::StrFormat("entries nothing live asks for: %s",
                                     absl::StrJoin(stale, "; "));
    return d;
  }
  if (strict_failed) return strict_miss;
  return std::nullopt;
}

}  // namespace iovacheck
