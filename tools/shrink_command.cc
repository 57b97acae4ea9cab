#include "tools/shrink_command.h"

#include <cmath>
#include <iostream>

#include "absl/strings/str_format.h"
#include "mdev/shrink.h"
#include "mdev/trace_file.h"
#include "shrink/file_steps.h"
#include "shrink/live_slice.h"
#include "shrink/shrinker.h"
#include "shrink/shrunk_trace.h"
#include "tools/same_file.h"
#include "traces/trace_codec.h"
#include "traces/trace_io.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

constexpr char kCommand[] = "iovacheck shrink";

int Fail(const std::string& message) {
  std::cerr << kCommand << ": " << message << "\n";
  return 2;
}

bool Registered(const std::string& name) { return FindTranslator(name).ok(); }

// "\r..." rewritten at most ten times a second; the summary follows on
// stdout once the line is cleared.
class ProgressLine {
 public:
  void Update(const ShrinkProgress& p) {
    if (p.elapsed - last_ < absl::Milliseconds(100) && shown_) return;
    last_ = p.elapsed;
    shown_ = true;
    std::cerr << absl::StrFormat("\r%s: %u input events left (%u events), %u replays, %.1fs "
                                 "[%s]\033[K",
                                 kCommand, p.input_events, p.events, p.replays,
                                 absl::ToDoubleSeconds(p.elapsed), p.phase)
              << std::flush;
  }
  void Clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  absl::Duration last_;
  bool shown_ = false;
};

std::string Summary(const std::string& input, const std::string& output,
                    const std::string& target, const SlicedTrace& slice, const ShrinkResult& r,
                    double budget) {
  const ShrinkStats& s = r.stats;
  std::string out = absl::StrFormat(
      "shrunk %s -> %s against %s: %u -> %u events; %u -> %u input events "
      "(listener_begin/commit not counted)\n",
      input, output, target, s.original_events, s.events, s.original_input_events,
      s.input_events);
  absl::StrAppendFormat(&out, "  from %s\n", DescribeSlice(slice));
  absl::StrAppendFormat(&out, "  failure kept: %s (event %u of the shrunk trace)\n",
                        FailureIdentityToString(r.identity), r.failing_index);
  absl::StrAppendFormat(&out, "  %u replays, %u events stepped, %.2fs, %u rounds; %s\n",
                        s.replays, s.events_stepped, absl::ToDoubleSeconds(s.elapsed),
                        s.rounds,
                        s.budget_exhausted
                            ? absl::StrFormat("budget (%gs, or --max_replays) spent: the best "
                                              "trace so far, not proven 1-minimal",
                                              budget)
                            : "1-minimal");
  if (s.other_failures > 0) {
    absl::StrAppendFormat(&out, "  %u candidates failed as another bug and were not taken\n",
                          s.other_failures);
  }
  for (size_t i = 0; i < r.steps.size(); ++i) {
    absl::StrAppendFormat(&out, "  #%-3u %s\n", i, EventToString(r.steps[i].event));
  }
  return out;
}

}  // namespace

std::string DefaultShrinkTranslator(const trace::Header& header) {
  for (const trace::Expectation& e : header.expect()) {
    if (e.verdict() == trace::Expectation::FAIL && Registered(e.translator())) {
      return e.translator();
    }
  }
  if (Registered(header.producer().translator())) return header.producer().translator();
  return "decoupled";
}

// A trace of the mdev domain: ddmin over its events against a tracker
// (mdev/shrink.h), the minimal run written with its verdict.
int ShrinkMdev(const ShrinkCommand& command, const trace::Header& header) {
  absl::StatusOr<MdevTrace> t = ReadMdevTrace(command.input);
  if (!t.ok()) return Fail(std::string(t.status().message()));
  const std::string tracker =
      command.tracker.empty() ? header.producer().translator() : command.tracker;
  if (tracker.empty()) {
    return Fail(absl::StrFormat("%s: an mdev trace naming no tracker: give --tracker",
                                command.input));
  }
  absl::StatusOr<MdevShrinkResult> s =
      command.max_replays > 0 ? ShrinkMdevRun(tracker, t->events, command.max_replays)
                              : ShrinkMdevRun(tracker, t->events);
  if (!s.ok()) {
    return Fail(absl::StrFormat("%s, tracker %s: %s", command.input, tracker,
                                s.status().message()));
  }
  MdevTrace out{MdevHeader(header.producer().seed(), tracker, s->divergence,
                           "shrunk from " + command.input),
                s->events};
  if (absl::Status w = WriteMdevTrace(command.output, out); !w.ok()) {
    return Fail(std::string(w.message()));
  }
  std::cout << absl::StrFormat("shrunk %s -> %s: %u -> %u events in %u replays%s, tracker %s\n",
                               command.input, command.output, t->events.size(),
                               s->events.size(), s->replays,
                               s->budget_exhausted ? " (budget exhausted)" : ", 1-minimal",
                               tracker);
  for (size_t i = 0; i < s->events.size(); ++i) {
    std::cout << absl::StrFormat("  #%-3u %s\n", i, MdevEventToString(s->events[i]));
  }
  std::cout << "  "
            << MdevDivergenceToString(s->divergence, s->events[s->divergence.event_index])
            << "\n";
  return 0;
}

