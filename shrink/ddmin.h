// The baseline the shrinker is measured against: plain ddmin (Zeller and
// Hildebrandt, "Simplifying and Isolating Failure-Inducing Input", 2002)
// over the trace's input events. It gets the same replays and the same
// failure identity, and removes transaction markers with the last event of
// their transaction (without that nearly every candidate would be refused),
// but nothing else of the shrinker: no cut after the failure, no dependency
// closure (a candidate the model refuses simply does not fail), no memo, no
// field simplification.
#ifndef IOVACHECK_SHRINK_DDMIN_H_
#define IOVACHECK_SHRINK_DDMIN_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "shrink/candidate_replayer.h"
#include "shrink/trace_step.h"

namespace iovacheck {

struct DdminResult {
  StepPool steps;  // the 1-minimal trace (or the best when the budget ran out)
  size_t input_events = 0;
  uint64_t replays = 0;
  uint64_t events_stepped = 0;
  absl::Duration elapsed;
  bool budget_exhausted = false;
};

// FailedPrecondition when the trace does not fail, InvalidArgument when the
// model refuses it.
absl::StatusOr<DdminResult> Ddmin(const StepPool& steps, CandidateReplayer& replayer,
                                  absl::Duration budget);

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_DDMIN_H_
