#include "tools/demo_command.h"

#include <cmath>
#include <iostream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "sim/campaign.h"
#include "sim/campaign_shrink.h"
#include "sim/scenario.h"
#include "tools/campaign_command.h"

namespace iovacheck {
namespace {

constexpr char kCommand[] = "iovacheck demo";

int Fail(const std::string& message) {
  std::cerr << kCommand << ": " << message << "\n";
  return 2;
}

// "N" means seeds 1..N (the demo's knob is how many), "A..B" a range.
absl::StatusOr<SeedRange> DemoSeeds(const std::string& text) {
  if (!absl::StrContains(text, "..")) {
    uint64_t n = 0;
    if (!absl::SimpleAtoi(text, &n) || n == 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("--seeds=%s: want a number of seeds per scenario, or A..B", text));
    }
    return SeedRange{1, n};
  }
  return ParseSeedRange(text);
}

CampaignOptions Base(const DemoCommand& command) {
  CampaignOptions options;
  options.jobs = command.jobs;
  if (command.steps > 0) options.steps = command.steps;
  return options;
}

// One campaign per scenario against decoupled, one line each. True when all
// passed; *events counts what was checked.
bool DecoupledEverywhere(const DemoCommand& command, const SeedRange& seeds,
                         uint64_t* events) {
  bool clean = true;
  for (const std::string& scenario : ScenarioNames()) {
    CampaignOptions options = Base(command);
    options.scenario = scenario;
    options.seeds = seeds;
    options.translator = "decoupled";
    CampaignProgressLine line(absl::StrFormat("%s: %s", kCommand, scenario));
    if (command.progress) options.progress = [&line](const CampaignProgress& p) { line.Update(p); };
    const CampaignSummary s = RunCampaign(options);
    line.Clear();
    *events += s.events;
    std::cout << absl::StrFormat("%s  %-24s %u seeds, %u events, %.1fs\n",
                                 s.failures.empty() ? "PASS" : "FAIL", scenario, s.seeds_run,
                                 s.events, absl::ToDoubleSeconds(s.elapsed));
    if (s.failures.empty()) continue;
    clean = false;
    std::vector<uint64_t> failing;
    for (const SeedFailure& f : s.failures) failing.push_back(f.seed);
    std::cout << absl::StrFormat("  failing seeds: %s\n  %s\n", absl::StrJoin(failing, ", "),
                                 s.failures[0].result.report)
              << absl::StrFormat("  traces and minimal traces: iovacheck campaign "
                                 "--scenario=%s --seeds=%u..%u\n",
                                 scenario, failing.front(), failing.back());
  }
  return clean;
}

}  // namespace

int RunDemo(const DemoCommand& command) {
  absl::StatusOr<SeedRange> seeds = DemoSeeds(command.seeds);
  if (!seeds.ok()) return Fail(std::string(seeds.status().message()));
  if (command.jobs < 1) return Fail(absl::StrFormat("--jobs=%d: want at least 1", command.jobs));
  if (!(command.budget_seconds > 0) || !std::isfinite(command.budget_seconds)) {
    return Fail(absl::StrFormat("--budget=%g: want a positive number of seconds",
                                command.budget_seconds));
  }
  const std::vector<std::string> scenarios = ScenarioNames();
  if (scenarios.empty()) return Fail("no scenario is registered");
  const absl::Time start = absl::Now();
  const uint64_t steps = Base(command).steps;

  std::cout << absl::StrFormat(
                   "== decoupled: every scenario, seeds %u..%u, %u steps each, faults on\n",
                   seeds->first, seeds->last, steps)
            << std::flush;
  uint64_t events = 0;
  const bool clean = DecoupledEverywhere(command, *seeds, &events);

  CampaignOptions legacy = Base(command);
  legacy.scenario = scenarios.front();
  legacy.seeds = SeedRange{1, command.legacy_max_seed};
  legacy.translator = "legacy";
  legacy.stop_at_first_failure = true;
  std::cout << absl::StrFormat(
                   "== legacy: scenario %s, seeds from 1 until the first failure (at most %u)\n",
                   legacy.scenario, command.legacy_max_seed)
            << std::flush;
  CampaignProgressLine line(absl::StrFormat("%s: legacy", kCommand));
  if (command.progress) legacy.progress = [&line](const CampaignProgress& p) { line.Update(p); };
  const CampaignSummary found = RunCampaign(legacy);
  line.Clear();

  bool shrunk = false;
  std::string legacy_verdict;
  if (found.failures.empty()) {
    std::cout << absl::StrFormat("PASS  no seed in 1..%u fails: the demo expected legacy's "
                                 "aliasing bug\n",
                                 command.legacy_max_seed);
    legacy_verdict = "legacy's bug NOT found";
  } else {
    const SeedFailure& f = found.failures.front();
    const std::vector<absl::StatusOr<FailureArtifacts>> artifacts = RecordAndShrinkAll(
        legacy, found.failures, command.out_dir, absl::Seconds(command.budget_seconds), 1);
    // The report of the run that wrote the trace, which names where it is.
    std::cout << (artifacts[0].ok() ? artifacts[0]->report : f.result.report) << "\n";
    if (artifacts[0].ok()) {
      std::cout << FormatArtifacts(*artifacts[0]);
      shrunk = !artifacts[0]->minimal_path.empty();
      legacy_verdict = absl::StrFormat("legacy failed at seed %u", f.seed);
      if (shrunk) {
        absl::StrAppendFormat(&legacy_verdict, ", shrunk to %u events (%s)",
                              artifacts[0]->minimal_events.size(),
                              artifacts[0]->minimal_path);
      }
    } else {
      std::cout << "  no trace: " << artifacts[0].status().message() << "\n";
      legacy_verdict = absl::StrFormat("legacy failed at seed %u, not shrunk", f.seed);
    }
  }
  const bool ok = clean && shrunk;
  std::cout << absl::StrFormat(
      "%s decoupled %s on %u scenarios x %u seeds (%u events); %s; %.1fs\n",
      ok ? "demo done:" : "demo FAILED:", clean ? "passed" : "FAILED", scenarios.size(),
      seeds->last - seeds->first + 1, events, legacy_verdict,
      absl::ToDoubleSeconds(absl::Now() - start));
  return ok ? 0 : 1;
}

}  // namespace iovacheck
