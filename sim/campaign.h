// A campaign: one scenario run for many seeds against one translator, spread
// over worker threads. Every seed is a deterministic simulation, so which
// seeds fail does not depend on the number of threads or their timing; the
// summary lists them in seed order.
#ifndef IOVACHECK_SIM_CAMPAIGN_H_
#define IOVACHECK_SIM_CAMPAIGN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sim/simulator.h"

namespace iovacheck {

// Inclusive on both ends.
struct SeedRange {
  uint64_t first = 1;
  uint64_t last = 1;
};

// "A..B" (A <= B) or a single seed "A"; decimal. InvalidArgument with a
// one-line reason otherwise.
absl::StatusOr<SeedRange> ParseSeedRange(absl::string_view text);

struct CampaignProgress {
  uint64_t seeds_done = 0;
  uint64_t seeds_total = 0;
  uint64_t failures = 0;  // failed or errored seeds so far
  uint64_t events = 0;
  absl::Duration elapsed;
};

struct CampaignOptions {
  std::string scenario;
  SeedRange seeds;
  std::string translator = "decoupled";
  std::string device = "emulated";  // DeviceNames()
  int jobs = 1;
  uint64_t steps = SimulationOptions{}.steps;
  bool faults = true;
  bool full_oracle = false;  // SimulationOptions::full_oracle
  bool coverage = false;     // SimulationOptions::coverage, summed in the summary
  // Run only the seeds s with s % shard_count == shard_index (Bazel test
  // sharding); 1 and 0: every seed.
  uint64_t shard_count = 1;
  uint64_t shard_index = 0;
  // Stop at the first seed (in seed order) that does not pass: seeds above
  // it are not started, and the result holds that seed alone.
  bool stop_at_first_failure = false;
  // Failing seeds whose results are kept: the lowest ones. The others are
  // only counted, so memory stays bounded however many seeds fail.
  uint64_t max_failures_kept = 10000;
  // Called after every seed, serialised (never two at once), from the
  // worker that finished it.
  std::function<void(const CampaignProgress&)> progress;
};

struct SeedFailure {
  uint64_t seed = 0;
  SimulationResult result;  // verdict kFail or kError
};

struct CampaignSummary {
  uint64_t seeds_total = 0;  // the seeds the range and shard hold
  uint64_t seeds_run = 0;
  uint64_t events = 0;
  // The lowest failing seeds (failed or errored), at most max_failures_kept,
  // in seed order.
  std::vector<SeedFailure> failures;
  uint64_t failing = 0;  // every seed that did not pass, kept or not
  uint64_t errored = 0;  // of those, kError (scenario bugs)
  absl::Duration elapsed;
  bool stopped_early = false;  // stop_at_first_failure found one
  Coverage coverage;  // with CampaignOptions::coverage: every seed's, summed

  uint64_t errors() const { return errored; }
  double events_per_second() const;
};

// The scenario and translator must exist (the caller checks them: a bad
// name would make every seed an error).
CampaignSummary RunCampaign(const CampaignOptions& options);

// "  scenario S, translator T: N seeds, F failures, E events, 1.2s, 34,567 events/s"
std::string FormatCampaignSummary(const CampaignOptions& options,
                                  const CampaignSummary& summary);

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_CAMPAIGN_H_
