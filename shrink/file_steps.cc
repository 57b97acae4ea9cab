#include "shrink/file_steps.h"

#include <utility>

#include "absl/strings/str_format.h"
#include "sim/event.h"

namespace iovacheck {

absl::StatusOr<FileSteps> FileSteps::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(path);
  if (!reader.ok()) return reader.status();
  return FileSteps(*std::move(reader));
}

absl::StatusOr<const TraceStep*> FileSteps::Next() {
  absl::StatusOr<bool> more = reader_->Next(&proto_);
  if (!more.ok()) return more.status();
  if (!*more) return nullptr;
  absl::StatusOr<TraceStep> step = StepFromProto(proto_, path(), index());
  if (!step.ok()) return step.status();
  step_ = *std::move(step);
  return &step_;
}

absl::StatusOr<FirstFailure> FindFirstFailure(const std::string& path,
                                              CandidateReplayer& replayer) {
  absl::StatusOr<FileSteps> steps = FileSteps::Open(path);
  if (!steps.ok()) return steps.status();
  std::string last_kind;  // of the step handed out last: a refusal names it
  absl::StatusOr<CandidateOutcome> out =
      replayer.ReplayStream([&]() -> absl::StatusOr<const TraceStep*> {
        absl::StatusOr<const TraceStep*> step = steps->Next();
        if (step.ok() && *step != nullptr) last_kind = EventKind((*step)->event);
        return step;
      });
  if (!out.ok()) return out.status();
  switch (out->verdict) {
    case CandidateOutcome::Verdict::kRefused:
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: event %u (%s): %s", path, out->position, last_kind, out->refusal));
    case CandidateOutcome::Verdict::kPass:
      return absl::FailedPreconditionError(
          absl::StrFormat("%s: every step agrees with the model against %s: nothing to shrink",
                          path, replayer.target().name));
    case CandidateOutcome::Verdict::kFail:
      break;
  }
  return FirstFailure{out->position, out->identity};
}

absl::StatusOr<bool> RecordsOutputs(const std::string& path) {
  absl::StatusOr<std::unique_ptr<TraceReader>> reader = TraceReader::Open(path);
  if (!reader.ok()) return reader.status();
  trace::Event e;
  for (;;) {
    absl::StatusOr<bool> more = (*reader)->Next(&e);
    if (!more.ok()) return more.status();
    if (!*more) return false;
    if (e.has_outputs() || e.sent_size() > 0) return true;
  }
}

}  // namespace iovacheck
