// What a run exercised, in the spirit of Hypothesis' statistics and
// RapidCheck's RC_CLASSIFY: how often each event kind, each oracle rule,
// each fault site and each interesting situation occurred. Counts add up
// over seeds and cases (Merge); a run prints them, or writes them as JSON,
// and names every known situation it never reached.
#ifndef IOVACHECK_COVERAGE_COVERAGE_H_
#define IOVACHECK_COVERAGE_COVERAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"

namespace iovacheck {

struct Coverage {
  uint64_t runs = 0;                                   // seeds or cases
  uint64_t events = 0;                                 // applied
  absl::btree_map<std::string, uint64_t> event_kinds;  // "region_add", ...
  // Oracle rules, counted by what each looked at: the mappings (coverage,
  // stale, strict IOVA) and IOVA ranges touched, the entries checked against
  // the IOVA range and each other, the quiescent points where the device's
  // view was compared, the translations and DMAs judged, the translator's
  // answers to mapping events judged.
  absl::btree_map<std::string, uint64_t> rules;
  absl::btree_map<std::string, uint64_t> fault_sites;  // faults that fired
  absl::btree_map<std::string, uint64_t> situations;   // KnownSituations()
  absl::btree_map<std::string, uint64_t> boundaries;   // KnownBoundaries()

  void Merge(const Coverage& other);
};

// Every situation a run is asked about, in the order they are printed.
const std::vector<std::string>& KnownSituations();
// Every boundary class (coverage/boundary_classes.h), likewise.
const std::vector<std::string>& KnownBoundaries();
// The boundary classes `coverage` never reached, in KnownBoundaries() order.
std::vector<std::string> BoundariesNeverReached(const Coverage& coverage);

// A block of lines ("coverage over 30 runs, 42,918 events:" then one line
// per family), ending with the known situations and boundary classes never
// reached, if any.
std::string FormatCoverage(const Coverage& coverage);

// The same as one JSON object: {"runs": N, "events": N, "event_kinds": {...},
// "rules": {...}, "fault_sites": {...}, "situations": {...}, "never":
// [...], "boundaries": {...}, "boundaries_never": [...]}; every known
// situation and boundary class appears, 0 or not.
std::string CoverageToJson(const Coverage& coverage);

}  // namespace iovacheck

#endif  // IOVACHECK_COVERAGE_COVERAGE_H_
