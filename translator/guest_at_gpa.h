// Guest memory without shadow data: the device walks the guest's own rings,
// which hold GPAs, so the listener maps each section at IOVA = GPA and
// allocates nothing. Tracked only so that region_del, translation and a
// device reset know what was mapped.
#ifndef IOVACHECK_TRANSLATOR_GUEST_AT_GPA_H_
#define IOVACHECK_TRANSLATOR_GUEST_AT_GPA_H_

#include <cstdint>

#include "translator/fixed_iova_map.h"
#include "translator/iotlb_sender.h"
#include "translator/listener_section.h"

namespace iovacheck {

class GuestAtGpa {
 public:
  explicit GuestAtGpa(IotlbSender* sender) : sender_(sender) {}

  // A section the listener maps (verdict kMap), batched like any listener
  // message. 0, EINVAL when its HVA range wraps, EEXIST when its GPA range
  // overlaps a live one, or the device's errno (then nothing is tracked).
  int Add(const ListenerRange& range);
  // Invalidates the mapping holding range.gpa, exactly as it was mapped;
  // 0 without a message when there is none (the add was skipped or failed).
  // The mapping is forgotten even if the device refuses.
  int Del(const ListenerRange& range);

  // IOVA (= GPA) of [gpa, gpa + len), or EFAULT when it is unmapped or runs
  // past its mapping's end. len 0 is a point lookup.
  int Translate(uint64_t gpa, uint64_t len, uint64_t* iova) const;

  const FixedIovaMap& mappings() const { return map_; }

 private:
  IotlbSender* sender_;
  FixedIovaMap map_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_GUEST_AT_GPA_H_
