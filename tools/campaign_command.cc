#include "tools/campaign_command.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sim/campaign_shrink.h"
#include "sim/scenario.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

constexpr char kCommand[] = "iovacheck campaign";

int Fail(const std::string& message) {
  std::cerr << kCommand << ": " << message << "\n";
  return 2;
}

}  // namespace

void CampaignProgressLine::Update(const CampaignProgress& p) {
  if (shown_ && p.elapsed - last_ < absl::Milliseconds(100) && p.seeds_done < p.seeds_total) {
    return;
  }
  last_ = p.elapsed;
  shown_ = true;
  const double seconds = absl::ToDoubleSeconds(p.elapsed);
  std::cerr << absl::StrFormat("\r%s: %u/%u seeds, %u failed, %.0f events/s\033[K", label_,
                               p.seeds_done, p.seeds_total, p.failures,
                               seconds > 0 ? p.events / seconds : 0.0)
            << std::flush;
}

void CampaignProgressLine::Clear() {
  if (shown_) std::cerr << "\r\033[K" << std::flush;
  shown_ = false;
}

int RunCampaignCommand(const CampaignCommand& command) {
  if (command.seeds.empty()) return Fail("--seeds=A..B is required (e.g. --seeds=1..1000)");
  absl::StatusOr<SeedRange> seeds = ParseSeedRange(command.seeds);
  if (!seeds.ok()) return Fail(std::string(seeds.status().message()));
  const std::vector<std::string> scenarios = ScenarioNames();
  const std::string scenario =
      command.scenario.empty() && !scenarios.empty() ? scenarios.front() : command.scenario;
  if (!FindScenario(scenario).ok()) {
    return Fail(absl::StrFormat("unknown --scenario=%s (one of: %s)", scenario,
                                absl::StrJoin(scenarios, ", ")));
  }
  if (absl::StatusOr<TranslatorFactory> t = FindTranslator(command.translator); !t.ok()) {
    return Fail(std::string(t.status().message()));
  }
  if (command.jobs < 1) return Fail(absl::StrFormat("--jobs=%d: want at least 1", command.jobs));
  if (!(command.budget_seconds > 0) || !std::isfinite(command.budget_seconds)) {
    return Fail(absl::StrFormat("--budget=%g: want a positive number of seconds",
                                command.budget_seconds));
  }

  CampaignOptions options;
  options.scenario = scenario;
  options.seeds = *seeds;
  options.translator = command.translator;
  options.device = command.device;
  options.max_failures_kept = command.max_failures_kept;
  options.jobs = command.jobs;
  if (command.steps > 0) options.steps = command.steps;
  options.faults = command.faults;
  options.full_oracle = command.full_oracle;
  options.coverage = command.coverage.wanted();
  const std::string out_dir =
      command.out_dir.empty() ? "campaign-" + scenario : command.out_dir;
  std::cout << absl::StrFormat(
                   "%s: scenario %s against %s, seeds %u..%u, %u steps each, faults %s, "
                   "%d jobs\n",
                   kCommand, scenario, command.translator, seeds->first, seeds->last,
                   options.steps, command.faults ? "on" : "off", command.jobs)
            << std::flush;

  CampaignProgressLine line(kCommand);
  if (command.progress) options.progress = [&line](const CampaignProgress& p) { line.Update(p); };
  const CampaignSummary summary = RunCampaign(options);
  line.Clear();

  // The first --max_shrinks failures get their trace and a minimal one; the
  // shrinks share the same workers, and print in seed order.
  const std::vector<SeedFailure> shrunk(
      summary.failures.begin(),
      summary.failures.begin() +
          static_cast<ptrdiff_t>(std::min<uint64_t>(command.max_shrinks, summary.failures.size())));
  if (!summary.failures.empty()) {
    std::cout << absl::StrFormat("%u failing seed%s: writing traces to %s/ and shrinking %s "
                                 "(budget %gs)\n",
                                 summary.failing, summary.failing == 1 ? "" : "s",
                                 out_dir,
                                 shrunk.size() == summary.failures.size()
                                     ? std::string("each")
                                     : absl::StrFormat("the first %u", shrunk.size()),
                                 command.budget_seconds)
              << std::flush;
  }
  const std::vector<absl::StatusOr<FailureArtifacts>> artifacts = RecordAndShrinkAll(
      options, shrunk, out_dir, absl::Seconds(command.budget_seconds), command.jobs);
  for (size_t i = shrunk.size(); i < summary.failures.size(); ++i) {
    std::cout << summary.failures[i].result.report << "\n";
  }
  if (summary.failing > summary.failures.size()) {
    std::cout << absl::StrFormat("... and %u more failing seeds above seed %u, counted but "
                                 "not kept (the lowest %u are)\n",
                                 summary.failing - summary.failures.size(),
                                 summary.failures.back().seed, summary.failures.size());
  }
  for (size_t i = 0; i < shrunk.size(); ++i) {
    // A report starts with the verdict and names the run (scenario, seed,
    // translator); the one of the run that wrote the trace also names where.
    if (artifacts[i].ok()) {
      std::cout << artifacts[i]->report << "\n" << FormatArtifacts(*artifacts[i]);
    } else {
      std::cout << summary.failures[i].result.report << "\n  no trace: "
                << artifacts[i].status().message() << "\n";
    }
  }
  std::cout << (summary.failing == 0 ? "PASS " : "FAIL ")
            << FormatCampaignSummary(options, summary) << "\n";
  if (absl::Status s = EmitCoverage(summary.coverage, command.coverage, std::cout); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  return summary.failing == 0 ? 0 : 1;
}

}  // namespace iovacheck
