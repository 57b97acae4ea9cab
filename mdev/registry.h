// The trackers by name, as the mdev command and the tests choose them:
// mdev-tree and mdev-array, each in pin-all and pin-sparse
// ("mdev-tree-pin-sparse", ...), and one deliberately wrong driver,
// "mdev-tree-forgets-unpin", whose dma_unmap callback does nothing: the
// harness must catch it as it catches `legacy` in the vhost domain.
#ifndef IOVACHECK_MDEV_REGISTRY_H_
#define IOVACHECK_MDEV_REGISTRY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "mdev/tracker.h"
#include "model/vfio_type1.h"

namespace iovacheck {

std::vector<std::string> TrackerNames();

// A tracker of the driver `name` for `container` (which must outlive it);
// NotFound naming the known ones.
absl::StatusOr<std::unique_ptr<MdevTracker>> MakeTracker(absl::string_view name,
                                                         VfioType1Container* container);

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_REGISTRY_H_
