#include "shrink/live_slice.h"

#include <optional>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"
#include "shrink/file_steps.h"

namespace iovacheck {
namespace {

// Takes a trace's events in order and holds what the slice keeps.
class Slicer {
 public:
  explicit Slicer(uint64_t boundary) : boundary_(boundary) {}

  void Take(uint64_t index, const TraceStep& step) {
    const Event& event = step.event;
    const bool begin = std::holds_alternative<ListenerBeginEvent>(event);
    const bool commit = std::holds_alternative<ListenerCommitEvent>(event);
    if (index >= boundary_) {
      // From the boundary on, everything stays; nothing is dropped any more,
      // so nothing needs tracking but whether a transaction is open.
      held_.emplace(index, step);
      if (begin) open_ = index;
      if (commit) open_.reset();
      return;
    }
    if (begin) {
      held_.emplace(index, step);
      txns_[index] = Transaction{};
      open_ = index;
    } else if (commit) {
      if (!open_) return;  // unbalanced: the replay refuses it anyway
      Transaction& txn = txns_[*open_];
      if (txn.inputs == 0) {
        held_.erase(*open_);  // nothing kept inside: the markers go
        txns_.erase(*open_);
      } else {
        txn.commit = index;
        held_.emplace(index, step);
      }
      open_.reset();
    } else if (const auto* e = std::get_if<RegionAddEvent>(&event)) {
      Hold(index, step);
      sections_[e->section.gpa] = index;
    } else if (const auto* e = std::get_if<RegionDelEvent>(&event)) {
      DropOpener(sections_, e->section.gpa);
    } else if (const auto* e = std::get_if<HostMapEvent>(&event)) {
      Hold(index, step);
      buffers_[{e->buffer.hva, e->buffer.asid}] = index;
    } else if (const auto* e = std::get_if<HostUnmapEvent>(&event)) {
      DropOpener(buffers_, std::pair{e->hva, e->asid});
    } else if (const auto* e = std::get_if<IommuMapEvent>(&event)) {
      TakeIommuMap(index, step, *e);
    } else if (const auto* e = std::get_if<IommuUnmapEvent>(&event)) {
      TakeIommuUnmap(*e);
    } else if (std::holds_alternative<ShadowDataEvent>(event)) {
      HoldLast(last_switch_, index, step);
    } else if (std::holds_alternative<DeviceResetEvent>(event)) {
      HoldLast(last_reset_, index, step);
    }
    // Translations and DMAs change nothing the next event depends on.
  }

  bool in_transaction() const { return open_.has_value(); }

  StepPool Finish() {
    StepPool out;
    out.reserve(held_.size());
    for (auto& [index, step] : held_) out.push_back(std::move(step));
    return out;
  }

 private:
  static constexpr uint64_t kOpen = ~uint64_t{0};
  struct Transaction {
    uint64_t commit = kOpen;
    uint64_t inputs = 0;  // held input events inside
  };
  struct IommuEntry {
    IommuMapEvent map;
    uint64_t index = 0;  // of the map that made it
  };

  void Hold(uint64_t index, const TraceStep& step) {
    held_.emplace(index, step);
    if (open_) {
      txn_of_[index] = *open_;
      ++txns_[*open_].inputs;
    }
  }

  void Drop(uint64_t index) {
    held_.erase(index);
    auto it = txn_of_.find(index);
    if (it == txn_of_.end()) return;
    const uint64_t begin = it->second;
    txn_of_.erase(it);
    Transaction& txn = txns_[begin];
    if (--txn.inputs == 0 && txn.commit != kOpen) {
      held_.erase(begin);
      held_.erase(txn.commit);
      txns_.erase(begin);
    }
  }

  template <typename Map, typename Key>
  void DropOpener(Map& live, const Key& key) {
    auto it = live.find(key);
    if (it == live.end()) return;  // refused by the model; it never got here
    Drop(it->second);
    live.erase(it);
  }

  void HoldLast(std::optional<uint64_t>& last, uint64_t index, const TraceStep& step) {
    if (last) Drop(*last);
    Hold(index, step);
    last = index;
  }

