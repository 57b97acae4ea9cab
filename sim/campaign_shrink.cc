#include "sim/campaign_shrink.h"

#include <atomic>
#include <filesystem>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "maps/trace_map.h"
#include "translator/registry.h"
#include "shrink/candidate_replayer.h"
#include "shrink/shrinker.h"
#include "shrink/file_steps.h"
#include "shrink/live_slice.h"
#include "shrink/shrunk_trace.h"
#include "shrink/trace_step.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

// Shrinks the trace at artifacts->trace_path; fills the rest of *artifacts,
// or says in not_shrunk why it could not.
absl::Status ShrinkInto(const SimulationOptions& run, const std::string& minimal_path,
                        absl::Duration budget, FailureArtifacts* artifacts) {
  absl::StatusOr<FileSteps> file = FileSteps::Open(artifacts->trace_path);
  if (!file.ok()) return file.status();
  const trace::Header header = file->header();
  absl::StatusOr<DeviceConfig> config = DeviceConfigFromProto(header.device());
  if (!config.ok()) return config.status();
  absl::StatusOr<ReplayTarget> target = FindReplayTarget(run.translator);
  if (!target.ok()) return target.status();
  CandidateReplayer replayer(*config, header.strict(), *target);

  ShrinkOptions options;
  options.budget = budget;
  // As `iovacheck shrink` does: the trace streams, and only the live slice
  // before its first failure is held.
  absl::StatusOr<SlicedTrace> slice = SliceForShrinking(artifacts->trace_path, replayer);
  absl::StatusOr<ShrinkResult> result =
      slice.ok() ? Shrink(std::move(slice->steps), replayer, options) : slice.status();
  if (!result.ok()) {
    // The trace replays differently from the run that wrote it: worth
    // knowing, but the trace itself is still there to look at.
    artifacts->not_shrunk = absl::StrFormat("the trace does not shrink: %s",
                                            result.status().message());
    return absl::OkStatus();
  }
  absl::StatusOr<trace::Trace> shrunk =
      ShrunkTrace(header, artifacts->trace_path, *result, replayer);
  if (!shrunk.ok()) return shrunk.status();
  const std::string comment = absl::StrFormat(
      "Shrunk from scenario %s seed %u against %s: %u -> %u events; %s at event %u.",
      run.scenario, run.seed, run.translator, slice->failing_event + 1,
      result->stats.events, FailureIdentityToString(result->identity), result->failing_index);
  if (absl::Status s = WriteWholeTrace(minimal_path, *shrunk, comment); !s.ok()) return s;
  ReplayOptions replay;
  replay.translator = run.translator;
  replay.device = run.device;
  if (absl::StatusOr<std::string> map = WriteMapBeside(minimal_path, replay); map.ok()) {
    artifacts->map_path = *map;
  } else {
    artifacts->map_error = std::string(map.status().message());
  }

  artifacts->minimal_path = minimal_path;
  artifacts->identity = FailureIdentityToString(result->identity);
  artifacts->failing_index = result->failing_index;
  // The trace up to its first failure, not the slice the shrinker began from.
  artifacts->original_events = slice->failing_event + 1;
  artifacts->shrink_seconds = absl::ToDoubleSeconds(result->stats.elapsed);
  artifacts->one_minimal = result->stats.one_minimal;
  for (size_t i = 0; i < result->steps.size(); ++i) {
    artifacts->minimal_events.push_back(
        absl::StrFormat("#%-3u %s", i, EventToString(result->steps[i].event)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FailureArtifacts> RecordAndShrink(const SimulationOptions& run,
                                                 const std::string& out_dir,
                                                 absl::Duration budget) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrFormat("cannot make directory %s: %s", out_dir, ec.message()));
  }
  const std::string stem = absl::StrFormat("%s/%s-%s-seed%u", out_dir, run.scenario,
                                           TranslatorFileLabel(run.translator), run.seed);
  FailureArtifacts artifacts;
  artifacts.seed = run.seed;
  SimulationOptions traced = run;
  traced.trace_path = stem + ".trace";
  const SimulationResult again = RunSimulation(traced);
  if (again.trace_written.empty()) {
    return absl::InternalError(
        absl::StrFormat("seed %u: no trace written to %s: %s", run.seed, traced.trace_path,
                        again.report));
  }
  artifacts.trace_path = again.trace_written;
  artifacts.report = again.report;
  if (again.verdict == SimulationVerdict::kPass) {
    // A simulation is a function of its seed: this is a bug in it.
    artifacts.not_shrunk = "NONDETERMINISM: the seed passed when run again to write its trace";
    return artifacts;
  }
  if (again.verdict == SimulationVerdict::kError) {
    artifacts.not_shrunk = "a scenario error (the model refused an event), not a divergence";
    return artifacts;
  }
  if (absl::Status s = ShrinkInto(run, stem + ".min.textproto", budget, &artifacts); !s.ok()) {
    return absl::Status(s.code(), absl::StrFormat("seed %u: %s", run.seed, s.message()));
  }
  return artifacts;
}

std::vector<absl::StatusOr<FailureArtifacts>> RecordAndShrinkAll(
    const CampaignOptions& campaign, const std::vector<SeedFailure>& failures,
    const std::string& out_dir, absl::Duration budget, int jobs) {
  std::vector<absl::StatusOr<FailureArtifacts>> out(
      failures.size(), absl::UnknownError("not shrunk"));
  std::atomic<size_t> next{0};
  // Each result has its own slot: no lock needed.
  const auto work = [&] {
    for (size_t i = next.fetch_add(1); i < failures.size(); i = next.fetch_add(1)) {
      SimulationOptions run;
      run.scenario = campaign.scenario;
      run.seed = failures[i].seed;
      run.steps = campaign.steps;
      run.translator = campaign.translator;
      run.device = campaign.device;
      run.faults = campaign.faults;
      out[i] = RecordAndShrink(run, out_dir, budget);
    }
  };
  const size_t threads = std::min<size_t>(jobs < 1 ? 1 : jobs, failures.size());
  std::vector<std::thread> workers;
  for (size_t j = 1; j < threads; ++j) workers.emplace_back(work);
  work();
  for (std::thread& t : workers) t.join();
  return out;
}

std::string FormatArtifacts(const FailureArtifacts& a) {
  // The simulator's report usually names the trace already.
  std::string out;
  if (!absl::StrContains(a.report, a.trace_path)) {
    absl::StrAppendFormat(&out, "  trace: %s\n", a.trace_path);
  }
  if (a.minimal_path.empty()) {
    absl::StrAppendFormat(&out, "  not shrunk: %s\n", a.not_shrunk);
    return out;
  }
  absl::StrAppendFormat(&out, "  minimal: %s\n", a.minimal_path);
  absl::StrAppendFormat(&out, "  map: %s\n",
                        a.map_path.empty() ? "not written: " + a.map_error : a.map_path);
  absl::StrAppendFormat(
      &out, "  %s at event %u; %u -> %u events in %.1fs%s:\n", a.identity, a.failing_index,
      a.original_events, a.minimal_events.size(), a.shrink_seconds,
      a.one_minimal ? ", 1-minimal" : " (budget spent: the best so far)");
  for (const std::string& line : a.minimal_events) absl::StrAppend(&out, "    ", line, "\n");
  return out;
}

}  // namespace iovacheck
