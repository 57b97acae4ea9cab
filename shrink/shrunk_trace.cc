#include "shrink/shrunk_trace.h"

#include "absl/strings/str_format.h"
#include "traces/trace_codec.h"

namespace iovacheck {
namespace {

absl::StatusOr<trace::Expectation> Verdict(const std::string& name, const StepPool& steps,
                                           const CandidateReplayer& like) {
  absl::StatusOr<ReplayTarget> target = FindReplayTarget(name);
  if (!target.ok()) return target.status();
  CandidateReplayer replayer(like.config(), like.strict(), *target);
  const CandidateOutcome out = replayer.Replay(steps, Identity(steps.size()));
  trace::Expectation e;
  e.set_translator(name);
  switch (out.verdict) {
    case CandidateOutcome::Verdict::kPass:
      e.set_verdict(trace::Expectation::PASS);
      break;
    case CandidateOutcome::Verdict::kFail:
      e.set_verdict(trace::Expectation::FAIL);
      e.set_rule(OracleRuleName(out.identity.rule));
      e.set_event_index(out.position);
      break;
    case CandidateOutcome::Verdict::kRefused:
      return absl::InternalError(absl::StrFormat(
          "the shrunk trace is refused replaying %s at event %u: %s", name, out.position,
          out.refusal));
  }
  return e;
}

}  // namespace

absl::StatusOr<trace::Trace> ShrunkTrace(const trace::Header& input_header,
                                         const std::string& input_path,
                                         const ShrinkResult& result,
                                         CandidateReplayer& replayer) {
  trace::Trace out;
  trace::Header* h = out.mutable_header();
  *h = input_header;
  h->clear_expect();
  trace::Producer* p = h->mutable_producer();
  const std::string earlier = p->source();
  p->set_tool("iovacheck shrink");
  p->set_source(earlier.empty() ? absl::StrFormat("shrunk from %s", input_path)
                                : absl::StrFormat("shrunk from %s; %s", input_path, earlier));

  const StepOrder all = Identity(result.steps.size());
  if (replayer.target().recorded()) {
    for (const TraceStep& s : result.steps) *out.add_events() = s.proto;
  } else {
    p->set_translator(replayer.target().name);
    std::vector<StepRecord> log;
    replayer.Replay(result.steps, all, &log);
    for (size_t i = 0; i < result.steps.size(); ++i) {
      *out.add_events() =
          i < log.size() ? StepToProto(log[i]) : EventToProto(result.steps[i].event);
    }
  }

  // What the events now say is what a replay of the file will see.
  absl::StatusOr<StepPool> written = StepsFromTrace(out, input_path);
  if (!written.ok()) return written.status();
  std::vector<std::string> names;
  if (replayer.target().name != "decoupled") names.push_back("decoupled");
  names.push_back(replayer.target().name);
  if (!replayer.target().recorded()) names.push_back("recorded");
  for (const std::string& name : names) {
    absl::StatusOr<trace::Expectation> e = Verdict(name, *written, replayer);
    if (!e.ok()) return e.status();
    *h->add_expect() = *e;
  }
  return out;
}

}  // namespace iovacheck
