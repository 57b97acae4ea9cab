#include "translator/iommu_mappings.h"

#include <cerrno>
#include <vector>

#include "absl/numeric/int128.h"
#include "translator/address_math.h"

namespace iovacheck {

int IommuMappings::Map(uint64_t giova, uint64_t size, uint64_t hva,
                       uint8_t perm) {
  uint64_t last = 0;
  if (!RangeLast(giova, size, &last)) return EINVAL;
  const FixedMapping wanted{giova, last, hva, perm};
  // A replay (hotplug, VT-d's context switch) of what the device holds.
  if (map_.Holds(wanted)) return 0;

  // The device refuses an UPDATE that overlaps anything, so whatever the
  // guest mapped there before goes first, whole, as the device removes it.
  // Each is invalidated even after a refusal, so that no forgotten mapping
  // is left on the device on purpose.
  int first_err = 0;
  for (const FixedMapping& old : map_.RemoveOverlapping(giova, last)) {
    const int err = sender_->Unmap(kGuestAsid, old.iova, old.size());
    if (first_err == 0) first_err = err;
  }
  // An UPDATE over an entry the device kept would only be EEXIST: report
  // the refusal instead, holding nothing in the range.
  if (first_err != 0) return first_err;
  if (const int err = sender_->Map(kGuestAsid, giova, size, hva, perm);
      err != 0) {
    return err;
  }
  map_.Insert(wanted);
  return 0;
}

int IommuMappings::Unmap(uint64_t giova, uint64_t last) {
  if (last < giova) return EINVAL;
  const bool held_something = !map_.RemoveOverlapping(giova, last).empty();
  // Sent even when nothing was known: the notifier does not track what the
  // device holds (a mapping may predate this translator), and the sender
  // splits the whole 2^64 space into two halves.
  const absl::uint128 size = absl::uint128(last) - giova + 1;
  const int err = sender_->Unmap(kGuestAsid, giova, size);
  // Refused where nothing was held (VT-d's whole-space unmap before any MAP
  // hits an address space the kernel has not created yet): QEMU only logs it,
  // and nothing was lost.
  return held_something ? err : 0;
}

}  // namespace iovacheck