  void TakeIommuMap(uint64_t index, const TraceStep& step, const IommuMapEvent& e) {
    auto it = iommu_.find(e.giova);
    if (it != iommu_.end() && it->second.map.size == e.size && it->second.map.gpa == e.gpa &&
        it->second.map.perm == e.perm) {
      return;  // a replay over the live entry: the model changes nothing
    }
    Hold(index, step);
    iommu_[e.giova] = IommuEntry{e, index};
  }

  void TakeIommuUnmap(const IommuUnmapEvent& e) {
    // Entries never overlap: the one starting before giova may reach into
    // the range, the rest start inside it.
    auto it = iommu_.upper_bound(e.giova);
    if (it != iommu_.begin()) {
      auto prev = std::prev(it);
      if (prev->second.map.giova + (prev->second.map.size - 1) >= e.giova) it = prev;
    }
    while (it != iommu_.end() && it->first <= e.last) {
      Drop(it->second.index);
      it = iommu_.erase(it);
    }
  }

  const uint64_t boundary_;
  absl::btree_map<uint64_t, TraceStep> held_;                             // by index in the file
  absl::flat_hash_map<uint64_t, uint64_t> sections_;                      // live GPA -> region_add
  absl::flat_hash_map<std::pair<uint64_t, uint32_t>, uint64_t> buffers_;  // (hva, asid)
  absl::btree_map<uint64_t, IommuEntry> iommu_;                           // by guest IOVA
  absl::flat_hash_map<uint64_t, Transaction> txns_;                       // by begin, while held
  absl::flat_hash_map<uint64_t, uint64_t> txn_of_;                        // held input -> its begin
  std::optional<uint64_t> open_;  // the open transaction's begin
  std::optional<uint64_t> last_switch_, last_reset_;
};

}  // namespace

absl::StatusOr<StepPool> LiveSlice(const std::string& path, uint64_t failing, uint64_t boundary) {
  absl::StatusOr<FileSteps> steps = FileSteps::Open(path);
  if (!steps.ok()) return steps.status();
  Slicer slicer(boundary);
  for (;;) {
    absl::StatusOr<const TraceStep*> step = steps->Next();
    if (!step.ok()) return step.status();
    if (*step == nullptr) break;
    const uint64_t index = steps->index();
    // Past the failure only the commit of its transaction matters (the
    // harness ignores what follows a divergence; a trace ending inside a
    // transaction the shrinker closes itself).
    if (index > failing && !slicer.in_transaction()) break;
    slicer.Take(index, **step);
    if (index > failing && !slicer.in_transaction()) break;
  }
  return slicer.Finish();
}

absl::StatusOr<SlicedTrace> SliceForShrinking(const std::string& path,
                                              CandidateReplayer& replayer) {
  absl::StatusOr<FirstFailure> first = FindFirstFailure(path, replayer);
  if (!first.ok()) return first.status();
  SlicedTrace out;
  out.identity = first->identity;
  out.failing_event = first->event;
  for (uint64_t window = 0;; window = window == 0 ? 4096 : window * 16) {
    const uint64_t boundary = first->event > window ? first->event - window : 0;
    absl::StatusOr<StepPool> slice = LiveSlice(path, first->event, boundary);
    if (!slice.ok()) return slice.status();
    ++out.slices_tried;
    out.window = first->event - boundary;
    out.whole = boundary == 0;
    // The whole trace before the failure is what failed: no replay needed.
    if (out.whole) {
      out.steps = *std::move(slice);
      return out;
    }
    const CandidateOutcome o = replayer.Replay(*slice, Identity(slice->size()));
    if (o.verdict == CandidateOutcome::Verdict::kFail && o.identity == out.identity) {
      out.steps = *std::move(slice);
      return out;
    }
  }
}

std::string DescribeSlice(const SlicedTrace& slice) {
  if (slice.whole) {
    return absl::StrFormat("the input up to its first failure, event %u, whole",
                           slice.failing_event);
  }
  return absl::StrFormat(
      "the input's first failure, event %u: the %u events before it whole, and before "
      "those only what was still live (%d slice%s replayed)",
      slice.failing_event, slice.window, slice.slices_tried, slice.slices_tried == 1 ? "" : "s");
}

}  // namespace iovacheck
