// A long failing trace cut down, as it streams from its file, to what can
// still matter to its first failure, so that the shrinker holds something
// proportional to the live mappings rather than to the trace's length.
//
// A slice keeps every event from `boundary` up to the failure (and the commit
// of the transaction the failure is in); before `boundary`, only what makes
// the state there: the region_adds, host_maps and iommu_maps whose memory is
// still live at `boundary` (a mapping that came and went is dropped with its
// closer; an identical iommu_map replayed over a live entry is dropped too),
// the last shadow_data switch and the last device reset, and the
// transaction markers around what is kept. Translations and DMAs before it
// change no state the model keeps and go.
//
// That is a guess about what the failure needs, so a slice counts only when
// a replay shows it fails as the file does. A failure that rests on history
// (an allocator's holes left by mappings long gone, a translator that counts
// its calls) does not survive a small window: the window grows, sixteenfold
// each time, up to the whole trace before the failure.
#ifndef IOVACHECK_SHRINK_LIVE_SLICE_H_
#define IOVACHECK_SHRINK_LIVE_SLICE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "shrink/candidate_replayer.h"
#include "shrink/failure_identity.h"
#include "shrink/trace_step.h"

namespace iovacheck {

// The slice of `path` whose failure is at event `failing`, everything kept
// from event `boundary` (<= failing) on.
absl::StatusOr<StepPool> LiveSlice(const std::string& path, uint64_t failing, uint64_t boundary);

struct SlicedTrace {
  StepPool steps;
  FailureIdentity identity;    // the file's first failure
  uint64_t failing_event = 0;  // its index in the file
  uint64_t window = 0;         // events kept whole before the failure
  bool whole = false;          // the window reached the start: nothing dropped
  int slices_tried = 0;
};

// The file's first failure (file_steps.h: FindFirstFailure, errors
// included), then the smallest window (0, 4096, 65536, ...) whose slice
// fails the same way (failure_identity.h).
absl::StatusOr<SlicedTrace> SliceForShrinking(const std::string& path, CandidateReplayer& replayer);

// Where the shrinker started, for people: "the input's first failure,
// event N: the W events before it whole, and before those only what was
// still live (K slices replayed)".
std::string DescribeSlice(const SlicedTrace& slice);

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_LIVE_SLICE_H_
