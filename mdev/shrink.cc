#include "mdev/shrink.h"

#include <algorithm>

namespace iovacheck {
namespace {

class Shrinker {
 public:
  Shrinker(const std::string& tracker, std::string rule, uint64_t max_replays)
      : tracker_(tracker), rule_(std::move(rule)), max_replays_(max_replays) {}

  // Whether the candidate fails by the same rule; keeps its divergence.
  bool StillFails(const std::vector<MdevEvent>& candidate) {
    ++replays_;
    absl::StatusOr<std::optional<MdevDivergence>> d = RunMdevEvents(tracker_, candidate);
    if (!d.ok() || !d->has_value() || (*d)->rule != rule_) return false;
    last_ = **d;
    return true;
  }
  bool out_of_budget() const { return replays_ >= max_replays_; }
  uint64_t replays() const { return replays_; }
  const MdevDivergence& last() const { return last_; }

 private:
  std::string tracker_;
  std::string rule_;
  uint64_t max_replays_;
  uint64_t replays_ = 0;
  MdevDivergence last_;
};

// Events after the divergence play no part.
void CutAfter(const MdevDivergence& d, std::vector<MdevEvent>* events) {
  if (d.event_index + 1 < events->size()) events->resize(d.event_index + 1);
}

}  // namespace

absl::StatusOr<MdevShrinkResult> ShrinkMdevRun(const std::string& tracker,
                                               std::vector<MdevEvent> events,
                                               uint64_t max_replays) {
  absl::StatusOr<std::optional<MdevDivergence>> first = RunMdevEvents(tracker, events);
  if (!first.ok()) return first.status();
  if (!first->has_value()) {
    return absl::FailedPreconditionError("the run does not fail: nothing to shrink");
  }
  Shrinker s(tracker, (*first)->rule, max_replays);
  MdevDivergence divergence = **first;
  CutAfter(divergence, &events);

  // ddmin: remove chunks of size n / parts, parts doubling when none goes.
  size_t parts = 2;
  while (events.size() >= 2 && !s.out_of_budget()) {
    const size_t chunk = std::max<size_t>(1, events.size() / parts);
    bool removed = false;
    for (size_t start = 0; start < events.size() && !s.out_of_budget();) {
      std::vector<MdevEvent> candidate(events.begin(), events.begin() + start);
      const size_t end = std::min(events.size(), start + chunk);
      candidate.insert(candidate.end(), events.begin() + end, events.end());
      if (s.StillFails(candidate)) {
        divergence = s.last();
        events = std::move(candidate);
        CutAfter(divergence, &events);
        removed = true;
      } else {
        start = end;
      }
    }
    if (removed) {
      parts = std::max<size_t>(2, parts - 1);
    } else if (chunk == 1) {
      break;  // no single event can go: 1-minimal
    } else {
      parts = std::min(events.size(), parts * 2);
    }
  }
  MdevShrinkResult result;
  result.events = std::move(events);
  result.divergence = divergence;
  result.replays = s.replays();
  result.budget_exhausted = s.out_of_budget();
  return result;
}

}  // namespace iovacheck
