#include "shrink/candidate_replayer.h"

#include <memory>
#include <utility>

#include "sim/faults.h"
#include "sim/harness.h"
#include "sim/playback_translator.h"
#include "traces/trace_codec.h"
#include "translator/registry.h"

namespace iovacheck {

absl::StatusOr<ReplayTarget> FindReplayTarget(const std::string& name) {
  if (name == "recorded") return ReplayTarget{name, nullptr};
  absl::StatusOr<TranslatorFactory> factory = FindTranslator(name);
  if (!factory.ok()) return factory.status();
  return ReplayTarget{name, *std::move(factory)};
}

CandidateReplayer::CandidateReplayer(const DeviceConfig& config, bool strict,
                                     ReplayTarget target)
    : config_(config), strict_(strict), target_(std::move(target)) {}

CandidateOutcome CandidateReplayer::Replay(const StepPool& pool, const StepOrder& order,
                                           std::vector<StepRecord>* log) {
  size_t pos = 0;
  const NextStep next = [&]() -> absl::StatusOr<const TraceStep*> {
    return pos < order.size() ? &pool[order[pos++]] : nullptr;
  };
  // Steps from memory never fail to arrive.
  return *Run(next, log);
}

absl::StatusOr<CandidateOutcome> CandidateReplayer::ReplayStream(const NextStep& next) {
  return Run(next, nullptr);
}

absl::StatusOr<CandidateOutcome> CandidateReplayer::Run(const NextStep& next,
                                                        std::vector<StepRecord>* log) {
  ++replays_;
  // Recorded mode: the harness owns the PlaybackTranslator; keep a pointer to
  // load each event's outputs before the harness hands it the event.
  PlaybackTranslator* playback = nullptr;
  TranslatorFactory factory = target_.factory;
  if (target_.recorded()) {
    factory = [&playback](const DeviceConfig& c, IotlbChannel* channel) {
      auto t = std::make_unique<PlaybackTranslator>(c, channel);
      playback = t.get();
      return std::unique_ptr<Translator>(std::move(t));
    };
  }
  // Each kept event meets the faults the trace recorded for it, as
  // `iovacheck replay` injects them; a simplified event recorded none.
  RecordedChannelFaults faults;
  HarnessOptions options;
  options.strict = strict_;
  options.keep_log = log != nullptr;
  options.faults = &faults;
  Harness harness(config_, factory, options);

  CandidateOutcome out;
  for (size_t pos = 0;; ++pos) {
    absl::StatusOr<const TraceStep*> got = next();
    if (!got.ok()) return got.status();
    if (*got == nullptr) break;
    const TraceStep& step = **got;
    if (playback != nullptr) playback->Load(step.recorded, step.answers_recorded);
    faults.Load(step.recorded.faults);
    ++events_stepped_;
    if (absl::Status s = harness.Step(step.event); !s.ok()) {
      out.verdict = CandidateOutcome::Verdict::kRefused;
      out.position = pos;
      out.refusal = std::string(s.message());
      break;
    }
    // As `iovacheck replay` decides: an answer the emulated device gives
    // differently from the recording comes first, what the oracle says next
    // follows from it.
    std::optional<Divergence> d;
    if (playback != nullptr && playback->answer_mismatch()) {
      d = Divergence{};
      d->rule = OracleRule::kRecordedAnswer;
      d->actual = *playback->answer_mismatch();
    } else if (harness.failed()) {
      d = harness.divergence();
    }
    if (d) {
      out.verdict = CandidateOutcome::Verdict::kFail;
      out.identity = FailureIdentity{d->rule, EventKind(step.event), d->death};
      out.position = pos;
      out.divergence = std::move(d);
      break;
    }
  }
  if (log != nullptr) *log = harness.log();
  return out;
}

}  // namespace iovacheck
