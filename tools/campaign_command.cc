#include "tools/campaign_command.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "campaigns/shard_result_io.h"
#include "campaigns/shard_spec.h"
#include "reports/campaign_report.h"
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

namespace {

// One scenario's campaign, printed as it goes: the verdicts, the shrunk
// failures, the summary line and the coverage.
absl::StatusOr<ScenarioRun> RunScenario(const CampaignCommand& command, const std::string& scenario,
                                        const SeedRange& seeds,
                                        const std::optional<ShardSpec>& shard) {
  ScenarioRun run;
  CampaignOptions& options = run.options;
  options.scenario = scenario;
  options.seeds = seeds;
  if (shard) {
    options.shard_count = shard->count;
    options.shard_index = shard->index;
  }
  options.translator = command.translator;
  options.device = command.device;
  options.max_failures_kept = command.max_failures_kept;
  options.jobs = command.jobs;
  if (command.steps > 0) options.steps = command.steps;
  options.faults = command.faults;
  options.full_oracle = command.full_oracle;
  // A report shows what each scenario exercised.
  options.coverage = command.coverage.wanted() || !command.report_dir.empty();
  const std::string out_dir =
      command.out_dir.empty() ? "campaign-" + scenario : command.out_dir;
  std::cout << absl::StrFormat(
                   "%s: scenario %s against %s, seeds %u..%u%s, %u steps each, faults %s, "
                   "%d jobs\n",
                   kCommand, scenario, command.translator, seeds.first, seeds.last,
                   shard ? absl::StrFormat(" (shard %u of %u, from %s: seeds s %% %u == %u)",
                                           shard->index, shard->count, shard->source,
                                           shard->count, shard->index)
                         : "",
                   options.steps, command.faults ? "on" : "off", command.jobs)
            << std::flush;

  CampaignProgressLine line(kCommand);
  if (command.progress) options.progress = [&line](const CampaignProgress& p) { line.Update(p); };
  run.summary = RunCampaign(options);
  line.Clear();
  const CampaignSummary& summary = run.summary;

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
  run.shrunk = RecordAndShrinkAll(options, shrunk, out_dir, absl::Seconds(command.budget_seconds),
                                  command.jobs);
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
    if (run.shrunk[i].ok()) {
      std::cout << run.shrunk[i]->report << "\n" << FormatArtifacts(*run.shrunk[i]);
    } else {
      std::cout << summary.failures[i].result.report << "\n  no trace: "
                << run.shrunk[i].status().message() << "\n";
    }
  }
  std::cout << (summary.failing == 0 ? "PASS " : "FAIL ")
            << FormatCampaignSummary(options, summary) << "\n";
  CoverageOutput printed = command.coverage;
  printed.json_path.clear();  // one file for every scenario, written at the end
  if (absl::Status s = EmitCoverage(summary.coverage, printed, std::cout); !s.ok()) return s;
  return run;
}

}  // namespace

int RunCampaignCommand(const CampaignCommand& command) {
  if (command.seeds.empty()) return Fail("--seeds=A..B is required (e.g. --seeds=1..1000)");
  absl::StatusOr<SeedRange> seeds = ParseSeedRange(command.seeds);
  if (!seeds.ok()) return Fail(std::string(seeds.status().message()));
  // --scenario=a,b runs each; "all" every one; empty the default (first).
  const std::vector<std::string> known = ScenarioNames();
  std::vector<std::string> scenarios;
  if (command.scenario.empty() && !known.empty()) {
    scenarios.push_back(known.front());
  } else if (command.scenario == "all") {
    scenarios = known;
  } else {
    scenarios = absl::StrSplit(command.scenario, ',', absl::SkipWhitespace());
  }
  for (const std::string& scenario : scenarios) {
    if (!FindScenario(scenario).ok()) {
      return Fail(absl::StrFormat("unknown --scenario=%s (one of: %s, or all)", scenario,
                                  absl::StrJoin(known, ", ")));
    }
  }
  if (scenarios.empty()) return Fail("--scenario names no scenario");
  if (absl::StatusOr<TranslatorFactory> t = FindTranslator(command.translator); !t.ok()) {
    return Fail(std::string(t.status().message()));
  }
  if (command.jobs < 1) return Fail(absl::StrFormat("--jobs=%d: want at least 1", command.jobs));
  if (!(command.budget_seconds > 0) || !std::isfinite(command.budget_seconds)) {
    return Fail(absl::StrFormat("--budget=%g: want a positive number of seconds",
                                command.budget_seconds));
  }

  // Which slice: --shard, else a job engine's variables, else every seed.
  std::optional<ShardSpec> shard;
  if (!command.shard.empty()) {
    absl::StatusOr<ShardSpec> s = ParseShard(command.shard);
    if (!s.ok()) return Fail(std::string(s.status().message()));
    shard = *s;
  } else {
    absl::StatusOr<std::optional<ShardSpec>> s =
        ShardFromEnvironment([](const char* name) { return std::getenv(name); });
    if (!s.ok()) return Fail(std::string(s.status().message()));
    shard = *s;
  }
  if (shard && shard->source == "TEST_SHARD_INDEX") {
    // Bazel checks that a sharded test knows it is sharded.
    if (const char* status = std::getenv("TEST_SHARD_STATUS_FILE")) std::ofstream touch(status);
  }
  const std::string result_path =
      !shard ? ""
      : command.shard_result.empty()
          ? ShardResultPath(command.out_dir, shard->index, shard->count)
          : command.shard_result;
  if (!shard && !command.shard_result.empty()) {
    return Fail("--shard_result without a shard (--shard=I/N, or a job engine's variables)");
  }

  std::vector<ScenarioRun> runs;
  Coverage total;
  bool failed = false;
  for (const std::string& scenario : scenarios) {
    absl::StatusOr<ScenarioRun> run = RunScenario(command, scenario, *seeds, shard);
    if (!run.ok()) return Fail(std::string(run.status().message()));
    failed |= run->summary.failing != 0;
    total.Merge(run->summary.coverage);
    runs.push_back(*std::move(run));
  }
  if (!command.coverage.json_path.empty()) {
    CoverageOutput json = command.coverage;
    json.print = false;
    if (absl::Status s = EmitCoverage(total, json, std::cout); !s.ok()) {
      return Fail(std::string(s.message()));
    }
  }
  if (shard) {
    campaigns::ShardResult result;
    result.set_format(kShardResultFormat);
    result.set_shard_index(shard->index);
    result.set_shard_count(shard->count);
    result.set_shard_source(shard->source);
    const std::string dir = std::filesystem::path(result_path).parent_path().string();
    for (const ScenarioRun& run : runs) {
      *result.add_scenarios() =
          ToScenarioShard(run.options, run.summary, run.shrunk, dir.empty() ? "." : dir);
    }
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return Fail(absl::StrFormat("%s: cannot make the directory: %s", dir, ec.message()));
    if (absl::Status s = WriteShardResult(result_path, result); !s.ok()) {
      return Fail(std::string(s.message()));
    }
    std::cout << "shard result: " << result_path << "\n";
  }
  if (!command.report_dir.empty()) {
    absl::StatusOr<std::string> page = WriteCampaignReport(runs, command.report_dir);
    if (!page.ok()) return Fail(std::string(page.status().message()));
    std::cout << "report: " << *page << "\n";
  }
  return failed ? 1 : 0;
}

}  // namespace iovacheck
