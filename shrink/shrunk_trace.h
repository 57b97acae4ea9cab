// The shrunk trace as it is written: the input's header with the producer
// updated, the events with outputs, and the verdicts a regression test will
// demand, each established by replaying the result rather than assumed.
#ifndef IOVACHECK_SHRINK_SHRUNK_TRACE_H_
#define IOVACHECK_SHRINK_SHRUNK_TRACE_H_

#include <string>

#include "absl/status/statusor.h"
#include "shrink/candidate_replayer.h"
#include "shrink/shrinker.h"
#include "traces/trace.pb.h"

namespace iovacheck {

// Producer: tool "iovacheck shrink", source "shrunk from PATH" followed by
// the input's own source; seed and scenario kept. Events: against a
// translator, with the outputs it produced (so the trace also replays with
// --recorded); in recorded mode, with their recorded outputs. Expectations:
// `decoupled` (when it is not the target), the target, and `recorded`.
absl::StatusOr<trace::Trace> ShrunkTrace(const trace::Header& input_header,
                                         const std::string& input_path,
                                         const ShrinkResult& result,
                                         CandidateReplayer& replayer);

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_SHRUNK_TRACE_H_
