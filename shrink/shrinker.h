// Shrinks a failing trace to a small one that fails the same way.
//
// The shrinker works on typed events (never bytes) and tries only
// well-formed candidates: it removes units with their dependents and keeps
// transactions balanced (trace_dependencies.h), and checks any candidate it
// builds otherwise (a lone event removed, a field changed) against the model
// before replaying it. A candidate counts only if it fails with the same
// identity (oracle rule and event kind, failure_identity.h). Phases:
//   1. cut everything after the first failing event (no replay needed: the
//      harness ignores what follows a divergence); every accepted candidate
//      is cut again at its own failure;
//   2. delete chunks of units whose size adapts: at each place the chunk
//      doubles while deletions keep failing, then halves back, and the scan
//      resumes where it was rather than restarting;
//   3. remove single events alone, without their dependents, where that is
//      still well formed (what 1-minimality is judged by);
//   4. simplify fields (field_simplifier.h), each event with its partner;
//      not in recorded mode, where the recorded outputs belong to the
//      original fields;
// repeated until a whole round changes nothing (the result is then
// 1-minimal: removing any single input event, with the markers of a
// transaction it leaves empty, no longer fails this way) or a budget (in
// replays, or in time) ends, and the best trace so far is returned.
#ifndef IOVACHECK_SHRINK_SHRINKER_H_
#define IOVACHECK_SHRINK_SHRINKER_H_

#include <cstddef>
#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "shrink/candidate_replayer.h"
#include "shrink/failure_identity.h"
#include "shrink/trace_step.h"

namespace iovacheck {

struct ShrinkProgress {
  const char* phase = "";  // "cut", "chunks", "singles", "fields"
  size_t events = 0;        // in the best trace so far
  size_t input_events = 0;  // the same, without listener_begin/commit markers
  uint64_t replays = 0;
  absl::Duration elapsed;
};

struct ShrinkOptions {
  // Limits on the work, either of which ends it early with the best trace so
  // far (stats.budget_exhausted, not one_minimal). The time budget is for
  // people (the command line's --budget): a result that rests on it depends
  // on the machine's speed, so tests bound replays instead, or nothing.
  absl::Duration budget = absl::InfiniteDuration();
  uint64_t max_replays = UINT64_MAX;  // candidate replays, the first one aside
  bool simplify_fields = true;
  // Called after every replay.
  std::function<void(const ShrinkProgress&)> progress;
};

struct ShrinkStats {
  size_t original_events = 0;
  size_t original_input_events = 0;
  size_t events = 0;
  size_t input_events = 0;  // not counting listener_begin/commit
  uint64_t replays = 0;     // including the first, of the whole trace
  uint64_t events_stepped = 0;
  uint64_t rounds = 0;
  // Candidates that failed as another bug (other rule or event kind).
  uint64_t other_failures = 0;
  // Candidates built by hand that the model would refuse, dropped unreplayed.
  uint64_t ill_formed_skipped = 0;
  // Candidates the harness refused: zero unless a dependency is missed.
  uint64_t refused = 0;
  absl::Duration elapsed;
  bool budget_exhausted = false;
  bool one_minimal = false;  // the last round changed nothing
};

struct ShrinkResult {
  StepPool steps;  // the minimal trace, in order
  FailureIdentity identity;
  size_t failing_index = 0;  // where it diverges in `steps`
  ShrinkStats stats;
};

// FailedPrecondition when the trace does not fail; InvalidArgument
// ("event N (kind): why") when the model refuses an event before it does.
absl::StatusOr<ShrinkResult> Shrink(StepPool steps, CandidateReplayer& replayer,
                                    const ShrinkOptions& options);

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_SHRINKER_H_
