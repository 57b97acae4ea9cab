// The dependency closure on what the simulator really emits: for traces of
// every scenario (shadow data switches, vIOMMU maps and unmaps, resets,
// DMAs, host buffers), any chunks the shrinker may cut, closed over their
// dependents, leave a trace the model accepts and the harness replays
// without refusing an event.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "absl/strings/str_format.h"
#include "shrink/candidate_replayer.h"
#include "shrink/trace_dependencies.h"
#include "shrink/trace_step.h"
#include "shrink/well_formed.h"
#include "sim/prng.h"
#include "sim/scenario.h"
#include "sim/simulator.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

TEST(SimulatedTraceDependencies, ClosedRemovalsStayWellFormed) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = tmp != nullptr ? tmp : "/tmp";
  SplitMix64 rng(11);
  for (const std::string& scenario : ScenarioNames()) {
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      SCOPED_TRACE(absl::StrFormat("scenario %s seed %u", scenario, seed));
      SimulationOptions run;
      run.scenario = scenario;
      run.seed = seed;
      run.steps = 120;
      // Recorded faults belong to the original message sequence; without
      // them every closed candidate must replay.
      run.faults = false;
      run.trace_path = absl::StrFormat("%s/%s-%u.trace", dir, scenario, seed);
      const SimulationResult result = RunSimulation(run);
      ASSERT_NE(result.verdict, SimulationVerdict::kError) << result.report;
      absl::StatusOr<trace::Trace> trace = ReadWholeTrace(run.trace_path);
      ASSERT_TRUE(trace.ok()) << trace.status();
      absl::StatusOr<DeviceConfig> config = DeviceConfigFromProto(trace->header().device());
      ASSERT_TRUE(config.ok()) << config.status();
      absl::StatusOr<StepPool> pool = StepsFromTrace(*trace, run.trace_path);
      ASSERT_TRUE(pool.ok()) << pool.status();
      const TraceDependencies deps(*pool, Identity(pool->size()), config->page_size);
      ASSERT_GT(deps.unit_count(), 0u);
      CandidateReplayer replayer(*config, trace->header().strict(),
                                 *FindReplayTarget("decoupled"));
      for (int trial = 0; trial < 30; ++trial) {
        std::vector<size_t> units;
        const uint64_t chunks = rng.InRange(1, 3);
        for (uint64_t c = 0; c < chunks; ++c) {
          const uint64_t first = rng.Below(deps.unit_count());
          const uint64_t len = rng.InRange(1, 32);
          for (uint64_t u = first; u < first + len && u < deps.unit_count(); ++u) {
            units.push_back(u);
          }
        }
        const StepOrder candidate = deps.Without(units, /*close=*/true);
        const absl::Status s = CheckWellFormed(*config, *pool, candidate);
        ASSERT_TRUE(s.ok()) << "trial " << trial << ": " << s;
        const CandidateOutcome out = replayer.Replay(*pool, candidate);
        ASSERT_NE(out.verdict, CandidateOutcome::Verdict::kRefused)
            << "trial " << trial << " at " << out.position << ": " << out.refusal;
      }
    }
  }
}

}  // namespace
}  // namespace iovacheck
