// Shrinks a failing mdev run to a 1-minimal one: no single event can be
// removed and the run still fail by the same rule. ddmin's chunk removal
// first (halves, quarters, ...), then single events until nothing more
// goes. Every candidate is a valid run (the harness ignores the done of a
// use it never saw), so there is nothing to repair. Deterministic; the
// budget counts replays, not seconds.
#ifndef IOVACHECK_MDEV_SHRINK_H_
#define IOVACHECK_MDEV_SHRINK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mdev/event.h"
#include "mdev/harness.h"

namespace iovacheck {

struct MdevShrinkResult {
  std::vector<MdevEvent> events;
  MdevDivergence divergence;  // of the shrunk run
  uint64_t replays = 0;
  bool budget_exhausted = false;  // the result is the smallest found, maybe not 1-minimal
};

// FailedPrecondition when the run does not fail.
absl::StatusOr<MdevShrinkResult> ShrinkMdevRun(const std::string& tracker,
                                               std::vector<MdevEvent> events,
                                               uint64_t max_replays = 20000);

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_SHRINK_H_
