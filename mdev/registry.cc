#include "mdev/registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mdev/array_tracker.h"
#include "mdev/forgetful_tracker.h"
#include "mdev/tree_tracker.h"

namespace iovacheck {

std::vector<std::string> TrackerNames() {
  return {"mdev-array-pin-all", "mdev-array-pin-sparse", "mdev-tree-forgets-unpin",
          "mdev-tree-pin-all", "mdev-tree-pin-sparse"};
}

absl::StatusOr<std::unique_ptr<MdevTracker>> MakeTracker(absl::string_view name,
                                                         VfioType1Container* container) {
  if (name == "mdev-tree-pin-all") {
    return std::make_unique<TreeTracker>(container, PinPolicy::kPinAll);
  }
  if (name == "mdev-tree-pin-sparse") {
    return std::make_unique<TreeTracker>(container, PinPolicy::kPinSparse);
  }
  if (name == "mdev-array-pin-all") {
    return std::make_unique<ArrayTracker>(container, PinPolicy::kPinAll);
  }
  if (name == "mdev-array-pin-sparse") {
    return std::make_unique<ArrayTracker>(container, PinPolicy::kPinSparse);
  }
  if (name == "mdev-tree-forgets-unpin") {
    return std::make_unique<ForgetfulTracker>(
        std::make_unique<TreeTracker>(container, PinPolicy::kPinSparse));
  }
  return absl::NotFoundError(absl::StrCat("unknown mdev tracker \"", name,
                                          "\"; known: ", absl::StrJoin(TrackerNames(), ", ")));
}

}  // namespace iovacheck