int RunShrink(const ShrinkCommand& command) {
  if (command.input.empty()) return Fail("no failing trace given");
  if (command.output.empty()) return Fail("no output trace given (-o MINIMAL)");
  if (!(command.budget_seconds > 0) || !std::isfinite(command.budget_seconds)) {
    return Fail(absl::StrFormat("--budget=%g: want a positive number of seconds",
                                command.budget_seconds));
  }
  // The write would replace the failing trace with its shrunk form.
  if (SameFile(command.input, command.output)) {
    return Fail(absl::StrFormat("output %s is the input itself; refusing to overwrite it",
                                command.output));
  }
  if (absl::StatusOr<std::unique_ptr<TraceReader>> r = TraceReader::Open(command.input);
      r.ok() && (*r)->header().domain() == kMdevDomain) {
    return ShrinkMdev(command, (*r)->header());
  }
  // The trace streams from its file: only its header, the live slice
  // before its first failure (shrink/live_slice.h) and the shrinker's
  // candidates are ever in memory.
  absl::StatusOr<FileSteps> file = FileSteps::Open(command.input);
  if (!file.ok()) return Fail(std::string(file.status().message()));
  const trace::Header header = file->header();
  absl::StatusOr<DeviceConfig> config = DeviceConfigFromProto(header.device());
  if (!config.ok()) {
    return Fail(absl::StrFormat("%s: header: %s", command.input, config.status().message()));
  }
  if (command.recorded) {
    absl::StatusOr<bool> any = RecordsOutputs(command.input);
    if (!any.ok()) return Fail(std::string(any.status().message()));
    if (!*any) {
      return Fail(absl::StrFormat("%s records no outputs: --recorded has nothing to judge",
                                  command.input));
    }
  }
  const std::string name =
      command.recorded ? "recorded"
                       : (command.translator.empty() ? DefaultShrinkTranslator(header)
                                                     : command.translator);
  absl::StatusOr<ReplayTarget> target = FindReplayTarget(name);
  if (!target.ok()) return Fail(std::string(target.status().message()));
  CandidateReplayer replayer(*config, header.strict(), *target);

  ShrinkOptions options;
  options.budget = absl::Seconds(command.budget_seconds);
  if (command.max_replays > 0) options.max_replays = command.max_replays;
  // Recorded outputs belong to the fields they were recorded for.
  options.simplify_fields = !command.recorded;
  ProgressLine line;
  if (command.progress) options.progress = [&line](const ShrinkProgress& p) { line.Update(p); };
  // Its errors name the file.
  absl::StatusOr<SlicedTrace> slice = SliceForShrinking(command.input, replayer);
  if (!slice.ok()) {
    const bool passes = slice.status().code() == absl::StatusCode::kFailedPrecondition;
    return Fail(absl::StrFormat(
        "%s%s", slice.status().message(),
        passes ? " (name the failing translator with --translator=NAME, or judge the "
                 "recording with --recorded)"
               : ""));
  }
  absl::StatusOr<ShrinkResult> result = Shrink(std::move(slice->steps), replayer, options);
  line.Clear();
  if (!result.ok()) {
    // The slice failed as the input does when it was taken.
    return Fail(absl::StrFormat("%s: %s", command.input, result.status().message()));
  }

  absl::StatusOr<trace::Trace> shrunk =
      ShrunkTrace(header, command.input, *result, replayer);
  if (!shrunk.ok()) return Fail(std::string(shrunk.status().message()));
  const std::string comment = absl::StrFormat(
      "Shrunk by %s from %s against %s: %u -> %u events (%u input events); %s at event %u.",
      kCommand, command.input, name, result->stats.original_events, result->stats.events,
      result->stats.input_events, FailureIdentityToString(result->identity),
      result->failing_index);
  if (absl::Status s = WriteWholeTrace(command.output, *shrunk, comment); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  std::cout << Summary(command.input, command.output, name, *slice, *result,
                       command.budget_seconds);
  return 0;
}

}  // namespace iovacheck
