// What a campaign keeps of a failing seed: the run's trace, written by running
// the seed again (the campaign itself writes no traces: same seed, same
// bytes), and its shrunk form, a 1-minimal trace that fails the same way.
#ifndef IOVACHECK_SIM_CAMPAIGN_SHRINK_H_
#define IOVACHECK_SIM_CAMPAIGN_SHRINK_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sim/campaign.h"
#include "sim/simulator.h"

namespace iovacheck {

struct FailureArtifacts {
  uint64_t seed = 0;
  std::string report;        // the simulator's paragraph for the run that wrote the trace
  std::string trace_path;    // the failing run
  std::string minimal_path;  // its shrunk form; empty when not shrunk
  std::string not_shrunk;    // why not, when minimal_path is empty
  std::string map_path;      // the minimal trace's map (maps/trace_map.h), if drawn
  std::string map_error;     // why not, when it was shrunk but not drawn
  std::string identity;      // "rule coverage at a region_del"
  size_t failing_index = 0;  // in the minimal trace
  size_t original_events = 0;
  std::vector<std::string> minimal_events;  // "#3   region_del ...", one a line
  double shrink_seconds = 0;
  bool one_minimal = false;
};

// Runs `run` again with its trace going to OUT_DIR/STEM.trace (STEM is
// scenario-translator-seedN; the directory is made), checks it fails as
// before, shrinks it against run.translator within `budget` and writes the
// result to OUT_DIR/STEM.min.textproto. An error only when nothing could be
// written; a seed that cannot be shrunk (a scenario error, a failure that
// does not come back) says why in not_shrunk.
absl::StatusOr<FailureArtifacts> RecordAndShrink(const SimulationOptions& run,
                                                 const std::string& out_dir,
                                                 absl::Duration budget);

// RecordAndShrink for every failure of a campaign, `jobs` at a time; the
// results in the failures' order. The simulator writes a failing run's trace
// of its own accord (to the working directory) when given no path: that
// copy, now duplicated under OUT_DIR, is removed.
std::vector<absl::StatusOr<FailureArtifacts>> RecordAndShrinkAll(
    const CampaignOptions& campaign, const std::vector<SeedFailure>& failures,
    const std::string& out_dir, absl::Duration budget, int jobs);

// The artifacts as printed below the report: the trace's path unless the
// report names it, the minimal trace's, what was kept, the minimal events.
std::string FormatArtifacts(const FailureArtifacts& artifacts);

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_CAMPAIGN_SHRINK_H_
