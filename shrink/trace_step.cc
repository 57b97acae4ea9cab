#include "shrink/trace_step.h"

#include "absl/strings/str_format.h"
#include "traces/trace_codec.h"

namespace iovacheck {

absl::StatusOr<TraceStep> StepFromProto(const trace::Event& proto, const std::string& path,
                                        uint64_t index) {
  absl::StatusOr<Event> event = EventFromProto(proto);
  if (!event.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: event %u: %s", path, index, event.status().message()));
  }
  TraceStep step;
  step.event = *std::move(event);
  step.proto = proto;
  if (proto.has_outputs() || proto.sent_size() > 0 || proto.faults_size() > 0) {
    absl::StatusOr<StepRecord> outputs = RecordedOutputs(proto);
    if (!outputs.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: event %u: %s", path, index, outputs.status().message()));
    }
    step.recorded = *std::move(outputs);
  }
  // Our own runs record write()'s answers; a QEMU trace log does not.
  for (const trace::IotlbMessage& m : proto.sent()) {
    if (m.answered()) step.answers_recorded = true;
  }
  return step;
}

absl::StatusOr<StepPool> StepsFromTrace(const trace::Trace& trace, const std::string& path) {
  StepPool pool;
  pool.reserve(trace.events_size());
  for (int i = 0; i < trace.events_size(); ++i) {
    absl::StatusOr<TraceStep> step = StepFromProto(trace.events(i), path, i);
    if (!step.ok()) return step.status();
    pool.push_back(*std::move(step));
  }
  return pool;
}

TraceStep SynthesizedStep(const Event& event) {
  TraceStep step;
  step.event = event;
  step.proto = EventToProto(event);
  return step;
}

bool IsMarker(const Event& event) {
  return std::holds_alternative<ListenerBeginEvent>(event) ||
         std::holds_alternative<ListenerCommitEvent>(event);
}

size_t CountInputEvents(const StepPool& pool, const StepOrder& order) {
  size_t n = 0;
  for (uint32_t i : order) n += IsMarker(pool[i].event) ? 0 : 1;
  return n;
}

StepOrder Identity(size_t n) {
  StepOrder order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  return order;
}

}  // namespace iovacheck
