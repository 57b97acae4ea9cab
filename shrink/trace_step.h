// The shrinker's view of a trace: typed events, each with what the trace
// recorded for it, kept in one pool. A candidate is a list of pool indices,
// so trying a candidate copies integers, not events; a simplified event is a
// new pool entry.
#ifndef IOVACHECK_SHRINK_TRACE_STEP_H_
#define IOVACHECK_SHRINK_TRACE_STEP_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/event.h"
#include "sim/harness.h"
#include "traces/trace.pb.h"

namespace iovacheck {

struct TraceStep {
  Event event;
  // The event as the trace stored it, recorded outputs included: written
  // back as it is in recorded mode. A simplified event has none.
  trace::Event proto;
  // The recorded outputs as a PlaybackTranslator takes them.
  StepRecord recorded;
  bool answers_recorded = false;  // the recording holds write()'s answers
};

using StepPool = std::vector<TraceStep>;
// A candidate trace: indices into the pool, in order.
using StepOrder = std::vector<uint32_t>;

// Decodes every event; an error names the file and the event index.
absl::StatusOr<StepPool> StepsFromTrace(const trace::Trace& trace, const std::string& path);
// One event, the `index`th of `path` (named by an error).
absl::StatusOr<TraceStep> StepFromProto(const trace::Event& proto, const std::string& path,
                                        uint64_t index);

// A step for an event the shrinker made (no recorded outputs).
TraceStep SynthesizedStep(const Event& event);

bool IsMarker(const Event& event);  // listener_begin or listener_commit

// Events that are not transaction markers: what "N input events" counts.
size_t CountInputEvents(const StepPool& pool, const StepOrder& order);

StepOrder Identity(size_t n);  // 0, 1, ..., n-1

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_TRACE_STEP_H_
