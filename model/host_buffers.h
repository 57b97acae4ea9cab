// Host-only memory the device must reach but the guest never names: SVQ vring
// areas and CVQ command/status buffers. They have an HVA and no GPA.
#ifndef IOVACHECK_MODEL_HOST_BUFFERS_H_
#define IOVACHECK_MODEL_HOST_BUFFERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/last_hit.h"

namespace iovacheck {

struct HostBuffer {
  uint64_t hva = 0;   // page aligned (QEMU allocates them with qemu_memalign)
  uint64_t size = 0;  // the device sees it rounded up to the host page
  uint8_t perm = 0;   // VHOST_ACCESS_*: driver area RO, device area RW
  uint32_t asid = 0;  // 1 when the CVQ lives in its own address space
  std::string name;

  bool operator==(const HostBuffer& o) const {
    return hva == o.hva && size == o.size && perm == o.perm && asid == o.asid &&
           name == o.name;
  }
};

std::string HostBufferToString(const HostBuffer& b);

class HostBuffers {
 public:
  explicit HostBuffers(uint64_t page_size) : page_size_(page_size) {}

  // Caller errors (InvalidArgument): unaligned hva, size 0, wrapping, or a
  // page-rounded extent overlapping another live buffer's.
  absl::Status Add(const HostBuffer& buffer);
  // Removes the buffer at hva; its size must match. NotFound otherwise.
  absl::StatusOr<HostBuffer> Remove(uint64_t hva, uint64_t size);

  // The buffer whose page-rounded extent contains hva, or null.
  const HostBuffer* Find(uint64_t hva) const;
  std::vector<HostBuffer> Buffers() const;  // in HVA order
  bool empty() const { return buffers_.empty(); }
  uint64_t MappedLength(const HostBuffer& b) const;  // size rounded to the page

 private:
  uint64_t page_size_;
  absl::btree_map<uint64_t, HostBuffer> buffers_;  // keyed by hva
  mutable LastHit<HostBuffer> last_found_;  // Find's (model/last_hit.h)
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_HOST_BUFFERS_H_
