// The oracle of the mdev domain (issue [9]): what a vendor driver's tracker
// holds must be what VFIO type1 holds.
//   - every range the tracker holds lies in one live region, and its
//     answer for each address there is the vaddr type1 maps it to;
//   - the pins type1 counts are exactly the pins the tracker holds (none
//     leaked, none of memory outside a live region, counts back to zero).
#ifndef IOVACHECK_MDEV_CHECK_TRACKER_H_
#define IOVACHECK_MDEV_CHECK_TRACKER_H_

#include <optional>
#include <string>

#include "mdev/tracker.h"
#include "model/vfio_type1.h"

namespace iovacheck {

// What is wrong, or nullopt.
std::optional<std::string> CheckTracker(const VfioType1Container& container,
                                        const MdevTracker& tracker);

}  // namespace iovacheck

#endif  // IOVACHECK_MDEV_CHECK_TRACKER_H_
