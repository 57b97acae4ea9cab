#include "shrink/shrinker.h"

#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "shrink/field_simplifier.h"
#include "shrink/trace_dependencies.h"
#include "shrink/well_formed.h"

namespace iovacheck {
namespace {

class Shrinker {
 public:
  Shrinker(StepPool pool, CandidateReplayer& replayer, const ShrinkOptions& options)
      : pool_(std::move(pool)),
        replayer_(replayer),
        options_(options),
        start_(absl::Now()),
        deadline_(start_ + options.budget),
        replays_at_start_(replayer.replays()) {}

  absl::StatusOr<ShrinkResult> Run() {
    stats_.original_events = pool_.size();
    order_ = Identity(pool_.size());
    stats_.original_input_events = CountInputEvents(pool_, order_);
    const uint64_t replays_before = replayer_.replays();
    const uint64_t stepped_before = replayer_.events_stepped();

    phase_ = "cut";
    const CandidateOutcome first = replayer_.Replay(pool_, order_);
    if (first.verdict == CandidateOutcome::Verdict::kRefused) {
      return absl::InvalidArgumentError(
          absl::StrFormat("event %u (%s): %s", first.position,
                          EventKind(pool_[order_[first.position]].event), first.refusal));
    }
    if (first.verdict == CandidateOutcome::Verdict::kPass) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "every step agrees with the model against %s: nothing to shrink",
          replayer_.target().name));
    }
    identity_ = first.identity;
    Accept(order_, first.position);
    Report();

    while (!stats_.budget_exhausted) {
      ++stats_.rounds;
      bool changed = DeleteChunks();
      changed |= RemoveSingles();
      if (options_.simplify_fields) changed |= SimplifyFields();
      if (!changed && !stats_.budget_exhausted) {
        stats_.one_minimal = true;
        break;
      }
    }

