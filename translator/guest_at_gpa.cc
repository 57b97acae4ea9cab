#include "translator/guest_at_gpa.h"

#include <cerrno>

#include "translator/address_math.h"

namespace iovacheck {

int GuestAtGpa::Add(const ListenerRange& range) {
  uint64_t gpa_last = 0;
  uint64_t hva_last = 0;
  // The range ends at or below the device's iova_last, so it is shorter than
  // 2^64; the HVA range may still wrap, which the shadow path refuses too.
  if (!RangeLast(range.gpa, range.size, &gpa_last) ||
      !RangeLast(range.hva, range.size, &hva_last)) {
    return EINVAL;
  }
  // Live sections never share GPA; an UPDATE over one would be EEXIST.
  if (map_.Overlaps(range.gpa, gpa_last)) return EEXIST;
  const uint64_t len = absl::Uint128Low64(range.size);
  if (const int err =
          sender_->ListenerMap(range.gpa, len, range.hva, range.perm);
      err != 0) {
    return err;
  }
  map_.Insert(FixedMapping{range.gpa, gpa_last, range.hva, range.perm});
  return 0;
}

int GuestAtGpa::Del(const ListenerRange& range) {
  const FixedMapping* found = map_.FindContaining(range.gpa);
  if (found == nullptr) return 0;
  const FixedMapping m = *found;
  map_.RemoveOverlapping(m.iova, m.last);
  return sender_->ListenerUnmap(m.iova, m.size());
}

int GuestAtGpa::Translate(uint64_t gpa, uint64_t len, uint64_t* iova) const {
  uint64_t last = 0;
  if (!RangeLast(gpa, len == 0 ? 1 : len, &last)) return EFAULT;
  const FixedMapping* m = map_.FindContaining(gpa);
  if (m == nullptr || last > m->last) return EFAULT;
  *iova = gpa;
  return 0;
}

}  // namespace iovacheck
