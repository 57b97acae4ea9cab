#include "coverage/coverage.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "coverage/boundary_names.h"

namespace iovacheck {
namespace {

void Add(absl::btree_map<std::string, uint64_t>& into,
         const absl::btree_map<std::string, uint64_t>& from) {
  for (const auto& [name, n] : from) into[name] += n;
}

// The names of `known` that `counts` never saw, in `known`'s order.
std::vector<std::string> NeverCounted(const std::vector<std::string>& known,
                                      const absl::btree_map<std::string, uint64_t>& counts) {
  std::vector<std::string> never;
  for (const std::string& name : known) {
    auto it = counts.find(name);
    if (it == counts.end() || it->second == 0) never.push_back(name);
  }
  return never;
}

std::vector<std::string> Never(const Coverage& c) {
  return NeverCounted(KnownSituations(), c.situations);
}

std::string Line(const char* family, const absl::btree_map<std::string, uint64_t>& counts) {
  std::vector<std::string> parts;
  for (const auto& [name, n] : counts) {
    if (n != 0) parts.push_back(absl::StrFormat("%s %u", name, n));
  }
  return absl::StrFormat("  %-11s %s\n", family,
                         parts.empty() ? "(none)" : absl::StrJoin(parts, ", "));
}

// JSON string: our names are ASCII, but a fault site or event kind is
// escaped all the same.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += absl::StrFormat("\\u%04x", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Object(const absl::btree_map<std::string, uint64_t>& counts) {
  std::vector<std::string> parts;
  for (const auto& [name, n] : counts) parts.push_back(absl::StrFormat("%s: %u", Quote(name), n));
  return "{" + absl::StrJoin(parts, ", ") + "}";
}

}  // namespace

void Coverage::Merge(const Coverage& other) {
  runs += other.runs;
  events += other.events;
  Add(event_kinds, other.event_kinds);
  Add(rules, other.rules);
  Add(fault_sites, other.fault_sites);
  Add(situations, other.situations);
  Add(boundaries, other.boundaries);
}

const std::vector<std::string>& KnownSituations() {
  static const auto* names = new std::vector<std::string>{
      "alias created",
      "alias deleted while its target lives",
      "section replaced inside one transaction",
      "translate across a section end",
      "translate ending at a section's last byte",
      "reset inside a batch",
      "reset inside a transaction",
      "IOVA space exhausted",
      "update refused by the device",
      "host buffer in its own address space",
      "shadow data switched",
      "vIOMMU map replayed",
      "device DMA refused",
  };
  return *names;
}

const std::vector<std::string>& KnownBoundaries() {
  using namespace boundary;  // NOLINT: the class names
  static const auto* names = new std::vector<std::string>{
      kElementAtFirstByte, kElementToLastByte, kElementOnePast,    kElementOneByte,
      kElementPageLessOne, kElementTo2To64,    kTranslateNoShadow, kSectionAtFirst,
      kSectionToLast,      kSectionTo2To64,    kIommuAtFirst,      kIommuToLast,
      kIommuTo2To64,       kDmaAtFixedFirst,   kDmaPastSection,    kDmaAtLast,
      kDmaAt2To64,         kSmallRange,        kHostPageLarger,    kGuestPageLarger,
      kSectionGuestAligned,
  };
  return *names;
}

std::vector<std::string> BoundariesNeverReached(const Coverage& c) {
  return NeverCounted(KnownBoundaries(), c.boundaries);
}

std::string FormatCoverage(const Coverage& c) {
  std::string out = absl::StrFormat("coverage over %u runs, %u events:\n", c.runs, c.events);
  out += Line("events", c.event_kinds);
  out += Line("rules", c.rules);
  out += Line("faults", c.fault_sites);
  absl::btree_map<std::string, uint64_t> reached;
  for (const auto& [name, n] : c.situations) reached[name] = n;
  out += Line("situations", reached);
  const std::vector<std::string> never = Never(c);
  if (!never.empty()) out += "  never:      " + absl::StrJoin(never, ", ") + "\n";
  out += Line("boundaries", c.boundaries);
  const std::vector<std::string> edges_never = BoundariesNeverReached(c);
  if (!edges_never.empty()) {
    out += "  boundaries never: " + absl::StrJoin(edges_never, ", ") + "\n";
  }
  return out;
}

std::string CoverageToJson(const Coverage& c) {
  absl::btree_map<std::string, uint64_t> situations = c.situations;
  for (const std::string& s : KnownSituations()) situations.try_emplace(s, 0);
  std::vector<std::string> never;
  for (const std::string& s : Never(c)) never.push_back(Quote(s));
  absl::btree_map<std::string, uint64_t> boundaries = c.boundaries;
  for (const std::string& b : KnownBoundaries()) boundaries.try_emplace(b, 0);
  std::vector<std::string> edges_never;
  for (const std::string& b : BoundariesNeverReached(c)) edges_never.push_back(Quote(b));
  return absl::StrFormat(
      "{\"runs\": %u, \"events\": %u, \"event_kinds\": %s, \"rules\": %s, \"fault_sites\": %s, "
      "\"situations\": %s, \"never\": [%s], \"boundaries\": %s, \"boundaries_never\": [%s]}\n",
      c.runs, c.events, Object(c.event_kinds), Object(c.rules), Object(c.fault_sites),
      Object(situations), absl::StrJoin(never, ", "), Object(boundaries),
      absl::StrJoin(edges_never, ", "));
}

}  // namespace iovacheck
