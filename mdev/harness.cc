#include "mdev/harness.h"

#include "absl/strings/str_format.h"
#include "mdev/check_tracker.h"
#include "mdev/registry.h"

namespace iovacheck {

std::string MdevDivergenceToString(const MdevDivergence& d, const MdevEvent& event) {
  return absl::StrFormat("divergence at event #%u (%s): rule %s\n  expected: %s\n  actual:   %s",
                         d.event_index, MdevEventToString(event), d.rule, d.expected, d.actual);
}

absl::StatusOr<std::unique_ptr<MdevHarness>> MdevHarness::Create(const std::string& tracker) {
  std::unique_ptr<MdevHarness> h(new MdevHarness);
  h->container_ = std::make_unique<VfioType1Container>();
  absl::StatusOr<std::unique_ptr<MdevTracker>> t = MakeTracker(tracker, h->container_.get());
  if (!t.ok()) return t.status();
  h->tracker_ = std::move(*t);
  h->RegisterDriver();
  return h;
}

std::unique_ptr<MdevHarness> MdevHarness::CreateWith(const TrackerFactory& make) {
  std::unique_ptr<MdevHarness> h(new MdevHarness);
  h->container_ = std::make_unique<VfioType1Container>();
  h->tracker_ = make(h->container_.get());
  h->RegisterDriver();
  return h;
}

void MdevHarness::RegisterDriver() {
  // The vendor driver's dma_unmap callback: its tracker lets the range go.
  MdevTracker* raw = tracker_.get();
  container_->RegisterDevice([raw](uint64_t iova, uint64_t size) { raw->DmaUnmap(iova, size); });
}

std::optional<MdevDivergence> MdevHarness::Step(const MdevEvent& event) {
  if (divergence_) return divergence_;
  std::optional<MdevDivergence> d = Apply(event);
  if (!d) {
    if (std::optional<std::string> wrong = CheckTracker(*container_, *tracker_)) {
      d = MdevDivergence{"tracker-state", 0, "the tracker holds what type1 holds", *wrong};
    }
  }
  if (d) {
    d->event_index = events_;
    divergence_ = d;
  }
  ++events_;
  return d;
}

std::optional<MdevDivergence> MdevHarness::Apply(const MdevEvent& event) {
  if (const auto* e = std::get_if<MapDmaEvent>(&event)) {
    // Refused by type1 (overlap, wrap, no prot...): QEMU sees the error and
    // the driver never hears of it.
    if (container_->MapDma(e->iova, e->size, e->vaddr, e->prot) != 0) return std::nullopt;
    if (const int err = tracker_->RegionMapped(e->iova, e->size); err != 0) {
      return MdevDivergence{"tracker-error", 0, "the driver takes the region type1 mapped",
                            absl::StrFormat("it refused it: errno %d", err)};
    }
    return std::nullopt;
  }
  if (const auto* e = std::get_if<UnmapDmaEvent>(&event)) {
    const VfioUnmapResult r = container_->UnmapDma(e->iova, e->size);
    if (r.kernel_bug) {
      return MdevDivergence{
          "pin-leak", 0, "the dma_unmap notifier leaves no page of the region pinned",
          absl::StrFormat("type1 still counts %u pins after asking the driver (BUG_ON)",
                          container_->TotalPins())};
    }
    // What went is the regions inside the range, whole (v2 refuses a piece):
    // the device's uses there end with them.
    if (r.err == 0 && r.unmapped > 0) {
      const uint64_t last = e->iova + (e->size - 1);  // UnmapDma refused a wrap
      for (auto it = uses_.lower_bound(e->iova); it != uses_.end() && it->first <= last;) {
        it = uses_.erase(it);
      }
    }
    return std::nullopt;
  }
  if (const auto* e = std::get_if<DeviceUseEvent>(&event)) {
    const VfioDma* dma = container_->Find(e->gpa);
    const bool allowed = dma != nullptr && e->prot != 0 && (e->prot & ~dma->prot) == 0;
    uint64_t vaddr = 0;
    const int err = tracker_->Acquire(e->gpa, e->prot, &vaddr);
    if (!allowed) {
      if (err == 0) {
        tracker_->Release(e->gpa);
        return MdevDivergence{"translation", 0,
                              dma == nullptr ? "refused: no region holds the page"
                                             : "refused: the region does not allow the access",
                              absl::StrFormat("the device reaches vaddr 0x%x", vaddr)};
      }
      return std::nullopt;
    }
    const uint64_t want = dma->vaddr + (e->gpa - dma->iova);
    if (err != 0) {
      return MdevDivergence{"translation", 0, absl::StrFormat("vaddr 0x%x", want),
                            absl::StrFormat("the tracker refused it: errno %d", err)};
    }
    uses_.insert({e->gpa, vaddr});
    if (vaddr != want) {
      return MdevDivergence{"translation", 0, absl::StrFormat("vaddr 0x%x", want),
                            absl::StrFormat("vaddr 0x%x", vaddr)};
    }
    return std::nullopt;
  }
  const auto& e = std::get<DeviceDoneEvent>(event);
  if (auto it = uses_.find(e.gpa); it != uses_.end()) {
    uses_.erase(it);
    tracker_->Release(e.gpa);
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<MdevDivergence>> RunMdevEvents(const std::string& tracker,
                                                            const std::vector<MdevEvent>& events) {
  absl::StatusOr<std::unique_ptr<MdevHarness>> h = MdevHarness::Create(tracker);
  if (!h.ok()) return h.status();
  for (const MdevEvent& e : events) {
    if (std::optional<MdevDivergence> d = (*h)->Step(e)) return d;
  }
  return std::optional<MdevDivergence>();
}

}  // namespace iovacheck
