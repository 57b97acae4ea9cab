#include "shrink/ddmin.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "shrink/trace_dependencies.h"

namespace iovacheck {

absl::StatusOr<DdminResult> Ddmin(const StepPool& steps, CandidateReplayer& replayer,
                                  absl::Duration budget) {
  const absl::Time start = absl::Now();
  const uint64_t replays_before = replayer.replays();
  const uint64_t stepped_before = replayer.events_stepped();
  const StepOrder all = Identity(steps.size());
  const CandidateOutcome first = replayer.Replay(steps, all);
  if (first.verdict == CandidateOutcome::Verdict::kRefused) {
    return absl::InvalidArgumentError(
        absl::StrFormat("event %u: %s", first.position, first.refusal));
  }
  if (first.verdict == CandidateOutcome::Verdict::kPass) {
    return absl::FailedPreconditionError("the trace does not fail: nothing to shrink");
  }
  const FailureIdentity identity = first.identity;
  const TraceDependencies deps(steps, all, replayer.config().page_size);

  DdminResult result;
  // The units kept, ascending; a candidate is the trace with only these.
  std::vector<size_t> kept(deps.unit_count());
  for (size_t u = 0; u < kept.size(); ++u) kept[u] = u;
  auto order_of = [&](const std::vector<size_t>& keep) {
    std::vector<size_t> drop;
    size_t j = 0;
    for (size_t u = 0; u < deps.unit_count(); ++u) {
      if (j < keep.size() && keep[j] == u) {
        ++j;
      } else {
        drop.push_back(u);
      }
    }
    return deps.Without(drop, /*close=*/false);
  };
  auto fails = [&](const std::vector<size_t>& keep) {
    if (absl::Now() - start >= budget) {
      result.budget_exhausted = true;
      return false;
    }
    const CandidateOutcome out = replayer.Replay(steps, order_of(keep));
    return out.verdict == CandidateOutcome::Verdict::kFail && out.identity == identity;
  };

  size_t n = 2;
  while (kept.size() >= 2 && !result.budget_exhausted) {
    // Split into n nearly equal parts.
    std::vector<std::vector<size_t>> parts(n);
    for (size_t i = 0; i < kept.size(); ++i) parts[i * n / kept.size()].push_back(kept[i]);
    bool reduced = false;
    for (const auto& part : parts) {  // reduce to a subset
      if (!part.empty() && fails(part)) {
        kept = part;
        n = 2;
        reduced = true;
        break;
      }
    }
    for (size_t p = 0; !reduced && n > 2 && p < parts.size(); ++p) {  // to a complement
      std::vector<size_t> rest;
      for (size_t q = 0; q < parts.size(); ++q) {
        if (q != p) rest.insert(rest.end(), parts[q].begin(), parts[q].end());
      }
      std::sort(rest.begin(), rest.end());
      if (fails(rest)) {
        kept = rest;
        n = std::max<size_t>(n - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (n >= kept.size()) break;
    n = std::min(kept.size(), 2 * n);
  }

  for (uint32_t i : order_of(kept)) result.steps.push_back(steps[i]);
  result.input_events = CountInputEvents(steps, order_of(kept));
  result.replays = replayer.replays() - replays_before;
  result.events_stepped = replayer.events_stepped() - stepped_before;
  result.elapsed = absl::Now() - start;
  return result;
}

}  // namespace iovacheck
