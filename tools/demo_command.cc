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
#include "translator/registry.h"

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
  options.device = command.device;
  options.jobs = command.jobs;
  if (command.steps > 0) options.steps = command.steps;
  return options;
}

// One campaign per scenario against the production translator, one line
// each. True when all passed; *events counts what was checked.
bool ProductionEverywhere(const DemoCommand& command, const SeedRange& seeds,
                          uint64_t* events) {
  bool clean = true;
  for (const std::string& scenario : ScenarioNames()) {
    CampaignOptions options = Base(command);
    options.scenario = scenario;
    options.seeds = seeds;
    options.translator = command.translator;
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
                                 "--scenario=%s --translator=%s --seeds=%u..%u%s\n",
                                 scenario, command.translator, failing.front(), failing.back(),
                                 command.device == "emulated" ? "" : " --device=" + command.device);
  }
  return clean;
}

struct FirstFailure {
  bool failed = false;
  uint64_t seed = 0;
  std::string minimal_path;  // empty when not shrunk
  std::string map_path;      // its map, when drawn
  size_t minimal_events = 0;
  std::string verdict;  // "legacy failed at seed 1, shrunk to 7 events (PATH)"
};

// Seeds 1..max_seed of `scenario` against `translator` until the first
// failure, which is shrunk and saved. With `details` the failing run's report
// and the minimal event list are printed.
FirstFailure FindFirstFailure(const DemoCommand& command, const std::string& scenario,
                              const std::string& translator, uint64_t max_seed, bool details) {
  CampaignOptions run = Base(command);
  run.scenario = scenario;
  run.seeds = SeedRange{1, max_seed};
  run.translator = translator;
  run.stop_at_first_failure = true;
  CampaignProgressLine line(absl::StrFormat("%s: %s", kCommand, translator));
  if (command.progress) run.progress = [&line](const CampaignProgress& p) { line.Update(p); };
  const CampaignSummary found = RunCampaign(run);
  line.Clear();

  FirstFailure out;
  if (found.failures.empty()) {
    out.verdict = absl::StrFormat("%s passed seeds 1..%u", translator, max_seed);
    return out;
  }
  const SeedFailure& f = found.failures.front();
  out.failed = true;
  out.seed = f.seed;
  const std::vector<absl::StatusOr<FailureArtifacts>> artifacts = RecordAndShrinkAll(
      run, found.failures, command.out_dir, absl::Seconds(command.budget_seconds), 1);
  // The report of the run that wrote the trace, which names where it is.
  if (details) std::cout << (artifacts[0].ok() ? artifacts[0]->report : f.result.report) << "\n";
  if (!artifacts[0].ok()) {
    if (details) std::cout << "  no trace: " << artifacts[0].status().message() << "\n";
    out.verdict = absl::StrFormat("%s failed at seed %u, not shrunk", translator, f.seed);
    return out;
  }
  if (details) std::cout << FormatArtifacts(*artifacts[0]);
  out.minimal_path = artifacts[0]->minimal_path;
  out.map_path = artifacts[0]->map_path;
  out.minimal_events = artifacts[0]->minimal_events.size();
  out.verdict = absl::StrFormat("%s failed at seed %u", translator, f.seed);
  if (!out.minimal_path.empty()) {
    absl::StrAppendFormat(&out.verdict, ", shrunk to %u events (%s)", out.minimal_events,
                          out.minimal_path);
  }
  return out;
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
                   "== %s: every scenario, seeds %u..%u, %u steps each, faults on\n",
                   command.translator, seeds->first, seeds->last, steps)
            << std::flush;
  uint64_t events = 0;
  const bool clean = ProductionEverywhere(command, *seeds, &events);

  std::cout << absl::StrFormat(
                   "== legacy: scenario %s, seeds from 1 until the first failure (at most %u)\n",
                   scenarios.front(), command.legacy_max_seed)
            << std::flush;
  const FirstFailure legacy =
      FindFirstFailure(command, scenarios.front(), "legacy", command.legacy_max_seed, true);
  if (!legacy.failed) {
    std::cout << absl::StrFormat("PASS  no seed in 1..%u fails: the demo expected legacy's "
                                 "aliasing bug\n",
                                 command.legacy_max_seed);
  }
  const bool shrunk = !legacy.minimal_path.empty();
  const std::string legacy_verdict =
      legacy.failed ? legacy.verdict : std::string("legacy's bug NOT found");

  // QEMU's own vhost-vdpa code, built from Debian's sources as plug-ins.
  std::cout << absl::StrFormat(
                   "== QEMU's own code: scenario %s, seeds from 1 until the first failure "
                   "(at most %u)\n",
                   scenarios.front(), command.qemu_max_seed)
            << std::flush;
  bool old_qemu_bug_found = false;
  for (const char* qemu : {"qemu-7.2", "qemu-10.0"}) {
    if (absl::StatusOr<TranslatorFactory> f = FindTranslator(qemu); !f.ok()) {
      std::cout << absl::StrFormat("FAIL  %-10s cannot run: %s\n", qemu, f.status().message());
      continue;
    }
    const FirstFailure q =
        FindFirstFailure(command, scenarios.front(), qemu, command.qemu_max_seed, false);
    // QEMU 7.2 has the single-tree aliasing bug; the demo is there to show
    // it is found in QEMU's own code.
    if (std::string(qemu) == "qemu-7.2") old_qemu_bug_found = q.failed && !q.minimal_path.empty();
    if (!q.failed) {
      std::cout << absl::StrFormat("PASS  %-10s seeds 1..%u\n", qemu, command.qemu_max_seed);
    } else {
      std::cout << absl::StrFormat("FAIL  %-10s first failing seed %u, minimal trace %s\n", qemu,
                                   q.seed,
                                   q.minimal_path.empty()
                                       ? std::string("(not shrunk)")
                                       : absl::StrFormat("%s (%u events)", q.minimal_path,
                                                         q.minimal_events));
      if (!q.map_path.empty()) std::cout << "      map " << q.map_path << "\n";
    }
  }

  const bool ok = clean && shrunk && old_qemu_bug_found;
  std::cout << absl::StrFormat(
      "%s %s %s on %u scenarios x %u seeds (%u events); %s; %.1fs\n",
      ok ? "demo done:" : "demo FAILED:", command.translator, clean ? "passed" : "FAILED", scenarios.size(),
      seeds->last - seeds->first + 1, events, legacy_verdict,
      absl::ToDoubleSeconds(absl::Now() - start));
  return ok ? 0 : 1;
}

}  // namespace iovacheck
