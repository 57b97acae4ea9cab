// Plain records shared by the model, the oracle and the translator boundary.
#ifndef IOVACHECK_MODEL_IOVEC_H_
#define IOVACHECK_MODEL_IOVEC_H_

#include <cstdint>

namespace iovacheck {

// One element of a guest buffer (a virtqueue element's sg entry). Guest memory
// carries its GPA (and the HVA QEMU mapped it at); host-only memory such as a
// CVQ shadow buffer has only an HVA. `device_writes` is the direction.
struct Iovec {
  uint64_t gpa = 0;
  uint64_t hva = 0;
  uint64_t len = 0;
  bool has_gpa = false;
  bool device_writes = false;

  bool operator==(const Iovec& o) const {
    return gpa == o.gpa && hva == o.hva && len == o.len && has_gpa == o.has_gpa &&
           device_writes == o.device_writes;
  }
};

// An IOVA range a translator holds allocated, [iova, iova + len).
struct IovaAllocation {
  uint64_t iova = 0;
  uint64_t len = 0;
  bool operator==(const IovaAllocation& o) const { return iova == o.iova && len == o.len; }
};

// An allocation made (added) or freed: what the incremental oracle hears
// from a translator that keeps a journal of them.
struct AllocationChange {
  IovaAllocation range;
  bool added = false;
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_IOVEC_H_