    ShrinkResult result;
    for (uint32_t i : order_) result.steps.push_back(pool_[i]);
    result.identity = identity_;
    result.failing_index = failing_position_;
    stats_.events = order_.size();
    stats_.input_events = CountInputEvents(pool_, order_);
    stats_.replays = replayer_.replays() - replays_before;
    stats_.events_stepped = replayer_.events_stepped() - stepped_before;
    stats_.elapsed = absl::Now() - start_;
    result.stats = stats_;
    return result;
  }

 private:
  // Makes `order`, which fails as the original did at `position`, the best
  // so far: cut after the failure, keeping the commit of a transaction the
  // failing event is in.
  void Accept(const StepOrder& order, size_t position) {
    bool open = false;
    for (size_t p = 0; p <= position; ++p) {
      const Event& e = pool_[order[p]].event;
      if (std::holds_alternative<ListenerBeginEvent>(e)) open = true;
      if (std::holds_alternative<ListenerCommitEvent>(e)) open = false;
    }
    StepOrder cut(order.begin(), order.begin() + position + 1);
    if (open) {
      size_t p = position + 1;
      while (p < order.size() &&
             !std::holds_alternative<ListenerCommitEvent>(pool_[order[p]].event)) {
        ++p;
      }
      if (p < order.size()) {
        cut.push_back(order[p]);
      } else {
        // The trace ended inside the transaction: close it, so that every
        // candidate is balanced (after the divergence, it changes nothing).
        pool_.push_back(SynthesizedStep(ListenerCommitEvent{}));
        cut.push_back(static_cast<uint32_t>(pool_.size() - 1));
      }
    }
    order_ = std::move(cut);
    failing_position_ = position;
    deps_ = std::make_unique<TraceDependencies>(pool_, order_, replayer_.config().page_size);
  }

  // Replays a candidate; if it fails the same way, it becomes the best.
  bool Try(const StepOrder& candidate, bool check_well_formed) {
    // The first replay (of the whole trace) is not a candidate.
    if (replayer_.replays() - replays_at_start_ > options_.max_replays ||
        absl::Now() >= deadline_) {
      stats_.budget_exhausted = true;
      return false;
    }
    if (candidate == order_ || tried_.contains(candidate)) return false;
    if (check_well_formed &&
        !CheckWellFormed(replayer_.config(), pool_, candidate).ok()) {
      ++stats_.ill_formed_skipped;
      return false;
    }
    const CandidateOutcome out = replayer_.Replay(pool_, candidate);
    bool same = false;
    switch (out.verdict) {
      case CandidateOutcome::Verdict::kRefused: ++stats_.refused; break;
      case CandidateOutcome::Verdict::kPass: break;
      case CandidateOutcome::Verdict::kFail:
        same = out.identity == identity_;
        if (!same) ++stats_.other_failures;
        break;
    }
    if (same) {
      Accept(candidate, out.position);
    } else {
      tried_.insert(candidate);
    }
    Report();
    return same;
  }

  void Report() {
    if (!options_.progress) return;
    ShrinkProgress p;
    p.phase = phase_;
    p.events = order_.size();
    p.input_events = CountInputEvents(pool_, order_);
    p.replays = replayer_.replays();
    p.elapsed = absl::Now() - start_;
    options_.progress(p);
  }

  bool BeforeFailure(size_t unit) const {
    return deps_->UnitPosition(unit) < failing_position_;
  }

  // Deletes as many units as still fail starting at `unit`: doubling the
  // chunk while deletions succeed, then halving it back. Each success is
  // kept at once; returns how many units went from this place.
  size_t DeleteAt(size_t unit) {
    size_t deleted = 0, k = 1;
    auto attempt = [&](size_t count) {
      return unit < deps_->unit_count() && BeforeFailure(unit) &&
             Try(deps_->WithoutRange(unit, count, /*close=*/true), false);
    };
    while (attempt(k)) {
      deleted += k;
      k *= 2;
    }
    while (k > 1) {
      k /= 2;
      if (attempt(k)) deleted += k;
    }
    return deleted;
  }

  bool DeleteChunks() {
    phase_ = "chunks";
    bool changed = false;
    size_t unit = 0;
    while (unit < deps_->unit_count() && BeforeFailure(unit) && !stats_.budget_exhausted) {
      // Resume here after a deletion: the units that slid into this place
      // have not been tried yet.
      if (DeleteAt(unit) > 0) {
        changed = true;
      } else {
        ++unit;
      }
    }
    return changed;
  }

  bool RemoveSingles() {
    phase_ = "singles";
    bool changed = false;
    size_t unit = 0;
    while (unit < deps_->unit_count() && BeforeFailure(unit) && !stats_.budget_exhausted) {
      if (Try(deps_->Without({unit}, /*close=*/false), /*check_well_formed=*/true)) {
        changed = true;
      } else {
        ++unit;
      }
    }
    return changed;
  }

  // Replaces the event at `position` (and its partner) by `variant`.
  bool TryVariant(size_t position, const Event& variant) {
    StepOrder candidate = order_;
    pool_.push_back(SynthesizedStep(variant));
    candidate[position] = static_cast<uint32_t>(pool_.size() - 1);
    if (std::optional<size_t> partner = deps_->Partner(position)) {
      std::optional<Event> follow = FollowPartner(pool_[order_[*partner]].event, variant);
      if (follow) {
        pool_.push_back(SynthesizedStep(*follow));
        candidate[*partner] = static_cast<uint32_t>(pool_.size() - 1);
      }
    }
    return Try(candidate, /*check_well_formed=*/true);
  }

  bool SimplifyFields() {
    phase_ = "fields";
    bool changed = false;
    for (size_t unit = 0; unit < deps_->unit_count() && !stats_.budget_exhausted; ++unit) {
      // Take the first variant that still fails, then look again at the
      // simplified event, until none of its variants fails.
      bool simplified = true;
      while (simplified && unit < deps_->unit_count() && !stats_.budget_exhausted) {
        simplified = false;
        const size_t position = deps_->UnitPosition(unit);
        const Event event = pool_[order_[position]].event;
        for (const Event& variant : SimplerVariants(event, replayer_.config().page_size)) {
          if (TryVariant(position, variant)) {
            simplified = changed = true;
            break;
          }
        }
      }
    }
    return changed;
  }

  StepPool pool_;
  CandidateReplayer& replayer_;
  const ShrinkOptions& options_;
  absl::Time start_;
  absl::Time deadline_;
  uint64_t replays_at_start_;
  const char* phase_ = "";
  StepOrder order_;
  size_t failing_position_ = 0;
  FailureIdentity identity_;
  std::unique_ptr<TraceDependencies> deps_;
  // Candidates already replayed without the failure: never twice.
  absl::flat_hash_set<StepOrder> tried_;
  ShrinkStats stats_;
};

}  // namespace

absl::StatusOr<ShrinkResult> Shrink(StepPool steps, CandidateReplayer& replayer,
                                    const ShrinkOptions& options) {
  return Shrinker(std::move(steps), replayer, options).Run();
}

}  // namespace iovacheck
