// Runs mdev events (mdev/event.h) against VFIO type1 (the kernel, as
// model/vfio_type1.h keeps it) and one vendor driver's tracker, and holds
// the tracker to type1 after every event:
//   translation    a device use succeeds exactly when type1 holds the page
//                  with the access asked for, and reaches the vaddr type1
//                  maps it to;
//   tracker-state  what the tracker holds agrees with type1, pins counted
//                  exactly (mdev/check_tracker.h);
//   pin-leak       an unmap never finds the region still pinned after the
//                  dma_unmap notifier (type1's BUG_ON);
//   tracker-error  the tracker refuses a region type1 took.
// The first divergence ends the run.
#ifndef IOVACHECK_MDEV_HARNESS_H_
#define IOVACHECK_MDEV_HARNESS_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "mdev/event.h"
#include "mdev/tracker.h"
#include "model/vfio_type1.h"

namespace iovacheck {

struct MdevDivergence {
  std::string rule;
  size_t event_index = 0;
  std::string expected;
  std::string actual;
};

std::string MdevDivergenceToString(const MdevDivergence& d, const MdevEvent& event);

class MdevHarness {
 public:
  // NotFound for an unknown tracker name (mdev/registry.h).
  static absl::StatusOr<std::unique_ptr<MdevHarness>> Create(const std::string& tracker);
  // A tracker of the caller's making (tests: drivers with planted bugs).
  using TrackerFactory =
      std::function<std::unique_ptr<MdevTracker>(VfioType1Container* container)>;
  static std::unique_ptr<MdevHarness> CreateWith(const TrackerFactory& make);

  // The divergence this event revealed, or nullopt; after one, every later
  // event is ignored and the first is returned again.
  std::optional<MdevDivergence> Step(const MdevEvent& event);

  const VfioType1Container& container() const { return *container_; }
  size_t events() const { return events_; }

 private:
  MdevHarness() = default;
  void RegisterDriver();
  std::optional<MdevDivergence> Apply(const MdevEvent& event);

  // The container first: the tracker holds a pointer to it.
  std::unique_ptr<VfioType1Container> container_;
  std::unique_ptr<MdevTracker> tracker_;
  std::multimap<uint64_t, uint64_t> uses_;  // gpa -> vaddr, uses not yet done
  std::optional<MdevDivergence> divergence_;
  size_t events_ = 0;
};

// Runs events from the start on a fresh harness: the first divergence, if any.
absl::StatusOr<std::optional<MdevDivergence>> RunMdevEvents(const std::string& tracker,
                                                            const std::vector<MdevEvent>& events);

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_HARNESS_H_
